//! The front door for transcripts: pick the format, map speakers to roles, enforce size limits.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use super::model::{Role, Transcript};
use super::{json, srt, stt, text, vtt};
use crate::error::{TranscriptError, TranscriptErrorKind};
use crate::limits::Limits;

/// A transcript input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The native JSON format.
    Json,
    /// `Speaker: text` lines, with timestamps in the usual shapes or none.
    Text,
    /// WebVTT captions.
    Vtt,
    /// SubRip (`.srt`) captions.
    Srt,
    /// Speech-to-text `utterances` JSON (AssemblyAI shape: milliseconds, speaker labels).
    Utterances,
    /// Deepgram pre-recorded JSON with `results.utterances` (seconds, integer speakers).
    Deepgram,
    /// AWS Transcribe JSON: `results.items` with speaker labels.
    Aws,
    /// Whisper or WhisperX JSON: `segments`, speakers optional.
    Whisper,
    /// Rev.ai JSON: `monologues` of `elements`.
    Rev,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Json,
        Format::Text,
        Format::Vtt,
        Format::Srt,
        Format::Utterances,
        Format::Deepgram,
        Format::Aws,
        Format::Whisper,
        Format::Rev,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Text => "text",
            Format::Vtt => "vtt",
            Format::Srt => "srt",
            Format::Utterances => "utterances",
            Format::Deepgram => "deepgram",
            Format::Aws => "aws",
            Format::Whisper => "whisper",
            Format::Rev => "rev",
        }
    }

    /// Guesses the format from the content, using the file name only when the content is plain
    /// text that could be anything. JSON is told apart by its top-level keys (read without
    /// building values), never by a substring that the text of a turn could contain.
    pub fn detect(input: &str, file_name: Option<&str>) -> Format {
        let head = input.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with("WEBVTT") {
            return Format::Vtt;
        }
        if head.starts_with('{') {
            return json::detect(input);
        }
        if srt::looks_like_srt(head) {
            return Format::Srt;
        }
        match file_name.and_then(|n| n.rsplit_once('.')).map(|(_, ext)| ext.to_ascii_lowercase()) {
            Some(ext) if ext == "vtt" => Format::Vtt,
            Some(ext) if ext == "srt" => Format::Srt,
            // A `.json` name on speaker lines is a mislabelled text transcript (or text pasted
            // over a JSON example): the content decides.
            Some(ext) if ext == "json" && !text::starts_like_text_lines(head) => Format::Json,
            _ => Format::Text,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL.into_iter().find(|f| f.as_str().eq_ignore_ascii_case(s.trim())).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
            let (last, rest) = names.split_last().expect("formats exist");
            format!("unknown transcript format \"{s}\"; expected {} or {last}", rest.join(", "))
        })
    }
}

/// How to import a transcript.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The format; detected from the content when `None`.
    pub format: Option<Format>,
    /// Speaker name or label -> role, for speakers the input does not give a role.
    pub speaker_roles: BTreeMap<String, Role>,
    /// The conversation is known to run to its end (see `Transcript::is_complete`); the native
    /// JSON can also say so itself with `"complete": true`.
    pub complete: bool,
    /// The role of speech that carries no speaker label at all (captions, Whisper without
    /// diarization, `00:01 text` lines), read as one speaker of this role. Without it such input
    /// is an `unlabelled_speech` error.
    pub unlabelled_role: Option<Role>,
    /// Infer the roles of a two-person conversation whose speakers have none (see
    /// `speakers::RoleInference` for the rule); the scorecard says what was inferred and why.
    pub infer_roles: bool,
    /// Keep annotations whose quote is not in their turn, marked unverified (they never count),
    /// instead of refusing the transcript with an `unverified_quote` error.
    pub keep_unverified_annotations: bool,
    pub limits: Limits,
}

impl ImportOptions {
    /// Adds a mapping written `NAME=ROLE`.
    pub fn map_speaker(&mut self, mapping: &str) -> Result<(), String> {
        let (name, role) =
            mapping.rsplit_once('=').ok_or_else(|| format!("expected NAME=ROLE, found \"{mapping}\""))?;
        let role = Role::parse(role)
            .ok_or_else(|| format!("unknown role \"{role}\"; expected candidate, interviewer or observer"))?;
        self.speaker_roles.insert(name.trim().to_string(), role);
        Ok(())
    }

    /// The speaker of speech with no label: one speaker named after `unlabelled_role`, or the
    /// `unlabelled_speech` error. `labelled_elsewhere` says whether other speech in the transcript
    /// has labels, which changes what the message advises.
    pub(crate) fn unlabelled_speaker(&self, labelled_elsewhere: bool) -> Result<(String, Role), TranscriptError> {
        match self.unlabelled_role {
            Some(role) => Ok((role.as_str().to_string(), role)),
            None => Err(unlabelled_speech(labelled_elsewhere)),
        }
    }

    pub(crate) fn role_of(&self, speaker: &str) -> Option<Role> {
        self.speaker_roles.get(speaker.trim()).copied()
    }

