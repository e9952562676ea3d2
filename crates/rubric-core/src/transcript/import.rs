//! The front door for transcripts: tell the format, and hand the input to its reader.

use super::model::Transcript;
use super::options::{Format, ImportOptions};
use super::{json, srt, stt, text, vtt};
use crate::error::{TranscriptError, TranscriptErrorKind};

impl Format {
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
        TranscriptError::new(TranscriptErrorKind::Syntax, "", format!("invalid UTF-8 at byte {}", e.valid_up_to()))
            .at(Some(line), Some(column))
    })?;
    import(text, file_name, options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Role;

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
        let error = "docx".parse::<Format>().unwrap_err();
        assert_eq!(error.kind, crate::OptionsErrorKind::UnknownFormat);
        assert_eq!(
            error.to_string(),
            "unknown transcript format \"docx\"; expected json, text, vtt, srt, utterances, deepgram, aws, whisper or rev"
        );
        assert_eq!("vttt".parse::<Format>().unwrap_err().suggestion.as_deref(), Some("vtt"));
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
