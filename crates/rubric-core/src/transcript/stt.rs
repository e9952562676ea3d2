//! Speech-to-text service output, read from each service's documented JSON: Deepgram
//! (`results.utterances`), AWS Transcribe (`results.items`), Whisper and WhisperX (`segments`) and
//! Rev.ai (`monologues`). Speaker labels (`0`, `spk_0`, `SPEAKER_00`) resolve like any label: a
//! mapping, `Name (role)` or a role name; speech without one takes `unlabelled_role`. Fields not read
//! here are skipped. Every time is checked where it is written, before words or segments of one
//! speaker are joined into a turn, so errors point at the element (`results.items[3].start_time`).

use std::collections::HashMap;
use std::fmt;

use serde::de::{Deserializer, Visitor};
use serde::Deserialize;

use super::located_json::{located, parse};
use super::model::{time_problem, Role, Transcript, TranscriptParts, Turn};
use super::options::ImportOptions;
use super::speakers::{At, Speakers};
use crate::error::{TranscriptError, TranscriptErrorKind};

/// A speaker label as the services write it: a string (`spk_0`, `SPEAKER_00`) or a whole number (`0`).
struct Label(String);

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LabelVisitor;
        impl Visitor<'_> for LabelVisitor {
            type Value = Label;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a speaker label (a string or a whole number)")
            }
            fn visit_str<E>(self, value: &str) -> Result<Label, E> {
                Ok(Label(value.to_string()))
            }
            fn visit_u64<E>(self, value: u64) -> Result<Label, E> {
                Ok(Label(value.to_string()))
            }
            fn visit_i64<E>(self, value: i64) -> Result<Label, E> {
                Ok(Label(value.to_string()))
            }
        }
        deserializer.deserialize_any(LabelVisitor)
    }
}

impl Label {
    fn get(label: Option<&Label>) -> Option<&str> {
        label.map(|l| l.0.trim()).filter(|l| !l.is_empty())
    }
}

/// Builds turns from the elements of a speech-to-text document, checking each element's times.
struct Builder<'a> {
    input: &'a str,
    options: &'a ImportOptions,
    /// The path of the document's list of speech (`results.utterances`), for errors about all turns.
    root: &'static str,
    turns: Vec<Turn>,
    /// The path of each turn's first element, for errors found once the turns are built.
    paths: Vec<String>,
    previous_start: f64,
    speakers: Speakers<'a>,
}

impl<'a> Builder<'a> {
    fn new(input: &'a str, options: &'a ImportOptions, root: &'static str) -> Self {
        Self {
            input,
            options,
            root,
            turns: Vec::new(),
            paths: Vec::new(),
            previous_start: f64::NEG_INFINITY,
            speakers: Speakers::new(options),
        }
    }

    fn error(&self, kind: TranscriptErrorKind, path: String, message: impl Into<String>) -> TranscriptError {
        located(TranscriptError::new(kind, path, message), self.input)
    }

    /// Checks the times of the element at `at`: finite, `>= 0`, at most `MAX_TIME_SECONDS`, the end
    /// not before the start, and starts in order.
    fn check_times(&mut self, start: f64, end: f64, at: &str, fields: (&str, &str)) -> Result<(), TranscriptError> {
        for (value, field) in [(start, fields.0), (end, fields.1)] {
            if let Some(message) = time_problem(value) {
                return Err(self.error(TranscriptErrorKind::InvalidTime, format!("{at}.{field}"), message));
            }
        }
        if end < start {
            let message = format!("end ({end}) is before start ({start})");
            return Err(self.error(TranscriptErrorKind::InvalidTime, format!("{at}.{}", fields.1), message));
        }
        if start < self.previous_start {
            let message = format!(
                "speech must be in time order: start {start} is before the previous start {}",
                self.previous_start
            );
            return Err(self.error(TranscriptErrorKind::Order, format!("{at}.{}", fields.0), message));
        }
        self.previous_start = start;
        Ok(())
    }

