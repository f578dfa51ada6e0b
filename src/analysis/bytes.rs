//! Reading text eight bytes at a time: searching it for any byte of a small set (the segmenter's
//! line breaks and sentence terminators, the quote scanner's quotation marks), and a short word's
//! bytes as one integer (the short-word tables' keys, the summary's word hash, the cue filter).

/// A set of bytes to search for, as a table.
#[derive(Debug)]
pub(crate) struct ByteSet {
    table: [bool; 256],
}

impl ByteSet {
    /// The set of `bytes`.
    pub(crate) const fn new(bytes: &[u8]) -> ByteSet {
        let mut table = [false; 256];
        let mut i = 0;
        while i < bytes.len() {
            table[bytes[i] as usize] = true;
            i += 1;
        }
        ByteSet { table }
    }

    /// Whether `b` is in the set.
    #[inline]
    pub(crate) fn contains(&self, b: u8) -> bool {
        self.table[usize::from(b)]
    }

    /// The offset of the first byte of the set in `bytes` at or after `from`. `may_hold` tells,
    /// eight bytes at a time, whether they may hold one (it is never `false` when they do), so
    /// that runs without any are skipped a word at a time.
    #[inline]
    pub(crate) fn find(
        &self,
        bytes: &[u8],
        from: usize,
        may_hold: impl Fn(u64) -> bool,
    ) -> Option<usize> {
        let rest = bytes.get(from..)?;
        let mut words = rest.chunks_exact(8);
        let mut base = from;
        for word in words.by_ref() {
            let x = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
            if may_hold(x) {
                if let Some(k) = word.iter().position(|&b| self.contains(b)) {
                    return Some(base + k);
                }
            }
            base += 8;
        }
        let tail = words.remainder();
        tail.iter()
            .position(|&b| self.contains(b))
            .map(|k| base + k)
    }
}

/// The bytes of a string of 1 to 8 bytes as one integer, little-endian with zeros above (`None` when
/// empty or longer), in at most two loads that may overlap, each byte landing at the same place from
/// either. With the length, distinct for distinct strings.
#[inline]
pub(crate) fn short_bytes(b: &[u8]) -> Option<u64> {
    let n = b.len();
    match (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        _ if n > 8 => None,
        (Some(lo), Some(hi)) => Some(
            u64::from(u32::from_le_bytes(*lo))
                | u64::from(u32::from_le_bytes(*hi)) << ((n - 4) * 8),
        ),
        _ if n > 0 => {
            let last = u64::from(b[n - 1]) << ((n - 1) * 8);
            let middle = u64::from(b[n / 2]) << ((n / 2) * 8);
            Some(u64::from(b[0]) | middle | last)
        }
        _ => None,
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether a byte of `x` is below `n` (at most 0x80).
#[inline]
pub(crate) fn has_less(x: u64, n: u8) -> bool {
    x.wrapping_sub(ONES * u64::from(n)) & !x & HIGHS != 0
}

/// Whether a byte of `x` is `b`.
#[inline]
pub(crate) fn has_byte(x: u64, b: u8) -> bool {
    has_less(x ^ (ONES * u64::from(b)), 1)
}

/// Test helper: checks that `set.find` with `may_hold` answers what a byte-by-byte search answers
/// from every offset of `text`, and that `may_hold` lets every byte of the set through in every
/// lane of a word.
#[cfg(test)]
pub(crate) fn check_search(set: &ByteSet, may_hold: fn(u64) -> bool, text: &str) {
    let bytes = text.as_bytes();
    for from in 0..=bytes.len() + 1 {
        let want = bytes
            .get(from..)
            .and_then(|r| r.iter().position(|&b| set.contains(b)))
            .map(|k| from + k);
        assert_eq!(set.find(bytes, from, may_hold), want, "{from}");
    }
    for b in (0..=255u8).filter(|&b| set.contains(b)) {
        for lane in 0..8 {
            let x = 0x4141_4141_4141_4141u64 & !(0xFF << (lane * 8)) | (u64::from(b) << (lane * 8));
            assert!(may_hold(x), "{b:#x} in lane {lane}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_tests_answer_exactly() {
        let x = u64::from_le_bytes(*b"ab\x05cd\xE2ef");
        assert!(has_byte(x, 0xE2) && has_byte(x, b'a') && !has_byte(x, b'z'));
        assert!(has_less(x, 0x06) && !has_less(x, 0x05));
        // No false answer from a borrow across lanes: 0x01 above a zero byte.
        let y = u64::from_le_bytes([0, 1, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41]);
        assert!(has_byte(y, 0) && has_byte(y, 1) && !has_byte(y, 2));
    }

    #[test]
    fn a_set_is_found_as_a_plain_search_finds_it() {
        static VOWELS: ByteSet = ByteSet::new(b"aeiou");
        fn may_hold(x: u64) -> bool {
            b"aeiou".iter().any(|&v| has_byte(x, v))
        }
        check_search(
            &VOWELS,
            may_hold,
            "xyz bcd fgh klmnpqrst vwxyz aaa zzzzzzzzzzzzzz u",
        );
        check_search(&VOWELS, may_hold, "");
    }

    #[test]
    fn short_bytes_are_the_bytes_read_little_endian() {
        let text = b"a\xC3\xA9\x00z\xFF\xE2\x80\x99bcdefghi";
        for start in 0..=text.len() {
            for end in start..=text.len() {
                let b = &text[start..end];
                let want = (1..=8)
                    .contains(&b.len())
                    .then(|| b.iter().rev().fold(0u64, |key, &x| key << 8 | u64::from(x)));
                assert_eq!(short_bytes(b), want, "{b:?}");
            }
        }
    }
}
