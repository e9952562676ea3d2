//! Replays every input the fuzzers ever crashed on (`fixtures/fuzz-regressions/<target>/<name>`)
//! through the fuzz harness itself (`fuzz/src/lib.rs`, included below), so each replays exactly the
//! code path of the target that found it, invariant checks included. Every input must come back as
//! `Ok` or as a located error, never a panic, and every file has its expected outcome in
//! [`EXPECTED`]. The harness also runs on the fixtures, so it is exercised even on stable Rust,
//! where libFuzzer is not available.

#[path = "../../../fuzz/src/lib.rs"]
mod harness;

use std::path::{Path, PathBuf};

use harness::{Rejection, TARGETS};

/// What one saved input must do: be accepted, or be refused with this error kind at this place.
enum Expect {
    Accepted,
    Rejected { kind: &'static str, line: Option<usize>, column: Option<usize> },
}

/// (target, file name, expected outcome), one row per file under fixtures/fuzz-regressions/.
const EXPECTED: &[(&str, &str, Expect)] = &[
    // A raw newline inside a JSON string is reported at the end of its line (it was column 0 of the next).
    ("import_auto", "newline-in-key", Expect::Rejected { kind: "syntax", line: Some(5), column: Some(14) }),
    ("import_json", "newline-in-string", Expect::Rejected { kind: "syntax", line: Some(8), column: Some(23) }),
    // A transcript with annotations differed from itself written out and read back: where each
    // annotation was written (its line and column) was part of its equality.
    ("import_json", "annotations-round-trip", Expect::Accepted),
    ("import_utterances", "newline-in-string", Expect::Rejected { kind: "syntax", line: Some(13), column: Some(120) }),
    // Text after the JSON value was ignored, and locating an error in it sliced inside a character.
    (
        "import_utterances",
        "unterminated-key-multibyte",
        Expect::Rejected { kind: "syntax", line: Some(10), column: Some(2) },
    ),
    // YAML counts a lone \r as a line break: line 265 of a file with 100 \n and 178 lone \r (a harness fix).
    ("rubric_yaml", "lone-carriage-returns", Expect::Rejected { kind: "syntax", line: Some(265), column: Some(1) }),
    ("score_bundled", "newline-in-string", Expect::Rejected { kind: "syntax", line: Some(1), column: Some(74) }),
];

fn regressions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/fuzz-regressions")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// Every saved input as (target, file name, path), sorted, skipping the README.
fn saved_inputs() -> Vec<(String, String, PathBuf)> {
    let mut inputs = Vec::new();
    for dir in std::fs::read_dir(regressions()).expect("fixtures/fuzz-regressions exists") {
        let dir = dir.expect("readable directory entry").path();
        if !dir.is_dir() {
            continue;
        }
        let target = dir.file_name().unwrap().to_string_lossy().into_owned();
        for file in std::fs::read_dir(&dir).expect("readable target directory") {
            let path = file.expect("readable directory entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name != "README.md" {
                inputs.push((target.clone(), name, path));
            }
        }
    }
    inputs.sort();
    inputs
}

/// A refusal must say what was expected and, when it has a line, where.
fn assert_located(target: &str, name: &str, rejection: &Rejection) {
    assert!(!rejection.message.trim().is_empty(), "{target}/{name}: an error without a message: {rejection:?}");
    assert!(rejection.line.is_none_or(|l| l >= 1), "{target}/{name}: lines are 1-based: {rejection:?}");
    assert!(rejection.column.is_none_or(|c| c >= 1), "{target}/{name}: columns are 1-based: {rejection:?}");
}

#[test]
fn the_regression_directory_holds_only_fuzz_targets() {
    let dir = regressions();
    assert!(dir.join("README.md").is_file(), "{} explains the directory", dir.display());
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(TARGETS.contains(&name.as_str()), "{name} is not a fuzz target; targets: {TARGETS:?}");
        }
    }
}

