//! Reads JSON Lines one line at a time without ever holding more than one line (capped) in memory.
//!
//! `BufRead::read_until` would buffer an arbitrarily long line before we could refuse it; a batch
//! file with a corrupt 2 GB "line" must cost one error record, not the machine's memory.

use std::io::{self, BufRead};

/// One line of input (without its `\n` or `\r\n`), or the size of a line that was too long.
pub enum Line {
    Text(Vec<u8>),
    /// The line had more than the allowed bytes; it was skipped up to its newline.
    TooLong {
        bytes: u64,
    },
}

/// Splits a reader into lines of at most `max_bytes` bytes each (the core's reader, which the
/// history uses too), handing each line over as owned bytes for the scoring threads.
pub struct BoundedLines<R> {
    inner: rubric_core::bounded_lines::BoundedLines<R>,
}

impl<R: BufRead> BoundedLines<R> {
    pub fn new(reader: R, max_bytes: usize) -> Self {
        Self { inner: rubric_core::bounded_lines::BoundedLines::new(reader, max_bytes) }
    }

    /// The next line, or `None` at the end of the input.
    pub fn next_line(&mut self) -> io::Result<Option<Line>> {
        Ok(self.inner.next_line()?.map(|line| match line {
            Ok(bytes) => Line::Text(bytes.to_vec()),
            Err(bytes) => Line::TooLong { bytes },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], cap: usize) -> Vec<Result<String, u64>> {
        // A tiny buffer so lines straddle many `fill_buf` chunks.
        let mut reader = BoundedLines::new(io::BufReader::with_capacity(3, input), cap);
        let mut out = Vec::new();
        while let Some(line) = reader.next_line().unwrap() {
            out.push(match line {
                Line::Text(bytes) => Ok(String::from_utf8(bytes).unwrap()),
                Line::TooLong { bytes } => Err(bytes),
            });
        }
        out
    }

    #[test]
    fn splits_on_newlines_and_strips_carriage_returns() {
        assert_eq!(
            lines(b"ab\r\ncd\n\nef", 10),
            [Ok("ab".into()), Ok("cd".into()), Ok(String::new()), Ok("ef".into())]
        );
    }

    #[test]
    fn a_trailing_newline_does_not_make_an_extra_line() {
        assert_eq!(lines(b"ab\n", 10), [Ok("ab".to_string())]);
        assert!(lines(b"", 10).is_empty());
    }

    #[test]
    fn overlong_lines_are_reported_with_their_size_and_skipped() {
        assert_eq!(lines(b"abcdefgh\nok\nxyz", 4), [Err(8), Ok("ok".into()), Ok("xyz".into())]);
    }
}
