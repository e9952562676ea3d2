//! The native JSON transcript format, the speech-to-text `utterances` format, the JSON helpers the
//! other speech-to-text formats share (`stt.rs`), and telling the JSON formats apart.

use std::collections::BTreeMap;

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::annotation::Annotation;
use super::located_json::{deserialize_from, located, parse, PathError};
use super::model::{Event, Role, Segment, Transcript, TranscriptParts, Turn};
use super::options::{Format, ImportOptions};
use super::speakers::{At, Speakers};
use crate::error::{TranscriptError, TranscriptErrorKind};

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct NativeTranscript {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    roles: BTreeMap<String, Role>,
    turns: Vec<NativeTurn>,
    #[serde(default)]
    events: Vec<Event>,
    #[serde(default)]
    segments: Vec<Segment>,
    #[serde(default)]
    complete: bool,
    #[serde(default)]
    annotations: Vec<Annotation>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct NativeTurn {
    #[serde(default)]
    speaker: Option<String>,
    #[serde(default)]
    role: Option<Role>,
    #[serde(default)]
    start: Option<f64>,
    #[serde(default)]
    end: Option<f64>,
    text: String,
}

/// Reads the native JSON format.
pub fn read_native(input: &str, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    let native: NativeTranscript = parse(input)?;
    // Where each annotation was written, for errors found once a rubric is at hand (a behavior it
    // does not have); one more pass over the text, only when there are annotations.
    let at = if native.annotations.is_empty() {
        Vec::new()
    } else {
        crate::util::json_position::locate_elements(input, "annotations")
    };
    build_native(native, options, &at).map_err(|error| located(error, input))
}

/// A transcript in the native format read from a binding's own values (a Python dict) through
/// any serde deserializer, without JSON text: [`NativeDocument::deserialize_from`], then
/// [`import_native`]. Errors say where by path alone.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct NativeDocument(NativeTranscript);

impl NativeDocument {
    /// Reads the document, as `serde_json` would read the same value written as JSON text.
    pub fn deserialize_from<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, PathError<D::Error>> {
        deserialize_from(deserializer)
    }

    /// The bytes of its turns' texts and speakers: what `max_transcript_bytes` bounds for a
    /// document that has no JSON text.
    pub fn text_bytes(&self) -> usize {
        self.0.turns.iter().map(|t| t.text.len() + t.speaker.as_ref().map_or(0, String::len)).sum()
    }
}

/// Imports a [`NativeDocument`] as [`import`](super::import) imports the same document as JSON
/// text (`options.format` aside: the document is native), with `max_transcript_bytes` applied to
/// its [`text_bytes`](NativeDocument::text_bytes).
pub fn import_native(document: NativeDocument, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    let bytes = document.text_bytes();
    if bytes > options.limits.max_transcript_bytes {
        return Err(TranscriptError::new(
            TranscriptErrorKind::LimitExceeded,
            "",
            format!(
                "the transcript's text is {bytes} bytes, over the limit of {} bytes (max_transcript_bytes)",
                options.limits.max_transcript_bytes
            ),
        ));
    }
    let mut transcript = build_native(document.0, options, &[])?;
    if options.complete {
        transcript.set_complete(true);
    }
    Ok(transcript)
}

/// Resolves the speakers of a parsed native transcript and checks it; `at` is where each
/// annotation was written, when known.
fn build_native(
    native: NativeTranscript,
    options: &ImportOptions,
    at: &[(usize, usize)],
) -> Result<Transcript, TranscriptError> {
    let mut turns = Vec::with_capacity(native.turns.len());
    let mut speakers = Speakers::new(options);
    for (i, turn) in native.turns.into_iter().enumerate() {
        let speaker = turn.speaker.filter(|s| !s.trim().is_empty());
        // The turn's own role, then the user's mapping, then the document's `roles`, then what the
        // label says by itself (a role word, `Name (role)`); a speaker left over is settled below.
        let (speaker, role) = match (turn.role, speaker) {
            (Some(role), speaker) => (speaker, role),
            (None, Some(name)) => {
                if let Some(role) = options.role_of(&name).or_else(|| native.roles.get(&name).copied()) {
                    (Some(name), role)
                } else {
                    let (name, role) = speakers.resolve(&name, At::Path(format!("turns[{i}]")));
                    (Some(name), role)
                }
            }
            (None, None) => {
                let message = "a turn needs a \"role\" (candidate, interviewer or observer), or a \"speaker\"";
                return Err(TranscriptError::new(TranscriptErrorKind::UnmappedSpeaker, format!("turns[{i}]"), message));
            }
        };
        turns.push(Turn {
            speaker: speaker.unwrap_or_else(|| role.as_str().to_string()),
            role,
            start: turn.start,
            end: turn.end,
            text: turn.text,
        });
    }
    let inference = speakers.settle(&mut turns)?;
    Transcript::checked(
        TranscriptParts {
            id: native.id,
            title: native.title,
            turns,
            events: native.events,
            segments: native.segments,
            complete: native.complete,
            annotations: native.annotations,
        },
        &options.limits,
        at,
        options.keep_unverified_annotations,
    )
    .map(|t| t.with_role_inference(inference))
}

/// The top-level keys that tell the JSON formats apart, read without building any value (serde_json
/// skips ignored values without recursion).
#[derive(Deserialize)]
struct Probe {
    turns: Option<IgnoredAny>,
    utterances: Option<IgnoredAny>,
    monologues: Option<IgnoredAny>,
    segments: Option<IgnoredAny>,
    results: Option<ResultsProbe>,
}

#[derive(Deserialize)]
struct ResultsProbe {
    utterances: Option<IgnoredAny>,
    channels: Option<IgnoredAny>,
    items: Option<IgnoredAny>,
    transcripts: Option<IgnoredAny>,
    speaker_labels: Option<IgnoredAny>,
}

/// Which JSON format `input` is, by its keys: `turns` is native (whatever else it has), `monologues`
/// Rev.ai, `utterances` the utterances format, `results.utterances` or `results.channels` Deepgram,
/// `results.items`, `results.transcripts` or `results.speaker_labels` AWS Transcribe, and
/// `segments` without `turns` Whisper. Anything else, including JSON that does not parse, is read
/// as native JSON, whose errors then say what is wrong.
pub(super) fn detect(input: &str) -> Format {
    let Ok(probe) = serde_json::from_str::<Probe>(input) else { return Format::Json };
    let results = probe.results.as_ref();
    if probe.turns.is_some() {
        Format::Json
    } else if probe.monologues.is_some() {
        Format::Rev
    } else if probe.utterances.is_some() {
        Format::Utterances
    } else if results.is_some_and(|r| r.utterances.is_some() || r.channels.is_some()) {
        Format::Deepgram
    } else if results.is_some_and(|r| r.items.is_some() || r.transcripts.is_some() || r.speaker_labels.is_some()) {
        Format::Aws
    } else if probe.segments.is_some() {
        Format::Whisper
    } else {
        Format::Json
    }
}

#[derive(Deserialize)]
struct Utterances {
    utterances: Vec<Utterance>,
    #[serde(default)]
    id: Option<String>,
}

#[derive(Deserialize)]
struct Utterance {
    speaker: String,
    /// Milliseconds.
    start: f64,
    /// Milliseconds.
    end: f64,
    text: String,
}

/// Reads speech-to-text `utterances` JSON (times in milliseconds, speakers as labels).
pub fn read_utterances(input: &str, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    let parsed: Utterances = parse(input)?;
    let mut turns = Vec::with_capacity(parsed.utterances.len());
    let mut speakers = Speakers::new(options);
    for (i, utterance) in parsed.utterances.into_iter().enumerate() {
        let (speaker, role) = speakers.resolve(&utterance.speaker, At::Path(format!("utterances[{i}].speaker")));
        turns.push(Turn {
            speaker,
            role,
            start: Some(utterance.start / 1000.0),
            end: Some(utterance.end / 1000.0),
            text: utterance.text,
        });
    }
    let inference = speakers.settle(&mut turns).map_err(|error| located(error, input))?;
    Transcript::new(TranscriptParts { id: parsed.id, turns, ..TranscriptParts::default() }, &options.limits)
        .map(|t| t.with_role_inference(inference))
        .map_err(|e| located(TranscriptError { path: e.path.replace("turns[", "utterances["), ..e }, input))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn native(input: &str) -> Result<Transcript, TranscriptError> {
        read_native(input, &ImportOptions::default())
    }

    #[test]
    fn text_after_the_json_value_is_a_syntax_error() {
        let error = native("{\"turns\": [{\"role\": \"candidate\", \"text\": \"hi\"}]}\n trailing").unwrap_err();
        assert_eq!((error.kind, error.line, error.column), (TranscriptErrorKind::Syntax, Some(2), Some(2)));
        assert!(error.message.contains("trailing characters"), "{error}");
        assert!(native("{\"turns\": [{\"role\": \"candidate\", \"text\": \"hi\"}]}\n\n").is_ok(), "whitespace is fine");
    }

    /// What a binding does with a dict: the same document through another deserializer (here
    /// serde_json's `Value`, which has no text positions).
    fn from_value(text: &str, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        NativeDocument::deserialize_from(value)
            .map_err(PathError::into_transcript_error)
            .and_then(|document| import_native(document, options))
    }

    #[test]
    fn a_document_from_another_deserializer_imports_as_its_json_text() {
        let options = ImportOptions { complete: true, ..ImportOptions::default() };
        for name in ["coding-round/strong.json", "annotated/coding-round-weak.json", "coding-round/weak.json"] {
            let path = format!("{}/../../fixtures/transcripts/{name}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap();
            let by_text = crate::transcript::import(&text, None, &options).unwrap();
            let by_value = from_value(&text, &options).unwrap();
            assert!(by_value.is_complete(), "{name}");
            assert_eq!(serde_json::to_string(&by_value).unwrap(), serde_json::to_string(&by_text).unwrap(), "{name}");
        }
    }

    #[test]
    fn a_document_error_says_what_its_json_text_says_by_path_alone() {
        let options = ImportOptions::default();
        for text in [
            r#"{"turns": [{"role": "host", "text": "Hello"}]}"#,
            r#"{"turns": [{"role": "candidate", "txt": "Hello"}]}"#,
            r#"{"turns": [{"role": "candidate", "text": 5}]}"#,
            r#"{"turns": [{"role": "candidate", "start": 5, "end": 2, "text": "x"}]}"#,
            r#"{"turns": []}"#,
            r#"{"turns": [{"text": "x"}]}"#,
            r#"{"turns": [{"role": "candidate", "text": "x"}], "complete": "yes"}"#,
            r#"{"title": "no turns"}"#,
        ] {
            let by_text = crate::transcript::import(text, None, &options).unwrap_err();
            let by_value = from_value(text, &options).unwrap_err();
            assert_eq!(
                (by_value.kind, &by_value.path, &by_value.message, &by_value.suggestion),
                (by_text.kind, &by_text.path, &by_text.message, &by_text.suggestion),
                "{text}"
            );
            assert_eq!((by_value.line, by_value.column), (None, None), "{text}");
        }
    }

    #[test]
    fn a_document_is_bounded_by_the_bytes_of_its_text() {
        let text = r#"{"turns": [{"speaker": "Ann", "role": "candidate", "text": "twelve bytes"}]}"#;
        let mut options = ImportOptions::default();
        options.limits.max_transcript_bytes = 14;
        let error = from_value(text, &options).unwrap_err();
        assert_eq!(error.kind, TranscriptErrorKind::LimitExceeded);
        assert_eq!(
            error.message,
            "the transcript's text is 15 bytes, over the limit of 14 bytes (max_transcript_bytes)"
        );
        options.limits.max_transcript_bytes = 15;
        assert!(from_value(text, &options).is_ok());
    }

    #[test]
    fn a_newline_inside_a_string_is_located_at_the_end_of_its_line() {
        // serde_json says column 0 of the next line; found by the import_json fuzz target.
        let error = native("{\"turns\": [\n{\"text\": \"open\n\"}]}").unwrap_err();
        assert_eq!((error.kind, error.line, error.column), (TranscriptErrorKind::Syntax, Some(2), Some(15)));
    }
}