    /// The speaker of a label, or of speech without one (`labelled` says whether other speech has one).
    fn speaker(
        &mut self,
        label: Option<&str>,
        path: String,
        labelled: bool,
    ) -> Result<(String, Role), TranscriptError> {
        match label {
            Some(label) => Ok(self.speakers.resolve(label, At::Path(path))),
            None => self
                .options
                .unlabelled_speaker(labelled)
                .map_err(|error| located(TranscriptError { path, ..error }, self.input)),
        }
    }

    /// Adds speech as a turn, or, when `join`, to the last turn if it has the same speaker.
    fn push(&mut self, (speaker, role): (String, Role), times: (f64, f64), text: &str, path: String, join: bool) {
        if let Some(last) = self.turns.last_mut().filter(|t| join && t.speaker == speaker && t.role == role) {
            if !text.is_empty() {
                if !last.text.is_empty() {
                    last.text.push(' ');
                }
                last.text.push_str(text);
            }
            last.end = Some(last.end.map_or(times.1, |e| e.max(times.1)));
            return;
        }
        self.turns.push(Turn { speaker, role, start: Some(times.0), end: Some(times.1), text: text.to_string() });
        self.paths.push(path);
    }

    /// Validates the turns; `id` is the document's own identifier, copied into the scorecard.
    fn finish(self, id: Option<String>) -> Result<Transcript, TranscriptError> {
        let Builder { input, options, root, mut turns, paths, speakers, .. } = self;
        let id = id.filter(|id| !id.trim().is_empty());
        let inference = speakers.settle(&mut turns).map_err(|error| located(error, input))?;
        let transcript = Transcript::new(TranscriptParts { id, turns, ..TranscriptParts::default() }, &options.limits);
        transcript.map(|t| t.with_role_inference(inference)).map_err(|error| {
            let turn = error.path.strip_prefix("turns[").and_then(|r| r.split(']').next()?.parse::<usize>().ok());
            let path = match turn.and_then(|n| paths.get(n)) {
                Some(path) => path.clone(),
                None if error.path == "turns" => root.to_string(),
                None => error.path.clone(),
            };
            located(TranscriptError { path, ..error }, input)
        })
    }
}

#[derive(Deserialize)]
struct Deepgram {
    #[serde(default)]
    metadata: Option<DeepgramMetadata>,
    results: DeepgramResults,
}

#[derive(Deserialize)]
struct DeepgramMetadata {
    #[serde(default)]
    request_id: Option<String>,
}

#[derive(Deserialize)]
struct DeepgramResults {
    utterances: Option<Vec<DeepgramUtterance>>,
}

#[derive(Deserialize)]
struct DeepgramUtterance {
    start: f64,
    end: f64,
    transcript: String,
    #[serde(default)]
    speaker: Option<Label>,
}

