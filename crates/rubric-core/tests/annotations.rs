//! External evidence: annotations from a judge or an annotator, verified, taken by the behaviors
//! that opt in, traced in the scorecard, and never counted silently or twice.

mod common;

use rubric_core::scorecard::{AnnotationStatus, BehaviorStatus, RedFlagStatus, Scorecard};
use rubric_core::transcript::read_annotations;
use rubric_core::{ImportOptions, Limits, Rubric, RubricErrorKind, Transcript, TranscriptErrorKind};

/// A rubric with one behavior measured by annotations alone, one that takes them beside phrases
/// (counted, in a time window) and a red flag that takes them.
const RUBRIC: &str = r#"
id: judged
version: "1"
title: Judged rubric
scale:
  levels:
    - { level: 1, label: Low, from: 0.0, to: 0.5 }
    - { level: 2, label: High, from: 0.5, to: 1.0 }
competencies:
  - id: comm
    title: Communication
    subcompetencies:
      - id: reasoning
        title: Reasoning
        behaviors:
          - id: weighs_options
            title: Weighs options
            feedback: Compare two options.
            detectors:
              - external: { sources: ["llm:*"], min_confidence: 0.7 }
          - id: names_tradeoffs
            title: Names tradeoffs
            feedback: Say what each option costs.
            window: { from: 0, to: 60 }
            scoring: { mode: count, target: 3 }
            detectors:
              - phrases: [tradeoff]
              - external: {}
red_flags:
  - id: dismissive
    title: Dismissive of the interviewer
    feedback: Take hints seriously.
    penalty: 0.2
    detectors:
      - external: { sources: [human:lead] }
"#;

fn transcript(annotations: &str) -> String {
    format!(
        r#"{{"turns": [
  {{"role": "interviewer", "start": 0, "end": 5, "text": "How would you store the sessions?"}},
  {{"role": "candidate", "start": 6, "end": 30, "text": "Either Redis or Postgres. The tradeoff is speed against durability, and Redis, uh, wins on speed."}},
  {{"role": "interviewer", "start": 31, "end": 35, "text": "Have you thought about failover?"}},
  {{"role": "candidate", "start": 90, "end": 100, "text": "That's not important, whatever. The tradeoff there is cost."}}
], "annotations": {annotations}}}"#
    )
}

fn score(annotations: &str) -> Scorecard {
    let rubric = Rubric::from_yaml(RUBRIC).expect("the test rubric compiles");
    let parsed = Transcript::from_json(&transcript(annotations)).expect("the test transcript imports");
    rubric.score(&parsed).expect("it scores")
}

#[test]
fn a_behavior_measured_by_annotations_alone_waits_for_its_judge() {
    let card = score("[]");
    let weighs = card.behavior("weighs_options").unwrap();
    assert_eq!(weighs.status, BehaviorStatus::NotMeasurable, "no judge looked: {}", weighs.explain);
    assert!(weighs.reason.as_deref().unwrap().contains("annotations alone"));
    // A judge that looked at the transcript and found nothing for it is a real absence.
    let card =
        score(r#"[{"behavior": "names_tradeoffs", "turn": 1, "quote": "Redis wins on speed", "source": "llm:judge"}]"#);
    assert_eq!(card.behavior("weighs_options").unwrap().status, BehaviorStatus::NotObserved);
    // One from a source it does not take leaves it unjudged.
    let card = score(
        r#"[{"behavior": "names_tradeoffs", "turn": 1, "quote": "Redis wins on speed", "source": "human:lead"}]"#,
    );
    assert_eq!(card.behavior("weighs_options").unwrap().status, BehaviorStatus::NotMeasurable);
}

#[test]
fn counted_points_are_traced_to_their_sources() {
    let card = score(
        r#"[{"behavior": "weighs_options", "turn": 1, "quote": "Either Redis or Postgres", "source": "llm:gpt-4o", "confidence": 0.9, "rationale": "two options", "timestamp": "2026-12-01T10:00:00Z"},
            {"behavior": "names_tradeoffs", "turn": 1, "quote": "Redis, wins on speed", "source": "human:ann"}]"#,
    );
    let weighs = card.behavior("weighs_options").unwrap();
    assert_eq!(weighs.status, BehaviorStatus::Demonstrated);
    assert!(weighs.explain.contains("(1 from llm:gpt-4o)"), "{}", weighs.explain);
    let external = weighs.evidence[0].detector.external.as_ref().unwrap();
    assert_eq!(
        (external.source.as_str(), external.confidence, external.rationale.as_deref(), external.annotation.as_str()),
        ("llm:gpt-4o", Some(0.9), Some("two options"), "annotations[0]")
    );
    assert_eq!(weighs.evidence[0].text, "Either Redis or Postgres");
    let tradeoffs = card.behavior("names_tradeoffs").unwrap();
    assert_eq!(tradeoffs.count, 2, "the phrase and the annotation: {}", tradeoffs.explain);
    assert!(tradeoffs.explain.contains("(1 from built-in detectors, 1 from human:ann)"), "{}", tradeoffs.explain);
    // The span covers the hesitation the quote left out.
    assert_eq!(tradeoffs.evidence[1].text, "Redis, uh, wins on speed");
    assert!(card.transcript.annotations.iter().all(|a| a.status == AnnotationStatus::Counted));
}

