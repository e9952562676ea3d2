//! Plain-text transcripts: one turn per `Speaker: text` line, with a timestamp in one of the usual
//! shapes or none: `[00:01:02] Name: text`, `00:01 Name: text`, `Name (00:01:02): text`, or a header
//! line `Name  0:05` (Otter, Zoom) followed by the turn's text lines.

use super::lines::{at_turn_line, lines, parse_clock};
use super::model::{time_problem, Transcript, TranscriptParts, Turn};
use super::options::{unlabelled_speech, ImportOptions};
use super::speakers::{At, Speakers};
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

/// Whether `token` is a clock in the shapes transcripts write: `m:ss`, `mm:ss` or `h:mm:ss`, the
/// last part optionally with `.fff`. Stricter than `parse_clock`, so `3:1` in a sentence is not a time.
fn is_clock(token: &str) -> bool {
    let parts: Vec<&str> = token.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return false;
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (last, rest) = parts.split_last().expect("two or three parts");
    let (seconds, fraction) = last.split_once('.').unwrap_or((last, "0"));
    digits(parts[0])
        && parts[0].len() <= 3
        && rest[1..].iter().chain([&seconds]).all(|p| p.len() == 2 && digits(p))
        && digits(fraction)
        && parse_clock(token).is_some()
}

/// Whether `label` looks like a speaker: a mapped speaker name, a label of the form `Name (role)`,
/// or at most three words that each start with a digit or a letter that is not lower case
/// (capitalised, or from a script without case: 田中, مريم).
pub(super) fn speaker_like(label: &str, options: &ImportOptions) -> bool {
    if label.is_empty() || label.len() > 60 {
        return false;
    }
    if (label.ends_with(')') && label.contains('(')) || options.role_of(label).is_some() {
        return true;
    }
    let words: Vec<&str> = label.split_whitespace().collect();
    words.len() <= 3
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit() || (c.is_alphabetic() && !c.is_lowercase())))
}

/// A `Label:` prefix that looks like a speaker (see [`speaker_like`]), and the text after it. A
/// colon between two digits is part of a clock or a ratio (`00:01 Now`, `3:1`), never the end of a
/// label, so speech with a timestamp but no speaker is never read as speaker `00`.
pub(super) fn split_label<'a>(line: &'a str, options: &ImportOptions) -> Option<(&'a str, &'a str)> {
    let colon = line.find(':')?;
    let bytes = line.as_bytes();
    if colon > 0 && bytes[colon - 1].is_ascii_digit() && bytes.get(colon + 1).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let label = line[..colon].trim();
    let rest = line[colon + 1..].trim_start();
    speaker_like(label, options).then_some((label, rest))
}

/// `00:01 rest`: a clock, then white space or the end of the line.
fn split_bare_clock(line: &str) -> Option<(&str, &str)> {
    let (token, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    is_clock(token).then(|| (token, rest.trim_start()))
}

/// `Name (00:01:02): text`, told apart from `Name (role): text` by the clock inside the brackets.
fn split_label_clock<'a>(line: &'a str, options: &ImportOptions) -> Option<(&'a str, &'a str, &'a str)> {
    let colon = line.find(':')?;
    let open = line[..colon].rfind('(')?;
    let close = open + line[open..].find(')')?;
    let stamp = line[open + 1..close].trim();
    let text = line[close + 1..].trim_start().strip_prefix(':')?;
    let label = line[..open].trim();
    (is_clock(stamp) && speaker_like(label, options)).then(|| (label, stamp, text.trim_start()))
}

/// A header line `Name  0:05` (Otter, Zoom): a speaker, white space and a clock ending the line. One
/// space is enough for a label that names a role or a mapped speaker; otherwise it takes two (or a
/// tab), as those tools write it, so a line of speech such as `Okay 10:30` stays speech.
fn split_header<'a>(line: &'a str, options: &ImportOptions) -> Option<(&'a str, &'a str)> {
    let at = line.rfind(char::is_whitespace)?;
    let stamp = &line[at..].trim_start();
    let label = line[..at].trim_end();
    if !is_clock(stamp) || label.contains(':') || !speaker_like(label, options) {
        return None;
    }
    let gap = &line[label.len()..line.len() - stamp.len()];
    let wide = gap.len() >= 2 || gap.contains('\t');
    (wide || options.known_label(label).is_some()).then_some((label, stamp))
}