/// Reads Deepgram pre-recorded output requested with `utterances=true`: one turn per utterance,
/// times in seconds, integer speakers (with `diarize=true`).
pub fn read_deepgram(input: &str, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    let parsed: Deepgram = parse(input)?;
    let Some(utterances) = parsed.results.utterances else {
        let message = "Deepgram output without `utterances`: request the transcript with utterances=true \
                       (and diarize=true for speaker labels)";
        return Err(located(TranscriptError::new(TranscriptErrorKind::Schema, "results", message), input));
    };
    let labelled = utterances.iter().any(|u| Label::get(u.speaker.as_ref()).is_some());
    let mut builder = Builder::new(input, options, "results.utterances");
    for (i, utterance) in utterances.iter().enumerate() {
        let at = format!("results.utterances[{i}]");
        builder.check_times(utterance.start, utterance.end, &at, ("start", "end"))?;
        let speaker = builder.speaker(Label::get(utterance.speaker.as_ref()), format!("{at}.speaker"), labelled)?;
        builder.push(speaker, (utterance.start, utterance.end), utterance.transcript.trim(), at, false);
    }
    builder.finish(parsed.metadata.and_then(|m| m.request_id))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Aws {
    #[serde(default)]
    job_name: Option<String>,
    results: AwsResults,
}

#[derive(Deserialize)]
struct AwsResults {
    #[serde(default)]
    items: Vec<AwsItem>,
    #[serde(default)]
    speaker_labels: Option<AwsSpeakerLabels>,
}

#[derive(Deserialize)]
struct AwsItem {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    start_time: Option<String>,
    #[serde(default)]
    end_time: Option<String>,
    #[serde(default)]
    alternatives: Vec<AwsAlternative>,
    #[serde(default)]
    speaker_label: Option<String>,
}

#[derive(Deserialize)]
struct AwsAlternative {
    content: String,
}

#[derive(Deserialize)]
struct AwsSpeakerLabels {
    #[serde(default)]
    segments: Vec<AwsSegment>,
}

#[derive(Deserialize)]
struct AwsSegment {
    speaker_label: String,
    #[serde(default)]
    items: Vec<AwsSegmentItem>,
}

#[derive(Deserialize)]
struct AwsSegmentItem {
    start_time: String,
    #[serde(default)]
    speaker_label: Option<String>,
}

/// Reads AWS Transcribe output with speaker labels: consecutive words of one speaker make a turn,
/// punctuation joins the word before it without a space. A word's speaker is its own
/// `speaker_label` (newer output) or that of the `speaker_labels.segments` item with its start time.
pub fn read_aws(input: &str, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    let parsed: Aws = parse(input)?;
    let results = &parsed.results;
    let by_start: HashMap<&str, &str> = results
        .speaker_labels
        .iter()
        .flat_map(|labels| &labels.segments)
        .flat_map(|segment| {
            segment
                .items
                .iter()
                .map(|item| (item.start_time.as_str(), item.speaker_label.as_deref().unwrap_or(&segment.speaker_label)))
        })
        .collect();
    let label_of = |item| aws_label(item, &by_start);
    let labelled = results.items.iter().any(|item| item.kind == "pronunciation" && label_of(item).is_some());
    let mut builder = Builder::new(input, options, "results.items");
    // Punctuation before the first word waits for it.
    let mut pending = String::new();
    for (i, item) in results.items.iter().enumerate() {
        let at = format!("results.items[{i}]");
        let Some(content) = item.alternatives.first().map(|a| a.content.as_str()) else {
            let message = "expected at least one alternative with the item's `content`";
            return Err(builder.error(TranscriptErrorKind::Schema, format!("{at}.alternatives"), message));
        };
        match item.kind.as_str() {
            "punctuation" => match builder.turns.last_mut() {
                Some(turn) => turn.text.push_str(content),
                None => pending.push_str(content),
            },
            "pronunciation" => {
                let start = seconds(&builder, item.start_time.as_deref(), &at, "start_time")?;
                let end = seconds(&builder, item.end_time.as_deref(), &at, "end_time")?;
                builder.check_times(start, end, &at, ("start_time", "end_time"))?;
                let speaker = builder.speaker(label_of(item), format!("{at}.speaker_label"), labelled)?;
                pending.push_str(content);
                builder.push(speaker, (start, end), &pending, at, true);
                pending.clear();
            }
            other => {
                let message = format!("unknown item type \"{other}\": expected pronunciation or punctuation");
                return Err(builder.error(TranscriptErrorKind::Schema, format!("{at}.type"), message));
            }
        }
    }
    builder.finish(parsed.job_name.clone())
}

/// A word's speaker label: its own, or that of the segment item with its start time.
fn aws_label<'a>(item: &'a AwsItem, by_start: &HashMap<&'a str, &'a str>) -> Option<&'a str> {
    item.speaker_label
        .as_deref()
        .or_else(|| item.start_time.as_deref().and_then(|t| by_start.get(t).copied()))
        .map(str::trim)
        .filter(|l| !l.is_empty())
}

/// A time AWS writes as a string of seconds (`"1.25"`).
fn seconds(builder: &Builder<'_>, value: Option<&str>, at: &str, field: &str) -> Result<f64, TranscriptError> {
    let path = format!("{at}.{field}");
    let Some(value) = value else {
        let message = format!("a pronunciation item needs `{field}`, a string of seconds such as \"1.25\"");
        return Err(builder.error(TranscriptErrorKind::Schema, path, message));
    };
    value.trim().parse::<f64>().map_err(|_| {
        let message = format!("expected a string of seconds such as \"1.25\", found \"{value}\"");
        builder.error(TranscriptErrorKind::InvalidTime, path, message)
    })
}