#[test]
fn the_same_words_count_once_however_many_sources_agree() {
    let card = score(
        r#"[{"behavior": "names_tradeoffs", "turn": 1, "quote": "Redis wins on speed", "source": "llm:a"},
            {"behavior": "names_tradeoffs", "turn": 1, "quote": "wins on speed", "source": "llm:b"},
            {"behavior": "names_tradeoffs", "turn": 1, "quote": "The tradeoff is speed against durability", "source": "llm:c"}]"#,
    );
    let tradeoffs = card.behavior("names_tradeoffs").unwrap();
    assert_eq!(tradeoffs.count, 2, "{}", tradeoffs.explain);
    let uses = &card.transcript.annotations;
    assert_eq!(uses[0].status, AnnotationStatus::Counted);
    assert_eq!(uses[1].status, AnnotationStatus::NotCounted);
    assert!(uses[1].reason.as_deref().unwrap().contains("through annotations[0]"), "{:?}", uses[1].reason);
    assert!(
        uses[2].reason.as_deref().unwrap().contains("through its phrase \"tradeoff\""),
        "a phrase already counts there: {:?}",
        uses[2].reason
    );
}

#[test]
fn annotations_follow_the_behaviors_rules_and_say_why_they_did_not_count() {
    let card = score(
        r#"[{"behavior": "names_tradeoffs", "turn": 3, "quote": "there is cost", "source": "llm:a"},
            {"behavior": "weighs_options", "turn": 1, "quote": "Either Redis or Postgres", "source": "llm:a", "confidence": 0.5},
            {"behavior": "weighs_options", "turn": 1, "quote": "Either Redis or Postgres", "source": "llm:a"},
            {"behavior": "weighs_options", "turn": 0, "quote": "store the sessions", "source": "llm:a", "confidence": 0.99},
            {"behavior": "weighs_options", "turn": 1, "quote": "Either Redis or Postgres", "source": "human:ann", "confidence": 0.99}]"#,
    );
    let reasons: Vec<String> =
        card.transcript.annotations.iter().map(|a| a.reason.clone().unwrap_or_default()).collect();
    assert!(reasons[0].contains("outside its time window"), "{reasons:?}");
    assert!(reasons[1].contains("0.5 is below the 0.7"), "{reasons:?}");
    assert!(reasons[2].contains("gives none"), "{reasons:?}");
    assert!(reasons[3].contains("said by the interviewer"), "{reasons:?}");
    assert!(reasons[4].contains("from llm:* only"), "{reasons:?}");
    assert!(card.transcript.annotations.iter().all(|a| a.status == AnnotationStatus::NotCounted));
    assert_eq!(card.behavior("weighs_options").unwrap().ignored.speaker, 1);
    assert_eq!(card.behavior("names_tradeoffs").unwrap().ignored.window, 2, "the phrase and the annotation in turn 3");
}

