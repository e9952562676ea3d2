//! Plain-text transcripts: `[mm:ss] Speaker: text` lines, timestamps optional.

use super::import::{at_turn_line, parse_clock, ImportOptions};
use super::model::{Transcript, TranscriptParts, Turn};
use crate::error::{TranscriptError, TranscriptErrorKind};

/// Splits a line into an optional `[timestamp]` and the rest. Anything bracketed that looks like a
/// clock, signs included, is taken as a timestamp, so `[-00:05]` is refused as an invalid time
/// instead of being read as text that continues the previous turn.
fn split_timestamp(line: &str) -> (Option<&str>, &str) {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix('[') {
        if let Some(close) = rest.find(']') {
            let stamp = &rest[..close];
            let clock_like = stamp.chars().all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '-' | '+' | ','));
            if clock_like && stamp.contains(':') && stamp.contains(|c: char| c.is_ascii_digit()) {
                return (Some(stamp), rest[close + 1..].trim_start());
            }
        }
    }
    (None, trimmed)
}

/// A `Label:` prefix that looks like a speaker: a mapped speaker name, a label of the form
/// `Name (role)`, or at most three words that each start with a digit or a letter that is not lower
/// case (capitalised, or from a script without case: 田中, مريم).
fn split_label<'a>(line: &'a str, options: &ImportOptions) -> Option<(&'a str, &'a str)> {
    let colon = line.find(':')?;
    let label = line[..colon].trim();
    let rest = line[colon + 1..].trim_start();
    if label.is_empty() || label.len() > 60 {
        return None;
    }
    if (label.ends_with(')') && label.contains('(')) || options.role_of(label).is_some() {
        return Some((label, rest));
    }
    let words: Vec<&str> = label.split_whitespace().collect();
    let speaker_like = words.len() <= 3
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit() || (c.is_alphabetic() && !c.is_lowercase())));
    speaker_like.then_some((label, rest))
}

/// Reads a plain-text transcript.
pub fn read_text(input: &str, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    let mut turns: Vec<Turn> = Vec::new();
    // The line each turn starts on, for errors found once the turns are built.
    let mut lines: Vec<usize> = Vec::new();
    let mut timed: Option<bool> = None;
    for (index, raw_line) in input.lines().enumerate() {
        let line_number = index + 1;
        let (stamp, line) = split_timestamp(raw_line);
        if line.trim().is_empty() && stamp.is_none() {
            continue;
        }
        let Some((label, text)) = split_label(line, options) else {
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
                TranscriptError::new(
                    TranscriptErrorKind::InvalidTime,
                    "",
                    format!("invalid timestamp [{stamp}]: expected [mm:ss] or [hh:mm:ss], never negative"),
                )
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
        lines.push(line_number);
    }
    // A turn ends where the next one starts.
    for i in 1..turns.len() {
        if let (Some(next_start), Some(start)) = (turns[i].start, turns[i - 1].start) {
            if next_start < start {
                return Err(TranscriptError::new(
                    TranscriptErrorKind::Order,
                    format!("turns[{i}]"),
                    format!("timestamp {next_start}s is before the previous turn's {start}s"),
                )
                .at_line(lines[i]));
            }
            turns[i - 1].end = Some(next_start);
        }
    }
    Transcript::new(TranscriptParts { turns, ..TranscriptParts::default() }, &options.limits)
        .map_err(|error| at_turn_line(error, &lines))
}
