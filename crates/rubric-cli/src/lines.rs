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

/// Splits a reader into lines of at most `max_bytes` bytes each.
pub struct BoundedLines<R> {
    reader: R,
    max_bytes: usize,
}

impl<R: BufRead> BoundedLines<R> {
    pub fn new(reader: R, max_bytes: usize) -> Self {
        Self { reader, max_bytes }
    }

    /// The next line, or `None` at the end of the input.
    pub fn next_line(&mut self) -> io::Result<Option<Line>> {
        let mut line = Vec::new();
        let mut total: u64 = 0;
        let mut saw_any = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break;
            }
            saw_any = true;
            let (piece, consumed, done) = match memchr_newline(chunk) {
                Some(at) => (&chunk[..at], at + 1, true),
                None => (chunk, chunk.len(), false),
            };
            total += piece.len() as u64;
            if total <= self.max_bytes as u64 {
                line.extend_from_slice(piece);
            } else if !line.is_empty() {
                // Over the cap: stop keeping bytes, but keep counting to report the size.
                line = Vec::new();
            }
            self.reader.consume(consumed);
            if done {
                break;
            }
        }
        if !saw_any {
            return Ok(None);
        }
        if total > self.max_bytes as u64 {
            return Ok(Some(Line::TooLong { bytes: total }));
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Ok(Some(Line::Text(line)))
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
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