    /// The name and role a speaker label gives by itself: a mapping, `Name (role)`, or a role word
    /// ("Interviewer", "candidate", "Interviewee"). `None` for a label that needs a mapping.
    pub(crate) fn known_label(&self, label: &str) -> Option<(String, Role)> {
        let label = label.trim();
        if let Some(role) = self.role_of(label) {
            return Some((label.to_string(), role));
        }
        if let Some((name, rest)) = label.rsplit_once('(') {
            if let Some(role) = rest.strip_suffix(')').and_then(Role::parse) {
                return Some((name.trim().to_string(), role));
            }
        }
        Role::parse(label).map(|role| (label.to_string(), role))
    }
}

/// Imports a transcript in any supported format.
pub fn import(input: &str, file_name: Option<&str>, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    if input.len() > options.limits.max_transcript_bytes {
        return Err(TranscriptError::new(
            TranscriptErrorKind::LimitExceeded,
            "",
            format!(
                "the transcript is {} bytes, over the limit of {} bytes (max_transcript_bytes)",
                input.len(),
                options.limits.max_transcript_bytes
            ),
        ));
    }
    // A byte-order mark is an encoding artefact (Windows editors write one), not content: without
    // this, a BOM-prefixed transcript fails in every format and a BOM-only file is not "empty".
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    if input.trim().is_empty() {
        return Err(TranscriptError::new(TranscriptErrorKind::Empty, "", "the transcript is empty"));
    }
    let format = options.format.unwrap_or_else(|| Format::detect(input, file_name));
    let read = match format {
        Format::Json => json::read_native(input, options),
        Format::Utterances => json::read_utterances(input, options),
        Format::Text => text::read_text(input, options),
        Format::Vtt => vtt::read_vtt(input, options),
        Format::Srt => srt::read_srt(input, options),
        Format::Deepgram => stt::read_deepgram(input, options),
        Format::Aws => stt::read_aws(input, options),
        Format::Whisper => stt::read_whisper(input, options),
        Format::Rev => stt::read_rev(input, options),
    };
    let mut transcript = read.map_err(|error| hint_text_lines(error, format, input))?;
    if options.complete {
        transcript.set_complete(true);
    }
    Ok(transcript)
}

/// The end of a JSON syntax error on text lines; bindings recognise it to add how to choose the
/// text format in their own terms.
pub const TEXT_LINES_HINT: &str = "; this looks like text lines (`Speaker: text`), not JSON: read it as text lines";

/// A JSON syntax error on input whose first line reads as `Name: text` says what the input looks
/// like, since the usual cause is a text transcript read as JSON (a forced format, or a `.json`
/// name). No option names here: each binding says how to choose the format in its own terms.
fn hint_text_lines(mut error: TranscriptError, format: Format, input: &str) -> TranscriptError {
    let json = !matches!(format, Format::Text | Format::Vtt | Format::Srt);
    let object = input.trim_start().starts_with('{');
    if json && error.kind == TranscriptErrorKind::Syntax && !object && text::starts_like_text_lines(input) {
        error.message.push_str(TEXT_LINES_HINT);
    }
    error
}

/// Imports raw bytes, reporting invalid UTF-8 with its position instead of replacing it.
pub fn import_bytes(
    input: &[u8],
    file_name: Option<&str>,
    options: &ImportOptions,
) -> Result<Transcript, TranscriptError> {
    let text = std::str::from_utf8(input).map_err(|e| {
        let (line, column) = crate::error::utf8_error_position(input, e.valid_up_to());
        TranscriptError {
            kind: TranscriptErrorKind::Syntax,
            path: String::new(),
            line: Some(line),
            column: Some(column),
            message: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
            speakers: Vec::new(),
        }
    })?;
    import(text, file_name, options)
}

