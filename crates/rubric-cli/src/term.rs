//! Everything the command line prints goes through here, so that no write can panic and no
//! transcript can drive the terminal.
//!
//! `print!` panics when standard output is a closed pipe (`rubric score x | head -1`), and
//! `eprintln!` when standard error is. Standard output errors become a [`Failure`] with exit code
//! 3 (the code every other write error has, and `batch` always had); standard error errors are
//! ignored, since there is nowhere left to report them.
//!
//! Transcript text, speaker names and ids are whatever a user or a speech-to-text system wrote,
//! escape sequences included. Text output shows every control character except newline and tab
//! escaped (`\u{1b}`); JSON output escapes the ones JSON allows raw (DEL and C1) as `\u007f`,
//! which reads back as the same string.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

use crate::Failure;

/// The label write errors on standard output carry.
pub const STDOUT: &str = "<stdout>";

/// Writes `text` to standard output as it is (callers pass [`safe_text`] or [`safe_json`] output).
pub fn print(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(|e| Failure::io(Path::new(STDOUT), &e))
}

/// Writes one line of text to standard error, control characters escaped; errors are ignored.
/// `n` and the noun in the number it takes: "1 error", "2 errors".
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn warn(text: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{}", safe_text(text));
    let _ = err.flush();
}

fn unsafe_in_text(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// `text` with every control character but newline and tab shown as `\u{..}`.
pub fn safe_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_in_text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_in_text(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON text with DEL and the C1 controls (which JSON allows unescaped) written as `\u00XX`.
/// serde_json already escapes U+0000 to U+001F, and every other character is left alone, so the
/// result parses to the same value.
pub fn safe_json(json: &str) -> Cow<'_, str> {
    let raw = |c: char| ('\u{7f}'..='\u{9f}').contains(&c);
    if !json.chars().any(raw) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_every_control_character_but_newline_and_tab() {
        let table = [
            ("plain", "plain"),
            ("a\tb\nc", "a\tb\nc"),
            ("\u{1b}[2J\u{1b}]0;owned\u{7}", "\\u{1b}[2J\\u{1b}]0;owned\\u{7}"),
            ("cr\rback\u{8}", "cr\\u{d}back\\u{8}"),
            ("del\u{7f} csi\u{9b}31m", "del\\u{7f} csi\\u{9b}31m"),
            ("Zoë 名前 \u{202e}", "Zoë 名前 \u{202e}"),
        ];
        for (input, expected) in table {
            assert_eq!(safe_text(input), expected, "{input:?}");
        }
    }

    #[test]
    fn json_escapes_del_and_c1_and_still_reads_back_equal() {
        let value = serde_json::json!({"text": "a\u{1b}[31m b\u{7f} c\u{9b}1m Zoë"});
        let json = serde_json::to_string(&value).unwrap();
        let safe = safe_json(&json);
        assert!(!safe.chars().any(char::is_control), "{safe}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&safe).unwrap(), value);
    }
}
