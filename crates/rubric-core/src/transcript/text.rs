//! Plain-text transcripts: `[mm:ss] Speaker: text` lines, timestamps optional.

use super::import::{parse_clock, ImportOptions};
use super::model::{Transcript, TranscriptParts, Turn};
use crate::error::{TranscriptError, TranscriptErrorKind};

/// Splits a line into an optional `[timestamp]` and the rest.
fn split_timestamp(line: &str) -> (Option<&str>, &str) {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix('[') {
        if let Some(close) = rest.find(']') {
            let stamp = &rest[..close];
            if stamp.chars().all(|c| c.is_ascii_digit() || c == ':' || c == '.') && stamp.contains(':') {
                return (Some(stamp), rest[close + 1..].trim_start());
            }
        }
    }
    (None, trimmed)
}

/// A `Label:` prefix that looks like a speaker: at most three words, each capitalised, or a label
/// of the form `Name (role)`.
fn split_label(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let label = line[..colon].trim();
    let rest = line[colon + 1..].trim_start();
    if label.is_empty() || label.len() > 60 {
        return None;
    }
    if label.ends_with(')') && label.contains('(') {
        return Some((label, rest));
    }
    let words: Vec<&str> = label.split_whitespace().collect();
    let speaker_like = words.len() <= 3
        && words.iter().all(|w| w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()));
    speaker_like.then_some((label, rest))
}

/// Reads a plain-text transcript.
pub fn read_text(input: &str, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    let mut turns: Vec<Turn> = Vec::new();
    let mut timed: Option<bool> = None;
    for (index, raw_line) in input.lines().enumerate() {
        let line_number = index + 1;
        let (stamp, line) = split_timestamp(raw_line);
        if line.trim().is_empty() && stamp.is_none() {
            continue;
        }
        let Some((label, text)) = split_label(line) else {
            if stamp.is_some() {
                return Err(TranscriptError::new(
                    TranscriptErrorKind::Syntax,
                    "",
                    "expected `Speaker: text` after the timestamp",
                )
                .at_line(line_number));
            }
            let Some(previous) = turns.last_mut() else {
                return Err(TranscriptError::new(
                    TranscriptErrorKind::Syntax,
                    "",
                    "expected the first turn as `Speaker: text` (for example `Interviewer: Hello`)",
                )
                .at_line(line_number));
            };
            previous.text.push('\n');
            previous.text.push_str(line.trim());
            continue;
        };
        let (name, role) = options.resolve_label(label).map_err(|e| e.at_line(line_number))?;
        let start = match stamp {
            Some(stamp) => Some(parse_clock(stamp).ok_or_else(|| {
                TranscriptError::new(TranscriptErrorKind::InvalidTime, "", format!("invalid timestamp [{stamp}]"))
                    .at_line(line_number)
            })?),
            None => None,
        };
        if *timed.get_or_insert(start.is_some()) != start.is_some() {
            return Err(TranscriptError::new(
                TranscriptErrorKind::InvalidTime,
                "",
                "timestamps must be on every turn or on none",
            )
            .at_line(line_number));
        }
        turns.push(Turn { speaker: name, role, start, end: start, text: text.trim().to_string() });
    }
    // A turn ends where the next one starts.
    for i in 1..turns.len() {
        if let (Some(next_start), Some(start)) = (turns[i].start, turns[i - 1].start) {
            if next_start < start {
                return Err(TranscriptError::new(
                    TranscriptErrorKind::Order,
                    format!("turns[{i}]"),
                    format!("timestamp {next_start}s is before the previous turn's {start}s"),
                ));
            }
            turns[i - 1].end = Some(next_start);
        }
    }
    Transcript::new(TranscriptParts { turns, ..TranscriptParts::default() }, &options.limits)
}
