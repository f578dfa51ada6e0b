//! The sequence model: a linear-chain tagger over BIO labels, with hashed observation weights and a
//! label-transition matrix, decoded by Viterbi under BIO constraints (`I-X` only after `B-X`/`I-X`).
//!
//! # File format (little-endian)
//! `GLNRNER1`, language (u8 length + bytes), hash bits (u8), weight scale (f32), transitions
//! (`(L + 1) × L` f32, the extra row is the sentence start), row count (u32), then per non-zero row:
//! varint gap from the previous row index, u16 mask of the labels present, and one i16 per label present.
//! Pruned, quantised and sparse, so a model is a few megabytes.
//!
//! # In memory
//! Most of the `2^bits` rows are zero (a third of a million of a million rows are not, in the largest
//! model), so loading keeps only the non-zero rows, in row order, and finds a row through a bitmap of
//! the rows present with the rank of each 8-row block ([`Table`]): 18 bytes per non-zero row and 4 bits
//! per row of the table, instead of 18 bytes per row. A model takes 1.8 to 5.8 MB instead of 18 MB,
//! and a feature whose row is zero costs one bit test.

use super::super::super::output::PartyKind;

/// Number of labels.
pub(crate) const NL: usize = 9;
/// Outside any name.
pub(crate) const O: u8 = 0;

/// Entity types the tagger knows (MISC is learned to keep it apart, then dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum EntType {
    Per = 0,
    Org = 1,
    Loc = 2,
    Misc = 3,
}

impl EntType {
    /// From a corpus tag; `None` for types that are not names (TIME).
    pub(crate) fn from_tag(tag: &str) -> Option<EntType> {
        match tag {
            "PER" | "PERSON" => Some(EntType::Per),
            "ORG" | "ORGANIZATION" => Some(EntType::Org),
            "LOC" | "LOCATION" | "GPE" => Some(EntType::Loc),
            "MISC" | "PROD" => Some(EntType::Misc),
            _ => None,
        }
    }

    /// Label of the first token.
    pub(crate) fn begin(self) -> u8 {
        1 + 2 * self as u8
    }

    /// The party kind, if it is one.
    pub(crate) fn kind(self) -> Option<PartyKind> {
        match self {
            EntType::Per => Some(PartyKind::Person),
            EntType::Org => Some(PartyKind::Organization),
            EntType::Loc => Some(PartyKind::Location),
            EntType::Misc => None,
        }
    }

    /// Type of a non-O label.
    pub(crate) fn of_label(l: u8) -> Option<EntType> {
        if l == O {
            return None;
        }
        match (l - 1) / 2 {
            0 => Some(EntType::Per),
            1 => Some(EntType::Org),
            2 => Some(EntType::Loc),
            _ => Some(EntType::Misc),
        }
    }
}

/// Whether label `l` is an `I-` label.
pub(crate) fn is_inside(l: u8) -> bool {
    l != O && l % 2 == 0
}

/// Whether `cur` may follow `prev` (`None` = sentence start).
#[cfg(test)]
pub(crate) fn allowed(prev: Option<u8>, cur: u8) -> bool {
    if !is_inside(cur) {
        return true;
    }
    matches!(prev, Some(p) if p != O && (p - 1) / 2 == (cur - 1) / 2)
}

/// Transition weights: row `p` (or `NL` for the start) to column `c`.
pub(crate) type Transitions = [[f32; NL]; NL + 1];

