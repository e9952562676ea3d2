//! A range of a turn's text in the three units the languages index strings by, and the one-pass
//! conversion from bytes to the other two.

use serde::{Deserialize, Serialize};

/// Half-open ranges into the original turn text, in three units: UTF-8 bytes (Rust), code points
/// (Python `str` indices) and UTF-16 code units (JavaScript `String.slice`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub bytes: [usize; 2],
    pub chars: [usize; 2],
    pub utf16: [usize; 2],
}

/// Code point and UTF-16 offsets for a set of byte offsets, found in one pass over the text.
pub struct UnitOffsets {
    /// (byte, chars, utf16), sorted by byte.
    table: Vec<(usize, usize, usize)>,
}

impl UnitOffsets {
    pub fn new(text: &str, offsets: impl Iterator<Item = usize>) -> Self {
        let mut wanted: Vec<usize> = offsets.collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut table = Vec::with_capacity(wanted.len());
        let bytes = text.as_bytes();
        let (mut chars, mut utf16, mut byte) = (0usize, 0usize, 0usize);
        for target in wanted {
            // Counted on bytes, not decoded: a character starts at every byte that is not a
            // continuation byte, and takes two UTF-16 units when it takes four bytes. An offset
            // inside a character counts that character, as decoding up to the offset would.
            let stretch = &bytes[byte.min(bytes.len())..target.min(bytes.len())];
            if stretch.is_ascii() {
                chars += stretch.len();
                utf16 += stretch.len();
            } else {
                for &b in stretch {
                    let starts_char = b & 0xC0 != 0x80;
                    chars += usize::from(starts_char);
                    utf16 += usize::from(starts_char) + usize::from(b >= 0xF0);
                }
            }
            byte = byte.max(target);
            table.push((target, chars, utf16));
        }
        Self { table }
    }

    fn lookup(&self, byte: usize) -> (usize, usize) {
        let i = self.table.partition_point(|&(b, _, _)| b < byte);
        let (_, chars, utf16) = self.table[i];
        (chars, utf16)
    }

    /// The span `start..end` (bytes) in all three units.
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span {
            bytes: [start, end],
            chars: [self.chars(start), self.chars(end)],
            utf16: [self.utf16(start), self.utf16(end)],
        }
    }

    fn chars(&self, byte: usize) -> usize {
        self.lookup(byte).0
    }

    fn utf16(&self, byte: usize) -> usize {
        self.lookup(byte).1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_offsets_count_code_points_and_utf16_units() {
        let text = "aé😀b";
        let units = UnitOffsets::new(text, [0, 1, 3, 7, 8].into_iter());
        assert_eq!((units.chars(3), units.utf16(3)), (2, 2));
        assert_eq!((units.chars(7), units.utf16(7)), (3, 4));
        assert_eq!((units.chars(8), units.utf16(8)), (4, 5));
    }

    /// The byte counting agrees with decoding the text, at every offset, on and off character
    /// boundaries, and past the end.
    #[test]
    fn unit_offsets_match_decoding_at_every_offset() {
        let text = "a\u{e9}\u{1F600} b\u{4E2D}x\u{10348}";
        let decoded = |target: usize| {
            let (mut chars, mut utf16, mut byte) = (0, 0, 0);
            for c in text.chars() {
                if byte >= target {
                    break;
                }
                byte += c.len_utf8();
                chars += 1;
                utf16 += c.len_utf16();
            }
            (chars, utf16)
        };
        let offsets: Vec<usize> = (0..=text.len() + 2).collect();
        let units = UnitOffsets::new(text, offsets.iter().copied().rev());
        for &offset in &offsets {
            assert_eq!((units.chars(offset), units.utf16(offset)), decoded(offset), "offset {offset}");
        }
    }
}