/// The error for speech without a speaker label when no `unlabelled_role` is set.
pub(crate) fn unlabelled_speech(labelled_elsewhere: bool) -> TranscriptError {
    // No option names here: each binding says how to give the role in its own terms.
    let message = if labelled_elsewhere {
        "this speech has no speaker label, though other speech in the transcript has one; label it, \
         or give unlabelled speech a role (candidate, interviewer or observer)"
    } else {
        "the transcript has no speaker labels; give all of its speech one role (candidate, interviewer \
         or observer) to read it as one speaker"
    };
    TranscriptError::new(TranscriptErrorKind::UnlabelledSpeech, "", message)
}

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
    fn each_format_is_detected_and_none_is_taken_for_another() {
        let table: &[(&str, &str, Option<&str>, Format)] = &[
            ("native", r#"{"turns": [{"role": "candidate", "text": "hi"}]}"#, None, Format::Json),
            // Words of another format inside a turn's text, or native segments, change nothing.
            (
                "native quoting other formats",
                r#"{"turns": [{"role": "candidate", "text": "\"utterances\" \"monologues\" \"results\""}], "segments": []}"#,
                None,
                Format::Json,
            ),
            (
                "native with every key",
                r#"{"utterances": [], "monologues": [], "results": {"items": []}, "turns": []}"#,
                None,
                Format::Json,
            ),
            (
                "utterances",
                r#"{"id": "x", "utterances": [{"speaker": "A", "start": 0, "end": 1, "text": "hi"}]}"#,
                None,
                Format::Utterances,
            ),
            ("deepgram", r#"{"metadata": {}, "results": {"channels": [], "utterances": []}}"#, None, Format::Deepgram),
            (
                "deepgram without utterances",
                r#"{"results": {"channels": [{"alternatives": []}]}}"#,
                None,
                Format::Deepgram,
            ),
            ("aws", r#"{"jobName": "j", "results": {"transcripts": [], "items": []}}"#, None, Format::Aws),
            ("aws speaker labels only", r#"{"results": {"speaker_labels": {"segments": []}}}"#, None, Format::Aws),
            (
                "whisper",
                r#"{"text": " hi", "segments": [{"start": 0, "end": 1, "text": " hi"}], "language": "en"}"#,
                None,
                Format::Whisper,
            ),
            ("rev", r#"{"monologues": [{"speaker": 0, "elements": []}]}"#, None, Format::Rev),
            ("unknown JSON reads as native", r#"{"words": []}"#, None, Format::Json),
            ("broken JSON reads as native", r#"{"monologues": [}"#, Some("x.json"), Format::Json),
            ("results of another shape", r#"{"results": 3}"#, None, Format::Json),
            ("vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>hi", Some("x.txt"), Format::Vtt),
            ("srt", "1\n00:00:01,000 --> 00:00:02,000\nA: hi\n", Some("x.txt"), Format::Srt),
            ("srt, CR only", "\r\n1\r00:00:01,000 --> 00:00:02,000\rA: hi\r", None, Format::Srt),
            ("srt by extension", "A: hi", Some("talk.SRT"), Format::Srt),
            ("vtt by extension", "A: hi", Some("talk.vtt"), Format::Vtt),
            ("text", "[00:01] Dana: hi", Some("talk.srt.txt"), Format::Text),
            ("text with bare clocks", "00:00:01 Dana: 1 --> 2", None, Format::Text),
            ("text with a number first", "1\nDana: hi", None, Format::Text),
            ("otter header", "Dana  0:01\nhi", None, Format::Text),
            // Pasted over a JSON example, or a text file given a .json name: the content decides.
            ("speaker lines named .json", "Interviewer: hi\nMe: hello", Some("strong.json"), Format::Text),
            ("not JSON, not speaker lines, named .json", "hello there", Some("x.json"), Format::Json),
            ("a JSON array named .json", "[1, 2]", Some("x.json"), Format::Json),
            ("timestamped speaker lines named .json", "[00:01] Dana: hi", Some("x.json"), Format::Text),
        ];
        for (name, input, file, expected) in table {
            assert_eq!(Format::detect(input, *file), *expected, "{name}");
        }
    }

    #[test]
    fn text_lines_read_as_json_say_what_they_look_like() {
        let forced = |format| ImportOptions { format: Some(format), ..ImportOptions::default() };
        let hint = "this looks like text lines (`Speaker: text`), not JSON";
        for format in [Format::Json, Format::Deepgram, Format::Whisper] {
            let error = import("Interviewer: Hello\nMe: Hi", None, &forced(format)).unwrap_err();
            assert_eq!((error.kind, error.line, error.column), (TranscriptErrorKind::Syntax, Some(1), Some(1)));
            assert!(error.message.contains(hint), "{format}: {}", error.message);
        }
        let broken_json = import("{\"turns\": [", None, &forced(Format::Json)).unwrap_err();
        assert!(!broken_json.message.contains(hint), "{}", broken_json.message);
        let prose = import("hello there", Some("x.json"), &ImportOptions::default()).unwrap_err();
        assert!(!prose.message.contains(hint), "{}", prose.message);
        let pasted = import("Interviewer: Hello\nCandidate: Hi", Some("strong.json"), &ImportOptions::default());
        assert_eq!(pasted.unwrap().turns().len(), 2, "a .json name does not force JSON on speaker lines");
    }

    #[test]
    fn format_names_round_trip_and_the_error_lists_them_all() {
        for format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>(), Ok(format));
            assert_eq!(format.as_str().to_uppercase().parse::<Format>(), Ok(format));
        }
        assert_eq!(
            "docx".parse::<Format>().unwrap_err(),
            "unknown transcript format \"docx\"; expected json, text, vtt, srt, utterances, deepgram, aws, whisper or rev"
        );
    }

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

    #[test]
    fn json_speaker_labels_and_unlabelled_speech_resolve_through_the_options() {
        let input = r#"{"segments": [{"start": 0, "end": 1, "text": "hi", "speaker": "interviewer"}, {"start": 1, "end": 2, "text": "yo"}]}"#;
        let error = import(input, None, &ImportOptions::default()).unwrap_err();
        assert_eq!((error.kind, error.path.as_str()), (TranscriptErrorKind::UnlabelledSpeech, "segments[1].speaker"));
        let options = ImportOptions { unlabelled_role: Some(Role::Candidate), ..ImportOptions::default() };
        let roles: Vec<Role> = import(input, None, &options).unwrap().turns().iter().map(|t| t.role).collect();
        assert_eq!(roles, [Role::Interviewer, Role::Candidate]);
    }
}
