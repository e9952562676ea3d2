//! Lines of a JSON Lines input (a history, a batch corpus) read one at a time, without ever
//! holding more than one line, capped, in memory: a corrupt 2 GB "line" costs one error, not the
//! machine's memory. Shared by the history reader and the CLI's `batch`.

use std::io::{self, BufRead};

/// Splits a reader into lines of at most `max_bytes` bytes without ever buffering more.
/// (`BufRead::read_until` would hold an arbitrarily long line before it could be refused.)
pub struct BoundedLines<R> {
    reader: R,
    max_bytes: usize,
    line: Vec<u8>,
}

impl<R: BufRead> BoundedLines<R> {
    pub fn new(reader: R, max_bytes: usize) -> Self {
        Self { reader, max_bytes, line: Vec::new() }
    }

    /// The next line without its `\n` or `\r\n` (`Ok`), or the size of a line over the limit
    /// (`Err`); `None` at the end of the input.
    pub fn next_line(&mut self) -> io::Result<Option<Result<&[u8], u64>>> {
        self.line.clear();
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
            let (piece, consumed, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(at) => (&chunk[..at], at + 1, true),
                None => (chunk, chunk.len(), false),
            };
            total += piece.len() as u64;
            if total <= self.max_bytes as u64 {
                self.line.extend_from_slice(piece);
            } else if !self.line.is_empty() {
                self.line = Vec::new();
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
            return Ok(Some(Err(total)));
        }
        if self.line.last() == Some(&b'\r') {
            self.line.pop();
        }
        Ok(Some(Ok(&self.line)))
    }
}
