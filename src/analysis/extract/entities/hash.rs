//! Allocation-free hashing of token forms for the tagger's features and the gazetteers.
//!
//! Every feature is a 64-bit hash of (template, value); the value hashes of a token (its lower-case form,
//! its accent-folded form, its shape, prefixes and suffixes) are computed once per token, and templates
//! combine them with [`mix`]. Nothing here allocates.

use unicode_normalization::char::decompose_canonical;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Combines two hashes (order matters).
#[inline]
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let x = (a ^ b.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^ (x >> 32)
}

/// Streaming FNV-1a over characters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hasher(u64);

impl Hasher {
    /// A hasher seeded with `seed` (so that equal strings of different kinds hash apart).
    pub(crate) fn new(seed: u64) -> Self {
        Hasher(FNV_OFFSET ^ seed.wrapping_mul(FNV_PRIME))
    }

    /// Adds one character.
    #[inline]
    pub(crate) fn push(&mut self, c: char) {
        let mut v = c as u32;
        // Four bytes per char keeps the hash simple; it only has to be stable and spread well.
        for _ in 0..3 {
            self.0 = (self.0 ^ u64::from(v & 0xFF)).wrapping_mul(FNV_PRIME);
            v >>= 8;
            if v == 0 {
                break;
            }
        }
    }

    /// Adds one ASCII character, given as its byte: the same as [`Hasher::push`] of that character.
    #[inline]
    pub(crate) fn push_byte(&mut self, b: u8) {
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(FNV_PRIME);
    }

    /// The hash so far.
    pub(crate) fn finish(self) -> u64 {
        mix(self.0, 0x51_7CC1_B727_220A)
    }
}

/// Hash of a string's characters.
pub(crate) fn hash_str(seed: u64, s: &str) -> u64 {
    let mut h = Hasher::new(seed);
    s.chars().for_each(|c| h.push(c));
    h.finish()
}

/// Pushes the lower-case, accent-free form of `c` ("É" -> "e", "’" -> "'").
#[inline(always)]
pub(crate) fn push_folded(h: &mut Hasher, c: char) {
    if c.is_ascii() {
        h.push_byte(c.to_ascii_lowercase() as u8);
    } else {
        push_folded_other(h, c);
    }
}

/// [`push_folded`] of a character beyond ASCII (kept out of line: the ASCII case is inlined).
#[inline(never)]
fn push_folded_other(h: &mut Hasher, c: char) {
    if matches!(c, '’' | 'ʼ' | '‘') {
        h.push('\'');
        return;
    }
    if matches!(c, '‐' | '‑' | '–') {
        h.push('-');
        return;
    }
    decompose_canonical(c, |d| {
        if !is_combining(d) {
            for l in d.to_lowercase() {
                h.push(l);
            }
        }
    });
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// A `BuildHasher` for keys that are already well-mixed 64-bit hashes: no second hashing.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Prehashed;

/// The hasher of [`Prehashed`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PrehashedHasher(u64);

impl std::hash::Hasher for PrehashedHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0, u64::from(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = mix(self.0, u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.0 ^= i;
    }
    fn write_usize(&mut self, i: usize) {
        self.0 = mix(self.0, i as u64);
    }
}

impl std::hash::BuildHasher for Prehashed {
    type Hasher = PrehashedHasher;
    fn build_hasher(&self) -> PrehashedHasher {
        PrehashedHasher(0)
    }
}

/// A hash map keyed by pre-hashed values.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, Prehashed>;

/// Hash of a byte string, eight bytes at a time.
#[inline]
pub(crate) fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = (b.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = mix(h, u64::from_le_bytes(w));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = mix(h, rest.iter().fold(0u64, |v, &x| (v << 8) | u64::from(x)));
    }
    h
}

/// A `BuildHasher` for short strings (words): [`hash_bytes`], much cheaper than SipHash.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Words;

/// The hasher of [`Words`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WordsHasher(u64);

impl std::hash::Hasher for WordsHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = mix(self.0, hash_bytes(bytes));
    }
    fn write_u8(&mut self, i: u8) {
        self.0 ^= u64::from(i);
    }
}

impl std::hash::BuildHasher for Words {
    type Hasher = WordsHasher;
    fn build_hasher(&self) -> WordsHasher {
        WordsHasher(0)
    }
}

/// A hash map keyed by words.
pub(crate) type WordMap<K, V> = std::collections::HashMap<K, V, Words>;

/// A hash set of words.
pub(crate) type WordSet<T> = std::collections::HashSet<T, Words>;

/// Hash of the folded form of a string (lower case, no accents, straight apostrophes).
pub(crate) fn hash_folded(s: &str) -> u64 {
    let mut h = Hasher::new(FOLD_SEED);
    s.chars().for_each(|c| push_folded(&mut h, c));
    h.finish()
}

/// Seed of folded-form hashes.
pub(crate) const FOLD_SEED: u64 = 0xF01D;