#[test]
fn a_red_flag_takes_annotations_and_negation_does_not_second_guess_the_judge() {
    let card = score(
        r#"[{"behavior": "dismissive", "turn": 3, "quote": "That's not important, whatever", "source": "human:lead", "confidence": 1}]"#,
    );
    let flag = &card.red_flags[0];
    assert_eq!(flag.status, RedFlagStatus::Triggered, "{}", flag.explain);
    assert!(flag.explain.contains("1 mention (1 from human:lead)"), "{}", flag.explain);
    assert!(card.overall.explain.contains("dismissive"), "{}", card.overall.explain);
}

#[test]
fn annotations_given_beside_score_as_the_transcripts_own() {
    let fixtures = common::fixtures();
    let rubric = Rubric::bundled("coding-round").unwrap();
    let embedded = Transcript::from_json(
        &std::fs::read_to_string(fixtures.join("transcripts/annotated/coding-round-weak.json")).unwrap(),
    )
    .unwrap();
    let plain =
        Transcript::from_json(&std::fs::read_to_string(fixtures.join("transcripts/coding-round/weak.json")).unwrap())
            .unwrap();
    let given = read_annotations(
        &std::fs::read_to_string(fixtures.join("annotations/coding-round-weak.jsonl")).unwrap(),
        &Limits::default(),
    )
    .unwrap();
    let beside = plain.annotate(given, &Limits::default(), false).unwrap();
    let (a, b) = (rubric.score(&embedded).unwrap(), rubric.score(&beside).unwrap());
    assert_eq!(a.overall.score, b.overall.score);
    for (x, y) in a.behaviors().zip(b.behaviors()) {
        assert_eq!((x.status, x.count, &x.explain), (y.status, y.count, &y.explain), "{}", x.id);
    }
    assert_eq!(a.transcript.annotations.len(), 7);
    for (x, y) in a.transcript.annotations.iter().zip(&b.transcript.annotations) {
        assert_eq!(y.annotation, x.annotation.replace("annotations[", "given_annotations["));
        assert_eq!(
            (x.status, x.reason.as_deref().map(|r| r.replace("annotations[", "given_annotations["))),
            (y.status, y.reason.clone())
        );
    }
    let counted = a.transcript.annotations.iter().filter(|u| u.status == AnnotationStatus::Counted).count();
    assert_eq!(counted, 2, "the human annotators' two; the others each say why not");
}

#[test]
fn an_unverified_annotation_is_refused_or_kept_but_never_counted() {
    let text = transcript(
        r#"[{"behavior": "weighs_options", "turn": 1, "quote": "Either Redis or DynamoDB", "source": "llm:a"}]"#,
    );
    let error = Transcript::from_json(&text).unwrap_err();
    assert_eq!((error.kind, error.path.as_str()), (TranscriptErrorKind::UnverifiedQuote, "annotations[0].quote"));
    assert!(error.line.is_some() && error.column.is_some(), "{error}");
    let options = ImportOptions { keep_unverified_annotations: true, ..ImportOptions::default() };
    let kept = rubric_core::import(&text, None, &options).unwrap();
    let card = Rubric::from_yaml(RUBRIC).unwrap().score(&kept).unwrap();
    assert_eq!(card.transcript.annotations[0].status, AnnotationStatus::Unverified);
    let weighs = card.behavior("weighs_options").unwrap();
    assert_eq!(
        weighs.status,
        BehaviorStatus::NotMeasurable,
        "an unverified annotation judges nothing: {}",
        weighs.explain
    );
    // The transcript writes its annotations back as they were given.
    assert!(serde_json::to_string(&kept).unwrap().contains("\"quote\":\"Either Redis or DynamoDB\""));
}