/// One line, taken apart.
struct Line<'a> {
    /// The timestamp, as written.
    stamp: Option<&'a str>,
    /// Whether the stamp is a bare clock at the start of the line (`00:01 text`).
    bare: bool,
    label: Option<&'a str>,
    text: &'a str,
}

fn parse_line<'a>(raw: &'a str, options: &ImportOptions) -> Line<'a> {
    let line = raw.trim();
    let labelled = |stamp, bare, rest: &'a str| match split_label(rest, options) {
        Some((label, text)) => Line { stamp, bare, label: Some(label), text },
        None => Line { stamp, bare, label: None, text: rest },
    };
    if let (Some(stamp), rest) = split_timestamp(line) {
        return labelled(Some(stamp), false, rest);
    }
    if let Some((stamp, rest)) = split_bare_clock(line) {
        return labelled(Some(stamp), true, rest);
    }
    if let Some((label, stamp, text)) = split_label_clock(line, options) {
        return Line { stamp: Some(stamp), bare: false, label: Some(label), text };
    }
    if let Some((label, stamp)) = split_header(line, options) {
        return Line { stamp: Some(stamp), bare: false, label: Some(label), text: "" };
    }
    labelled(None, false, line)
}

/// Whether the first non-blank line reads as a speaker line (`Name: text`, possibly after a
/// timestamp): how a text transcript given a `.json` name, or pasted over a JSON example, is told
/// apart from broken JSON.
pub(crate) fn starts_like_text_lines(input: &str) -> bool {
    lines(input)
        .find(|line| !line.trim().is_empty())
        .is_some_and(|line| parse_line(line, &ImportOptions::default()).label.is_some())
}

/// Whether any line of `input` has a speaker label.
fn has_labels(input: &str, options: &ImportOptions) -> bool {
    lines(input).any(|line| parse_line(line, options).label.is_some())
}

/// Adds a line to a turn's text (a header's turn starts with none).
fn append_line(text: &mut String, line: &str) {
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(line);
}

