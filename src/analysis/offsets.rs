//! Conversion of byte offsets to the encoding a client slices its strings with.
//!
//! All offsets of a result are converted together: they are sorted once, then the text is walked once
//! from the start, so the cost is linear in the text plus `n log n` in the number of offsets, never one
//! scan of the text per span.

/// How offsets are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OffsetEncoding {
    /// UTF-8 bytes (Rust, Go, C).
    #[default]
    Utf8,
    /// UTF-16 code units (Java, JavaScript, C#).
    Utf16,
    /// Unicode code points (Python).
    CodePoint,
}

/// Converts byte offsets into `text` (each on a char boundary) to `encoding`, in place.
pub fn convert_offsets(text: &str, encoding: OffsetEncoding, offsets: &mut [&mut usize]) {
    if encoding == OffsetEncoding::Utf8 || offsets.is_empty() {
        return;
    }
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_unstable_by_key(|&i| *offsets[i]);
    let mut byte = 0usize;
    let mut units = 0usize;
    let mut chars = text.chars();
    for i in order {
        let target = *offsets[i];
        while byte < target {
            let Some(c) = chars.next() else { break };
            byte += c.len_utf8();
            units += match encoding {
                OffsetEncoding::Utf16 => c.len_utf16(),
                _ => 1,
            };
        }
        *offsets[i] = units;
    }
}

/// Converts an offset in `encoding` back to a byte offset, `None` when it is out of range or not on a
/// character boundary. Used by tests and clients' checks.
pub fn to_byte_offset(text: &str, encoding: OffsetEncoding, offset: usize) -> Option<usize> {
    let mut units = 0usize;
    for (b, c) in text.char_indices() {
        if units == offset {
            return Some(b);
        }
        if units > offset {
            return None;
        }
        units += match encoding {
            OffsetEncoding::Utf8 => c.len_utf8(),
            OffsetEncoding::Utf16 => c.len_utf16(),
            OffsetEncoding::CodePoint => 1,
        };
    }
    (units == offset).then_some(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_in_every_encoding() {
        let text = "é😀a";
        // bytes: é=2, 😀=4, a=1 -> boundaries 0,2,6,7
        for (enc, want) in [
            (OffsetEncoding::Utf8, [0, 2, 6, 7]),
            (OffsetEncoding::Utf16, [0, 1, 3, 4]),
            (OffsetEncoding::CodePoint, [0, 1, 2, 3]),
        ] {
            let mut v = [7usize, 0, 6, 2];
            {
                let mut refs: Vec<&mut usize> = v.iter_mut().collect();
                convert_offsets(text, enc, &mut refs);
            }
            assert_eq!(v, [want[3], want[0], want[2], want[1]], "{enc:?}");
            for (b, u) in [0, 2, 6, 7].iter().zip(want) {
                assert_eq!(to_byte_offset(text, enc, u), Some(*b));
            }
        }
        assert_eq!(to_byte_offset(text, OffsetEncoding::Utf8, 1), None);
        assert_eq!(to_byte_offset(text, OffsetEncoding::CodePoint, 4), None);
    }
}
