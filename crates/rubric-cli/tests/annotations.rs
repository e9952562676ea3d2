//! `--annotations` and `--keep-unverified`: external evidence from the command line.

mod common;

use common::{rubric, stderr, stdout};

const WEAK: &str = "fixtures/transcripts/coding-round/weak.json";
const GIVEN: &str = "fixtures/annotations/coding-round-weak.jsonl";

#[test]
fn annotations_beside_a_transcript_score_like_its_own() {
    let beside = rubric(&["score", WEAK, "--annotations", GIVEN, "--format", "json"]);
    assert!(beside.status.success(), "{}", stderr(&beside));
    let embedded = rubric(&["score", "fixtures/transcripts/annotated/coding-round-weak.json", "--format", "json"]);
    let (a, b): (serde_json::Value, serde_json::Value) =
        (serde_json::from_slice(&beside.stdout).unwrap(), serde_json::from_slice(&embedded.stdout).unwrap());
    assert_eq!(a["overall"], b["overall"]);
    let statuses = |card: &serde_json::Value| -> Vec<String> {
        card["transcript"]["annotations"].as_array().unwrap().iter().map(|u| u["status"].to_string()).collect()
    };
    assert_eq!(statuses(&a), statuses(&b));
    let text = stdout(&rubric(&["score", WEAK, "--annotations", GIVEN]));
    assert!(text.contains("annotations: 2 of 7 counted"), "{text}");
    assert!(text.contains("(turn 5, from human:ann at confidence 0.9)"), "{text}");
    assert!(
        text.contains("not counted: given_annotations[4] (chooses_clear_names, llm:gpt-4o): its confidence 0.55"),
        "{text}"
    );
}

#[test]
fn an_invented_quote_is_refused_in_its_file_or_kept_unverified() {
    let dir = std::env::temp_dir().join(format!("rubric-annotations-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let invented = dir.join("invented.jsonl");
    std::fs::write(
        &invented,
        "\n{\"behavior\": \"considers_alternatives\", \"turn\": 5, \"quote\": \"I would use a heap\", \"source\": \"llm:x\"}\n",
    )
    .unwrap();
    let path = invented.to_str().unwrap();
    let refused = rubric(&["score", WEAK, "--annotations", path]);
    assert_eq!(refused.status.code(), Some(1));
    let message = stderr(&refused);
    assert!(message.contains(&format!("{path}: given_annotations[0].quote")), "{message}");
    assert!(message.contains("(line 2, column 1)") && message.contains("--keep-unverified"), "{message}");
    let kept = rubric(&["score", WEAK, "--annotations", path, "--keep-unverified", "--format", "json"]);
    assert!(kept.status.success(), "{}", stderr(&kept));
    let card: serde_json::Value = serde_json::from_slice(&kept.stdout).unwrap();
    assert_eq!(card["transcript"]["annotations"][0]["status"], "unverified");
    let report = dir.join("report.html");
    let written = rubric(&["report", WEAK, "--annotations", GIVEN, "-o", report.to_str().unwrap()]);
    assert!(written.status.success(), "{}", stderr(&written));
    assert!(std::fs::read_to_string(&report).unwrap().contains("2 of 7 annotations counted"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn annotations_belong_to_one_transcript() {
    let both = rubric(&["score", WEAK, "fixtures/transcripts/coding-round/strong.json", "--annotations", GIVEN]);
    assert_eq!(both.status.code(), Some(2), "a usage error");
    assert!(stderr(&both).contains("--annotations belong to one transcript"), "{}", stderr(&both));
}