/// Reads a plain-text transcript.
pub fn read_text(input: &str, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    let mut turns: Vec<Turn> = Vec::new();
    let mut speakers = Speakers::new(options);
    // The line each turn starts on, for errors found once the turns are built.
    let mut lines_of: Vec<usize> = Vec::new();
    let mut timed: Option<bool> = None;
    for (index, raw_line) in lines(input).enumerate() {
        let line_number = index + 1;
        let line = parse_line(raw_line, options);
        if line.stamp.is_none() && line.label.is_none() && line.text.is_empty() {
            continue;
        }
        let (name, role, text) = if let Some(label) = line.label {
            let (name, role) = speakers.resolve(label, At::Line(line_number));
            (name, role, line.text)
        } else {
            // Text without a speaker continues the previous turn, unless it has a timestamp of
            // its own in a timed transcript: then it is a turn of unlabelled speech.
            let continues = line.stamp.is_none() || (line.bare && timed == Some(false));
            if let Some(previous) = turns.last_mut().filter(|_| continues) {
                append_line(&mut previous.text, raw_line.trim());
                continue;
            }
            let (name, role) = match options.unlabelled_role {
                Some(role) => (role.as_str().to_string(), role),
                None if has_labels(input, options) => {
                    let message = if line.stamp.is_some() {
                        "expected `Speaker: text` after the timestamp"
                    } else {
                        "expected the first turn as `Speaker: text` (for example `Interviewer: Hello`)"
                    };
                    return Err(TranscriptError::new(TranscriptErrorKind::Syntax, "", message).at_line(line_number));
                }
                None => return Err(unlabelled_speech(false).at_line(line_number)),
            };
            (name, role, line.text)
        };
        let start = match line.stamp {
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
        if let Some(message) = start.and_then(time_problem) {
            return Err(TranscriptError::new(TranscriptErrorKind::InvalidTime, "", message).at_line(line_number));
        }
        if *timed.get_or_insert(start.is_some()) != start.is_some() {
            return Err(TranscriptError::new(
                TranscriptErrorKind::InvalidTime,
                "",
                "timestamps must be on every turn or on none",
            )
            .at_line(line_number));
        }
        turns.push(Turn { speaker: name, role, start, end: start, text: text.trim().to_string() });
        lines_of.push(line_number);
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
                .at_line(lines_of[i]));
            }
            turns[i - 1].end = Some(next_start);
        }
    }
    let inference = speakers.settle(&mut turns)?;
    Transcript::new(TranscriptParts { turns, ..TranscriptParts::default() }, &options.limits)
        .map(|t| t.with_role_inference(inference))
        .map_err(|error| at_turn_line(error, &lines_of))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Role;

    fn options(unlabelled: Option<Role>) -> ImportOptions {
        let mut options = ImportOptions { unlabelled_role: unlabelled, ..ImportOptions::default() };
        options.map_speaker("Dana=interviewer").unwrap();
        options
    }

    fn turns(input: &str) -> Vec<(String, Role, Option<f64>, String)> {
        let transcript = read_text(input, &options(None)).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        transcript.turns().iter().map(|t| (t.speaker.clone(), t.role, t.start, t.text.clone())).collect()
    }

    fn fail(input: &str, unlabelled: Option<Role>) -> TranscriptError {
        read_text(input, &options(unlabelled)).unwrap_err()
    }

    fn turn(speaker: &str, role: Role, start: Option<f64>, text: &str) -> (String, Role, Option<f64>, String) {
        (speaker.to_string(), role, start, text.to_string())
    }

    #[test]
    fn every_timestamp_shape_gives_the_same_turns() {
        let expected = vec![
            turn("Dana", Role::Interviewer, Some(1.0), "Hello there."),
            turn("Candidate", Role::Candidate, Some(62.0), "Hi, one question."),
        ];
        let table = [
            ("brackets", "[00:01] Dana: Hello there.\n[01:02] Candidate: Hi, one question.\n"),
            ("brackets with hours", "[00:00:01] Dana: Hello there.\n[00:01:02] Candidate: Hi, one question."),
            ("bare clock", "00:01 Dana: Hello there.\n01:02 Candidate: Hi, one question."),
            ("bare clock with hours", "0:00:01 Dana: Hello there.\n0:01:02 Candidate: Hi, one question."),
            ("clock after the name", "Dana (00:00:01): Hello there.\nCandidate (01:02): Hi, one question."),
            ("header lines", "Dana  0:01\nHello there.\n\nCandidate  1:02\nHi, one question.\n"),
            ("header with a tab", "Dana\t0:01\nHello there.\nCandidate\t1:02\nHi, one question."),
            ("header, one space, known speakers", "Dana 0:01\nHello there.\nCandidate 1:02\nHi, one question."),
        ];
        for (name, input) in table {
            assert_eq!(turns(input), expected, "{name}");
        }
    }

    #[test]
    fn a_clock_in_brackets_is_not_a_role_and_a_role_is_not_a_clock() {
        assert_eq!(
            turns("Sam (candidate) (00:05): Hi.\nSam (candidate) (00:09): Again."),
            vec![turn("Sam", Role::Candidate, Some(5.0), "Hi."), turn("Sam", Role::Candidate, Some(9.0), "Again.")]
        );
        assert_eq!(turns("Sam (candidate): Hi."), vec![turn("Sam", Role::Candidate, None, "Hi.")]);
        let error = fail("Sam (00:05): Hi.", None);
        assert_eq!((error.kind, error.line), (TranscriptErrorKind::UnmappedSpeaker, Some(1)));
        assert!(error.message.contains("speaker \"Sam\" has no role"), "{error}");
    }

    #[test]
    fn the_documented_shapes_mix_in_one_file() {
        // docs/transcript-format.md, "Plain text".
        let input = "[00:01:02] Dana: In brackets before the speaker.\n00:01:05 Dana: Bare, before the speaker.\n\
                     Dana (00:01:09): In brackets after the name, told apart from `Dana (interviewer):` by the clock.\n\
                     Dana (interviewer) (00:01:12): Both.";
        let starts: Vec<Option<f64>> = turns(input).into_iter().map(|t| t.2).collect();
        assert_eq!(starts, [Some(62.0), Some(65.0), Some(69.0), Some(72.0)]);
    }

    #[test]
    fn a_header_turn_takes_the_lines_after_it() {
        let input = "Dana  0:05\nFirst line.\nSecond line.\n\nCandidate  0:30\nAnswer.";
        assert_eq!(
            turns(input),
            vec![
                turn("Dana", Role::Interviewer, Some(5.0), "First line.\nSecond line."),
                turn("Candidate", Role::Candidate, Some(30.0), "Answer."),
            ]
        );
    }

    #[test]
    fn clocks_inside_speech_stay_speech() {
        // `Okay 10:30` has one space and an unknown label: speech, not a header. `3:1` is no clock.
        let input = "[00:01] Dana: When can we meet?\nOkay 10:30 works.\n3:1 is the ratio.\nIt is 3:1: odd.";
        assert_eq!(
            turns(input),
            vec![turn(
                "Dana",
                Role::Interviewer,
                Some(1.0),
                "When can we meet?\nOkay 10:30 works.\n3:1 is the ratio.\nIt is 3:1: odd."
            )]
        );
        // In an untimed transcript a line starting with a clock and no speaker continues the turn.
        assert_eq!(
            turns("Dana: When?\n10:30 works for me."),
            vec![turn("Dana", Role::Interviewer, None, "When?\n10:30 works for me.")]
        );
        // But with a speaker after it, it is a timestamp, and timing must be on every turn.
        let error = fail("Dana: When?\n10:30 Candidate: Then.", None);
        assert_eq!((error.kind, error.line), (TranscriptErrorKind::InvalidTime, Some(2)));
    }

    #[test]
    fn timestamps_without_speakers_are_never_speaker_00() {
        let input = "00:01 Now there you go\n00:04 and that is all";
        let error = fail(input, None);
        assert_eq!((error.kind, error.line), (TranscriptErrorKind::UnlabelledSpeech, Some(1)));
        assert!(
            error.message.contains("no speaker labels") && error.message.contains("give all of its speech one role"),
            "{error}"
        );
        let transcript = read_text(input, &options(Some(Role::Candidate))).unwrap();
        let read: Vec<_> =
            transcript.turns().iter().map(|t| (t.speaker.as_str(), t.role, t.start, t.end, t.text.as_str())).collect();
        assert_eq!(
            read,
            vec![
                ("candidate", Role::Candidate, Some(1.0), Some(4.0), "Now there you go"),
                ("candidate", Role::Candidate, Some(4.0), Some(4.0), "and that is all"),
            ]
        );
        // Untimed speech with no labels at all: one turn of the unlabelled role.
        let transcript = read_text("hello there\nhow are you", &options(Some(Role::Observer))).unwrap();
        assert_eq!(transcript.turns().len(), 1);
        assert_eq!(
            (transcript.turns()[0].role, transcript.turns()[0].text.as_str()),
            (Role::Observer, "hello there\nhow are you")
        );
        assert_eq!(fail("hello there\nhow are you", None).kind, TranscriptErrorKind::UnlabelledSpeech);
    }

    #[test]
    fn unlabelled_lines_in_a_labelled_transcript_are_syntax_errors_unless_a_role_is_given() {
        let input = "00:01 Dana: Hello.\n00:05 no speaker here";
        let error = fail(input, None);
        assert_eq!((error.kind, error.line), (TranscriptErrorKind::Syntax, Some(2)));
        assert!(error.message.contains("expected `Speaker: text` after the timestamp"), "{error}");
        let transcript = read_text(input, &options(Some(Role::Candidate))).unwrap();
        assert_eq!(transcript.turns()[1].role, Role::Candidate);
        let error = fail("hello\nDana: hi", None);
        assert_eq!((error.kind, error.line), (TranscriptErrorKind::Syntax, Some(1)));
    }

    #[test]
    fn lf_crlf_and_cr_only_line_endings_read_the_same() {
        let lf = "[00:01] Dana: Hello.\n[00:05] Candidate: Hi.\nMore words.\n";
        let expected = turns(lf);
        assert_eq!(expected.len(), 2);
        assert_eq!(turns(&lf.replace('\n', "\r\n")), expected, "CRLF");
        assert_eq!(turns(&lf.replace('\n', "\r")), expected, "CR only");
        // Line numbers count CR-only breaks too.
        let error = fail("Dana: Hello.\rZed Q: hi", None);
        assert_eq!((error.kind, error.line), (TranscriptErrorKind::UnmappedSpeaker, Some(2)));
    }

    #[test]
    fn is_clock_takes_transcript_clocks_only() {
        for clock in ["0:05", "00:05", "1:02:03", "12:34.5", "100:00"] {
            assert!(is_clock(clock), "{clock}");
        }
        for other in ["3:1", "1:2:3:4", "12:345", "a:05", ":05", "05:", "10:30pm", "-0:05", "5", "1:02:3"] {
            assert!(!is_clock(other), "{other}");
        }
    }
}
