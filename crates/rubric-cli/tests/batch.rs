//! `rubric batch`: one record per input line, in order, bad lines become error records and the
//! rest are still scored exactly as `rubric score` would score them.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use common::{root, rubric, stderr, stdout};
use serde_json::Value;

/// A fixture transcript as one JSON line.
fn fixture_line(relative: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(root().join("fixtures/transcripts").join(relative)).unwrap();
    serde_json::to_vec(&serde_json::from_str::<Value>(&text).unwrap()).unwrap()
}

fn golden(relative: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("fixtures/golden").join(relative)).unwrap()).unwrap()
}

fn temp_file(name: &str, lines: &[Vec<u8>]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rubric-batch-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, lines.join(&b'\n')).unwrap();
    path
}

fn records(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// What each kind of input line should become.
#[derive(Clone, Copy)]
enum Expect {
    Golden(&'static str, &'static str),
    Error(&'static str, Option<&'static str>),
    Blank,
}

fn mixed_inputs() -> Vec<(Vec<u8>, Expect)> {
    let unmapped = br#"{"id": "who", "turns": [{"speaker": "Zed", "start": 0, "end": 1, "text": "hello"}]}"#;
    vec![
        (fixture_line("coding-round/strong.json"), Expect::Golden("coding-round-strong", "coding-round/strong.json")),
        (b"{\"id\": \"broken\", \"turns\": [".to_vec(), Expect::Error("syntax", None)),
        (b"{\"id\": \"bytes\xff\xfe\"}".to_vec(), Expect::Error("syntax", None)),
        (b"   ".to_vec(), Expect::Blank),
        (unmapped.to_vec(), Expect::Error("unmapped_speaker", Some("who"))),
        (fixture_line("coding-round/weak.json"), Expect::Golden("coding-round-weak", "coding-round/weak.json")),
        (br#"{"id": "no-turns", "turns": []}"#.to_vec(), Expect::Error("empty", Some("no-turns"))),
    ]
}

#[test]
fn every_line_gets_one_record_in_order_and_bad_lines_do_not_stop_the_rest() {
    // 20 copies make 140 lines: more than one read-ahead window on two threads.
    let inputs: Vec<(Vec<u8>, Expect)> = (0..20).flat_map(|_| mixed_inputs()).collect();
    let lines: Vec<Vec<u8>> = inputs.iter().map(|(l, _)| l.clone()).collect();
    let path = temp_file("mixed.jsonl", &lines);
    let output = rubric(&["batch", path.to_str().unwrap(), "--threads", "2"]);
    assert_eq!(output.status.code(), Some(1), "some inputs are invalid: {}", stderr(&output));
    let records = records(&stdout(&output));
    let expected: Vec<(u64, Expect)> = inputs
        .iter()
        .enumerate()
        .filter(|(_, (_, e))| !matches!(e, Expect::Blank))
        .map(|(i, (_, e))| (i as u64 + 1, *e))
        .collect();
    assert_eq!(records.len(), expected.len(), "one record per non-blank line");
    let strong = golden("coding-round/strong.json");
    let weak = golden("coding-round/weak.json");
    for (record, (line, expect)) in records.iter().zip(&expected) {
        assert_eq!(record["line"], *line, "records keep input order");
        match expect {
            Expect::Golden(id, file) => {
                assert_eq!(record["ok"], true, "{record}");
                assert_eq!(record["id"], *id);
                let card = if file.ends_with("strong.json") { &strong } else { &weak };
                assert_eq!(&record["scorecard"], card, "batch scores exactly as `score` does");
            }
            Expect::Error(kind, id) => {
                assert_eq!(record["ok"], false, "{record}");
                assert_eq!(record["error"]["kind"], *kind, "{record}");
                assert_eq!(record["id"], id.map_or(Value::Null, Value::from), "{record}");
                assert!(record["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
            }
            Expect::Blank => unreachable!("blank lines are filtered out above"),
        }
    }
    let summary = stderr(&output);
    assert!(summary.contains("140 lines: 40 scored, 80 errors, 20 blank"), "{summary}");
    assert!(summary.contains("80 of 120 inputs could not be scored"), "{summary}");
}

#[test]
fn the_syntax_error_record_says_where_in_the_line() {
    let path = temp_file("syntax.jsonl", &[b"{\"id\": \"x\", \"turns\": 7}".to_vec()]);
    let output = rubric(&["batch", path.to_str().unwrap()]);
    let record = &records(&stdout(&output))[0];
    assert_eq!(record["error"]["path"], "turns", "{record}");
    assert_eq!(record["error"]["line"], 1, "{record}");
    assert!(record["error"]["column"].as_u64().is_some_and(|c| c > 1), "{record}");
    // One of each: the summary says so in the singular.
    let summary = stderr(&output);
    assert!(summary.contains("batch: 1 line: 0 scored, 1 error, 0 blank; "), "{summary}");
    assert!(summary.contains("1 of 1 input could not be scored"), "{summary}");
}

#[test]
fn a_line_over_the_byte_limit_is_an_error_record_and_the_next_line_still_scores() {
    let small = br#"{"id": "small", "turns": [{"speaker": "c", "role": "candidate", "text": "I would clarify the input size first."}]}"#;
    let big = format!(
        r#"{{"id": "big", "turns": [{{"speaker": "c", "role": "candidate", "text": "{}"}}]}}"#,
        "word ".repeat(2000)
    );
    let expected_message = format!("the line has {} bytes, over the limit of 1000", big.len());
    let path = temp_file("limit.jsonl", &[big.into_bytes(), small.to_vec()]);
    let output = rubric(&["batch", path.to_str().unwrap(), "--summary", "--limit", "max_transcript_bytes=1000"]);
    let records = records(&stdout(&output));
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["error"]["kind"], "limit_exceeded");
    assert_eq!(records[0]["id"], Value::Null, "an overlong line is not kept, so its id is unknown");
    assert!(records[0]["error"]["message"].as_str().unwrap().contains(&expected_message), "{}", records[0]);
    assert_eq!(records[1]["ok"], true);
    assert_eq!(records[1]["id"], "small");
    assert!(records[1]["summary"]["score"].is_number());
    assert!(records[1].get("scorecard").is_none(), "--summary leaves the scorecard out");
}

#[test]
fn summary_records_carry_the_overall_and_competency_scores() {
    let path = temp_file("summary.jsonl", &[fixture_line("coding-round/strong.json")]);
    let output = rubric(&["batch", path.to_str().unwrap(), "--summary"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let record = &records(&stdout(&output))[0];
    let card = golden("coding-round/strong.json");
    assert_eq!(record["summary"]["score"], card["overall"]["score"]);
    assert_eq!(record["summary"]["level"], card["overall"]["level"]);
    for competency in card["competencies"].as_array().unwrap() {
        let id = competency["id"].as_str().unwrap();
        assert_eq!(record["summary"]["competencies"][id], competency["score"], "{id}");
    }
}

#[test]
fn standard_input_and_other_formats_work_too() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .args(["batch", "-", "--summary", "--speaker", "A=interviewer", "--speaker", "B=candidate"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let line = fixture_line("formats/two-sum.utterances.json");
    child.stdin.take().unwrap().write_all(&[line.as_slice(), b"\n", line.as_slice(), b"\n"].concat()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let records = records(&stdout(&output));
    assert_eq!(records.iter().map(|r| r["line"].as_u64().unwrap()).collect::<Vec<_>>(), [1, 2]);
    assert!(records.iter().all(|r| r["ok"] == true && r["id"] == "two-sum"));
}

#[test]
fn limit_flags_are_checked() {
    let unknown = rubric(&["batch", "-", "--limit", "max_turn=5"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("unknown limit `max_turn`; did you mean `max_turns`?"), "{}", stderr(&unknown));
    let not_a_number = rubric(&["score", "fixtures/transcripts/coding-round/weak.json", "--limit", "max_turns=lots"]);
    assert_eq!(not_a_number.status.code(), Some(2));
    assert!(stderr(&not_a_number).contains("expected a whole number"), "{}", stderr(&not_a_number));
    let lowered = rubric(&["score", "fixtures/transcripts/coding-round/weak.json", "--limit", "max_turns=3"]);
    assert_eq!(lowered.status.code(), Some(1));
    assert!(stderr(&lowered).contains("limit"), "{}", stderr(&lowered));
}

/// A directory of transcript files in several formats, one that fails, and entries to pass over.
fn transcript_directory(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rubric-batch-dir-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    let copy =
        |from: &str, to: &str| std::fs::copy(root().join("fixtures/transcripts").join(from), dir.join(to)).unwrap();
    copy("coding-round/weak.json", "b-weak.json");
    copy("coding-round/strong.json", "a-strong.json");
    copy("formats/two-sum.srt", "c-two-sum.srt");
    copy("formats/two-sum.clock.txt", "d-two-sum.TXT");
    copy("coding-round/weak.json", ".hidden.json");
    copy("coding-round/weak.json", "nested/deeper.json");
    std::fs::write(dir.join("e-broken.json"), "{\"turns\": 5}").unwrap();
    std::fs::write(dir.join("notes.md"), "not a transcript").unwrap();
    dir
}

#[test]
fn a_directory_is_one_record_per_transcript_file_in_name_order() {
    let dir = transcript_directory("batch");
    let d = dir.to_str().unwrap();
    let output = rubric(&["batch", d, "--speaker", "Dana=interviewer", "--speaker", "Sam=candidate"]);
    assert_eq!(output.status.code(), Some(1), "one file fails: {}", stderr(&output));
    let records = records(&stdout(&output));
    let files: Vec<&str> = records.iter().map(|r| r["file"].as_str().unwrap()).collect();
    let names = ["a-strong.json", "b-weak.json", "c-two-sum.srt", "d-two-sum.TXT", "e-broken.json"];
    assert_eq!(files, names.map(|n| dir.join(n).display().to_string()), "hidden, nested and other files left out");
    assert!(records.iter().all(|r| r.get("line").is_none()), "a file has no line number");
    assert_eq!(records[0]["scorecard"], golden("coding-round/strong.json"));
    assert_eq!(records[1]["scorecard"], golden("coding-round/weak.json"));
    // Each file is imported by its own extension, with the shared speaker mapping.
    assert_eq!(records[2]["ok"], true, "{}", records[2]);
    assert_eq!(records[3]["ok"], true, "{}", records[3]);
    assert_eq!(records[2]["scorecard"]["overall"], records[3]["scorecard"]["overall"], "the same conversation");
    assert_eq!(records[4]["error"]["kind"], "schema");
    let err = stderr(&output);
    assert!(err.contains("3 entries passed over"), "{err}");
    assert!(err.contains("5 files: 4 scored, 1 error"), "{err}");
    // Standard error is not a terminal here: no progress bar, no control characters.
    assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn score_takes_several_files_and_directories_with_one_result_each() {
    let dir = transcript_directory("score");
    let strong = "fixtures/transcripts/coding-round/strong.json";
    let broken = dir.join("e-broken.json");
    let args = ["score", strong, broken.to_str().unwrap(), "fixtures/transcripts/coding-round/weak.json"];
    let output = rubric(&args);
    assert_eq!(output.status.code(), Some(1), "the broken file fails, the others are scored");
    let text = stdout(&output);
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("==> ")).collect();
    assert_eq!(headings.len(), 3, "{text}");
    assert_eq!(headings[0], format!("==> {strong} <=="));
    assert_eq!(text.matches("OVERALL").count(), 2, "{text}");
    assert!(stderr(&output).contains("e-broken.json"), "{}", stderr(&output));
    assert!(stderr(&output).contains("1 of 3 transcripts could not be scored"), "{}", stderr(&output));
    // JSON: one batch record per file, and no further document after them.
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let records = records(&stdout(&rubric(&json_args)));
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["scorecard"], golden("coding-round/strong.json"));
    assert_eq!((records[1]["ok"].as_bool(), records[2]["ok"].as_bool()), (Some(false), Some(true)));
    // A directory stands for its transcript files.
    let output = rubric(&[
        "score",
        dir.to_str().unwrap(),
        "--format",
        "json",
        "--speaker",
        "Dana=interviewer",
        "--speaker",
        "Sam=candidate",
    ]);
    assert_eq!(records_of(&output).len(), 5);
    // Standard input goes alone.
    let output = rubric(&["score", "-", strong]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn records_of(output: &std::process::Output) -> Vec<Value> {
    records(&stdout(output))
}