/// Viterbi decoding of `n` tokens given emission scores `em[i * NL + l]`; `scores` is a scratch buffer.
///
/// The forward pass keeps only the best score of each label at each token (`scores[i * NL + l]`);
/// the predecessor of a label on the best path is found again while walking back, with the same sums
/// compared in the same order, so only `n` of the `n × NL` back-pointers are ever computed.
pub(crate) fn viterbi(em: &[f32], trans: &Transitions, scores: &mut Vec<f32>, out: &mut Vec<u8>) {
    let n = em.len() / NL;
    out.clear();
    if n == 0 {
        return;
    }
    // Every cell is written below: only room the buffer did not have yet is zeroed first.
    scores.truncate(n * NL);
    scores.resize(n * NL, 0.0);
    // Forbidden transitions cost -inf: an `I-X` label cannot start a sentence, and it only follows
    // `B-X` or `I-X`. A forbidden predecessor then never wins (the comparison is strict and starts
    // from -inf), so scanning every predecessor of every label, which is the same few operations on
    // all nine labels at once and vectorises, decodes exactly as skipping the forbidden ones would.
    let mut cost = *trans;
    for (p, row) in cost.iter_mut().enumerate() {
        for (c, w) in row.iter_mut().enumerate() {
            // `I-X` is `B-X` + 1.
            if is_inside(c as u8) && p != c && p + 1 != c {
                *w = f32::NEG_INFINITY;
            }
        }
    }
    let mut score = [0f32; NL];
    for l in 0..NL {
        score[l] = em[l] + cost[NL][l];
    }
    scores[..NL].copy_from_slice(&score);
    for (em, cell) in em.chunks_exact(NL).zip(scores.chunks_exact_mut(NL)).skip(1) {
        let mut best = [f32::NEG_INFINITY; NL];
        for (p, row) in cost[..NL].iter().enumerate() {
            let from = score[p];
            for c in 0..NL {
                let s = from + row[c];
                // The same value as keeping the first of equal maxima: only the walk back needs which.
                best[c] = if s > best[c] { s } else { best[c] };
            }
        }
        for c in 0..NL {
            score[c] = best[c] + em[c];
        }
        cell.copy_from_slice(&score);
    }
    let mut last = 0u8;
    let mut best = f32::NEG_INFINITY;
    for (l, &s) in score.iter().enumerate() {
        if s > best {
            best = s;
            last = l as u8;
        }
    }
    out.resize(n, 0);
    out[n - 1] = last;
    // Walking back, the costs into a label are read as a row; an `I-X` label only has two possible
    // predecessors (the others cost -inf and cannot win the strict comparison).
    let mut into = [[0f32; NL]; NL];
    for (p, row) in cost[..NL].iter().enumerate() {
        for (c, &w) in row.iter().enumerate() {
            into[c][p] = w;
        }
    }
    for i in (1..n).rev() {
        let c = last as usize;
        let prev = &scores[(i - 1) * NL..i * NL];
        if is_inside(last) {
            let (mut best, mut arg) = (f32::NEG_INFINITY, 0u8);
            for p in c - 1..=c {
                let s = prev[p] + into[c][p];
                if s > best {
                    (best, arg) = (s, p as u8);
                }
            }
            last = arg;
        } else {
            last = first_max(prev, &into[c]);
        }
        out[i - 1] = last;
    }
}

/// The predecessor a scan of every `p`, keeping the first of equal maxima of `prev[p] + into[p]` (and
/// 0 when none beats -inf), finds; the sums are formed side by side, then the greatest is found and
/// the first sum equal to it is the one the scan keeps.
#[inline(always)]
fn first_max(prev: &[f32], into: &[f32; NL]) -> u8 {
    let mut sums = [0f32; NL];
    for ((s, &a), &b) in sums.iter_mut().zip(prev).zip(into) {
        *s = a + b;
    }
    let best = sums
        .iter()
        .fold(f32::NEG_INFINITY, |m, &s| if s > m { s } else { m });
    if best == f32::NEG_INFINITY {
        return 0;
    }
    sums.iter().position(|&s| s == best).map_or(0, |p| p as u8)
}

/// A trained tagger for one language.
#[derive(Debug)]
pub(crate) struct Model {
    /// Language it was trained on.
    pub(crate) lang: String,
    /// Feature table size is `1 << bits` rows.
    pub(crate) bits: u32,
    scale: f32,
    /// Label weights of the hashed features.
    table: Table,
    trans: Transitions,
}

