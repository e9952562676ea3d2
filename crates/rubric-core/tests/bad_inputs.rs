//! The bad-input suite: every case of `fixtures/bad/manifest.json` gives exactly its expected error
//! (kind, path, line, column, message) or exactly its expected scorecard. The Python and JavaScript
//! runners read the same manifest, so all three languages must agree case by case.
//!
//! After an intended change, regenerate the expected scorecards with
//! `UPDATE_BAD=1 cargo test -p rubric-core --test bad_inputs` and review the diff of
//! `fixtures/bad/expected/` like code. Expected errors are written by hand in the manifest.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use rubric_core::{import_bytes, ImportOptions, Rubric, Scorecard};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    #[allow(dead_code)] // documentation for people
    about: String,
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Input {
    Rubric,
    Transcript,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    category: String,
    input: Input,
    /// The input file, relative to fixtures/bad.
    #[serde(default)]
    file: Option<String>,
    /// Instead of `file`: how to build a large input at test time.
    #[serde(default)]
    generate: Option<Generate>,
    /// For transcript cases: the rubric to score with (a file under fixtures/bad or a bundled name).
    #[serde(default)]
    rubric: Option<String>,
    /// For rubric cases that compile: the transcript to score with.
    #[serde(default)]
    transcript: Option<String>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    speakers: BTreeMap<String, String>,
    /// Another case whose evidence (behavior, turn, detector, negation) this case must equal.
    #[serde(default)]
    same_evidence_as: Option<String>,
    #[allow(dead_code)] // documentation for people
    #[serde(default)]
    note: Option<String>,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum Expect {
    Error(ExpectedError),
    Scorecard(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedError {
    kind: String,
    path: String,
    line: Option<usize>,
    column: Option<usize>,
    message_contains: String,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum Generate {
    SingleTurn { bytes: usize },
    Turns { count: usize },
    RegexDetectors { count: usize },
    RegexAlternation { count: usize },
    RegexRepeated { count: usize, pattern: String },
    RubricPadding { bytes: usize },
}

fn bad_dir() -> PathBuf {
    common::fixtures().join("bad")
}

fn manifest() -> Manifest {
    let text = std::fs::read_to_string(bad_dir().join("manifest.json")).expect("manifest exists");
    serde_json::from_str(&text).expect("manifest parses")
}

fn read(relative: &str) -> Vec<u8> {
    std::fs::read(bad_dir().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The text the mini rubric's regex detector line is replaced with by the rubric generators.
const REGEX_LINE: &str = "              - regex: '\\d+ ?%'\n";

/// Builds a generated input. fixtures/bad/README.md specifies each generator byte for byte; the
/// Python and JavaScript runners build the same bytes.
fn generate(spec: &Generate) -> Vec<u8> {
    let mini = || String::from_utf8(read("rubrics/mini.yaml")).unwrap();
    let text = match spec {
        &Generate::SingleTurn { bytes } => {
            let prefix = "Can I assume a big input? ";
            let unit = "we measure the latency again and ";
            let mut body = String::with_capacity(bytes);
            body.push_str(prefix);
            while body.len() < bytes {
                body.push_str(unit);
            }
            body.truncate(bytes);
            format!(
                "{{\"id\": \"single-turn\", \"turns\": [\n{{\"role\": \"interviewer\", \"start\": 0, \"end\": 4, \"text\": \"Tell me about the migration.\"}},\n{{\"role\": \"candidate\", \"start\": 5, \"end\": 600, \"text\": \"{body}\"}}\n]}}\n"
            )
        }
        &Generate::Turns { count } => {
            let mut out = String::from("{\"id\": \"many-turns\", \"turns\": [\n");
            for i in 0..count {
                let (role, text) = match (i % 2, i % 20_000) {
                    (0, _) => ("interviewer", "Go on."),
                    (_, 1) => ("candidate", "Can I assume it is sorted?"),
                    _ => ("candidate", "I measured it again."),
                };
                let separator = if i + 1 == count { "\n" } else { ",\n" };
                write!(
                    out,
                    "{{\"role\": \"{role}\", \"start\": {}, \"end\": {}, \"text\": \"{text}\"}}{separator}",
                    2 * i,
                    2 * i + 1
                )
                .unwrap();
            }
            out.push_str("]}\n");
            out
        }
        &Generate::RegexDetectors { count } => {
            let mut lines = String::new();
            for i in 0..count {
                writeln!(lines, "              - regex: 'code{i}x'").unwrap();
            }
            mini().replace(REGEX_LINE, &lines)
        }
        &Generate::RegexAlternation { count } => {
            let terms: Vec<String> = (0..count).map(|i| format!("term{i}")).collect();
            mini().replace(REGEX_LINE, &format!("              - regex: '\\b(?:{})\\b'\n", terms.join("|")))
        }
        Generate::RegexRepeated { count, pattern } => {
            mini().replace(REGEX_LINE, &format!("              - regex: '{pattern}'\n").repeat(*count))
        }
        &Generate::RubricPadding { bytes } => {
            let mut yaml = mini();
            let pad = bytes - yaml.len();
            yaml.push('#');
            yaml.push_str(&"x".repeat(pad - 2));
            yaml.push('\n');
            yaml
        }
    };
    text.into_bytes()
}

fn input_bytes(case: &Case) -> Vec<u8> {
    match (&case.file, &case.generate) {
        (Some(file), None) => read(file),
        (None, Some(spec)) => generate(spec),
        _ => panic!("{}: give exactly one of `file` and `generate`", case.name),
    }
}

fn load_rubric(name: &str) -> Rubric {
    if std::path::Path::new(name).extension().is_some_and(|e| e == "yaml") {
        Rubric::from_yaml_bytes(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    } else {
        Rubric::bundled(name).unwrap_or_else(|e| panic!("{name}: {e}"))
    }
}

/// A case's outcome in the manifest's terms: an error's fields, or the scorecard as JSON.
#[derive(Debug)]
enum Outcome {
    Error { kind: String, path: String, line: Option<usize>, column: Option<usize>, message: String },
    Scorecard(Box<Scorecard>),
}

fn transcript_outcome(rubric: &Rubric, case: &Case, bytes: &[u8]) -> Outcome {
    let mut options = ImportOptions::default();
    if let Some(format) = &case.format {
        options.format = Some(format.parse().expect("a valid format"));
    }
    for (name, role) in &case.speakers {
        options.map_speaker(&format!("{name}={role}")).expect("a valid mapping");
    }
    match import_bytes(bytes, None, &options).and_then(|t| rubric.score(&t)) {
        Ok(card) => Outcome::Scorecard(Box::new(card)),
        Err(e) => Outcome::Error {
            kind: e.kind.as_str().into(),
            path: e.path,
            line: e.line,
            column: e.column,
            message: e.message,
        },
    }
}

fn run(case: &Case) -> Outcome {
    let bytes = input_bytes(case);
    match case.input {
        Input::Rubric => match Rubric::from_yaml_bytes(&bytes) {
            Ok(rubric) => {
                let transcript = case.transcript.as_deref().expect("a rubric case that compiles names a transcript");
                transcript_outcome(&rubric, case, &read(transcript))
            }
            Err(errors) => {
                let e = errors.first().clone();
                Outcome::Error {
                    kind: e.kind.as_str().into(),
                    path: e.path,
                    line: e.line,
                    column: e.column,
                    message: e.message,
                }
            }
        },
        Input::Transcript => {
            let rubric = load_rubric(case.rubric.as_deref().expect("a transcript case names a rubric"));
            transcript_outcome(&rubric, case, &bytes)
        }
    }
}

/// Every evidence item in a scorecard's JSON (behaviors' evidence for and against, red flags').
fn evidence_items(value: &Value, out: &mut Vec<Value>) {
    match value {
        Value::Object(map) => {
            if map.contains_key("span") && map.contains_key("turn") && map.contains_key("behavior") {
                out.push(value.clone());
            }
            map.values().for_each(|v| evidence_items(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| evidence_items(v, out)),
        _ => {}
    }
}

/// What must be equal between quote variants of the same transcript: which rule found what where.
fn evidence_signature(card: &Value) -> Vec<String> {
    let mut items = Vec::new();
    evidence_items(card, &mut items);
    items.iter().map(|e| format!("{} {} {} {}", e["behavior"], e["turn"], e["detector"], e["negated_by"])).collect()
}

/// For native JSON inputs: the text at every evidence span, in bytes, is the evidence text.
fn check_spans(case: &Case, card: &Value, problems: &mut Vec<String>) {
    let Ok(document) = serde_json::from_slice::<Value>(&input_bytes(case)) else { return };
    let Some(turns) = document["turns"].as_array() else { return };
    let mut items = Vec::new();
    evidence_items(card, &mut items);
    for item in items {
        let text = turns[item["turn"].as_u64().unwrap() as usize]["text"].as_str().unwrap();
        let span = &item["span"]["bytes"];
        let (start, end) = (span[0].as_u64().unwrap() as usize, span[1].as_u64().unwrap() as usize);
        if text.get(start..end) != item["text"].as_str() {
            problems
                .push(format!("{}: span {start}..{end} of turn {} is not {}", case.name, item["turn"], item["text"]));
        }
    }
}

#[test]
fn every_bad_input_gives_exactly_its_expected_outcome() {
    let update = std::env::var_os("UPDATE_BAD").is_some();
    let manifest = manifest();
    let mut problems = Vec::new();
    let mut signatures: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // BAD_CASE=name runs one case (for debugging; the other cases then count as not run).
    let only = std::env::var("BAD_CASE").ok();
    for case in manifest.cases.iter().filter(|c| only.as_ref().is_none_or(|name| *name == c.name)) {
        let outcome = run(case);
        match (&case.expect, outcome) {
            (Expect::Error(expected), Outcome::Error { kind, path, line, column, message }) => {
                let actual = (kind.as_str(), path.as_str(), line, column);
                let wanted = (expected.kind.as_str(), expected.path.as_str(), expected.line, expected.column);
                if actual != wanted || !message.contains(&expected.message_contains) {
                    problems.push(format!(
                        "{}: expected {wanted:?} with {:?}, got {actual:?}: {message}",
                        case.name, expected.message_contains
                    ));
                }
            }
            (Expect::Scorecard(file), Outcome::Scorecard(card)) => {
                let path = bad_dir().join(file);
                let json: Value = serde_json::from_str(&card.to_json()).unwrap();
                if update {
                    std::fs::write(&path, card.to_json_pretty() + "\n").unwrap();
                } else {
                    let expected = std::fs::read(&path).ok().and_then(|b| serde_json::from_slice::<Value>(&b).ok());
                    if expected.as_ref() != Some(&json) {
                        problems.push(format!("{}: the scorecard differs from {file}", case.name));
                    }
                }
                check_spans(case, &json, &mut problems);
                signatures.insert(case.name.clone(), evidence_signature(&json));
            }
            (_, Outcome::Error { kind, path, line, column, message }) => {
                problems.push(format!(
                    "{}: expected a scorecard, got {kind} at {path:?} {line:?}:{column:?}: {message}",
                    case.name
                ));
            }
            (_, Outcome::Scorecard(_)) => problems.push(format!("{}: expected an error, got a scorecard", case.name)),
        }
    }
    for case in manifest.cases.iter().filter(|_| only.is_none()) {
        if let Some(other) = &case.same_evidence_as {
            let (this, that) = (signatures.get(&case.name), signatures.get(other));
            if this.is_none() || this != that {
                problems.push(format!("{}: evidence differs from {other}: {this:?} vs {that:?}", case.name));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} cases failed:\n{}",
        problems.len(),
        manifest.cases.len(),
        problems.join("\n")
    );
}

/// The suite covers every category the reliability issue names, several cases each.
#[test]
fn the_manifest_covers_every_category() {
    let manifest = manifest();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for case in &manifest.cases {
        *counts.entry(case.category.as_str()).or_default() += 1;
    }
    let categories = [
        "yaml_syntax",
        "wrong_type",
        "unknown_key",
        "alias_and_nesting",
        "regex",
        "invalid_utf8",
        "empty",
        "huge",
        "time",
        "order",
        "speaker",
        "mixed_script",
        "quotes",
        "line_endings",
        "annotation",
    ];
    for category in categories {
        assert!(counts.get(category).copied().unwrap_or(0) >= 3, "fewer than 3 cases in {category}: {counts:?}");
    }
    assert!(counts.keys().all(|c| categories.contains(c)), "a case has an unknown category: {counts:?}");
    let names: std::collections::BTreeSet<&str> = manifest.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), manifest.cases.len(), "case names are unique");
}
