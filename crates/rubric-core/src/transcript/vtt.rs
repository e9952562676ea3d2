//! WebVTT captions, and the cue reading SubRip shares. A cue line names its speaker with a
//! `<v Name>` voice tag, a `Name: text` prefix (as meeting tools write them) or `>> Name:` (broadcast
//! captions, where a bare `>>` marks a new, unnamed speaker); lines without one continue the
//! speaker before them in the cue. Consecutive cues of one speaker become one turn.

use super::import::{at_turn_line, lines, parse_clock, unlabelled_speech, ImportOptions};
use super::model::{Role, Transcript, TranscriptParts, Turn};
use super::text::split_label;
use crate::error::{TranscriptError, TranscriptErrorKind};

/// The caption format being read: they differ in the header, comments, the decimal mark and markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavor {
    Vtt,
    Srt,
}

impl Flavor {
    fn timing_example(self) -> &'static str {
        match self {
            Flavor::Vtt => "`00:00:01.000 --> 00:00:04.000`",
            Flavor::Srt => "`00:00:01,000 --> 00:00:04,000`",
        }
    }
}

fn syntax(line: usize, message: impl Into<String>) -> TranscriptError {
    TranscriptError::new(TranscriptErrorKind::Syntax, "", message).at_line(line)
}

/// One cue: where its timing line is, its times and its payload lines.
struct Cue<'a> {
    line: usize,
    start: f64,
    end: f64,
    payload: &'a [&'a str],
}

/// Reads a WebVTT file.
pub fn read_vtt(input: &str, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    read_cues(input, options, Flavor::Vtt)
}

/// Reads a caption file: the cues first, each checked on its own, then their speakers.
pub(super) fn read_cues(input: &str, options: &ImportOptions, flavor: Flavor) -> Result<Transcript, TranscriptError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let lines: Vec<&str> = lines(input).collect();
    let cues = read_timings(&lines, flavor)?;
    let mut turns: Vec<Turn> = Vec::new();
    // The timing line of each turn's first cue, for errors found once the turns are built.
    let mut turn_lines: Vec<usize> = Vec::new();
    // Whether any cue names a speaker: looked at only when a cue does not.
    let mut labelled: Option<bool> = None;
    for cue in &cues {
        let mut pieces: Vec<((String, Role), String)> = Vec::new();
        for (k, raw) in cue.payload.iter().enumerate() {
            let line_number = cue.line + 1 + k;
            let (speaker, text) = match split_speaker(raw, options, flavor) {
                Voice::Named(label, text) => {
                    (Some(options.resolve_label(&label).map_err(|e| e.at_line(line_number))?), text)
                }
                Voice::Unnamed(text) => (None, text),
                Voice::Same(text) => match pieces.last_mut() {
                    Some((_, previous)) => {
                        push_words(previous, &text);
                        continue;
                    }
                    None => (None, text),
                },
            };
            let speaker = match (speaker, options.unlabelled_role) {
                (Some(speaker), _) => speaker,
                (None, Some(role)) => (role.as_str().to_string(), role),
                (None, None) => {
                    let any = *labelled.get_or_insert_with(|| {
                        cues.iter().flat_map(|c| c.payload).any(|l| !matches!(split_speaker(l, options, flavor), Voice::Same(_)))
                    });
                    return Err(if any {
                        syntax(line_number, "the cue has no speaker: expected `<v Name>`, `Name: text` or `>> Name: text`")
                    } else {
                        unlabelled_speech(false).at_line(line_number)
                    });
                }
            };
            pieces.push((speaker, text));
        }
        for ((name, role), text) in pieces {
            match turns.last_mut() {
                Some(last) if last.speaker == name && last.role == role => {
                    push_words(&mut last.text, &text);
                    last.end = Some(last.end.map_or(cue.end, |e| e.max(cue.end)));
                }
                _ => {
                    turns.push(Turn { speaker: name, role, start: Some(cue.start), end: Some(cue.end), text });
                    turn_lines.push(cue.line);
                }
            }
        }
    }
    Transcript::new(TranscriptParts { turns, ..TranscriptParts::default() }, &options.limits)
        .map_err(|error| at_turn_line(error, &turn_lines))
}

/// Appends words to a turn's text, one space between.
fn push_words(text: &mut String, words: &str) {
    if !words.is_empty() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(words);
    }
}

