//! WebVTT captions with `<v Speaker>` voice tags (or `Speaker: text` payloads, as some meeting
//! tools write them). Consecutive cues of one speaker become one turn.

use super::import::{at_turn_line, parse_clock, ImportOptions};
use super::model::{Transcript, TranscriptParts, Turn};
use crate::error::{TranscriptError, TranscriptErrorKind};

fn syntax(line: usize, message: impl Into<String>) -> TranscriptError {
    TranscriptError::new(TranscriptErrorKind::Syntax, "", message).at_line(line)
}

/// Reads a WebVTT file.
pub fn read_vtt(input: &str, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let lines: Vec<&str> = input.lines().collect();
    if !lines.first().is_some_and(|l| l.starts_with("WEBVTT")) {
        return Err(syntax(1, "a WebVTT file starts with WEBVTT"));
    }
    let mut turns: Vec<Turn> = Vec::new();
    // The timing line of each turn's first cue, for errors found once the turns are built.
    let mut turn_lines: Vec<usize> = Vec::new();
    let mut previous_start = f64::NEG_INFINITY;
    let mut i = 1;
    while i < lines.len() {
        // Skip blank lines, then read one block up to the next blank line.
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let block_start = i;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        let block = &lines[block_start..i];
        let first = block[0].trim_start();
        if first.starts_with("NOTE") || first.starts_with("STYLE") || first.starts_with("REGION") {
            continue;
        }
        // An optional cue identifier precedes the timing line.
        let timing_at = usize::from(!block[0].contains("-->"));
        let Some(timing) = block.get(timing_at).filter(|l| l.contains("-->")) else {
            return Err(syntax(block_start + 1, "expected a cue timing line `00:00:01.000 --> 00:00:04.000`"));
        };
        let line_number = block_start + timing_at + 1;
        let (start, end) =
            parse_timing(timing).ok_or_else(|| syntax(line_number, format!("invalid cue timing `{timing}`")))?;
        // Checked per cue, before cues of one speaker are joined: a joined turn keeps only its
        // first start and its latest end, which would hide a backwards or out-of-order cue.
        if end < start {
            let message = format!("the cue ends ({end}s) before it starts ({start}s)");
            return Err(TranscriptError::new(TranscriptErrorKind::InvalidTime, "", message).at_line(line_number));
        }
        if start < previous_start {
            let message = format!(
                "cues must be in time order: this cue starts at {start}s, before the previous cue's {previous_start}s"
            );
            return Err(TranscriptError::new(TranscriptErrorKind::Order, "", message).at_line(line_number));
        }
        previous_start = start;
        let payload = block[timing_at + 1..].join(" ");
        let (label, text) = split_voice(&payload)
            .ok_or_else(|| syntax(line_number + 1, "the cue has no speaker: expected `<v Name>` or `Name: text`"))?;
        let (name, role) = options.resolve_label(&label).map_err(|e| e.at_line(line_number + 1))?;
        let text = clean_payload(&text);
        match turns.last_mut() {
            Some(last) if last.speaker == name && last.role == role => {
                if !text.is_empty() {
                    if !last.text.is_empty() {
                        last.text.push(' ');
                    }
                    last.text.push_str(&text);
                }
                last.end = Some(last.end.map_or(end, |e| e.max(end)));
            }
            _ => {
                turns.push(Turn { speaker: name, role, start: Some(start), end: Some(end), text });
                turn_lines.push(line_number);
            }
        }
    }
    Transcript::new(TranscriptParts { turns, ..TranscriptParts::default() }, &options.limits)
        .map_err(|error| at_turn_line(error, &turn_lines))
}

fn parse_timing(line: &str) -> Option<(f64, f64)> {
    let (start, rest) = line.split_once("-->")?;
    let end = rest.split_whitespace().next()?;
    Some((parse_clock(start.trim())?, parse_clock(end)?))
}

/// The speaker label and the text of a cue payload.
fn split_voice(payload: &str) -> Option<(String, String)> {
    let trimmed = payload.trim_start();
    if let Some(rest) = trimmed.strip_prefix("<v") {
        let close = rest.find('>')?;
        // `<v.loud Name>`: skip classes after the tag name.
        let inside = rest[..close].trim_start_matches(|c: char| c != ' ' && c != '\t');
        let name = inside.trim().to_string();
        if name.is_empty() {
            return None;
        }
        return Some((name, rest[close + 1..].to_string()));
    }
    let (label, text) = trimmed.split_once(':')?;
    let label = label.trim();
    (!label.is_empty() && label.len() <= 60 && !label.contains('<')).then(|| (label.to_string(), text.to_string()))
}

/// Removes markup tags and decodes the entities WebVTT allows.
fn clean_payload(payload: &str) -> String {
    let mut out = String::with_capacity(payload.len());
    let mut in_tag = false;
    for c in payload.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&lrm;", "")
        .replace("&rlm;", "")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