/// Items found by a [`hash_bytes`]-style 64-bit hash, by open addressing: each slot holds the upper
/// half of an item's hash and one more than its index (0 when empty). The caller keeps the items and
/// says which one is sought; an item is compared only when that half of its hash is equal (the lower
/// bits chose the slot). Cheaper than a map entry per token, and eight bytes a slot, so that the
/// zeroed table of an article is small.
#[derive(Debug)]
pub(crate) struct HashIndex {
    slots: Vec<(u32, u32)>,
    mask: usize,
}

/// The part of a hash a [`HashIndex`] slot keeps.
#[inline(always)]
fn tag(h: u64) -> u32 {
    (h >> 32) as u32
}

impl HashIndex {
    /// An index with room for `items` items (it never fills beyond half).
    pub(crate) fn with_room(items: usize) -> HashIndex {
        let size = (2 * items.max(4)).next_power_of_two();
        HashIndex {
            slots: vec![(0, 0); size],
            mask: size - 1,
        }
    }

    /// The first recorded item of hash `h` that `is` accepts.
    #[inline]
    pub(crate) fn find(&self, h: u64, is: impl Fn(u32) -> bool) -> Option<u32> {
        let t = tag(h);
        let mut i = h as usize & self.mask;
        loop {
            let (sh, id) = *self.slots.get(i)?;
            let item = id.checked_sub(1)?;
            if sh == t && is(item) {
                return Some(item);
            }
            i = (i + 1) & self.mask;
        }
    }

    /// [`HashIndex::find`]; when nothing is found, item `new` is recorded under `h` (at most as many
    /// times as the index has room for).
    #[inline]
    pub(crate) fn find_or_insert(
        &mut self,
        h: u64,
        is: impl Fn(u32) -> bool,
        new: u32,
    ) -> Option<u32> {
        let t = tag(h);
        let mut i = h as usize & self.mask;
        loop {
            let (sh, id) = self.slots[i];
            if id == 0 {
                self.slots[i] = (t, new + 1);
                return None;
            }
            if sh == t && is(id - 1) {
                return Some(id - 1);
            }
            i = (i + 1) & self.mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_index_finds_each_item_it_was_given_and_no_other() {
        let forms: Vec<String> = (0..300).map(|k| format!("w{k}")).collect();
        let mut index = HashIndex::with_room(forms.len());
        let h = |f: &str| hash_bytes(f.as_bytes());
        for (k, f) in forms.iter().enumerate() {
            let is = |id: u32| forms[id as usize] == *f;
            assert_eq!(index.find_or_insert(h(f), is, k as u32), None, "{f}");
        }
        for (k, f) in forms.iter().enumerate() {
            let is = |id: u32| forms[id as usize] == *f;
            assert_eq!(index.find_or_insert(h(f), is, 999), Some(k as u32), "{f}");
            assert_eq!(index.find(h(f), is), Some(k as u32), "{f}");
        }
        assert_eq!(
            index.find(h("w300"), |id| forms[id as usize] == "w300"),
            None
        );
        // Equal hashes, different items: the caller's test tells them apart; an item whose slot is
        // probed but whose kept half of the hash differs is not even offered to it.
        let (a, b) = ((1u64 << 40) | 7, (2u64 << 40) | 8);
        let mut small = HashIndex::with_room(0);
        assert_eq!(small.find_or_insert(a, |id| id == 5, 0), None);
        assert_eq!(small.find_or_insert(a, |id| id == 5, 1), None);
        assert_eq!(small.find(a, |id| id == 1), Some(1));
        assert_eq!(small.find(a, |id| id == 0), Some(0));
        assert_eq!(small.find(b, |_| true), None);
    }

    #[test]
    fn folding_ignores_case_accents_and_apostrophe_style() {
        assert_eq!(hash_folded("États-Unis"), hash_folded("etats-unis"));
        assert_eq!(hash_folded("Côte d’Ivoire"), hash_folded("cote d'ivoire"));
        assert_ne!(hash_folded("Paris"), hash_folded("Pari"));
    }

    #[test]
    fn word_sets_find_exactly_their_words() {
        let words = [
            "",
            "a",
            "m",
            "mme",
            "président",
            "secrétaire-général",
            "x".repeat(17).leak(),
        ];
        let set: WordSet<&str> = words.iter().copied().collect();
        for w in words {
            assert!(set.contains(w), "{w:?}");
        }
        for w in [
            "b",
            "mm",
            "président ",
            "secrétaire-généra",
            "x".repeat(16).leak(),
        ] {
            assert!(!set.contains(w), "{w:?}");
        }
        assert_ne!(hash_bytes(b"ab"), hash_bytes(b"ba"));
        assert_ne!(hash_bytes(b"\0"), hash_bytes(b""));
    }

    #[test]
    fn seeds_separate_equal_strings() {
        assert_ne!(hash_str(1, "paris"), hash_str(2, "paris"));
        assert_eq!(hash_str(1, "paris"), hash_str(1, "paris"));
        assert_ne!(mix(1, 2), mix(2, 1));
    }
}