/// Splits the lines after the header into cues and checks each cue's times.
fn read_timings<'a>(lines: &'a [&'a str], flavor: Flavor) -> Result<Vec<Cue<'a>>, TranscriptError> {
    let mut i = 0;
    if flavor == Flavor::Vtt {
        if !lines.first().is_some_and(|l| l.starts_with("WEBVTT")) {
            return Err(syntax(1, "a WebVTT file starts with WEBVTT"));
        }
        i = 1;
    }
    let mut cues = Vec::new();
    let mut previous_start = f64::NEG_INFINITY;
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
        if flavor == Flavor::Vtt && (first.starts_with("NOTE") || first.starts_with("STYLE") || first.starts_with("REGION")) {
            continue;
        }
        // An optional cue identifier (in SubRip, the cue number) precedes the timing line.
        let timing_at = usize::from(!block[0].contains("-->"));
        let Some(timing) = block.get(timing_at).filter(|l| l.contains("-->")) else {
            let message = format!("expected a cue timing line {}", flavor.timing_example());
            return Err(syntax(block_start + timing_at + 1, message));
        };
        let line_number = block_start + timing_at + 1;
        let (start, end) = parse_timing(timing, flavor).ok_or_else(|| {
            syntax(line_number, format!("invalid cue timing `{timing}`: expected {}", flavor.timing_example()))
        })?;
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
        cues.push(Cue { line: line_number, start, end, payload: &block[timing_at + 1..] });
    }
    Ok(cues)
}

/// The start and end of a timing line. SubRip writes a comma before the milliseconds; a point is
/// accepted there too, as many tools write one.
pub(super) fn parse_timing(line: &str, flavor: Flavor) -> Option<(f64, f64)> {
    let (start, rest) = line.split_once("-->")?;
    let end = rest.split_whitespace().next()?;
    let clock = |stamp: &str| match flavor {
        Flavor::Vtt => parse_clock(stamp),
        Flavor::Srt => parse_clock(&stamp.replacen(',', ".", 1)),
    };
    Some((clock(start.trim())?, clock(end)?))
}

/// Who says a cue line.
enum Voice {
    /// A named speaker and the text.
    Named(String, String),
    /// `>>` alone: a new speaker with no name.
    Unnamed(String),
    /// No speaker: the text continues the speaker before it.
    Same(String),
}

fn split_speaker(raw: &str, options: &ImportOptions, flavor: Flavor) -> Voice {
    let trimmed = raw.trim_start();
    if let Some(rest) = trimmed.strip_prefix("<v") {
        if let Some(close) = rest.find('>').filter(|_| rest.starts_with([' ', '\t', '.'])) {
            // `<v.loud Name>`: skip classes after the tag name.
            let inside = rest[..close].trim_start_matches(|c: char| c != ' ' && c != '\t');
            let name = inside.trim();
            if !name.is_empty() {
                return Voice::Named(name.to_string(), clean(&rest[close + 1..], flavor));
            }
        }
    }
    let text = clean(trimmed, flavor);
    let (text, new_speaker) = match text.strip_prefix(">>") {
        Some(rest) => (rest.trim_start().to_string(), true),
        None => (text, false),
    };
    match split_label(&text, options) {
        Some((label, rest)) => Voice::Named(label.to_string(), rest.to_string()),
        None if new_speaker => Voice::Unnamed(text),
        None => Voice::Same(text),
    }
}

/// Removes markup: tags (`<i>`, `<c.red>`, `</v>`) and the entities WebVTT allows; in SubRip, whose
/// text may hold a bare `<` (`i < n`) or `{`, only its own tags (`<i>`, `<b>`, `<u>`, `<s>`,
/// `<font ...>`) and `{\an8}` position codes.
fn clean(payload: &str, flavor: Flavor) -> String {
    let mut out = String::with_capacity(payload.len());
    let mut rest = payload;
    // Once a closing `>` or `}` is not found, none is found later: not looking again keeps this linear.
    let (mut angle, mut brace) = (true, true);
    while let Some(c) = rest.chars().next() {
        let skip = match (c, flavor) {
            ('<', Flavor::Vtt) => Some(rest.find('>').map_or(rest.len(), |close| close + 1)),
            ('<', Flavor::Srt) if angle && is_srt_tag(rest) => rest.find('>').map(|close| close + 1),
            ('{', Flavor::Srt) if brace && rest.starts_with("{\\") => rest.find('}').map(|close| close + 1),
            _ => None,
        };
        if skip.is_none() && c == '<' {
            angle &= flavor == Flavor::Vtt || !is_srt_tag(rest);
        }
        if skip.is_none() && c == '{' {
            brace &= !rest.starts_with("{\\");
        }
        let taken = skip.unwrap_or_else(|| {
            out.push(c);
            c.len_utf8()
        });
        rest = &rest[taken..];
    }
    let out = if flavor == Flavor::Vtt && out.contains('&') {
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&nbsp;", "\u{a0}")
            .replace("&lrm;", "")
            .replace("&rlm;", "")
            .replace("&amp;", "&")
    } else {
        out
    };
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `text` starts with a SubRip tag name (`<i>`, `</b>`, `<font color=...>`).
fn is_srt_tag(text: &str) -> bool {
    let body = text.strip_prefix('<').unwrap_or(text);
    let body = body.strip_prefix('/').unwrap_or(body);
    let name_len = body.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(body.len());
    let name = body[..name_len].to_ascii_lowercase();
    matches!(name.as_str(), "i" | "b" | "u" | "s" | "font") && matches!(body[name_len..].chars().next(), Some('>' | ' '))
}
