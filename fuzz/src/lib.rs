//! The fuzz harness: what each target does with its input, and the invariants it checks on the
//! result. The targets in `fuzz/fuzz_targets/` are one-line calls into [`run`], and
//! `crates/rubric-core/tests/fuzz_regressions.rs` includes this file with `#[path]`, so a saved
//! crashing input replays through exactly the code that found it.
//!
//! Bad input must come back as an error value; a broken invariant panics, because a panic is what
//! libFuzzer reports. Only invariants the engine documents are checked (see each check's comment).

use std::sync::OnceLock;

use rubric_core::scorecard::Evidence;
use rubric_core::{
    import_bytes, Format, ImportOptions, Limits, Role, Rubric, RubricErrors, Scorecard, Transcript, TranscriptError,
};

/// Every target, in the order `scripts/fuzz.sh` runs them.
pub const TARGETS: [&str; 9] = [
    "rubric_yaml",
    "import_json",
    "import_text",
    "import_vtt",
    "import_srt",
    "import_utterances",
    "import_stt",
    "import_auto",
    "score_bundled",
];

/// The speech-to-text JSON formats `import_stt` reads each input as.
const STT_FORMATS: [Format; 4] = [Format::Deepgram, Format::Aws, Format::Whisper, Format::Rev];

/// Why an input was refused: the engine's error, reduced to what every error type has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub kind: &'static str,
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl From<&TranscriptError> for Rejection {
    fn from(e: &TranscriptError) -> Self {
        Self { kind: e.kind.as_str(), path: e.path.clone(), line: e.line, column: e.column, message: e.message.clone() }
    }
}

impl From<&RubricErrors> for Rejection {
    fn from(e: &RubricErrors) -> Self {
        let first = e.first();
        Self {
            kind: first.kind.as_str(),
            path: first.path.clone(),
            line: first.line,
            column: first.column,
            message: first.message.clone(),
        }
    }
}

/// Runs the target named `target` on `data`: `Ok` when the input was accepted, the error when it was
/// refused. Panics on an unknown target name or a broken invariant.
pub fn run(target: &str, data: &[u8]) -> Result<(), Rejection> {
    match target {
        "rubric_yaml" => rubric_yaml(data).map(drop).map_err(|e| Rejection::from(&e)),
        "import_json" => import(data, Some(Format::Json)),
        "import_text" => import(data, Some(Format::Text)),
        "import_vtt" => import(data, Some(Format::Vtt)),
        "import_srt" => import(data, Some(Format::Srt)),
        "import_utterances" => import(data, Some(Format::Utterances)),
        "import_stt" => import_stt(data),
        "import_auto" => import(data, None),
        "score_bundled" => score_bundled(data).map(drop),
        other => panic!("unknown fuzz target {other:?}; expected one of {TARGETS:?}"),
    }
}

/// Rubric YAML -> compiled rubric; a rubric that compiles also scores a small fixed transcript.
///
/// The rubric API takes `&str`, so invalid UTF-8 cannot reach it (the CLI reads rubrics with
/// `read_to_string`, which refuses it). Rather than replace bytes, the valid UTF-8 prefix is used:
/// the mutation still exercises the parser, and nothing is made up.
pub fn rubric_yaml(data: &[u8]) -> Result<Rubric, RubricErrors> {
    let yaml = match std::str::from_utf8(data) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&data[..e.valid_up_to()]).expect("the prefix before an error is valid UTF-8"),
    };
    let result = Rubric::from_yaml(yaml);
    match &result {
        Ok(rubric) => {
            let transcript = fixed_transcript();
            let card = rubric.score(transcript).expect("a fixed transcript within default limits scores");
            check_scorecard(&card, transcript);
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "a rubric error list is never empty");
            for error in errors.errors() {
                check_location(error.line, error.column, yaml_lines(yaml), &error.to_string());
                assert!(!error.message.trim().is_empty(), "an error says what was expected: {error:?}");
            }
        }
    }
    result
}

/// Imports `data` in `format` (detected when `None`) and checks the transcript or the error.
pub fn import(data: &[u8], format: Option<Format>) -> Result<(), Rejection> {
    match import_checked(data, format) {
        Ok(_) => Ok(()),
        Err(e) => Err(Rejection::from(&e)),
    }
}

