//! Reading line-based formats (text, WebVTT, SubRip): lines whatever their ending, clock stamps,
//! and errors placed on the line a turn starts on.

use crate::error::TranscriptError;

/// The lines of `input`, ending at `\n`, `\r\n` or a lone `\r` (old Mac files): `str::lines`
/// knows only the first two, and would read a CR-only transcript as one line.
pub(crate) fn lines(input: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(input);
    std::iter::from_fn(move || {
        let text = rest?;
        if let Some(at) = text.find(['\r', '\n']) {
            let after = if text[at..].starts_with("\r\n") { at + 2 } else { at + 1 };
            rest = (after < text.len()).then(|| &text[after..]);
            Some(&text[..at])
        } else {
            rest = None;
            (!text.is_empty()).then_some(text)
        }
    })
}

/// Gives an error about `turns[N]...` found after a text or WebVTT file was read the line turn N
/// starts on (`lines[N]`), since those formats have lines, not paths, to point at.
pub(crate) fn at_turn_line(error: TranscriptError, lines: &[usize]) -> TranscriptError {
    let turn = error.path.strip_prefix("turns[").and_then(|rest| rest.split(']').next()?.parse::<usize>().ok());
    match turn.and_then(|n| lines.get(n)) {
        Some(&line) if error.line.is_none() => error.at_line(line),
        _ => error,
    }
}

/// Parses `ss`, `mm:ss` or `hh:mm:ss`, each with optional `.fff`, into seconds.
pub(crate) fn parse_clock(stamp: &str) -> Option<f64> {
    let parts: Vec<&str> = stamp.trim().split(':').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut seconds = 0.0;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let valid = !part.is_empty() && part.chars().all(|c| c.is_ascii_digit() || (last && c == '.'));
        if !valid {
            return None;
        }
        let value: f64 = part.parse().ok()?;
        seconds = seconds * 60.0 + value;
    }
    seconds.is_finite().then_some(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_at_lf_crlf_or_a_lone_cr() {
        fn split(s: &str) -> Vec<&str> {
            lines(s).collect()
        }
        assert_eq!(split("a\nb\r\nc\rd"), ["a", "b", "c", "d"]);
        assert_eq!(split("a\n"), ["a"]);
        assert_eq!(split("a\r\r\nb\n\n"), ["a", "", "b", ""]);
        assert_eq!(split("\r"), [""]);
        assert!(split("").is_empty());
        // The same as `str::lines` wherever that knows the line ends.
        for text in ["a\n\nb\r\n", "\n", "x", "x\r\ny\r\n\r\n"] {
            assert_eq!(split(text), text.lines().collect::<Vec<_>>(), "{text:?}");
        }
    }
}