#[test]
fn an_annotation_for_a_behavior_the_rubric_lacks_is_a_located_reference_error() {
    let rubric = Rubric::from_yaml(RUBRIC).unwrap();
    let parsed = Transcript::from_json(&transcript(
        r#"[{"behavior": "weigh_options", "turn": 1, "quote": "Either", "source": "llm:a"}]"#,
    ))
    .unwrap();
    let error = rubric.score(&parsed).unwrap_err();
    assert_eq!((error.kind, error.path.as_str()), (TranscriptErrorKind::InvalidReference, "annotations[0].behavior"));
    assert_eq!((error.line, error.column), (Some(6), Some(20)), "where the annotation starts: {error}");
    assert!(error.message.contains("did you mean \"weighs_options\"?"), "{error}");
    // The ids of inferred events are not behaviors.
    let coding = Rubric::bundled("coding-round").unwrap();
    let code_start = Transcript::from_json(&transcript(
        r#"[{"behavior": "code_start", "turn": 1, "quote": "Either", "source": "llm:a"}]"#,
    ))
    .unwrap();
    assert_eq!(coding.score(&code_start).unwrap_err().kind, TranscriptErrorKind::InvalidReference);
}

#[test]
fn too_many_annotations_are_refused() {
    let one = r#"{"behavior": "weighs_options", "turn": 1, "quote": "Either", "source": "llm:a"}"#;
    let given = read_annotations(&[one, one, one].join("\n"), &Limits::default()).unwrap();
    let plain = Transcript::from_json(&transcript("[]")).unwrap();
    let limits = Limits { max_annotations: 2, ..Limits::default() };
    let error = plain.annotate(given, &limits, false).unwrap_err();
    assert_eq!((error.kind, error.path.as_str()), (TranscriptErrorKind::LimitExceeded, "given_annotations"));
    assert!(error.message.contains("max_annotations"), "{error}");
}

#[test]
fn external_detectors_are_checked_when_the_rubric_compiles() {
    let twice = RUBRIC.replace(
        "              - external: { sources: [\"llm:*\"], min_confidence: 0.7 }",
        "              - external: { sources: [\"llm:*\"] }\n              - external: { sources: [\"human:*\"] }",
    );
    let errors = Rubric::from_yaml(&twice).unwrap_err();
    assert!(errors.errors().iter().any(|e| e.message.contains("one `external` detector")), "{errors:?}");
    let star = RUBRIC.replace("sources: [human:lead]", "sources: [\"hu*man\"]");
    let errors = Rubric::from_yaml(&star).unwrap_err();
    assert_eq!(errors.errors()[0].kind, RubricErrorKind::Schema);
    assert!(errors.errors()[0].path.ends_with("external.sources[0]"), "{errors:?}");
    let empty = RUBRIC.replace("sources: [human:lead]", "sources: []");
    assert_eq!(Rubric::from_yaml(&empty).unwrap_err().errors()[0].kind, RubricErrorKind::EmptyDetector);
}

#[test]
fn the_report_shows_where_external_evidence_came_from_and_what_was_not_counted() {
    let card = score(
        r#"[{"behavior": "weighs_options", "turn": 1, "quote": "Either Redis or Postgres", "source": "llm:gpt-4o", "confidence": 0.9, "rationale": "two <options>"},
            {"behavior": "weighs_options", "turn": 1, "quote": "Either Redis or Postgres", "source": "human:ann"}]"#,
    );
    let parsed = Transcript::from_json(&transcript("[]")).unwrap();
    let html = rubric_core::render_report(&card, &parsed, &rubric_core::ReportOptions::default());
    assert!(html.contains("from llm:gpt-4o at confidence 0.9: two &lt;options&gt;"), "provenance beside the quote");
    assert!(html.contains("1 of 2 annotations counted"));
    assert!(html.contains("not counted: weighs_options takes annotations from llm:* only"));
    assert!(
        html.contains("Weighs options (from llm:gpt-4o at confidence 0.9)"),
        "the highlight's label names the source"
    );
}
