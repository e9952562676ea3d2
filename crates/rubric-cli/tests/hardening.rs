//! Issue 15 on the command line: closed pipes, unbounded and special input files, concurrent and
//! interrupted `history add`, control characters in text output, and unsafe `--out` targets.

mod common;

use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{root, rubric, stderr, stdout};

const WEAK: &str = "fixtures/transcripts/coding-round/weak.json";
const STRONG: &str = "fixtures/transcripts/coding-round/strong.json";

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rubric-hardening-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Runs the binary with stdout a pipe whose reader reads `keep` bytes and then closes it.
fn run_into_closed_pipe(args: &[&str], keep: usize) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .args(args)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut buf = vec![0; keep];
    out.read_exact(&mut buf).unwrap();
    drop(out);
    child.wait_with_output().unwrap()
}

fn add(history: &Path, transcript: &str, candidate: &str, date: &str) -> std::process::Output {
    rubric(&["history", "add", s(history), transcript, "--candidate", candidate, "--date", date])
}

#[test]
fn a_closed_stdout_is_exit_3_not_a_panic_for_every_command() {
    let dir = temp_dir("pipe");
    let history = dir.join("h.jsonl");
    for (i, transcript) in [WEAK, STRONG, WEAK].iter().enumerate() {
        assert_eq!(add(&history, transcript, "Ada", &format!("2024-01-0{}", i + 1)).status.code(), Some(0));
    }
    // Thirty more candidates, so `history show` prints far more than a pipe holds.
    let first = std::fs::read_to_string(&history).unwrap().lines().next().unwrap().to_string();
    let more: String = (0..30).map(|i| first.replace("\"Ada\"", &format!("\"C{i}\"")) + "\n").collect();
    std::fs::OpenOptions::new().append(true).open(&history).unwrap().write_all(more.as_bytes()).unwrap();
    let h = s(&history);
    let corpus = dir.join("corpus.jsonl");
    let line = serde_json::to_string(
        &serde_json::from_slice::<serde_json::Value>(&std::fs::read(root().join(STRONG)).unwrap()).unwrap(),
    )
    .unwrap();
    std::fs::write(&corpus, format!("{line}\n").repeat(40)).unwrap();
    let bank = dir.join("bank.yaml");
    let prompt = "Design and implement it. ".repeat(20);
    let mut questions = String::new();
    for i in 0..300 {
        let difficulty = i % 5 + 1;
        let _ = write!(
            questions,
            "  - id: q{i}\n    round: coding\n    difficulty: {difficulty}\n    prompt: {prompt}\n    subcompetencies: [solution_design]\n"
        );
    }
    std::fs::write(&bank, format!("questions:\n{questions}")).unwrap();
    // Outputs larger than a pipe buffer (64 KiB), so the writer meets the closed pipe.
    let cases: Vec<Vec<&str>> = vec![
        vec!["score", STRONG, "--format", "json"],
        vec!["history", "show", h, "--format", "json"],
        vec!["plan", "--history", h, "--bank", s(&bank), "--candidate", "Ada", "--count", "300"],
        vec!["batch", s(&corpus), "--threads", "1"],
    ];
    for args in cases {
        let output = run_into_closed_pipe(&args, 1);
        let err = stderr(&output);
        assert!(!err.contains("panicked") && !err.contains("failed printing"), "{args:?}: {err}");
        assert_eq!(output.status.code(), Some(3), "{args:?}: {err}");
        assert!(err.contains("<stdout>"), "{args:?}: {err}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[cfg(unix)]
#[test]
fn a_closed_stderr_does_not_panic() {
    let dir = temp_dir("stderr");
    let history = dir.join("h.jsonl");
    std::fs::write(&history, "{not a record\n").unwrap();
    // stderr is a pipe whose reader is gone: the warning about line 1 cannot be written.
    let mut child = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .args(["history", "show", s(&history)])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("no sessions"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_sparse_file_over_the_limit_is_refused_without_being_read() {
    let dir = temp_dir("sparse");
    let big = dir.join("big.json");
    // 3 GB of holes: reading it would take seconds and gigabytes.
    std::fs::File::create(&big).unwrap().set_len(3 << 30).unwrap();
    let started = std::time::Instant::now();
    for args in [vec!["score", s(&big)], vec!["check", s(&big)]] {
        let output = rubric(&args);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {}", stderr(&output));
        let limit = if args[0] == "score" { "max_transcript_bytes" } else { "max_rubric_bytes" };
        assert!(
            stderr(&output).contains("the file is 3221225472 bytes, over the limit of")
                && stderr(&output).contains(limit),
            "{}",
            stderr(&output)
        );
    }
    assert!(started.elapsed().as_secs() < 5, "took {:?}", started.elapsed());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn standard_input_is_read_only_up_to_the_limit() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .args(["score", "-", "--limit", "max_transcript_bytes=1000"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Far more than the limit; the reader stops after 1001 bytes, so this write may fail.
    let _ = stdin.write_all(&vec![b' '; 1 << 20]);
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("more than 1000 bytes, over the limit of 1000 bytes (max_transcript_bytes)"));
    // And a transcript within the limit scores from standard input.
    let text = std::fs::read(root().join(WEAK)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .args(["score", "-", "--format", "json"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), stdout(&rubric(&["score", WEAK, "--format", "json"])));
}

#[cfg(target_os = "linux")]
#[test]
fn devices_are_refused_and_writing_to_a_full_device_fails() {
    let dir = temp_dir("devices");
    let history = dir.join("h.jsonl");
    assert_eq!(add(&history, WEAK, "Ada", "2024-01-01").status.code(), Some(0));
    let cases: [&[&str]; 5] = [
        &["score", "/dev/zero"],
        &["check", "/dev/zero"],
        &["history", "show", "/dev/zero"],
        &["history", "add", "/dev/full", WEAK, "--candidate", "Ada", "--date", "2024-01-01"],
        &["plan", "--history", s(&history), "--bank", "/dev/zero", "--candidate", "Ada"],
    ];
    for args in cases {
        let output = rubric(args);
        assert_eq!(output.status.code(), Some(3), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains("a character device, not a regular file"), "{}", stderr(&output));
    }
    let output = rubric(&["score", WEAK, "--out", "/dev/full"]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(stderr(&output).contains("/dev/full: No space left on device"), "{}", stderr(&output));
    std::fs::remove_dir_all(dir).unwrap();
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_instead_of_blocking() {
    let dir = temp_dir("fifo");
    let fifo = dir.join("pipe.jsonl");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let cases: [&[&str]; 4] = [
        &["history", "show", s(&fifo)],
        &["history", "add", s(&fifo), WEAK, "--candidate", "Ada", "--date", "2024-01-01"],
        &["score", s(&fifo)],
        &["report", WEAK, "--history", s(&fifo), "--out", "/dev/null"],
    ];
    for args in cases {
        // A blocked open would hang the test: run with a deadline.
        let mut child = Command::new(env!("CARGO_BIN_EXE_rubric"))
            .args(args)
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while child.try_wait().unwrap().is_none() {
            if std::time::Instant::now() > deadline {
                child.kill().unwrap();
                panic!("{args:?} blocked on the FIFO");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(3), "{args:?}");
        assert!(stderr(&output).contains("a FIFO (named pipe), not a regular file"), "{}", stderr(&output));
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_history_line_over_the_line_limit_is_skipped_not_loaded() {
    let dir = temp_dir("longline");
    let history = dir.join("h.jsonl");
    assert_eq!(add(&history, WEAK, "Ada", "2024-01-01").status.code(), Some(0));
    // A 65 MiB line of spaces after the good one, made sparse-free but cheap: one write.
    let mut file = std::fs::OpenOptions::new().append(true).open(&history).unwrap();
    file.write_all(&vec![b'x'; (64 << 20) + 1]).unwrap();
    drop(file);
    let output = rubric(&["history", "show", s(&history), "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["problems"][0]["line"], 2);
    assert_eq!(json["problems"][0]["reason"], "the line has 67108865 bytes, over the limit of 67108864 bytes");
    assert_eq!(json["trends"][0]["sessions"], 1);
    // `add` after it: the unterminated long line gets its newline, the record its own line.
    assert_eq!(add(&history, STRONG, "Ada", "2024-01-02").status.code(), Some(0));
    let output = rubric(&["history", "show", s(&history), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["trends"][0]["sessions"], 2, "{}", stderr(&output));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn twenty_concurrent_adds_keep_every_record_exactly_once() {
    let dir = temp_dir("concurrent");
    let history = dir.join("h.jsonl");
    let children: Vec<_> = (0..20)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_rubric"))
                .args(["history", "add", s(&history), WEAK, "--candidate", &format!("Writer {i:02}")])
                .args(["--date", "2024-01-01"])
                .current_dir(root())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(!stderr(&output).contains("line skipped"), "a reader saw a partial record: {}", stderr(&output));
    }
    let text = std::fs::read_to_string(&history).unwrap();
    let lines: Vec<&str> = text.split_terminator('\n').collect();
    assert_eq!(lines.len(), 20, "blank or split lines");
    let mut names: Vec<String> = lines
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["candidate"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(names, (0..20).map(|i| format!("Writer {i:02}")).collect::<Vec<_>>());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_record_after_a_writer_killed_mid_line_lands_on_its_own_line() {
    let dir = temp_dir("killed");
    let history = dir.join("h.jsonl");
    assert_eq!(add(&history, WEAK, "Ada", "2024-01-01").status.code(), Some(0));
    let good = std::fs::read_to_string(&history).unwrap();
    // What a writer killed mid-write leaves: the first half of a record, no newline.
    std::fs::write(&history, format!("{good}{}", &good[..good.len() / 2])).unwrap();
    let output = add(&history, STRONG, "Ada", "2024-01-02");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = rubric(&["history", "show", s(&history), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["problems"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(json["problems"][0]["line"], 2);
    assert!(stderr(&output).contains("h.jsonl:2: line skipped"), "{}", stderr(&output));
    assert_eq!(json["trends"][0]["sessions"], 2);
    let text = std::fs::read_to_string(&history).unwrap();
    assert_eq!(text.lines().count(), 3);
    assert!(text.lines().nth(2).unwrap().starts_with('{') && text.ends_with('\n'));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn control_characters_in_transcripts_are_escaped_in_text_output() {
    let dir = temp_dir("controls");
    let transcript = dir.join("evil.json");
    let json = serde_json::json!({
        "id": "evil\u{1b}]0;owned\u{7}",
        "turns": [
            {"speaker": "Int\u{1b}[2Jerviewer", "role": "interviewer", "text": "Two sum. \u{1b}[31mred\u{1b}[0m"},
            {"speaker": "Cand\u{9b}31m", "role": "candidate",
             "text": "Can I assume the input \u{1b}[8mhidden\r\u{7f} fits in memory? I'll use a hash map, O(n) time."}
        ]
    });
    std::fs::write(&transcript, serde_json::to_string(&json).unwrap()).unwrap();
    let history = dir.join("h.jsonl");
    for args in [
        vec!["score", s(&transcript)],
        vec!["history", "add", s(&history), s(&transcript), "--candidate", "Zoë\u{1b}[1m", "--date", "2024-01-01"],
        vec!["history", "show", s(&history)],
    ] {
        let output = rubric(&args);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", stderr(&output));
        let text = stdout(&output) + &stderr(&output);
        assert!(!text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{args:?}: {text:?}");
        if args[0] == "score" {
            assert!(text.contains("evil\\u{1b}]0;owned\\u{7}"), "{text}");
        }
    }
    let output = rubric(&["score", s(&transcript), "--format", "json"]);
    assert!(!stdout(&output).chars().any(|c| c.is_control() && c != '\n'));
    let card: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(card["transcript"]["id"], "evil\u{1b}]0;owned\u{7}", "JSON keeps the value");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn out_naming_an_input_is_refused_and_the_input_kept() {
    let dir = temp_dir("same");
    let history = dir.join("h.jsonl");
    assert_eq!(add(&history, WEAK, "Ada", "2024-01-01").status.code(), Some(0));
    let before = std::fs::read(&history).unwrap();
    let transcript = dir.join("in.json");
    std::fs::copy(root().join(WEAK), &transcript).unwrap();
    let relative = dir.join(".").join("in.json");
    for args in [
        vec!["report", WEAK, "--history", s(&history), "--out", s(&history)],
        vec!["score", s(&transcript), "--out", s(&relative)],
        vec!["batch", s(&transcript), "--out", s(&transcript)],
    ] {
        let output = rubric(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains("is an input of this command"), "{}", stderr(&output));
    }
    assert_eq!(std::fs::read(&history).unwrap(), before);
    assert_eq!(std::fs::read(&transcript).unwrap(), std::fs::read(root().join(WEAK)).unwrap());
    std::fs::remove_dir_all(dir).unwrap();
}

#[cfg(unix)]
#[test]
fn out_through_a_symlink_is_refused_and_outputs_are_renamed_into_place() {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    let dir = temp_dir("symlink");
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let link = dir.join("card.json");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let output = rubric(&["score", WEAK, "--out", s(&link)]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("is a symbolic link"), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    // A regular target is replaced by a new file (a new inode), with its permissions kept; no
    // temporary file is left behind.
    let out = dir.join("report.html");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    let inode = std::fs::metadata(&out).unwrap().ino();
    let output = rubric(&["report", WEAK, "--out", s(&out)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let metadata = std::fs::metadata(&out).unwrap();
    assert_ne!(metadata.ino(), inode);
    assert_eq!(metadata.permissions().mode() & 0o777, 0o640);
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("<!DOCTYPE html>"));
    let names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn report_axes_never_print_nan_for_huge_history_values() {
    let dir = temp_dir("nan");
    let history = dir.join("h.jsonl");
    assert_eq!(add(&history, WEAK, "Ada", "2024-01-01").status.code(), Some(0));
    assert_eq!(add(&history, STRONG, "Ada", "2024-01-02").status.code(), Some(0));
    // A hand-edited history: words per answer near f64::MAX overflow the axis maximum.
    let text = std::fs::read_to_string(&history).unwrap();
    let mut lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    lines[1]["scorecard"]["metrics"]["mean_words_per_answer"] = serde_json::json!(1.7e308);
    let text: String = lines.iter().map(|l| l.to_string() + "\n").collect();
    std::fs::write(&history, text).unwrap();
    let out = dir.join("report.html");
    let output = rubric(&["report", WEAK, "--history", s(&history), "--out", s(&out)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(!html.contains("NaN"), "NaN in the report");
    std::fs::remove_dir_all(dir).unwrap();
}