/// Imports `data` as each speech-to-text JSON format, checking every result: accepted if one format
/// accepts it, else the first refusal.
pub fn import_stt(data: &[u8]) -> Result<(), Rejection> {
    let results: Vec<Result<(), Rejection>> =
        STT_FORMATS.into_iter().map(|format| import(data, Some(format))).collect();
    results.iter().find(|r| r.is_ok()).cloned().unwrap_or_else(|| results[0].clone())
}

/// Imports `data` with format detection and scores it with every bundled rubric.
pub fn score_bundled(data: &[u8]) -> Result<Vec<Scorecard>, Rejection> {
    let transcript = import_checked(data, None).map_err(|e| Rejection::from(&e))?;
    let cards = bundled_rubrics()
        .iter()
        .map(|rubric| {
            let card = rubric.score(&transcript).map_err(|e| Rejection::from(&e))?;
            check_scorecard(&card, &transcript);
            Ok(card)
        })
        .collect::<Result<Vec<_>, Rejection>>()?;
    Ok(cards)
}

fn import_checked(data: &[u8], format: Option<Format>) -> Result<Transcript, TranscriptError> {
    let result = import_bytes(data, None, &import_options(format));
    match &result {
        Ok(transcript) => check_transcript(transcript),
        Err(error) => {
            // Locations refer to the text; for invalid UTF-8 they refer to the valid prefix.
            let valid = match std::str::from_utf8(data) {
                Ok(text) => text,
                Err(e) => std::str::from_utf8(&data[..e.valid_up_to()]).expect("valid prefix"),
            };
            // serde_json counts `\n` line breaks; the text importers also a lone `\r` (old Mac files).
            let bytes = valid.as_bytes();
            let lone_cr =
                bytes.iter().enumerate().filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n')).count();
            let lines = bytes.iter().filter(|&&b| b == b'\n').count() + lone_cr + 1;
            check_location(error.line, error.column, lines, &error.to_string());
            assert!(!error.message.trim().is_empty(), "an error says what was expected: {error:?}");
        }
    }
    result
}

/// The speaker labels of the fixtures (and so of the seeds built from them) mapped to roles, so that
/// mutated inputs get past role resolution into the rest of the importers.
fn import_options(format: Option<Format>) -> ImportOptions {
    let mut options = ImportOptions { format, ..ImportOptions::default() };
    for (name, role) in [("A", Role::Interviewer), ("B", Role::Candidate), ("Dana", Role::Interviewer)] {
        options.speaker_roles.insert(name.to_string(), role);
    }
    options.speaker_roles.insert("Sam".to_string(), Role::Candidate);
    // The speech-to-text fixtures' labels: the first of each pair interviews.
    for (interviewer, candidate) in [("0", "1"), ("spk_0", "spk_1"), ("SPEAKER_00", "SPEAKER_01")] {
        options.speaker_roles.insert(interviewer.to_string(), Role::Interviewer);
        options.speaker_roles.insert(candidate.to_string(), Role::Candidate);
    }
    options
}

fn bundled_rubrics() -> &'static [Rubric] {
    static RUBRICS: OnceLock<Vec<Rubric>> = OnceLock::new();
    RUBRICS.get_or_init(|| {
        rubric_core::bundled::names()
            .into_iter()
            .map(|name| Rubric::bundled(name).expect("bundled rubrics compile"))
            .collect()
    })
}

