//! The `rubric` binary: output, exit codes (0 ok, 1 invalid input, 2 usage, 3 I/O) and messages.

mod common;

use common::{root, rubric, stderr, stdout};

#[test]
fn list_shows_every_bundled_rubric() {
    let output = rubric(&["list"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for name in ["coding-round", "system-design", "behavioral-star", "code-review", "recruiter-screen"] {
        assert!(text.lines().any(|l| l.starts_with(name)), "{name} missing from:\n{text}");
    }
}

#[test]
fn score_prints_a_readable_scorecard_with_the_default_rubric() {
    let output = rubric(&["score", "fixtures/transcripts/coding-round/weak.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in ["coding-round v1.0.0", "OVERALL", "RED FLAGS", "METRICS", "NEXT TIME", "[!]", "against ("] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    // Every mark used is explained in the legend, and the legend names only marks there are.
    let legend = text.lines().find(|l| l.starts_with("marks: ")).expect("a legend line");
    for mark in ["[x]", "[~]", "[ ]", "[!]", "[-]"] {
        assert!(legend.contains(&format!("{mark} ")), "{mark} missing from {legend}");
    }
    assert!(legend.contains("[!] evidence against"), "{legend}");
}

#[test]
fn text_output_shows_each_score_as_the_core_defines_it() {
    use rubric_core::display;
    let path = "fixtures/transcripts/coding-round/weak.json";
    let text = stdout(&rubric(&["score", path]));
    let json: serde_json::Value = serde_json::from_str(&stdout(&rubric(&["score", path, "--format", "json"]))).unwrap();
    let top = json["scale"].as_array().unwrap().last().unwrap()["level"].as_i64().unwrap() as i32;
    let words = |node: &serde_json::Value| {
        display::score(node["score"].as_f64(), node["level"].as_i64().map(|l| l as i32), node["label"].as_str(), top)
    };
    let line_of =
        |title: &str| text.lines().find(|l| l.trim_start().starts_with(title)).unwrap_or_default().to_string();
    assert!(line_of("OVERALL").contains(&words(&json["overall"])), "{}", line_of("OVERALL"));
    let mut nodes = 0;
    for competency in json["competencies"].as_array().unwrap() {
        for node in std::iter::once(competency).chain(competency["subcompetencies"].as_array().unwrap()) {
            let line = line_of(node["title"].as_str().unwrap());
            assert!(line.contains(&words(node)), "{line:?} should say {:?}", words(node));
            nodes += 1;
        }
    }
    assert!(nodes > 5 && text.contains("0%, level 1 of 4"), "a node that scored 0 reads 0%, not 1.0/4:\n{text}");
    // Feedback gains and red flag penalties are percentage points.
    let first_gain = json["feedback"][0]["gain"].as_f64().unwrap();
    assert!(text.contains(&format!("{}]", display::points(first_gain))), "{text}");
    for flag in json["red_flags"].as_array().unwrap().iter().filter(|f| f["status"] == "triggered") {
        let penalty = display::points(-flag["penalty"].as_f64().unwrap());
        assert!(text.contains(&format!("({penalty} on ")), "{penalty} missing from:\n{text}");
    }
    assert!(!text.contains("/4 "), "no scaled value reads as a fraction:\n{text}");
}

#[test]
fn json_output_is_the_golden_scorecard() {
    let output = rubric(&["score", "fixtures/transcripts/coding-round/strong.json", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let golden = std::fs::read_to_string(root().join("fixtures/golden/coding-round/strong.json")).unwrap();
    assert_eq!(stdout(&output), golden);
}

#[test]
fn out_writes_to_a_file() {
    let dir = std::env::temp_dir().join(format!("rubric-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("card.json");
    let output = rubric(&[
        "score",
        "fixtures/transcripts/behavioral-star/strong.json",
        "-r",
        "behavioral-star",
        "-f",
        "json",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).is_empty());
    let card: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(card["rubric"]["id"], "behavioral-star");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn text_lines_read_as_json_say_so_with_the_flag_to_use() {
    let forced = rubric(&["score", "fixtures/transcripts/formats/two-sum.txt", "--input-format", "json"]);
    assert_eq!(forced.status.code(), Some(1));
    let text = stderr(&forced);
    assert!(text.contains("this looks like text lines (`Speaker: text`), not JSON"), "{text}");
    assert!(text.contains("(--input-format text)"), "{text}");
}

#[test]
fn speaker_mappings_are_required_for_unknown_labels() {
    let output = rubric(&["score", "fixtures/transcripts/formats/two-sum.vtt"]);
    assert_eq!(output.status.code(), Some(1));
    // Every unmapped speaker at once, in the command line's own terms.
    let text = stderr(&output);
    assert!(text.contains("speakers \"Dana\" and \"Sam\" have no role"), "{text}");
    assert!(text.contains("--speaker \"Dana=ROLE\" --speaker \"Sam=ROLE\""), "{text}");
    assert!(text.contains("--infer-roles"), "{text}");
    let output = rubric(&["score", "fixtures/transcripts/formats/two-sum.vtt", "--infer-roles"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("roles inferred: Dana = interviewer, Sam = candidate ("), "{}", stdout(&output));
    // --complete: a minimum not reached becomes evidence against.
    let recruiter =
        ["score", "fixtures/transcripts/real-shaped/recruiter-screen.txt", "-r", "recruiter-screen", "-f", "json"];
    let card = |extra: &[&str]| -> serde_json::Value {
        let output = rubric(&[&recruiter[..], extra].concat());
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        serde_json::from_str(&stdout(&output)).unwrap()
    };
    let asks = |card: &serde_json::Value| {
        card["competencies"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["subcompetencies"].as_array().unwrap())
            .flat_map(|s| s["behaviors"].as_array().unwrap())
            .find(|b| b["id"] == "asks_enough_questions")
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(asks(&card(&[])), "not_observed");
    let complete = card(&["--complete"]);
    assert_eq!(
        (asks(&complete), &complete["transcript"]["complete"]),
        (serde_json::json!("contradicted"), &serde_json::json!(true))
    );
    let output = rubric(&[
        "score",
        "fixtures/transcripts/formats/two-sum.vtt",
        "--speaker",
        "Dana=interviewer",
        "--speaker",
        "Sam=candidate",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = rubric(&["score", "fixtures/transcripts/formats/two-sum.vtt", "--speaker", "Dana"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("expected NAME=ROLE"));
}

#[test]
fn check_reports_every_error_with_line_and_column() {
    let output = rubric(&["check", "rubrics/system-design.yaml"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains(": ok (system-design"));

    let dir = std::env::temp_dir().join(format!("rubric-check-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.yaml");
    let yaml = std::fs::read_to_string(root().join("rubrics/coding-round.yaml"))
        .unwrap()
        .replacen("weight: 3", "weight: -3", 1)
        .replacen("id: coding-round", "id: Coding Round", 1);
    std::fs::write(&bad, yaml).unwrap();
    let output = rubric(&["check", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("2 errors"), "{text}");
    assert!(text.contains("id: invalid id \"Coding Round\"") && text.contains("(line "), "{text}");
    assert!(text.contains("weight -3 must be a finite number >= 0"), "{text}");

    let output = rubric(&["check", bad.to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["errors"].as_array().unwrap().len(), 2);
    assert_eq!(report["errors"][0]["kind"], "invalid_value");
    assert!(report["errors"][0]["line"].as_u64().is_some());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn exit_codes_separate_usage_input_and_io_errors() {
    let missing = rubric(&["score", "no/such/file.json"]);
    assert_eq!(missing.status.code(), Some(3));
    assert!(stderr(&missing).contains("no/such/file.json"));
    let unknown_rubric = rubric(&["score", "fixtures/transcripts/coding-round/strong.json", "-r", "nope"]);
    assert_eq!(unknown_rubric.status.code(), Some(2));
    assert!(stderr(&unknown_rubric).contains("bundled rubrics: coding-round"));
    let bad_flag = rubric(&["score", "--frobnicate"]);
    assert_eq!(bad_flag.status.code(), Some(2));
    let bad_transcript = rubric(&["score", "rubrics/coding-round.yaml"]);
    assert_eq!(bad_transcript.status.code(), Some(1), "a YAML file is not a transcript: {}", stderr(&bad_transcript));
}

#[test]
fn text_output_marks_low_confidence_levels_and_inferred_events() {
    let output = rubric(&["score", "fixtures/transcripts/formats/two-sum.txt"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let line = text.lines().find(|l| l.contains("Steady, narrated implementation")).unwrap();
    assert!(line.ends_with("(low confidence: 40% of the weight measurable)"), "{line}");
    let output = rubric(&["score", "fixtures/transcripts/coding-round/weak.json"]);
    assert!(stdout(&output).contains("inferred event code_start at turn 3: \"start coding\""), "{}", stdout(&output));
}

#[test]
fn json_output_carries_json_errors_and_every_error_has_one_prefix() {
    // A transcript error: the JSON document on standard output, the text on standard error.
    let output = rubric(&["score", "fixtures/transcripts/formats/two-sum.vtt", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON on standard output");
    assert_eq!(document["ok"], false);
    let error = &document["errors"][0];
    assert_eq!((error["kind"].as_str(), error["line"].as_u64()), (Some("unmapped_speaker"), Some(7)));
    assert_eq!(error["speakers"], serde_json::json!(["Dana", "Sam"]));
    assert!(error["message"].as_str().unwrap().ends_with("decide a two-person conversation)"), "{error}");
    assert!(
        stderr(&output).starts_with("error: fixtures/transcripts/formats/two-sum.vtt: speakers"),
        "{}",
        stderr(&output)
    );

    // A rubric error: every error, located.
    let dir = std::env::temp_dir().join(format!("rubric-cli-json-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "id: x\nversion: \"1\"\ntitle: X\ncompetencies: []\n").unwrap();
    let output =
        rubric(&["score", "fixtures/transcripts/coding-round/strong.json", "-r", bad.to_str().unwrap(), "-f", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON on standard output");
    assert!(document["errors"].as_array().is_some_and(|e| !e.is_empty() && e[0]["line"].is_u64()), "{document}");
    std::fs::remove_dir_all(dir).unwrap();

    // A mistyped bundled name: a suggestion, as JSON too.
    let output = rubric(&["score", "fixtures/transcripts/coding-round/strong.json", "-r", "coding-rond", "-f", "json"]);
    assert_eq!(output.status.code(), Some(2));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document["errors"][0]["kind"], "usage");
    assert!(stderr(&output).starts_with("error: \"coding-rond\" is neither"), "{}", stderr(&output));
    assert!(stderr(&output).contains("did you mean \"coding-round\"?"), "{}", stderr(&output));
    let far = rubric(&["check", "zzz"]);
    assert!(!stderr(&far).contains("did you mean"), "{}", stderr(&far));
}

#[test]
fn list_speaks_json_and_report_writes_to_standard_output() {
    let output = rubric(&["list", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let list: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let ids: Vec<&str> = list.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, rubric_core::bundled::names());
    assert!(list[0]["criteria"].as_u64().is_some_and(|n| n > 0) && list[0]["version"].is_string());

    let output = rubric(&["report", "fixtures/transcripts/coding-round/strong.json", "--out", "-"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = stdout(&output);
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert!(!root().join("-").exists(), "no file named '-' is written");
}

#[test]
fn calibrate_compares_the_engine_with_raters_in_text_and_json() {
    let inputs = [
        "fixtures/transcripts/coding-round/strong.json",
        "fixtures/transcripts/coding-round/weak.json",
        "fixtures/transcripts/formats/two-sum.json",
    ];
    let mut args = vec!["calibrate", "--labels", "fixtures/calibration/coding-round-labels.csv"];
    args.extend(inputs);
    let output = rubric(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "Calibration of coding-round against 2 raters (ann, bo): 3 transcripts, 48 labels used",
        "coding-round-labels.csv:50: no behavior, sub-competency or competency `asks_clarifying_question`",
        "two-sum / checks_in_with_interviewer: engine absent, raters present (2 present)",
        "the engine's evidence, turn 3:",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    let mut golden_args = args.clone();
    golden_args.extend(["--format", "json"]);
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("fixtures/golden/calibration/coding-round.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&stdout(&rubric(&golden_args))).unwrap(), golden);
    let mut html_args = args.clone();
    html_args.extend(["--format", "html"]);
    let html = stdout(&rubric(&html_args));
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("confusion heatmap"),
        "{}",
        &html[..200.min(html.len())]
    );
    args.extend(["--format", "json", "--bootstrap", "0"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&rubric(&args))).unwrap();
    assert_eq!(json["labels_used"], 48);
    assert_eq!(json["behaviors"].as_array().unwrap().len(), 6);
    assert!(json["behaviors"][0]["f1_interval"].is_null(), "no bootstrap asked for");
    // Labels that name nothing the corpus has: nothing to compare, exit 1.
    let dir = std::env::temp_dir().join(format!("rubric-calibrate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let labels = dir.join("labels.csv");
    std::fs::write(&labels, "transcript,rater,node,value\nnobody,ann,overall,3\n").unwrap();
    let output = rubric(&["calibrate", "--labels", labels.to_str().unwrap(), inputs[0]]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("no transcript with id `nobody`"), "{}", stdout(&output));
    std::fs::remove_dir_all(&dir).unwrap();
}