#[derive(Deserialize)]
struct Whisper {
    segments: Vec<WhisperSegment>,
}

#[derive(Deserialize)]
struct WhisperSegment {
    start: f64,
    end: f64,
    text: String,
    #[serde(default)]
    speaker: Option<Label>,
}

/// Reads Whisper or WhisperX output: segments in seconds, `speaker` (WhisperX) optional;
/// consecutive segments of one speaker make a turn, as in WebVTT.
pub fn read_whisper(input: &str, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    let parsed: Whisper = parse(input)?;
    let labelled = parsed.segments.iter().any(|s| Label::get(s.speaker.as_ref()).is_some());
    let mut builder = Builder::new(input, options, "segments");
    for (i, segment) in parsed.segments.iter().enumerate() {
        let at = format!("segments[{i}]");
        builder.check_times(segment.start, segment.end, &at, ("start", "end"))?;
        let speaker = builder.speaker(Label::get(segment.speaker.as_ref()), format!("{at}.speaker"), labelled)?;
        builder.push(speaker, (segment.start, segment.end), segment.text.trim(), at, true);
    }
    builder.finish(None)
}

#[derive(Deserialize)]
struct Rev {
    monologues: Vec<RevMonologue>,
}

#[derive(Deserialize)]
struct RevMonologue {
    #[serde(default)]
    speaker: Option<Label>,
    #[serde(default)]
    speaker_name: Option<String>,
    #[serde(default)]
    elements: Vec<RevElement>,
}

fn rev_label(monologue: &RevMonologue) -> Option<&str> {
    let name = monologue.speaker_name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    name.or_else(|| Label::get(monologue.speaker.as_ref()))
}

#[derive(Deserialize)]
struct RevElement {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    ts: Option<f64>,
    #[serde(default)]
    end_ts: Option<f64>,
}