/// A small timed transcript with events, a segment and non-ASCII text, for fuzzed rubrics to score.
fn fixed_transcript() -> &'static Transcript {
    static TRANSCRIPT: OnceLock<Transcript> = OnceLock::new();
    TRANSCRIPT.get_or_init(|| {
        Transcript::from_json(
            r#"{"id": "fuzz", "turns": [
                {"speaker": "Dana", "role": "interviewer", "start": 0, "end": 5,
                 "text": "Tell me about a conflict, then design a cache. Any questions?"},
                {"speaker": "Sam", "role": "candidate", "start": 6, "end": 40,
                 "text": "Can I assume the input isn't sorted? I led the migration — we didn't use a hash map."},
                {"speaker": "Sam", "role": "candidate", "start": 41, "end": 55,
                 "text": "I reduced latency by 40% and wrote tests. Um, like, it is O(n log n) time… 😀"},
                {"speaker": "Dana", "role": "interviewer", "start": 60, "end": 62, "text": "Why?"},
                {"speaker": "Sam", "role": "candidate", "start": 63, "end": 90,
                 "text": "Because of scale: sharding, replication and a queue. I learned to ask earlier."}
            ],
            "events": [{"type": "code_run", "time": 30}, {"type": "tests_passed", "time": 45, "detail": "3/3"}],
            "segments": [{"id": "q1", "round": "coding", "question": "cache", "start_turn": 0, "time_limit": 600}]}"#,
        )
        .expect("the fixed transcript is valid")
    })
}

/// Lines as YAML counts them: `\r\n`, `\n` and a lone `\r` each end one (found by rubric_yaml on
/// input with lone carriage returns).
fn yaml_lines(yaml: &str) -> usize {
    let bytes = yaml.as_bytes();
    let lone_cr = bytes.iter().enumerate().filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n')).count();
    bytes.iter().filter(|&&b| b == b'\n').count() + lone_cr + 1
}

/// Errors use 1-based lines and columns inside the input (`RubricError::line` documents 1-based; a
/// line one past the last is allowed for "unexpected end of input").
fn check_location(line: Option<usize>, column: Option<usize>, lines: usize, shown: &str) {
    if let Some(line) = line {
        assert!((1..=lines + 1).contains(&line), "line {line} outside the input's {lines} lines: {shown}");
    }
    if let Some(column) = column {
        assert!(column >= 1, "columns are 1-based: {shown}");
        assert!(line.is_some(), "a column without a line: {shown}");
    }
}

/// What `Transcript::new` documents it validated, and the JSON round trip the bindings rely on
/// (`importTranscript` returns "the native JSON form ... what `score` accepts back").
fn check_transcript(transcript: &Transcript) {
    let turns = transcript.turns();
    assert!(!turns.is_empty(), "a transcript has at least one turn");
    transcript
        .check_limits(&Limits::default())
        .expect("an imported transcript is within the limits it was imported under");
    let timed = transcript.is_timed();
    let mut previous_start = 0.0_f64;
    for (i, turn) in turns.iter().enumerate() {
        assert!(!turn.speaker.trim().is_empty(), "turns[{i}] has an empty speaker");
        match (turn.start, turn.end) {
            (Some(start), Some(end)) => {
                assert!(timed, "turns[{i}] is timed in an untimed transcript");
                assert!(start.is_finite() && start >= 0.0, "turns[{i}].start = {start}");
                assert!(end.is_finite() && end >= start, "turns[{i}].end = {end} < start {start}");
                assert!(start >= previous_start, "turns[{i}] starts at {start}, before {previous_start}");
                previous_start = start;
            }
            (None, None) => assert!(!timed, "turns[{i}] is untimed in a timed transcript"),
            other => panic!("turns[{i}] has only one of start and end: {other:?}"),
        }
    }
    for (i, event) in transcript.events().iter().enumerate() {
        assert!(event.time.is_finite() && event.time >= 0.0, "events[{i}].time = {}", event.time);
    }
    let mut previous_turn = None;
    for (i, segment) in transcript.segments().iter().enumerate() {
        assert!(segment.start_turn < turns.len(), "segments[{i}] starts past the last turn");
        assert!(previous_turn.is_none_or(|p| segment.start_turn > p), "segments[{i}] out of order");
        previous_turn = Some(segment.start_turn);
    }
    let json = serde_json::to_string(transcript).expect("a transcript serialises");
    let again = Transcript::from_json(&json).unwrap_or_else(|e| panic!("the native JSON form re-imports: {e}\n{json}"));
    assert_eq!(&again, transcript, "the native JSON form round-trips");
}