/// One row of quantised label weights.
type Row = [i16; NL];

/// A table of `1 << bits` rows of label weights that stores only its non-zero rows.
///
/// Row `r` is present when bit `r % 8` of `blocks[r / 8]` is set; the upper 24 bits of that block
/// count the rows present before it, so the row is `rows[before + present rows of its block below
/// it]`: one load and a byte-sized population count (from a table: the baseline x86-64 target has
/// no `popcnt` instruction). Four bits per row of the table, 18 bytes per row present.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Table {
    /// One per 8 rows: rows present before them (upper 24 bits), and which of them are present.
    blocks: Vec<u32>,
    /// The rows present, in row order.
    rows: Vec<Row>,
}

/// Number of set bits of every byte.
const ONES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u32).count_ones() as u8;
        i += 1;
    }
    t
};

impl Table {
    /// A table from the bitmap of the rows present (bit `r % 8` of `present[r / 8]`, upper bits zero)
    /// and those rows, in order.
    fn from_parts(mut blocks: Vec<u32>, rows: Vec<Row>) -> Table {
        let mut before = 0u32;
        for b in &mut blocks {
            let present = *b & 0xFF;
            *b = before << 8 | present;
            before += u32::from(ONES[present as usize]);
        }
        debug_assert_eq!(before as usize, rows.len());
        Table { blocks, rows }
    }

    /// Row `r`, or `None` when it is zero (`r` below `1 << bits`).
    #[inline(always)]
    pub(crate) fn get(&self, r: usize) -> Option<&Row> {
        let b = self.blocks[r >> 3];
        let bit = 1u32 << (r & 7);
        if b & bit == 0 {
            return None;
        }
        let below = ONES[(b & (bit - 1)) as usize];
        self.rows.get((b >> 8) as usize + usize::from(below))
    }

    /// The rows present with their indices, in order.
    fn iter(&self) -> impl Iterator<Item = (usize, &Row)> + '_ {
        let indices = self.blocks.iter().enumerate().flat_map(|(k, &b)| {
            (0..8)
                .filter(move |i| b & (1 << i) != 0)
                .map(move |i| k * 8 + i)
        });
        indices.zip(&self.rows)
    }

    /// Bytes of memory it holds.
    #[cfg(test)]
    pub(crate) fn heap_bytes(&self) -> usize {
        self.blocks.capacity() * std::mem::size_of::<u32>()
            + self.rows.capacity() * std::mem::size_of::<Row>()
    }
}

/// A model file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("invalid entity model: {0}")]
pub struct ModelError(&'static str);

const MAGIC: &[u8] = b"GLNRNER1";

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    #[inline(always)]
    fn take(&mut self, n: usize) -> Result<&[u8], ModelError> {
        let s = self
            .b
            .get(self.pos..self.pos + n)
            .ok_or(ModelError("truncated"))?;
        self.pos += n;
        Ok(s)
    }
    #[inline(always)]
    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }
    #[inline(always)]
    fn u16(&mut self) -> Result<u16, ModelError> {
        let s = self.take(2)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_bits(self.u32()?))
    }
    #[inline(always)]
    fn varint(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ModelError("bad varint"))
    }
}