#[test]
fn every_saved_input_replays_to_its_expected_outcome() {
    let inputs = saved_inputs();
    for (target, name, path) in &inputs {
        let data = std::fs::read(path).unwrap();
        let expected = EXPECTED.iter().find(|(t, n, _)| t == target && n == name).map(|(_, _, e)| e);
        let Some(expected) = expected else {
            panic!("{target}/{name} has no row in EXPECTED: add its expected outcome");
        };
        match (harness::run(target, &data), expected) {
            (Ok(()), Expect::Accepted) => {}
            (Err(rejection), Expect::Rejected { kind, line, column }) => {
                assert_located(target, name, &rejection);
                let found = (rejection.kind, rejection.line, rejection.column);
                assert_eq!(found, (*kind, *line, *column), "{target}/{name}: {rejection:?}");
            }
            (Ok(()), Expect::Rejected { kind, .. }) => panic!("{target}/{name}: accepted, expected a {kind} error"),
            (Err(rejection), Expect::Accepted) => panic!("{target}/{name}: expected Ok, got {rejection:?}"),
        }
    }
    // No stale rows: every expectation names a file that exists.
    for (target, name, _) in EXPECTED {
        assert!(
            inputs.iter().any(|(t, n, _)| t == target && n == name),
            "EXPECTED names a missing file {target}/{name}"
        );
    }
}

/// The seeds the fuzzers start from pass the harness's invariant checks, on every target that reads
/// their format, so the checks themselves are exercised (and known not to reject valid input).
#[test]
fn the_harness_accepts_the_fixture_transcripts_and_rubrics() {
    let formats = fixtures().join("transcripts/formats");
    let cases = [
        ("import_json", "two-sum.json"),
        ("import_text", "two-sum.txt"),
        ("import_vtt", "two-sum.vtt"),
        ("import_utterances", "two-sum.utterances.json"),
        ("import_auto", "two-sum.json"),
        ("import_auto", "two-sum.txt"),
        ("import_auto", "two-sum.vtt"),
        ("import_auto", "two-sum.utterances.json"),
        ("import_srt", "two-sum.srt"),
        ("import_auto", "two-sum.srt"),
        ("import_stt", "two-sum.deepgram.json"),
        ("import_auto", "two-sum.deepgram.json"),
        ("import_auto", "two-sum.aws.json"),
        ("import_auto", "two-sum.whisper.json"),
        ("import_auto", "two-sum.rev.json"),
        ("score_bundled", "two-sum.srt"),
        ("score_bundled", "two-sum.aws.json"),
        ("score_bundled", "two-sum.rev.json"),
        ("score_bundled", "two-sum.vtt"),
        ("score_bundled", "two-sum.utterances.json"),
    ];
    for (target, file) in cases {
        let data = std::fs::read(formats.join(file)).unwrap();
        assert_eq!(harness::run(target, &data), Ok(()), "{target} on {file}");
    }
    for round in ["coding-round", "system-design", "behavioral-star", "code-review", "recruiter-screen"] {
        let data = std::fs::read(fixtures().join(format!("transcripts/{round}/strong.json"))).unwrap();
        let cards = harness::score_bundled(&data).unwrap();
        assert_eq!(cards.len(), rubric_core::bundled::names().len(), "one scorecard per bundled rubric");
        let yaml = rubric_core::bundled::source(round).unwrap();
        assert_eq!(harness::run("rubric_yaml", yaml.as_bytes()), Ok(()), "rubric_yaml on {round}");
    }
}

/// Refusals come back as located errors, including for bytes that are not UTF-8.
#[test]
fn the_harness_reports_bad_input_as_located_errors() {
    let cases: &[(&str, &[u8], &str, Option<usize>)] = &[
        ("import_json", b"{\"turns\": [}", "syntax", Some(1)),
        ("import_text", b"Interviewer: hi\n\xff\xfe", "syntax", Some(2)),
        ("import_vtt", b"WEBVTT\n\n00:00:01.000 --> nope\n<v Dana>hi", "syntax", Some(3)),
        // A lone CR ends a line in the text formats: line 2 is inside the input.
        ("import_text", b"Interviewer: hi\rZed Q: hello", "unmapped_speaker", Some(2)),
        ("import_srt", b"1\r00:00:01,000 --> nope\rDana: hi", "syntax", Some(2)),
        ("import_stt", b"{\"segments\": 3}", "schema", Some(1)),
        (
            "import_utterances",
            b"{\"utterances\": [{\"speaker\": \"Zed\", \"start\": 0, \"end\": 1, \"text\": \"x\"}]}",
            "unmapped_speaker",
            Some(1),
        ),
        ("score_bundled", b"   ", "empty", None),
        ("rubric_yaml", b"id: 'unclosed", "syntax", Some(1)),
    ];
    for &(target, data, kind, line) in cases {
        let rejection = harness::run(target, data).expect_err(target);
        assert_located(target, "inline", &rejection);
        assert_eq!((rejection.kind, rejection.line), (kind, line), "{target}: {rejection:?}");
    }
}