/// The scorecard contract (`scorecard.rs`, `score.rs`): scores in [0, 1], spans that slice the turn
/// text in all three units, and a JSON form that reads back as the same scorecard.
fn check_scorecard(card: &Scorecard, transcript: &Transcript) {
    assert_eq!(card.transcript.turns, transcript.turns().len());
    assert_eq!(card.transcript.timed, transcript.is_timed());
    let unit = |what: &str, score: Option<f64>| {
        if let Some(s) = score {
            assert!((0.0..=1.0).contains(&s), "{what} score {s} is outside [0, 1]");
        }
    };
    unit("overall", card.overall.score);
    for competency in &card.competencies {
        unit(&competency.path, competency.score);
        for sub in &competency.subcompetencies {
            unit(&sub.path, sub.score);
            for behavior in &sub.behaviors {
                unit(&behavior.path, behavior.score);
                behavior.evidence.iter().chain(&behavior.against).for_each(|e| check_evidence(e, transcript));
                check_cap(&behavior.path, behavior.count, behavior.evidence.len(), behavior.evidence_omitted);
                assert!(behavior.against.len() <= rubric_core::MAX_EVIDENCE_ITEMS, "{}: against", behavior.path);
                if behavior.metric.is_none() {
                    assert!(behavior.against_omitted == 0 || behavior.against.len() == rubric_core::MAX_EVIDENCE_ITEMS);
                }
            }
        }
    }
    for flag in &card.red_flags {
        assert!(flag.penalty.is_finite(), "{}: penalty {}", flag.path, flag.penalty);
        flag.evidence.iter().for_each(|e| check_evidence(e, transcript));
        check_cap(&flag.path, flag.count, flag.evidence.len(), flag.evidence_omitted);
    }
    for item in &card.feedback {
        assert!((0.0..=1.0).contains(&item.gain), "feedback {} gain {} is outside [0, 1]", item.id, item.gain);
    }
    let json = card.to_json();
    let again: Scorecard = serde_json::from_str(&json).unwrap_or_else(|e| panic!("the scorecard JSON reads back: {e}"));
    assert_eq!(&again, card, "the scorecard JSON round-trips");
}

/// A behavior or red flag lists at most `MAX_EVIDENCE_ITEMS` items and counts the rest, so its
/// count is exact: listed plus omitted (metric behaviors list nothing and count nothing).
fn check_cap(path: &str, count: usize, listed: usize, omitted: usize) {
    assert!(listed <= rubric_core::MAX_EVIDENCE_ITEMS, "{path}: {listed} items listed");
    assert!(omitted == 0 || listed == rubric_core::MAX_EVIDENCE_ITEMS, "{path}: {omitted} omitted of {listed}");
    assert_eq!(count, listed + omitted, "{path}: count");
}

/// `Span`: half-open ranges into the original turn text in bytes, code points and UTF-16 units, and
/// `Evidence::text` is the original text at the span (cut at `MAX_QUOTE_BYTES`).
fn check_evidence(evidence: &Evidence, transcript: &Transcript) {
    let turn = transcript.turns().get(evidence.turn).unwrap_or_else(|| panic!("evidence in turn {}", evidence.turn));
    let [start, end] = evidence.span.bytes;
    let text = turn.text.get(start..end).unwrap_or_else(|| {
        panic!("span {start}..{end} does not slice turn {} ({} bytes): {:?}", evidence.turn, turn.text.len(), turn.text)
    });
    if text.len() <= rubric_core::MAX_QUOTE_BYTES {
        assert_eq!(text, evidence.text, "evidence text is the text at its span");
    } else {
        // A longer match is quoted up to the last character boundary within MAX_QUOTE_BYTES.
        let cut = rubric_core::text::segment::floor_char_boundary(text, rubric_core::MAX_QUOTE_BYTES);
        assert_eq!(&text[..cut], evidence.text, "a long match is quoted up to MAX_QUOTE_BYTES");
    }
    let before = &turn.text[..start];
    let chars = before.chars().count();
    let utf16 = before.encode_utf16().count();
    assert_eq!(evidence.span.chars, [chars, chars + text.chars().count()], "code point span of {text:?}");
    assert_eq!(evidence.span.utf16, [utf16, utf16 + text.encode_utf16().count()], "UTF-16 span of {text:?}");
    assert_eq!((evidence.speaker.as_str(), evidence.role), (turn.speaker.as_str(), turn.role));
}