/// Reads Rev.ai output: one turn per monologue, its text the values of its `text` and `punct`
/// elements (punctuation carries its own spaces), its times those of its first and last `text`
/// element. The speaker is `speaker_name` when given, else the `speaker` number.
pub fn read_rev(input: &str, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    let parsed: Rev = parse(input)?;
    let label_of = rev_label;
    let labelled = parsed.monologues.iter().any(|m| label_of(m).is_some());
    let mut builder = Builder::new(input, options, "monologues");
    for (i, monologue) in parsed.monologues.iter().enumerate() {
        let at = format!("monologues[{i}]");
        let mut text = String::new();
        let mut times: Option<(f64, f64)> = None;
        for (j, element) in monologue.elements.iter().enumerate() {
            match element.kind.as_str() {
                "text" => {
                    let path = format!("{at}.elements[{j}]");
                    let (Some(ts), Some(end_ts)) = (element.ts, element.end_ts) else {
                        let field = if element.ts.is_none() { "ts" } else { "end_ts" };
                        let message = "a text element needs `ts` and `end_ts`, in seconds";
                        return Err(builder.error(TranscriptErrorKind::Schema, format!("{path}.{field}"), message));
                    };
                    builder.check_times(ts, end_ts, &path, ("ts", "end_ts"))?;
                    times = Some((times.map_or(ts, |t| t.0), end_ts));
                    text.push_str(&element.value);
                }
                "punct" => text.push_str(&element.value),
                // `unknown` marks speech that could not be made out: it has no words.
                _ => {}
            }
        }
        let Some(times) = times else {
            if text.trim().is_empty() {
                continue;
            }
            let message = "the monologue has text but no `text` element with times";
            return Err(builder.error(TranscriptErrorKind::Schema, format!("{at}.elements"), message));
        };
        let speaker = builder.speaker(label_of(monologue), format!("{at}.speaker"), labelled)?;
        builder.push(speaker, times, text.trim(), at, false);
    }
    builder.finish(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(maps: &[&str], unlabelled: Option<Role>) -> ImportOptions {
        let mut options = ImportOptions { unlabelled_role: unlabelled, ..ImportOptions::default() };
        for mapping in maps {
            options.map_speaker(mapping).unwrap();
        }
        options
    }

    fn turns(transcript: &Transcript) -> Vec<(&str, Role, f64, f64, &str)> {
        transcript
            .turns()
            .iter()
            .map(|t| (t.speaker.as_str(), t.role, t.start.unwrap(), t.end.unwrap(), t.text.as_str()))
            .collect()
    }

    /// Checks an error's kind, path, line and a part of its message.
    #[track_caller]
    fn check(error: &TranscriptError, kind: TranscriptErrorKind, path: &str, line: usize, message: &str) {
        assert_eq!((error.kind, error.path.as_str(), error.line), (kind, path, Some(line)), "{error}");
        assert!(error.column.is_some(), "{error}");
        assert!(error.message.contains(message), "{error} lacks {message:?}");
    }

    const DEEPGRAM: &str = r#"{"metadata": {"request_id": "req-1"}, "results": {"channels": [], "utterances": [
        {"start": 0.5, "end": 2.0, "confidence": 0.9, "channel": 0, "transcript": "Is it sorted?", "speaker": 0, "words": []},
        {"start": 2.5, "end": 4.0, "confidence": 0.9, "channel": 0, "transcript": "No.", "speaker": 1, "words": []}
    ]}}"#;

    #[test]
    fn deepgram_utterances_are_turns() {
        let transcript = read_deepgram(DEEPGRAM, &options(&["0=interviewer", "1=candidate"], None)).unwrap();
        assert_eq!(transcript.id(), Some("req-1"));
        assert_eq!(
            turns(&transcript),
            vec![("0", Role::Interviewer, 0.5, 2.0, "Is it sorted?"), ("1", Role::Candidate, 2.5, 4.0, "No.")]
        );
    }

    #[test]
    fn deepgram_errors_are_located() {
        let mapped = options(&["0=interviewer", "1=candidate"], None);
        let error = read_deepgram(DEEPGRAM, &options(&["0=interviewer"], None)).unwrap_err();
        check(
            &error,
            TranscriptErrorKind::UnmappedSpeaker,
            "results.utterances[1].speaker",
            3,
            "speaker \"1\" has no role",
        );
        let error = read_deepgram(&DEEPGRAM.replace("\"start\": 2.5", "\"start\": -2.5"), &mapped).unwrap_err();
        check(&error, TranscriptErrorKind::InvalidTime, "results.utterances[1].start", 3, ">= 0");
        let error = read_deepgram(&DEEPGRAM.replace("\"start\": 2.5", "\"start\": 0.1"), &mapped).unwrap_err();
        check(&error, TranscriptErrorKind::Order, "results.utterances[1].start", 3, "time order");
        let error = read_deepgram(&DEEPGRAM.replace("\"end\": 2.0", "\"end\": \"2\""), &mapped).unwrap_err();
        check(&error, TranscriptErrorKind::Schema, "results.utterances[0].end", 2, "expected f64");
        let error = read_deepgram(r#"{"results": {"channels": []}}"#, &mapped).unwrap_err();
        check(&error, TranscriptErrorKind::Schema, "results", 1, "utterances=true");
    }

    #[test]
    fn deepgram_without_diarization_is_unlabelled_speech() {
        let input = DEEPGRAM.replace(", \"speaker\": 0", "").replace(", \"speaker\": 1", "");
        let error = read_deepgram(&input, &options(&[], None)).unwrap_err();
        check(&error, TranscriptErrorKind::UnlabelledSpeech, "results.utterances[0].speaker", 2, "no speaker labels");
        let transcript = read_deepgram(&input, &options(&[], Some(Role::Candidate))).unwrap();
        assert!(transcript.turns().iter().all(|t| t.role == Role::Candidate && t.speaker == "candidate"));
        // Only one unlabelled: the message says others have labels.
        let input = DEEPGRAM.replace(", \"speaker\": 1", "");
        let error = read_deepgram(&input, &options(&["0=interviewer"], None)).unwrap_err();
        check(&error, TranscriptErrorKind::UnlabelledSpeech, "results.utterances[1].speaker", 3, "other speech");
    }

    const AWS: &str = r#"{"jobName": "job-7", "results": {"transcripts": [{"transcript": "Is it sorted? No, it is not."}], "items": [
        {"id": 0, "start_time": "0.5", "end_time": "0.7", "speaker_label": "spk_0", "alternatives": [{"confidence": "0.9", "content": "Is"}], "type": "pronunciation"},
        {"id": 1, "start_time": "0.7", "end_time": "0.8", "speaker_label": "spk_0", "alternatives": [{"confidence": "0.9", "content": "it"}], "type": "pronunciation"},
        {"id": 2, "start_time": "0.8", "end_time": "1.2", "speaker_label": "spk_0", "alternatives": [{"confidence": "0.9", "content": "sorted"}], "type": "pronunciation"},
        {"id": 3, "alternatives": [{"confidence": "0.0", "content": "?"}], "type": "punctuation"},
        {"id": 4, "start_time": "2.0", "end_time": "2.2", "speaker_label": "spk_1", "alternatives": [{"confidence": "0.9", "content": "No"}], "type": "pronunciation"},
        {"id": 5, "alternatives": [{"confidence": "0.0", "content": ","}], "type": "punctuation"},
        {"id": 6, "start_time": "2.3", "end_time": "2.4", "speaker_label": "spk_1", "alternatives": [{"confidence": "0.9", "content": "it"}], "type": "pronunciation"},
        {"id": 7, "start_time": "2.4", "end_time": "2.5", "speaker_label": "spk_1", "alternatives": [{"confidence": "0.9", "content": "is"}], "type": "pronunciation"},
        {"id": 8, "start_time": "2.5", "end_time": "2.9", "speaker_label": "spk_1", "alternatives": [{"confidence": "0.9", "content": "not"}], "type": "pronunciation"},
        {"id": 9, "alternatives": [{"confidence": "0.0", "content": "."}], "type": "punctuation"}
    ]}}"#;

    #[test]
    fn aws_words_of_one_speaker_make_a_turn_and_punctuation_joins_the_word_before() {
        let expected = vec![
            ("spk_0", Role::Interviewer, 0.5, 1.2, "Is it sorted?"),
            ("spk_1", Role::Candidate, 2.0, 2.9, "No, it is not."),
        ];
        let options = options(&["spk_0=interviewer", "spk_1=candidate"], None);
        let transcript = read_aws(AWS, &options).unwrap();
        assert_eq!(transcript.id(), Some("job-7"));
        assert_eq!(turns(&transcript), expected);
        // Older output: the speakers only under speaker_labels.segments, matched by start time.
        let older = AWS.replace(", \"speaker_label\": \"spk_0\"", "").replace(", \"speaker_label\": \"spk_1\"", "").replace(
            "\"items\": [\n",
            r#""speaker_labels": {"speakers": 2, "segments": [
                {"start_time": "0.5", "end_time": "1.2", "speaker_label": "spk_0", "items": [{"start_time": "0.5", "end_time": "0.7", "speaker_label": "spk_0"}, {"start_time": "0.7", "end_time": "0.8", "speaker_label": "spk_0"}, {"start_time": "0.8", "end_time": "1.2", "speaker_label": "spk_0"}]},
                {"start_time": "2.0", "end_time": "2.9", "speaker_label": "spk_1", "items": [{"start_time": "2.0", "end_time": "2.2"}, {"start_time": "2.3", "end_time": "2.4"}, {"start_time": "2.4", "end_time": "2.5"}, {"start_time": "2.5", "end_time": "2.9"}]}
            ]}, "items": [
"#,
        );
        assert!(!older.contains("\"speaker_label\": \"spk_1\", \"alternatives\""));
        assert_eq!(turns(&read_aws(&older, &options).unwrap()), expected);
    }

    #[test]
    fn aws_errors_are_located() {
        let options = options(&["spk_0=interviewer", "spk_1=candidate"], None);
        let error =
            read_aws(&AWS.replace("\"start_time\": \"0.8\"", "\"start_time\": \"soon\""), &options).unwrap_err();
        check(
            &error,
            TranscriptErrorKind::InvalidTime,
            "results.items[2].start_time",
            4,
            "expected a string of seconds",
        );
        let error = read_aws(&AWS.replace("\"start_time\": \"0.8\"", "\"start_time\": 0.8"), &options).unwrap_err();
        check(&error, TranscriptErrorKind::Schema, "results.items[2].start_time", 4, "expected a string");
        let error = read_aws(&AWS.replace("\"start_time\": \"0.8\", ", ""), &options).unwrap_err();
        check(&error, TranscriptErrorKind::Schema, "results.items[2].start_time", 4, "needs `start_time`");
        let error = read_aws(&AWS.replace("\"end_time\": \"2.9\"", "\"end_time\": \"-1\""), &options).unwrap_err();
        check(&error, TranscriptErrorKind::InvalidTime, "results.items[8].end_time", 10, ">= 0");
        let error =
            read_aws(&AWS.replace("\"start_time\": \"2.0\"", "\"start_time\": \"2.25\""), &options).unwrap_err();
        check(
            &error,
            TranscriptErrorKind::InvalidTime,
            "results.items[4].end_time",
            6,
            "end (2.2) is before start (2.25)",
        );
        let error = read_aws(&AWS.replace("\"start_time\": \"2.0\"", "\"start_time\": \"0.1\""), &options).unwrap_err();
        check(&error, TranscriptErrorKind::Order, "results.items[4].start_time", 6, "time order");
        let error =
            read_aws(&AWS.replace("\"type\": \"punctuation\"}\n", "\"type\": \"filler\"}\n"), &options).unwrap_err();
        check(
            &error,
            TranscriptErrorKind::Schema,
            "results.items[9].type",
            11,
            "expected pronunciation or punctuation",
        );
        let error =
            read_aws(&AWS.replace("[{\"confidence\": \"0.9\", \"content\": \"it\"}]", "[]"), &options).unwrap_err();
        check(&error, TranscriptErrorKind::Schema, "results.items[1].alternatives", 3, "at least one alternative");
        let error = read_aws(&AWS.replace("spk_1", "spk_2"), &options).unwrap_err();
        check(
            &error,
            TranscriptErrorKind::UnmappedSpeaker,
            "results.items[4].speaker_label",
            6,
            "speaker \"spk_2\" has no role",
        );
    }

    #[test]
    fn aws_without_speaker_labels_is_unlabelled_speech() {
        let input = AWS.replace(", \"speaker_label\": \"spk_0\"", "").replace(", \"speaker_label\": \"spk_1\"", "");
        let error = read_aws(&input, &options(&[], None)).unwrap_err();
        check(&error, TranscriptErrorKind::UnlabelledSpeech, "results.items[0].speaker_label", 2, "no speaker labels");
        let transcript = read_aws(&input, &options(&[], Some(Role::Candidate))).unwrap();
        assert_eq!(turns(&transcript), vec![("candidate", Role::Candidate, 0.5, 2.9, "Is it sorted? No, it is not.")]);
        // Punctuation before the first word is kept, on that word.
        let input = input.replace(
            "\"items\": [\n",
            "\"items\": [{\"type\": \"punctuation\", \"alternatives\": [{\"content\": \"¿\"}]},\n",
        );
        let transcript = read_aws(&input, &options(&[], Some(Role::Candidate))).unwrap();
        assert!(transcript.turns()[0].text.starts_with("¿Is it"), "{}", transcript.turns()[0].text);
    }

    const WHISPER: &str = r#"{"text": " Is it sorted? No. It is not.", "language": "en", "segments": [
        {"id": 0, "seek": 0, "start": 0.0, "end": 1.5, "text": " Is it sorted?", "speaker": "SPEAKER_00"},
        {"id": 1, "seek": 0, "start": 2.0, "end": 2.5, "text": " No.", "speaker": "SPEAKER_01"},
        {"id": 2, "seek": 0, "start": 2.5, "end": 3.5, "text": " It is not.", "speaker": "SPEAKER_01"}
    ]}"#;

    #[test]
    fn whisper_segments_of_one_speaker_join() {
        let transcript =
            read_whisper(WHISPER, &options(&["SPEAKER_00=interviewer", "SPEAKER_01=candidate"], None)).unwrap();
        assert_eq!(
            turns(&transcript),
            vec![
                ("SPEAKER_00", Role::Interviewer, 0.0, 1.5, "Is it sorted?"),
                ("SPEAKER_01", Role::Candidate, 2.0, 3.5, "No. It is not."),
            ]
        );
        // Role names need no mapping, like everywhere else.
        let named = WHISPER.replace("SPEAKER_00", "Interviewer").replace("SPEAKER_01", "candidate");
        assert_eq!(read_whisper(&named, &options(&[], None)).unwrap().turns()[1].role, Role::Candidate);
    }

    #[test]
    fn whisper_without_speakers_needs_the_unlabelled_role() {
        let plain = WHISPER.replace(", \"speaker\": \"SPEAKER_00\"", "").replace(", \"speaker\": \"SPEAKER_01\"", "");
        let error = read_whisper(&plain, &options(&[], None)).unwrap_err();
        check(
            &error,
            TranscriptErrorKind::UnlabelledSpeech,
            "segments[0].speaker",
            2,
            "give all of its speech one role",
        );
        let transcript = read_whisper(&plain, &options(&[], Some(Role::Candidate))).unwrap();
        assert_eq!(turns(&transcript), vec![("candidate", Role::Candidate, 0.0, 3.5, "Is it sorted? No. It is not.")]);
        let error = read_whisper(&plain.replace("\"end\": 2.5", "\"end\": 1.0"), &options(&[], Some(Role::Candidate)))
            .unwrap_err();
        check(&error, TranscriptErrorKind::InvalidTime, "segments[1].end", 3, "end (1) is before start (2)");
        let error =
            read_whisper(&plain.replace("\"text\": \" No.\"", "\"txt\": \" No.\""), &options(&[], None)).unwrap_err();
        check(&error, TranscriptErrorKind::Schema, "segments[1]", 3, "missing field `text`");
    }

    const REV: &str = r#"{"monologues": [
        {"speaker": 0, "speaker_name": "Dana", "elements": [
            {"type": "text", "value": "Is", "ts": 0.5, "end_ts": 0.7, "confidence": 1},
            {"type": "punct", "value": " "},
            {"type": "text", "value": "it", "ts": 0.7, "end_ts": 0.9, "confidence": 1},
            {"type": "punct", "value": "?"}]},
        {"speaker": 1, "elements": [
            {"type": "unknown", "value": "<inaudible>"},
            {"type": "text", "value": "No", "ts": 2.0, "end_ts": 2.4, "confidence": 1},
            {"type": "punct", "value": "."}]},
        {"speaker": 1, "elements": [{"type": "punct", "value": " "}]}
    ]}"#;

    #[test]
    fn rev_monologues_are_turns() {
        let transcript = read_rev(REV, &options(&["Dana=interviewer", "1=candidate"], None)).unwrap();
        assert_eq!(
            turns(&transcript),
            vec![("Dana", Role::Interviewer, 0.5, 0.9, "Is it?"), ("1", Role::Candidate, 2.0, 2.4, "No.")]
        );
    }

    #[test]
    fn rev_errors_are_located() {
        let options = options(&["Dana=interviewer", "1=candidate"], None);
        let error = read_rev(&REV.replace(", \"ts\": 0.7, ", ", "), &options).unwrap_err();
        check(&error, TranscriptErrorKind::Schema, "monologues[0].elements[2].ts", 5, "needs `ts` and `end_ts`");
        let error = read_rev(&REV.replace("\"ts\": 2.0", "\"ts\": 0.1"), &options).unwrap_err();
        check(&error, TranscriptErrorKind::Order, "monologues[1].elements[1].ts", 9, "time order");
        let error =
            read_rev(&REV.replace("\"speaker\": 1, \"elements\": [\n", "\"speaker\": 2, \"elements\": [\n"), &options)
                .unwrap_err();
        check(&error, TranscriptErrorKind::UnmappedSpeaker, "monologues[1].speaker", 7, "speaker \"2\" has no role");
        let error = read_rev(&REV.replace("\"value\": \"No\"", "\"value\": 7"), &options).unwrap_err();
        check(&error, TranscriptErrorKind::Schema, "monologues[1].elements[1].value", 9, "expected a string");
    }
}
