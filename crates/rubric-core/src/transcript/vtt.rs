//! WebVTT captions, and the cue reading SubRip shares. A cue line names its speaker with a
//! `<v Name>` voice tag, a `Name: text` prefix (as meeting tools write them) or `>> Name:` (broadcast
//! captions, where a bare `>>` marks a new, unnamed speaker); lines without one continue the
//! speaker before them in the cue. Consecutive cues of one speaker become one turn.

use super::lines::{at_turn_line, lines, parse_clock};
use super::model::{time_problem, Role, Transcript, TranscriptParts, Turn};
use super::options::{unlabelled_speech, ImportOptions};
use super::speakers::{At, Speakers};
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
    let mut speakers = Speakers::new(options);
    // The timing line of each turn's first cue, for errors found once the turns are built.
    let mut turn_lines: Vec<usize> = Vec::new();
    // Whether any cue names a speaker: looked at only when a cue does not.
    let mut labelled: Option<bool> = None;
    for cue in &cues {
        let mut pieces: Vec<((String, Role), String)> = Vec::new();
        for (k, raw) in cue.payload.iter().enumerate() {
            let line_number = cue.line + 1 + k;
            let (speaker, text) = match split_speaker(raw, options, flavor) {
                Voice::Named(label, text) => (Some(speakers.resolve(&label, At::Line(line_number))), text),
                Voice::Unnamed(text) => (None, text),
                // A line that is only markup (`{\an8}`, `<i></i>`) says nothing and names no one.
                Voice::Same(text) if text.is_empty() => continue,
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
                        cues.iter()
                            .flat_map(|c| c.payload)
                            .any(|l| matches!(split_speaker(l, options, flavor), Voice::Named(..)))
                    });
                    return Err(if any {
                        syntax(
                            line_number,
                            "the cue has no speaker: expected `<v Name>`, `Name: text` or `>> Name: text`",
                        )
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
    let inference = speakers.settle(&mut turns)?;
    Transcript::new(TranscriptParts { turns, ..TranscriptParts::default() }, &options.limits)
        .map(|t| t.with_role_inference(inference))
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
        if flavor == Flavor::Vtt
            && (first.starts_with("NOTE") || first.starts_with("STYLE") || first.starts_with("REGION"))
        {
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
        if let Some(message) = time_problem(start).or_else(|| time_problem(end)) {
            return Err(TranscriptError::new(TranscriptErrorKind::InvalidTime, "", message).at_line(line_number));
        }
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
    matches!(name.as_str(), "i" | "b" | "u" | "s" | "font")
        && matches!(body[name_len..].chars().next(), Some('>' | ' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(unlabelled: Option<Role>) -> ImportOptions {
        let mut options = ImportOptions { unlabelled_role: unlabelled, ..ImportOptions::default() };
        options.map_speaker("Dana=interviewer").unwrap();
        options.map_speaker("Sam=candidate").unwrap();
        options
    }

    fn turns(input: &str) -> Vec<(String, f64, f64, String)> {
        let transcript = read_vtt(input, &options(None)).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        transcript
            .turns()
            .iter()
            .map(|t| (t.speaker.clone(), t.start.unwrap(), t.end.unwrap(), t.text.clone()))
            .collect()
    }

    fn turn(speaker: &str, start: f64, end: f64, text: &str) -> (String, f64, f64, String) {
        (speaker.to_string(), start, end, text.to_string())
    }

    const NAMED: &str = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nDana: Hello there.\n\n2\n00:00:03.000 --> 00:00:05.000\nDana: Ready?\n\n3\n00:00:06.000 --> 00:00:08.000\nSam: Yes.\n";

    #[test]
    fn name_prefixes_name_speakers_like_voice_tags() {
        let expected = vec![turn("Dana", 1.0, 5.0, "Hello there. Ready?"), turn("Sam", 6.0, 8.0, "Yes.")];
        assert_eq!(turns(NAMED), expected);
        let voices = NAMED.replace("Dana: ", "<v Dana>").replace("Sam: ", "<v.loud Sam>");
        assert_eq!(turns(&voices), expected);
        let broadcast = NAMED.replace("Dana: ", ">> Dana: ").replace("Sam: ", ">> Sam: ");
        assert_eq!(turns(&broadcast), expected);
    }

    #[test]
    fn a_cue_can_hold_several_speakers_and_lines_continue_the_speaker_before() {
        let input = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Dana>Is it sorted?</v>\n<v Sam>No,\nit is not.\n";
        assert_eq!(
            turns(input),
            vec![turn("Dana", 1.0, 4.0, "Is it sorted?"), turn("Sam", 1.0, 4.0, "No, it is not.")]
        );
        // A colon inside speech is not a speaker (`the ratio is 3:1`, a lower-case `note:`).
        let input = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nSam: the ratio is 3:1\nnote: it holds\n";
        assert_eq!(turns(input), vec![turn("Sam", 1.0, 4.0, "the ratio is 3:1 note: it holds")]);
    }

    #[test]
    fn captions_without_speakers_need_the_unlabelled_role() {
        let input =
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nNow there you go\n\n00:00:02.500 --> 00:00:04.000\n>> and more\n";
        let error = read_vtt(input, &options(None)).unwrap_err();
        assert_eq!((error.kind, error.line), (TranscriptErrorKind::UnlabelledSpeech, Some(4)));
        assert!(error.message.contains("no speaker labels"), "{error}");
        let transcript = read_vtt(input, &options(Some(Role::Candidate))).unwrap();
        assert_eq!(transcript.turns().len(), 1, "one speaker: the cues join");
        let t = &transcript.turns()[0];
        assert_eq!(
            (t.speaker.as_str(), t.role, t.text.as_str()),
            ("candidate", Role::Candidate, "Now there you go and more")
        );
    }

    #[test]
    fn lf_crlf_and_cr_only_line_endings_read_the_same() {
        let expected = turns(NAMED);
        assert_eq!(turns(&NAMED.replace('\n', "\r\n")), expected, "CRLF");
        assert_eq!(turns(&NAMED.replace('\n', "\r")), expected, "CR only");
        let error = read_vtt(&NAMED.replace("00:00:06.000 -->", "00:00:0x -->").replace('\n', "\r"), &options(None))
            .unwrap_err();
        assert_eq!((error.kind, error.line), (TranscriptErrorKind::Syntax, Some(12)));
        assert!(error.message.contains("expected `00:00:01.000 --> 00:00:04.000`"), "{error}");
    }

    #[test]
    fn a_line_of_markup_alone_is_not_unlabelled_speech() {
        let input = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<i></i>\nSam: Yes.\n";
        assert_eq!(turns(input), vec![turn("Sam", 1.0, 2.0, "Yes.")]);
    }

    #[test]
    fn markup_is_removed_and_entities_decoded() {
        assert_eq!(clean("<c.red>a &lt; b</c> &amp; <i>c</i>", Flavor::Vtt), "a < b & c");
        assert_eq!(
            clean("<i>i < n</i> and {1, 2} {\\an8}<font color=\"red\">x</font>", Flavor::Srt),
            "i < n and {1, 2} x"
        );
        assert_eq!(clean("AT&amp;T <b", Flavor::Srt), "AT&amp;T <b", "SubRip has no entities; an unclosed tag is text");
    }
}
