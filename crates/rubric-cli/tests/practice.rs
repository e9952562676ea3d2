//! The practice loop on the command line: `history add`, `history show`, `plan` and `report`, their
//! output and exit codes (0 ok, 1 invalid input, 2 usage, 3 I/O).

mod common;

use std::path::{Path, PathBuf};

use common::{root, rubric, stderr, stdout};

/// A fresh temporary directory for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rubric-practice-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Records weak then strong coding sessions and a system-design session for Zoë, and one for Kyle.
fn two_candidate_history(dir: &Path) -> PathBuf {
    let history = dir.join("history.jsonl");
    let h = s(&history);
    for (candidate, date, transcript, rubric_name) in [
        ("Zoë", "2024-05-01", "fixtures/transcripts/coding-round/weak.json", "coding-round"),
        ("Zoë", "2024-05-20", "fixtures/transcripts/system-design/weak.json", "system-design"),
        ("Zoë", "2024-06-01", "fixtures/transcripts/coding-round/strong.json", "coding-round"),
        ("Kyle", "2024-06-02", "fixtures/transcripts/coding-round/weak.json", "coding-round"),
    ] {
        let output = rubric(&[
            "history",
            "add",
            h,
            "--candidate",
            candidate,
            "--date",
            date,
            transcript,
            "--rubric",
            rubric_name,
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(stdout(&output).contains(&format!("added {date}")), "{}", stdout(&output));
    }
    history
}

#[test]
fn history_add_appends_one_line_per_session_and_show_prints_trends() {
    let dir = temp_dir("show");
    let history = two_candidate_history(&dir);
    let text = std::fs::read_to_string(&history).unwrap();
    assert_eq!(text.lines().count(), 4);
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["candidate"], "Zoë");
    assert_eq!(first["date"], "2024-05-01");
    assert_eq!(first["round"], "coding");
    assert_eq!(first["rubric"]["version"], "1.0.0");
    assert_eq!(first["questions"][0], "min-size-subarray-sum");
    assert!(first["specificity"]["per_100_words"].is_number());

    let output = rubric(&["history", "show", s(&history), "--candidate", "Zoë"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "Zoë: 3 sessions in trends",
        "CODING  coding-round v1.0.0 | 2 sessions, 2024-05-01 to 2024-06-01",
        "SYSTEM DESIGN  system-design v1.0.0 | 1 session",
        "Understanding the problem",
        "TRACKED",
        "Technical depth",
        "Words per answer",
        "Time to first working solution (s)",
        "Specificity (per 100 words)",
        "technical depth = mean of solution_design, complexity_analysis, verification_debugging",
        "WEAKEST AREAS",
        "improving",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    assert!(!text.contains("Kyle"));
    // The system-design round has one session: its column says so in the singular.
    assert!(text.contains("last 2 sessions") && text.contains("last session"), "{text}");
    assert!(!text.contains("last 1 sessions"), "{text}");
    // Without --candidate: every candidate.
    let all = stdout(&rubric(&["history", "show", s(&history)]));
    assert!(all.contains("Kyle: 1 session in trends") && all.contains("Zoë: 3 sessions"), "{all}");

    let output = rubric(&["history", "show", s(&history), "--candidate", "Zoë", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["problems"].as_array().unwrap().len(), 0);
    let coding = &json["trends"][0]["rounds"][0];
    assert_eq!(coding["round"], "coding");
    assert_eq!(coding["overall"]["verdict"], "improving");
    assert_eq!(coding["overall"]["points"].as_array().unwrap().len(), 2);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn corrupt_lines_are_warned_about_and_other_versions_left_out() {
    let dir = temp_dir("corrupt");
    let history = two_candidate_history(&dir);
    let mut text = std::fs::read_to_string(&history).unwrap();
    // An old-version copy of the first session, a broken line and a truncated last line.
    let old = text.lines().next().unwrap().replacen("\"version\":\"1.0.0\"", "\"version\":\"0.9.0\"", 2);
    text = format!("{text}{old}\nthis is not json\n{{\"format\":1,\"candidate\":\"Zo");
    std::fs::write(&history, &text).unwrap();
    let output = rubric(&["history", "show", s(&history), "--candidate", "Zoë"]);
    assert_eq!(output.status.code(), Some(0), "corrupt lines do not fail the command");
    let warnings = stderr(&output);
    assert!(warnings.contains("history.jsonl:6: line skipped"), "{warnings}");
    assert!(warnings.contains("history.jsonl:7: line skipped"), "{warnings}");
    let out = stdout(&output);
    assert!(out.contains("Zoë: 3 sessions in trends"), "{out}");
    assert!(out.contains("LEFT OUT (other rubric versions)"), "{out}");
    assert!(out.contains("line 5 (2024-05-01): scored with coding-round v0.9.0; trends use v1.0.0"), "{out}");
    // Adding after a truncated last line starts a new line; the damaged one stays reported.
    let output = rubric(&[
        "history",
        "add",
        s(&history),
        "--candidate",
        "Zoë",
        "--date",
        "2024-07-01",
        "fixtures/transcripts/coding-round/strong.json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("1 earlier session(s) of Zoë used another version of coding-round"));
    let output = rubric(&["history", "show", s(&history), "--candidate", "Zoë", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let lines: Vec<u64> = json["problems"].as_array().unwrap().iter().map(|p| p["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [6, 7]);
    assert_eq!(json["trends"][0]["sessions"], 4);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn history_exit_codes() {
    let dir = temp_dir("history-codes");
    let h = dir.join("h.jsonl");
    let weak = "fixtures/transcripts/coding-round/weak.json";
    let add = |extra: &[&str]| {
        let mut args = vec!["history", "add", s(&h), "--candidate", "Ada"];
        args.extend_from_slice(extra);
        rubric(&args)
    };
    let bad_date = add(&["--date", "2024-02-30", weak]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(stderr(&bad_date).contains("day 30 is outside 01..29"), "{}", stderr(&bad_date));
    assert_eq!(add(&["--date", "05/01/2024", weak]).status.code(), Some(2));
    let bad_round = add(&["--date", "2024-05-01", "--round", "cooking", weak]);
    assert_eq!(bad_round.status.code(), Some(2));
    assert!(stderr(&bad_round).contains("rounds: recruiter_screen, coding"), "{}", stderr(&bad_round));
    assert_eq!(add(&["--date", "2024-05-01", "no/such/transcript.json"]).status.code(), Some(3));
    assert_eq!(add(&["--date", "2024-05-01", "rubrics/coding-round.yaml"]).status.code(), Some(1));
    let blank = rubric(&["history", "add", s(&h), "--candidate", " ", "--date", "2024-05-01", weak]);
    assert_eq!(blank.status.code(), Some(2));
    // A rubric with no round needs --round.
    let no_round = dir.join("no-round.yaml");
    let yaml =
        std::fs::read_to_string(root().join("rubrics/coding-round.yaml")).unwrap().replacen("round: coding\n", "", 1);
    std::fs::write(&no_round, yaml).unwrap();
    let output = add(&["--date", "2024-05-01", "--rubric", s(&no_round), weak]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("names no round; pass --round"), "{}", stderr(&output));
    assert_eq!(
        add(&["--date", "2024-05-01", "--rubric", s(&no_round), "--round", "coding", weak]).status.code(),
        Some(0)
    );
    assert!(!h.exists() || std::fs::read_to_string(&h).unwrap().lines().count() == 1, "failed adds write nothing");

    assert_eq!(rubric(&["history", "show", "no/such/history.jsonl"]).status.code(), Some(3));
    let unknown = rubric(&["history", "show", s(&h), "--candidate", "Nobody"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("no sessions for \"Nobody\"; candidates: Ada"), "{}", stderr(&unknown));
    assert_eq!(rubric(&["history", "show", s(&h), "--window", "1"]).status.code(), Some(2));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn plan_is_deterministic_explained_and_scheduled() {
    let dir = temp_dir("plan");
    let history = two_candidate_history(&dir);
    let args = [
        "plan",
        "--history",
        s(&history),
        "--bank",
        "question-banks/starter.yaml",
        "--candidate",
        "Kyle",
        "--seed",
        "42",
        "--until",
        "2024-06-12",
        "--from",
        "2024-06-03",
    ];
    let output = rubric(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert_eq!(text, stdout(&rubric(&args)), "same seed, same plan");
    for expected in [
        "Plan for Kyle: 10 of 10 questions (seed 42); mix 4 weak area / 4 new / 2 harder",
        "coding            difficulty 1  (overall 0.06 on coding-round v1.0.0 on 2024-06-02)",
        "WEAK AREAS (weakest first)",
        "[weak area]",
        "[new]",
        "[harder]",
        "why: weak area:",
        "SCHEDULE 2024-06-03 to 2024-06-12 (weak areas first)",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }

    let json_args: Vec<&str> = args.iter().copied().chain(["--format", "json"]).collect();
    let plan: serde_json::Value = serde_json::from_str(&stdout(&rubric(&json_args))).unwrap();
    let questions = plan["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 10);
    let ids: std::collections::BTreeSet<&str> = questions.iter().map(|q| q["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 10, "no repeats");
    assert_eq!(plan["schedule"].as_array().unwrap().len(), 10);
    assert_eq!(plan["schedule"][0]["date"], "2024-06-03");
    assert_eq!(questions[0]["category"], "weak_area");
    // The question Kyle answered may come back only as a weak-area retake, never as new or harder.
    for q in questions.iter().filter(|q| q["id"] == "min-size-subarray-sum") {
        assert_eq!((q["category"].as_str(), q["seen_before"].as_bool()), (Some("weak_area"), Some(true)));
    }

    let other_seed: Vec<&str> =
        args.iter().map(|a| if *a == "42" { "43" } else { a }).chain(["--format", "json"]).collect();
    let other: serde_json::Value = serde_json::from_str(&stdout(&rubric(&other_seed))).unwrap();
    assert_eq!(other["mix"], plan["mix"]);

    // An empty history: baseline questions, and a note saying why.
    let empty = dir.join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let output = rubric(&[
        "plan",
        "--history",
        s(&empty),
        "--bank",
        "question-banks/starter.yaml",
        "--candidate",
        "New",
        "--round",
        "coding",
        "--count",
        "5",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("baseline (no history yet)") && text.contains("no sessions for New yet"), "{text}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn plan_reports_what_a_small_bank_cannot_fill_and_its_errors() {
    let dir = temp_dir("plan-bank");
    let empty = dir.join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let small = dir.join("small.yaml");
    std::fs::write(
        &small,
        "questions:\n  - { id: a, round: coding, difficulty: 2, prompt: Two sum, subcompetencies: [solution_design] }\n",
    )
    .unwrap();
    let output = rubric(&["plan", "--history", s(&empty), "--bank", s(&small), "--candidate", "Ada"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("Plan for Ada: 1 of 10 questions"), "{text}");
    assert!(text.contains("NOT FILLED"), "{text}");
    assert!(text.contains("weak area: 0 of 4"), "{text}");
    assert!(text.contains("harder: 0 of 2 - the bank has no more unseen harder questions (coding above 2)"), "{text}");

    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "questions:\n  - id: a\n    round: coding\n    difficulty: 7\n    prompt: x\n    subcompetencies: [s]\n",
    )
    .unwrap();
    let output = rubric(&["plan", "--history", s(&empty), "--bank", s(&bad), "--candidate", "Ada"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("questions[0].difficulty: difficulty 7 must be between 1 and 5 (line 4, column 17)"),
        "{}",
        stderr(&output)
    );
    let base = ["plan", "--history", s(&empty), "--bank", "question-banks/starter.yaml", "--candidate", "Ada"];
    let with = |extra: &[&str]| rubric(&base.iter().copied().chain(extra.iter().copied()).collect::<Vec<_>>());
    let backwards = with(&["--from", "2024-06-10", "--until", "2024-06-01"]);
    assert_eq!(backwards.status.code(), Some(2));
    assert!(stderr(&backwards).contains("before the start date"), "{}", stderr(&backwards));
    assert_eq!(with(&["--from", "2024-06-10"]).status.code(), Some(2), "--from needs --until");
    assert_eq!(with(&["--count", "0"]).status.code(), Some(2));
    assert_eq!(with(&["--until", "2024-13-01"]).status.code(), Some(2));
    assert_eq!(
        rubric(&["plan", "--history", s(&empty), "--bank", "no/such/bank.yaml", "--candidate", "Ada"]).status.code(),
        Some(3)
    );
    assert_eq!(
        rubric(&["plan", "--history", "no/such.jsonl", "--bank", "question-banks/starter.yaml", "--candidate", "Ada"])
            .status
            .code(),
        Some(3)
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn report_writes_one_self_contained_html_file() {
    let dir = temp_dir("report");
    let history = two_candidate_history(&dir);
    let out = dir.join("report.html");
    let output = rubric(&[
        "report",
        "fixtures/transcripts/coding-round/strong.json",
        "--history",
        s(&history),
        "--candidate",
        "Zoë",
        "--out",
        s(&out),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    for expected in ["<style>", "<svg", "Progress over 3 sessions", "Sub-competencies", "<mark class=\"for\"", "Zoë"] {
        assert!(html.contains(expected), "{expected} missing");
    }
    for external in ["<script", "<link", "http://", "https://", "<img"] {
        assert!(!html.contains(external), "{external} in a self-contained report");
    }
    // Without a history: no progress section.
    let plain = dir.join("plain.html");
    let output =
        rubric(&["report", "fixtures/transcripts/behavioral-star/weak.json", "-r", "behavioral-star", "-o", s(&plain)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!std::fs::read_to_string(&plain).unwrap().contains("Progress over"));

    // Exit codes.
    let ambiguous =
        rubric(&["report", "fixtures/transcripts/coding-round/strong.json", "--history", s(&history), "-o", s(&out)]);
    assert_eq!(ambiguous.status.code(), Some(2));
    assert!(
        stderr(&ambiguous).contains("several candidates; pick one with --candidate: Kyle, Zoë"),
        "{}",
        stderr(&ambiguous)
    );
    assert_eq!(
        rubric(&["report", "fixtures/transcripts/coding-round/strong.json"]).status.code(),
        Some(2),
        "--out is required"
    );
    assert_eq!(rubric(&["report", "rubrics/coding-round.yaml", "-o", s(&out)]).status.code(), Some(1));
    assert_eq!(
        rubric(&["report", "fixtures/transcripts/coding-round/strong.json", "-o", "/no/such/dir/r.html"]).status.code(),
        Some(3)
    );
    std::fs::remove_dir_all(dir).unwrap();
}