impl Model {
    /// Builds a model from float weights (`rows × NL`) and transitions, pruning weights whose magnitude
    /// is below `prune` and quantising the rest to 16 bits.
    pub(crate) fn from_weights(
        lang: &str,
        bits: u32,
        weights: &[f32],
        trans: Transitions,
        prune: f32,
    ) -> Model {
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs())).max(1e-6);
        let scale = max / 32767.0;
        let quantised = weights.chunks_exact(NL).map(|row| {
            let mut r = [0i16; NL];
            for (q, &w) in r.iter_mut().zip(row) {
                if w.abs() >= prune {
                    *q = (w / scale).round().clamp(-32767.0, 32767.0) as i16;
                }
            }
            r
        });
        let mut present = vec![0u32; 1 << (bits - 3)];
        let mut rows = Vec::new();
        for (r, row) in quantised.enumerate().take(1 << bits) {
            if row.iter().any(|&w| w != 0) {
                present[r >> 3] |= 1 << (r & 7);
                rows.push(row);
            }
        }
        let table = Table::from_parts(present, rows);
        Model {
            lang: lang.to_string(),
            bits,
            scale,
            table,
            trans,
        }
    }

    /// Reads a model file.
    pub(crate) fn from_bytes(b: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader { b, pos: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(ModelError("bad magic"));
        }
        let ll = r.u8()? as usize;
        let lang = std::str::from_utf8(r.take(ll)?)
            .map_err(|_| ModelError("language is not UTF-8"))?
            .to_string();
        let bits = u32::from(r.u8()?);
        if !(8..=24).contains(&bits) {
            return Err(ModelError("bad table size"));
        }
        let scale = r.f32()?;
        let mut trans = [[0f32; NL]; NL + 1];
        for row in trans.iter_mut() {
            for w in row.iter_mut() {
                *w = r.f32()?;
            }
        }
        let count = r.u32()? as usize;
        // Each row takes at least three bytes: a bound on `count` before trusting it.
        if count > (b.len() - r.pos) / 3 {
            return Err(ModelError("truncated"));
        }
        let mut present = vec![0u32; 1 << (bits - 3)];
        let mut rows = vec![[0i16; NL]; count];
        let mut idx = 0usize;
        for (k, row) in rows.iter_mut().enumerate() {
            let gap = r.varint()? as usize;
            if k > 0 && gap == 0 {
                return Err(ModelError("rows out of order"));
            }
            idx = idx.checked_add(gap).ok_or(ModelError("row out of range"))?;
            let mask = r.u16()?;
            if mask >> NL != 0 {
                return Err(ModelError("bad label mask"));
            }
            let n = ONES[usize::from(mask & 0xFF)] + ONES[usize::from(mask >> 8)];
            let ws = r.take(2 * usize::from(n))?;
            *present
                .get_mut(idx >> 3)
                .ok_or(ModelError("row out of range"))? |= 1 << (idx & 7);
            let mut m = mask;
            for w in ws.chunks_exact(2) {
                row[m.trailing_zeros() as usize] = i16::from_le_bytes([w[0], w[1]]);
                m &= m - 1;
            }
        }
        let table = Table::from_parts(present, rows);
        Ok(Model {
            lang,
            bits,
            scale,
            table,
            trans,
        })
    }

    /// Writes the model file.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.push(self.lang.len() as u8);
        out.extend_from_slice(self.lang.as_bytes());
        out.push(self.bits as u8);
        out.extend_from_slice(&self.scale.to_le_bytes());
        for row in &self.trans {
            for w in row {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        let rows: Vec<(usize, &Row)> = self
            .table
            .iter()
            .filter(|(_, ws)| ws.iter().any(|&w| w != 0))
            .collect();
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        let mut prev = 0usize;
        for (k, &(r, ws)) in rows.iter().enumerate() {
            let mut gap = if k == 0 { r } else { r - prev } as u64;
            prev = r;
            loop {
                let b = (gap & 0x7F) as u8;
                gap >>= 7;
                if gap == 0 {
                    out.push(b);
                    break;
                }
                out.push(b | 0x80);
            }
            let mask = ws
                .iter()
                .enumerate()
                .filter(|(_, &w)| w != 0)
                .fold(0u16, |m, (l, _)| m | (1 << l));
            out.extend_from_slice(&mask.to_le_bytes());
            for &w in ws.iter().filter(|&&w| w != 0) {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// Emission scores of one token's features, written to `out[..NL]`.
    #[cfg(test)]
    pub(crate) fn emit(&self, feats: &[u32], out: &mut [f32]) {
        let mut acc = [0i32; NL];
        for &f in feats {
            self.add(f as usize, &mut acc);
        }
        self.scores(&acc, out);
    }

    /// Adds the weights of feature row `f` (below `1 << bits`) to `acc`. Sums of quantised weights
    /// are exact whatever their order.
    #[inline(always)]
    pub(crate) fn add(&self, f: usize, acc: &mut [i32; NL]) {
        if let Some(row) = self.table.get(f) {
            for l in 0..NL {
                acc[l] += i32::from(row[l]);
            }
        }
    }

    /// Bytes of memory its weights hold.
    #[cfg(test)]
    pub(crate) fn heap_bytes(&self) -> usize {
        self.table.heap_bytes()
    }

    /// Scores from summed quantised weights, written to `out[..NL]`.
    #[inline]
    pub(crate) fn scores(&self, acc: &[i32; NL], out: &mut [f32]) {
        for (o, &a) in out.iter_mut().zip(acc) {
            *o = a as f32 * self.scale;
        }
    }

    /// The transitions.
    pub(crate) fn transitions(&self) -> &Transitions {
        &self.trans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bio_constraints_hold() {
        let per_b = EntType::Per.begin();
        assert!(allowed(None, per_b));
        assert!(!allowed(None, per_b + 1));
        assert!(allowed(Some(per_b), per_b + 1));
        assert!(allowed(Some(per_b + 1), per_b + 1));
        assert!(!allowed(Some(EntType::Org.begin()), per_b + 1));
        assert!(!allowed(Some(O), per_b + 1));
        assert_eq!(
            EntType::of_label(EntType::Loc.begin() + 1),
            Some(EntType::Loc)
        );
        assert_eq!(EntType::of_label(O), None);
    }

    /// Viterbi over every pair of labels, forbidden transitions costing -inf.
    #[allow(clippy::needless_range_loop)]
    fn full_viterbi(em: &[f32], trans: &Transitions) -> Vec<u8> {
        let n = em.len() / NL;
        let cost = |p: Option<usize>, c: usize| {
            if allowed(p.map(|p| p as u8), c as u8) {
                trans[p.unwrap_or(NL)][c]
            } else {
                f32::NEG_INFINITY
            }
        };
        let mut score: Vec<f32> = (0..NL).map(|l| em[l] + cost(None, l)).collect();
        let mut back = vec![0usize; n * NL];
        for i in 1..n {
            let mut next = vec![0f32; NL];
            for c in 0..NL {
                let (mut best, mut arg) = (f32::NEG_INFINITY, 0);
                for p in 0..NL {
                    if score[p] + cost(Some(p), c) > best {
                        (best, arg) = (score[p] + cost(Some(p), c), p);
                    }
                }
                next[c] = best + em[i * NL + c];
                back[i * NL + c] = arg;
            }
            score = next;
        }
        let mut last = (0..NL).fold(0, |b, l| if score[l] > score[b] { l } else { b });
        let mut out = vec![last as u8; n];
        for i in (1..n).rev() {
            last = back[i * NL + last];
            out[i - 1] = last as u8;
        }
        out
    }

    #[test]
    fn viterbi_equals_the_search_over_every_transition() {
        // Small integer-valued scores make ties frequent, so tie-breaking is compared too.
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 7) as f32 - 3.0
        };
        let (mut back, mut out) = (Vec::new(), Vec::new());
        for n in [1, 2, 3, 8, 30] {
            for _ in 0..200 {
                let em: Vec<f32> = (0..n * NL).map(|_| next()).collect();
                let mut trans = [[0f32; NL]; NL + 1];
                trans.iter_mut().flatten().for_each(|w| *w = next() / 2.0);
                viterbi(&em, &trans, &mut back, &mut out);
                assert_eq!(out, full_viterbi(&em, &trans), "{em:?}");
            }
        }
    }

    #[test]
    fn first_max_keeps_the_first_of_equal_maxima() {
        let scan = |prev: &[f32], into: &[f32; NL]| {
            let (mut best, mut arg) = (f32::NEG_INFINITY, 0u8);
            for p in 0..NL {
                let s = prev[p] + into[p];
                if s > best {
                    (best, arg) = (s, p as u8);
                }
            }
            arg
        };
        let z = [0f32; NL];
        let inf = [f32::NEG_INFINITY; NL];
        let mut signed = [-1f32; NL];
        (signed[3], signed[5]) = (-0.0, 0.0);
        let mut late = [f32::NEG_INFINITY; NL];
        late[7] = 2.0;
        for (prev, into) in [
            (&z, &z),
            (&inf, &z),
            (&signed, &z),
            (&z, &signed),
            (&late, &z),
        ] {
            assert_eq!(first_max(prev, into), scan(prev, into), "{prev:?} {into:?}");
        }
        assert_eq!(first_max(&signed, &z), 3);
        assert_eq!(first_max(&late, &z), 7);
    }

    #[test]
    fn viterbi_respects_constraints_and_scores() {
        // Token 1 prefers I-PER, token 0 prefers O: the best legal path is B-PER, I-PER or O, O.
        let mut em = vec![0f32; 2 * NL];
        em[O as usize] = 1.0;
        em[EntType::Per.begin() as usize] = 0.5;
        em[NL + EntType::Per.begin() as usize + 1] = 3.0;
        let trans = [[0f32; NL]; NL + 1];
        let (mut back, mut out) = (Vec::new(), Vec::new());
        viterbi(&em, &trans, &mut back, &mut out);
        assert_eq!(out, vec![1, 2]);
    }

    /// Issue #9: every language loaded must fit in 100 MiB; the weights take a small part of it.
    #[test]
    fn embedded_models_keep_only_their_non_zero_rows() {
        let mut total = 0;
        for b in super::super::EMBEDDED {
            let m = Model::from_bytes(b).expect("embedded model");
            let rows = m.table.iter().count();
            assert!(
                rows > 10_000 && rows < 1 << m.bits >> 1,
                "{} {rows}",
                m.lang
            );
            // 18 bytes per non-zero row, and 4 bits per row of the table.
            assert!(
                m.heap_bytes() <= rows * 18 + (1 << m.bits) / 2,
                "{}",
                m.lang
            );
            total += m.heap_bytes();
        }
        assert!(total < 16 << 20, "{total} bytes of weights");
    }

    #[test]
    fn model_round_trips_through_bytes() {
        let bits = 8;
        let mut w = vec![0f32; (1 << bits) * NL];
        w[3 * NL + 2] = 1.5;
        w[200 * NL + 8] = -0.25;
        w[201 * NL] = 0.0001;
        let mut trans = [[0f32; NL]; NL + 1];
        trans[NL][1] = 0.75;
        let m = Model::from_weights("xx", bits, &w, trans, 0.001);
        let back = Model::from_bytes(&m.to_bytes()).expect("round trip");
        assert_eq!(back.lang, "xx");
        assert_eq!(back.table, m.table);
        let present: Vec<usize> = back.table.iter().map(|(r, _)| r).collect();
        assert_eq!(present, vec![3, 200], "tiny weights are pruned");
        assert!(back.table.get(201).is_none() && back.table.get(3).is_some());
        assert_eq!(back.transitions()[NL][1], 0.75);
        let mut out = [0f32; NL];
        back.emit(&[3, 200], &mut out);
        assert!((out[2] - 1.5).abs() < 1e-3 && (out[8] + 0.25).abs() < 1e-3);
        assert!(Model::from_bytes(b"nonsense").is_err());
        let mut bad = m.to_bytes();
        // The last row is a two-byte gap (197), a mask and one weight: a zero gap repeats a row.
        let at = bad.len() - 6;
        bad[at] = 0;
        assert!(Model::from_bytes(&bad).is_err());
        assert!(Model::from_bytes(&m.to_bytes()[..20]).is_err());
    }
}
