//! The scoring rules, one behavior at a time: who said it, when, in which order, negated or not,
//! and how evidence becomes scores, levels, red-flag penalties and feedback.

#![allow(clippy::float_cmp)] // scores are rounded to 4 decimals; exact comparison is the point

use rubric_core::scorecard::{BehaviorStatus, FeedbackKind, NodeStatus, QuestionBy, RedFlagStatus, Scorecard};
use rubric_core::{Rubric, Transcript};
use serde_json::{json, Value};

/// A rubric with one competency and one sub-competency holding `behaviors` (YAML list items), plus
/// optional red flags and extra top-level YAML.
fn rubric(behaviors: &str, red_flags: &str, extra: &str) -> Rubric {
    let yaml = format!(
        r#"id: test
version: "1"
title: Test
round: coding
scale:
  levels:
    - {{ level: 1, label: Low, from: 0, to: 0.5 }}
    - {{ level: 2, label: Mid, from: 0.5, to: 0.8 }}
    - {{ level: 3, label: High, from: 0.8, to: 1 }}
{extra}
competencies:
  - id: comp
    title: Comp
    subcompetencies:
      - id: sub
        title: Sub
        behaviors:
{behaviors}
{red_flags}
"#
    );
    Rubric::from_yaml(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"))
}

fn behavior(id: &str, body: &str) -> String {
    let mut out = format!("          - id: {id}\n            title: {id}\n            feedback: Do {id}.\n");
    for line in body.lines().filter(|l| !l.trim().is_empty()) {
        out.push_str("            ");
        out.push_str(line.trim_start());
        out.push('\n');
    }
    out
}

/// Turns as (role, start, text); each turn lasts until 1 s before the next one starts.
fn timed(turns: &[(&str, f64, &str)], extra: Value) -> Transcript {
    let list: Vec<Value> = turns
        .iter()
        .enumerate()
        .map(|(i, (role, start, text))| {
            let end = turns.get(i + 1).map_or(start + 5.0, |next| (next.1 - 1.0).max(*start));
            json!({"role": role, "start": start, "end": end, "text": text})
        })
        .collect();
    let mut doc = json!({ "turns": list });
    if let (Value::Object(doc), Value::Object(extra)) = (&mut doc, extra) {
        doc.extend(extra);
    }
    Transcript::from_json(&doc.to_string()).unwrap()
}

fn untimed(turns: &[(&str, &str)]) -> Transcript {
    let list: Vec<Value> = turns.iter().map(|(role, text)| json!({"role": role, "text": text})).collect();
    Transcript::from_json(&json!({ "turns": list }).to_string()).unwrap()
}

fn status(card: &Scorecard, id: &str) -> BehaviorStatus {
    card.behavior(id).unwrap().status
}

#[test]
fn only_the_selected_speaker_counts() {
    let r = rubric(&behavior("tests", "detectors: [{ phrases: [edge case] }]"), "", "");
    let t = untimed(&[("interviewer", "What about an edge case?"), ("candidate", "Sure.")]);
    let card = r.score(&t).unwrap();
    let b = card.behavior("tests").unwrap();
    assert_eq!((b.status, b.ignored.speaker), (BehaviorStatus::NotObserved, 1));
    let t = untimed(&[("interviewer", "Go on."), ("candidate", "One edge case is an empty list.")]);
    assert_eq!(status(&r.score(&t).unwrap(), "tests"), BehaviorStatus::Demonstrated);
}

#[test]
fn negated_mentions_are_evidence_against_not_for() {
    let r = rubric(
        &(behavior("edges", "detectors: [{ phrases: [edge cases] }]")
            + &behavior("raw", "negation: false\ndetectors: [{ phrases: [tradeoffs] }]")),
        "",
        "",
    );
    let t = untimed(&[("candidate", "I didn’t really consider edge cases. There’s no need to discuss tradeoffs.")]);
    let card = r.score(&t).unwrap();
    let edges = card.behavior("edges").unwrap();
    assert_eq!(edges.status, BehaviorStatus::Contradicted);
    assert_eq!(edges.count, 0);
    assert_eq!(edges.against.len(), 1);
    assert_eq!(edges.against[0].negated_by.as_deref(), Some("didnt"));
    assert_eq!(edges.against[0].text, "edge cases");
    assert_eq!(status(&card, "raw"), BehaviorStatus::Demonstrated, "negation: false keeps negated mentions");
    let sub = &card.competencies[0].subcompetencies[0];
    assert_eq!((sub.evidence_for, sub.evidence_against), (1, 1));
}

#[test]
fn negation_can_be_configured_per_behavior() {
    let r = rubric(
        &(behavior("plain", "detectors: [{ phrases: [unit tests] }]")
            + &behavior("own", "negation: { window: 1, cues: [postponed] }\ndetectors: [{ phrases: [unit tests] }]")),
        "",
        "",
    );
    let card = r.score(&untimed(&[("candidate", "I never wrote the unit tests.")])).unwrap();
    assert_eq!(status(&card, "plain"), BehaviorStatus::Contradicted);
    assert_eq!(status(&card, "own"), BehaviorStatus::Demonstrated, "a one-word window does not reach \"never\"");
    let card = r.score(&untimed(&[("candidate", "I postponed unit tests.")])).unwrap();
    assert_eq!(status(&card, "plain"), BehaviorStatus::Demonstrated);
    assert_eq!(card.behavior("own").unwrap().against[0].negated_by.as_deref(), Some("postponed"));
    let bad = Rubric::from_yaml(
        &RUBRIC_WITH_BAD_WINDOW
            .replace("BEHAVIOR", &behavior("b", "negation: { window: 0 }\ndetectors: [{ phrases: [x] }]")),
    );
    assert!(bad.unwrap_err().errors().iter().any(|e| e.path.ends_with("behaviors[0].negation.window")));
}

const RUBRIC_WITH_BAD_WINDOW: &str = "id: t\nversion: '1'\ntitle: T\nscale:\n  levels:\n    - { level: 1, label: L, from: 0, to: 0.5 }\n    - { level: 2, label: H, from: 0.5, to: 1 }\ncompetencies:\n  - id: c\n    title: C\n    subcompetencies:\n      - id: s\n        title: S\n        behaviors:\nBEHAVIOR";

#[test]
fn statuses_separate_insufficient_evidence_from_evidence_against() {
    let r = rubric(&behavior("edges", "detectors: [{ phrases: [edge cases] }]"), "", "");
    let none = r.score(&untimed(&[("candidate", "Let me code.")])).unwrap();
    assert_eq!(none.competencies[0].subcompetencies[0].status, NodeStatus::InsufficientEvidence);
    assert_eq!(none.overall.status, NodeStatus::InsufficientEvidence);
    let against = r.score(&untimed(&[("candidate", "I skipped edge cases.")])).unwrap();
    assert_eq!(against.competencies[0].subcompetencies[0].status, NodeStatus::EvidenceAgainst);
    assert_eq!(against.overall.status, NodeStatus::EvidenceAgainst);
    assert_eq!(none.overall.score, against.overall.score, "both score 0, but they are told apart");
}

#[test]
fn questions_are_found_with_and_without_question_marks() {
    let r = rubric(
        &(behavior("asks", "detectors: [{ question: { about: [empty, sorted] } }]")
            + &behavior("any", "scoring: { mode: count, target: 5 }\ndetectors: [{ question: {} }]")),
        "",
        "",
    );
    // Without any `?` in the transcript, the model reads the words.
    let spoken = untimed(&[(
        "candidate",
        "So can I assume the list is sorted. What should happen if it's empty. I'll handle empty input. Is that okay",
    )]);
    let card = r.score(&spoken).unwrap();
    let asks = card.behavior("asks").unwrap();
    let texts: Vec<&str> = asks.evidence.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(texts, ["So can I assume the list is sorted.", "What should happen if it's empty."]);
    let why = asks.evidence[0].detector.question.as_ref().expect("question evidence says why");
    assert_eq!(why.by, QuestionBy::Model);
    assert!(why.probability.is_some_and(|p| p > 0.5 && p < 1.0), "{why:?}");
    assert!(!why.cues.is_empty() && why.cues.len() <= 3, "{why:?}");
    let any = card.behavior("any").unwrap();
    assert_eq!((any.count, any.status), (3, BehaviorStatus::Partial));
    assert_eq!(any.score, Some(0.6));
    assert_eq!(card.metrics.candidate_questions, 3);

    // A transcript that uses `?` is trusted to use it: only sentences ending in `?` are questions.
    let punctuated = untimed(&[(
        "candidate",
        "So can I assume the list is sorted. What should happen if it's empty? I'll handle empty input. Is that okay",
    )]);
    let card = r.score(&punctuated).unwrap();
    let asks = card.behavior("asks").unwrap();
    let texts: Vec<&str> = asks.evidence.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(texts, ["What should happen if it's empty?"]);
    let why = asks.evidence[0].detector.question.as_ref().unwrap();
    assert_eq!((why.by, why.probability, why.cues.len()), (QuestionBy::QuestionMark, None, 0));
    assert_eq!(card.metrics.candidate_questions, 1);
}

#[test]
fn questions_can_exclude_logistics_and_keep_everything_else() {
    let r = rubric(
        &behavior(
            "clarifies",
            "scoring: { mode: count, target: 3 }\ndetectors: [{ question: { except: [hear me, the editor] } }]",
        ),
        "",
        "",
    );
    let t = untimed(&[(
        "candidate",
        "Can you hear me? Should I use the editor on the left? Is the array sorted? Which is like zero improvement. Do you want the indices?",
    )]);
    let card = r.score(&t).unwrap();
    let b = card.behavior("clarifies").unwrap();
    let texts: Vec<&str> = b.evidence.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(texts, ["Is the array sorted?", "Do you want the indices?"]);
    assert_eq!(card.metrics.candidate_questions, 4, "excluded questions are still questions");
}

#[test]
fn count_scoring_saturates_and_merges_overlapping_matches() {
    let r = rubric(
        &behavior(
            "cases",
            "scoring: { mode: count, target: 2 }\ndetectors: [{ phrases: [test case, test cases, case] }]",
        ),
        "",
        "",
    );
    let card = r.score(&untimed(&[("candidate", "Test cases: one test case here.")])).unwrap();
    let b = card.behavior("cases").unwrap();
    let texts: Vec<&str> = b.evidence.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(texts, ["Test cases", "test case"], "the longest overlapping match is kept once");
    assert_eq!(b.evidence[0].detector.phrase.as_deref(), Some("test cases"));
    assert_eq!((b.score, b.status), (Some(1.0), BehaviorStatus::Demonstrated));
}

#[test]
fn before_and_after_events_need_timestamps_only_when_the_event_exists() {
    let r =
        rubric(&behavior("clarify", "before: { event: code_run }\ndetectors: [{ phrases: [can i assume] }]"), "", "");
    let turns = [("candidate", 0.0, "Can I assume positives?"), ("candidate", 60.0, "Can I assume no duplicates?")];
    let card = r.score(&timed(&turns, json!({"events": [{"type": "code_run", "time": 30.0}]}))).unwrap();
    let b = card.behavior("clarify").unwrap();
    assert_eq!((b.count, b.ignored.order), (1, 1));
    let card = r.score(&timed(&turns, json!({}))).unwrap();
    assert_eq!(card.behavior("clarify").unwrap().count, 2, "no code_run event: every turn counts");
    let untimed_with_event = Transcript::from_json(
        r#"{"turns": [{"role": "candidate", "text": "Can I assume x?"}], "events": [{"type": "code_run", "time": 5}]}"#,
    )
    .unwrap();
    let card = r.score(&untimed_with_event).unwrap();
    let b = card.behavior("clarify").unwrap();
    assert_eq!(b.status, BehaviorStatus::NotMeasurable);
    assert!(b.reason.as_deref().unwrap().contains("timestamps"));
    assert_eq!(card.overall.status, NodeStatus::NotMeasurable);
    assert_eq!(card.overall.score, None);

    let r = rubric(
        &behavior("retest", "after: { event: tests_failed }\ndetectors: [{ phrases: [run the tests] }]"),
        "",
        "",
    );
    let turns = [("candidate", 0.0, "Let me run the tests."), ("candidate", 60.0, "Fixed it, run the tests again.")];
    let card = r.score(&timed(&turns, json!({"events": [{"type": "tests_failed", "time": 30.0}]}))).unwrap();
    assert_eq!(card.behavior("retest").unwrap().count, 1);
    let card = r.score(&timed(&turns, json!({}))).unwrap();
    let b = card.behavior("retest").unwrap();
    assert_eq!(b.count, 2, "no tests_failed event at all: every turn is looked at");
    assert!(
        b.explain.contains("no tests_failed event, real or inferred, so every turn was looked at"),
        "{}",
        b.explain
    );
}

/// A rubric whose `code_run` event is inferred from "let me run it", with a behavior before it and
/// one after it.
fn rubric_with_inferred_run() -> Rubric {
    rubric(
        &(behavior("clarify", "before: { event: code_run }\ndetectors: [{ phrases: [can i assume] }]")
            + &behavior("retest", "after: { event: code_run }\ndetectors: [{ phrases: [the output] }]")),
        "",
        "inferred_events:\n  - event: code_run\n    speaker: candidate\n    detectors: [{ phrases: [let me run it, running it now] }]",
    )
}

#[test]
fn an_inferred_event_orders_behaviors_on_a_transcript_without_events() {
    let r = rubric_with_inferred_run();
    let t = untimed(&[
        ("candidate", "Can I assume the input is sorted?"),
        ("interviewer", "Let me run it for you later."),
        ("candidate", "OK. Can I assume no duplicates? Let me run it. Can I assume ints?"),
        ("candidate", "The output is 7."),
    ]);
    let card = r.score(&t).unwrap();
    let inferred = &card.transcript.inferred_events;
    assert_eq!(inferred.len(), 1, "the interviewer's words do not count: the event listens to the candidate");
    let event = &inferred[0];
    assert_eq!(
        (event.kind.as_str(), event.evidence.turn, event.evidence.text.as_str()),
        ("code_run", 2, "Let me run it")
    );
    assert_eq!(&t.turns()[2].text[event.evidence.span.bytes[0]..event.evidence.span.bytes[1]], "Let me run it");
    assert!(event.time_estimated);
    let clarify = card.behavior("clarify").unwrap();
    assert_eq!((clarify.count, clarify.ignored.order), (2, 1), "mentions before the phrase in its own turn count");
    assert!(clarify.explain.contains("before the code_run event inferred at turn 2"), "{}", clarify.explain);
    assert_eq!(card.behavior("retest").unwrap().count, 1);

    // A real event of the type wins over the inferred one.
    let with_event = timed(
        &[
            ("candidate", 0.0, "Can I assume x?"),
            ("candidate", 10.0, "Let me run it."),
            ("candidate", 60.0, "Can I assume y?"),
        ],
        json!({"events": [{"type": "code_run", "time": 100.0}]}),
    );
    let card = r.score(&with_event).unwrap();
    assert!(card.transcript.inferred_events.is_empty());
    assert_eq!(card.behavior("clarify").unwrap().count, 2);
}

#[test]
fn an_inferred_event_on_a_timed_transcript_gives_its_time_to_first() {
    let r = rubric(
        &behavior("runs_early", "metric: { name: \"time_to_first:code_run\", max: 60 }"),
        "",
        "inferred_events:\n  - event: code_run\n    detectors: [{ phrases: [let me run it] }]",
    );
    let t = timed(&[("interviewer", 5.0, "Go ahead."), ("candidate", 45.0, "Let me run it.")], json!({}));
    let card = r.score(&t).unwrap();
    assert_eq!(card.metrics.time_to_first.get("code_run"), Some(&40.0), "from the first turn's start");
    let b = card.behavior("runs_early").unwrap();
    assert_eq!(b.status, BehaviorStatus::Demonstrated);
    assert!(b.explain.contains("inferred at turn 1"), "{}", b.explain);
    let untimed_card = r.score(&untimed(&[("candidate", "Let me run it.")])).unwrap();
    assert_eq!(status(&untimed_card, "runs_early"), BehaviorStatus::NotMeasurable, "a time to first needs real times");
}

#[test]
fn inferred_events_are_checked_when_the_rubric_is_compiled() {
    let yaml = |events: &str| {
        format!(
            "id: t\nversion: '1'\ntitle: T\nscale:\n  levels:\n    - {{ level: 1, label: L, from: 0, to: 1 }}\n{events}\ncompetencies:\n  - id: c\n    title: C\n    subcompetencies:\n      - id: s\n        title: S\n        behaviors:\n          - id: b\n            title: B\n            feedback: F\n            detectors: [{{ phrases: [x] }}]\n"
        )
    };
    let errors = Rubric::from_yaml(&yaml(
        "inferred_events:\n  - event: coding_began\n    detectors: [{ phrases: [let me code] }]",
    ))
    .unwrap_err();
    let text = errors.to_string();
    assert!(text.contains("inferred_events[0].event") && text.contains("unknown event \"coding_began\""), "{text}");
    let errors = Rubric::from_yaml(&yaml(
        "inferred_events:\n  - event: code_run\n    detectors: [{ phrases: [run it] }]\n  - event: code_run\n    detectors: [{ phrases: [run this] }]",
    ))
    .unwrap_err();
    assert!(errors.to_string().contains("inferred_events[1].event"), "{errors}");
    let errors = Rubric::from_yaml(&yaml("inferred_events:\n  - event: code_run\n    detectors: []")).unwrap_err();
    assert!(errors.to_string().contains("inferred_events[0].detectors"), "{errors}");
}

#[test]
fn a_minimum_not_reached_is_evidence_against_only_on_a_complete_transcript() {
    let r = rubric(&behavior("asks", "metric: { name: candidate_questions, min: 4 }"), "", "");
    let turns = [("interviewer", "Tell me about you."), ("candidate", "Sure. What does the team build?")];
    let card = r.score(&untimed(&turns)).unwrap();
    let b = card.behavior("asks").unwrap();
    assert_eq!((b.status, b.score), (BehaviorStatus::Partial, Some(0.0)));
    assert!(b.explain.contains("not known to be complete"), "{}", b.explain);
    let sub = &card.competencies[0].subcompetencies[0];
    assert_eq!(sub.status, NodeStatus::InsufficientEvidence, "an excerpt that stops early is not evidence against");
    assert_eq!(card.feedback[0].kind, FeedbackKind::Partial);

    let mut complete = untimed(&turns);
    complete.set_complete(true);
    let card = r.score(&complete).unwrap();
    assert!(card.transcript.complete);
    assert_eq!(status(&card, "asks"), BehaviorStatus::Contradicted);
    assert_eq!(card.competencies[0].subcompetencies[0].status, NodeStatus::EvidenceAgainst);

    // A maximum that was exceeded is observed, complete or not; so is a ratio's minimum.
    let r = rubric(&behavior("few_fillers", "metric: { name: filler_count, max: 0 }"), "", "");
    assert_eq!(
        status(&r.score(&untimed(&[("candidate", "Um, well.")])).unwrap(), "few_fillers"),
        BehaviorStatus::Contradicted
    );
    let r = rubric(&behavior("share", "metric: { name: candidate_word_share, min: 0.9 }"), "", "");
    assert_eq!(status(&r.score(&untimed(&turns)).unwrap(), "share"), BehaviorStatus::Contradicted);
    let json = r#"{"complete": true, "turns": [{"role": "candidate", "text": "Hi."}]}"#;
    assert!(Transcript::from_json(json).unwrap().is_complete(), "the native JSON says so itself");
}

#[test]
fn every_node_reports_the_share_of_its_weight_that_was_measured() {
    let r = rubric(
        &(behavior("said", "weight: 1\ndetectors: [{ phrases: [plan] }]")
            + &behavior("talk", "weight: 3\nmetric: { name: candidate_talk_ratio, min: 0.5 }")
            + &behavior("star", "weight: 5\nrounds: [behavioral]\ndetectors: [{ phrases: [situation] }]")),
        "",
        "",
    );
    // Untimed: the talk ratio cannot be measured; the behavioral-only behavior does not apply.
    let card = r.score(&untimed(&[("candidate", "My plan.")])).unwrap();
    let sub = &card.competencies[0].subcompetencies[0];
    assert_eq!((sub.score, sub.coverage, sub.low_confidence), (Some(1.0), 0.25, true));
    assert!(
        sub.explain.contains("coverage 0.25 of the weight measurable, under 0.5: low confidence"),
        "{}",
        sub.explain
    );
    assert_eq!((card.competencies[0].coverage, card.competencies[0].low_confidence), (0.25, true));
    assert_eq!((card.overall.coverage, card.overall.low_confidence), (0.25, true));

    let card = r.score(&timed(&[("candidate", 0.0, "My plan.")], json!({}))).unwrap();
    let sub = &card.competencies[0].subcompetencies[0];
    assert_eq!((sub.coverage, sub.low_confidence), (1.0, false), "inapplicable weight is left out");
    assert!(!sub.explain.contains("coverage"), "{}", sub.explain);
}

#[test]
fn order_between_behaviors_uses_the_first_counted_mention() {
    let r = rubric(
        &(behavior("approach", "detectors: [{ phrases: [my approach] }]")
            + &behavior("tests", "after: { behavior: approach }\ndetectors: [{ phrases: [test case] }]")
            + &behavior("early", "before: { behavior: approach }\ndetectors: [{ phrases: [assume] }]")),
        "",
        "",
    );
    let t = untimed(&[
        ("candidate", "I assume ints. A test case: empty."),
        ("candidate", "My approach is a heap; another test case: one item. I assume no nulls."),
    ]);
    let card = r.score(&t).unwrap();
    let tests = card.behavior("tests").unwrap();
    assert_eq!((tests.count, tests.ignored.order), (1, 1));
    assert_eq!(tests.evidence[0].turn, 1);
    let early = card.behavior("early").unwrap();
    assert_eq!((early.count, early.ignored.order), (1, 1));
    assert_eq!(early.evidence[0].turn, 0);
}

#[test]
fn windows_count_from_the_interview_or_the_segment_start() {
    let r = rubric(
        &(behavior("early", "window: { from: 0, to: 60 }\ndetectors: [{ phrases: [plan] }]")
            + &behavior("seg", "window: { to: 30, relative_to: segment }\ndetectors: [{ phrases: [plan] }]")),
        "",
        "",
    );
    let t = timed(
        &[
            ("candidate", 10.0, "My plan first."),
            ("interviewer", 100.0, "Next question."),
            ("candidate", 110.0, "My plan again."),
        ],
        json!({"segments": [{"id": "q1", "round": "coding", "start_turn": 0}, {"id": "q2", "round": "coding", "start_turn": 1}]}),
    );
    let card = r.score(&t).unwrap();
    let early = card.behavior("early").unwrap();
    assert_eq!((early.count, early.ignored.window), (1, 1));
    assert_eq!(card.behavior("seg").unwrap().count, 2, "each mention is early in its own segment");
    // Untimed: positions are estimated at 200 words per minute, so 300 words take 90 s.
    let filler = "word ".repeat(300);
    let card = r
        .score(&untimed(&[("candidate", "My plan."), ("interviewer", &filler), ("candidate", "My plan again.")]))
        .unwrap();
    assert!(card.transcript.times_estimated);
    let early = card.behavior("early").unwrap();
    assert_eq!((early.status, early.count, early.ignored.window), (BehaviorStatus::Demonstrated, 1, 1));
    assert!(early.explain.contains("estimated from words spoken at 200 words per minute"), "{}", early.explain);
    assert_eq!(early.evidence[0].start, None, "an estimate is never reported as a time");
}

#[test]
fn rounds_make_behaviors_not_applicable_and_out_of_the_mean() {
    let r = rubric(
        &(behavior("star", "rounds: [behavioral]\ndetectors: [{ phrases: [situation] }]")
            + &behavior("code", "detectors: [{ phrases: [loop] }]")),
        "",
        "",
    );
    let card = r.score(&untimed(&[("candidate", "A loop.")])).unwrap();
    assert_eq!(status(&card, "star"), BehaviorStatus::NotApplicable);
    assert_eq!(card.overall.score, Some(1.0), "the inapplicable behavior is left out, not scored 0");
    let t = Transcript::from_json(
        r#"{"turns": [{"role": "candidate", "text": "The situation was bad."}, {"role": "candidate", "text": "The situation again."}],
            "segments": [{"id": "a", "round": "coding", "start_turn": 0}, {"id": "b", "round": "behavioral", "start_turn": 1}]}"#,
    )
    .unwrap();
    let star = r.score(&t).unwrap();
    let star = star.behavior("star").unwrap();
    assert_eq!((star.count, star.ignored.round), (1, 1));
    assert_eq!(star.evidence[0].segment.as_deref(), Some("b"));
}

#[test]
fn metric_behaviors_and_red_flags() {
    let r = rubric(
        &behavior("balance", "metric: { name: candidate_talk_ratio, min: 0.4, max: 0.8 }"),
        r"red_flags:
  - id: silence
    title: Long silence
    feedback: Keep talking.
    penalty: 0.3
    applies_to: sub
    metric: { name: longest_silence_seconds, min: 60 }",
        "",
    );
    // Candidate talks 50 of 100 s; a 70 s silence.
    let t = Transcript::from_json(
        r#"{"turns": [{"role": "interviewer", "start": 0, "end": 50, "text": "Question."},
                      {"role": "candidate", "start": 120, "end": 170, "text": "Answer."}]}"#,
    )
    .unwrap();
    let card = r.score(&t).unwrap();
    let b = card.behavior("balance").unwrap();
    assert_eq!((b.status, b.metric.as_ref().unwrap().value), (BehaviorStatus::Demonstrated, Some(0.5)));
    let flag = &card.red_flags[0];
    assert_eq!(flag.status, RedFlagStatus::Triggered);
    let sub = &card.competencies[0].subcompetencies[0];
    assert_eq!(sub.score, Some(0.7));
    assert_eq!(sub.red_flags, ["silence"]);
    assert!(sub.explain.contains("red flag silence -0.3 -> 0.7"), "{}", sub.explain);
    assert_eq!((sub.level, sub.label.as_deref()), (Some(2), Some("Mid")));
    // Untimed: the metric is not measurable and the red flag cannot trigger.
    let card = r.score(&untimed(&[("candidate", "Answer.")])).unwrap();
    assert_eq!(status(&card, "balance"), BehaviorStatus::NotMeasurable);
    assert_eq!(card.red_flags[0].status, RedFlagStatus::NotMeasurable);
}

#[test]
fn red_flags_clip_at_zero_and_rank_first_in_feedback_when_costly() {
    let r = rubric(
        &(behavior("a", "weight: 3\ndetectors: [{ phrases: [alpha] }]")
            + &behavior("b", "detectors: [{ phrases: [beta] }]")),
        r"red_flags:
  - id: rush
    title: Rushes
    feedback: Slow down.
    penalty: 0.9
    min_count: 2
    detectors: [{ phrases: [just code] }]",
        "",
    );
    let card = r.score(&untimed(&[("candidate", "Beta. I'll just code, just code.")])).unwrap();
    assert_eq!(card.red_flags[0].count, 2);
    assert_eq!(card.overall.score, Some(0.0), "0.25 - 0.9 clips at 0");
    assert_eq!(card.overall.scaled, Some(1.0));
    let kinds: Vec<(FeedbackKind, &str, f64)> = card.feedback.iter().map(|f| (f.kind, f.id.as_str(), f.gain)).collect();
    assert_eq!(kinds, [(FeedbackKind::RedFlag, "rush", 0.9), (FeedbackKind::Missing, "a", 0.75)]);
    assert_eq!(card.feedback[0].rank, 1);
    // One mention is below min_count.
    let card = r.score(&untimed(&[("candidate", "Alpha. I'll just code.")])).unwrap();
    assert_eq!(card.red_flags[0].status, RedFlagStatus::Clear);
    assert_eq!(card.overall.score, Some(0.75));
    let sub = &card.competencies[0].subcompetencies[0];
    assert!(sub.explain.contains("(3 x 1 + 1 x 0) / 4 = 0.75"), "{}", sub.explain);
    assert_eq!(card.overall.scaled, Some(2.5));
}

#[test]
fn levels_follow_sub_competency_anchor_bands() {
    let yaml = r#"id: anchors
version: "2"
title: Anchors
scale:
  levels:
    - { level: 1, label: Low, from: 0, to: 0.5 }
    - { level: 2, label: High, from: 0.5, to: 1 }
competencies:
  - id: c
    title: C
    subcompetencies:
      - id: s
        title: S
        anchors:
          - { level: 1, description: Rarely tests., from: 0, to: 0.9 }
          - { level: 2, description: Tests thoroughly., from: 0.9, to: 1 }
        behaviors:
          - id: t
            title: T
            feedback: Test.
            scoring: { mode: count, target: 4 }
            detectors: [{ phrases: [test] }]
"#;
    let r = Rubric::from_yaml(yaml).unwrap();
    let card = r.score(&untimed(&[("candidate", "test test test")])).unwrap();
    let sub = &card.competencies[0].subcompetencies[0];
    assert_eq!((sub.score, sub.level), (Some(0.75), Some(1)));
    assert_eq!(sub.anchor.as_deref(), Some("Rarely tests."));
    assert_eq!(card.overall.level, Some(2), "the overall score uses the scale's bands");
    assert_eq!(card.rubric.version, "2");
}

#[test]
fn conversation_metrics() {
    let r = rubric(
        &behavior("x", "detectors: [{ phrases: [x] }]"),
        "",
        "settings:\n  silence_threshold_seconds: 10\n  answer_time_limit_seconds: 20",
    );
    let t = Transcript::from_json(
        r#"{"turns": [
            {"speaker": "Ann", "role": "interviewer", "start": 0, "end": 10, "text": "Tell me about it."},
            {"speaker": "Bo", "role": "candidate", "start": 12, "end": 30, "text": "Um, well, you know, I built it. Can I add more?"},
            {"speaker": "Bo", "role": "candidate", "start": 45, "end": 60, "text": "It was uh fast"},
            {"speaker": "Ann", "role": "interviewer", "start": 61, "end": 62, "text": "Great."}
        ],
        "events": [{"type": "tests_passed", "time": 50}, {"type": "tests_passed", "time": 40}],
        "segments": [{"id": "q", "round": "behavioral", "start_turn": 0, "time_limit": 30}]}"#,
    )
    .unwrap();
    let m = r.score(&t).unwrap().metrics;
    assert_eq!(m.candidate_words, 15);
    assert_eq!(m.interviewer_words, 5);
    assert_eq!(m.duration_seconds, Some(62.0));
    assert_eq!(m.candidate_talk_ratio, Some(round4(33.0 / 44.0)));
    assert_eq!(m.answers, 1);
    assert_eq!(m.longest_answer_seconds, Some(48.0));
    assert_eq!(m.answers_over_limit.as_ref().unwrap().len(), 1);
    assert_eq!(m.longest_silence_seconds, Some(15.0));
    let silences = m.silences.as_ref().unwrap();
    assert_eq!((silences.len(), silences[0].after_turn, silences[0].seconds), (1, 1, 15.0));
    assert_eq!(m.longest_monologue.as_ref().unwrap().speaker, "Bo");
    assert_eq!(m.candidate_questions, 1);
    assert_eq!(m.filler_count, 3, "um, you know, uh");
    assert_eq!(m.time_to_first.get("tests_passed"), Some(&40.0));
    assert_eq!(m.segments_over_limit.as_ref().unwrap()[0].seconds, 62.0);
    assert_eq!(m.speakers.len(), 2);
    assert_eq!(m.speakers[1].talk_seconds, Some(33.0));
}

#[test]
fn a_silence_exactly_as_long_as_the_threshold_is_not_longer_than_it() {
    let r = rubric(&behavior("x", "detectors: [{ phrases: [x] }]"), "", "settings:\n  silence_threshold_seconds: 4.08");
    // 1380.16 - 1376.08 is 4.080000000000155 in floating point; 1390.0 - 1385.9 is 4.1.
    let t = Transcript::from_json(
        r#"{"turns": [
            {"role": "interviewer", "start": 1370, "end": 1376.08, "text": "Go on."},
            {"role": "candidate", "start": 1380.16, "end": 1385.9, "text": "So the loop stops."},
            {"role": "interviewer", "start": 1390.0, "end": 1391, "text": "Right."}
        ]}"#,
    )
    .unwrap();
    let m = r.score(&t).unwrap().metrics;
    let silences = m.silences.unwrap();
    assert_eq!(silences.len(), 1, "{silences:?}");
    assert_eq!((silences[0].after_turn, silences[0].seconds), (1, 4.1));
}

fn round4(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

#[test]
fn every_import_format_agrees_with_the_json_fixture() {
    use rubric_core::{import, ImportOptions};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/transcripts/formats");
    let read = |name: &str, maps: &[&str]| {
        let mut options = ImportOptions::default();
        for m in maps {
            options.map_speaker(m).unwrap();
        }
        import(&std::fs::read_to_string(dir.join(name)).unwrap(), Some(name), &options).unwrap()
    };
    let json = read("two-sum.json", &[]);
    let text = read("two-sum.txt", &[]);
    let utterances = read("two-sum.utterances.json", &["A=interviewer", "B=candidate"]);
    let vtt = read("two-sum.vtt", &["Dana=interviewer", "Sam=candidate"]);
    let deepgram = read("two-sum.deepgram.json", &["0=interviewer", "1=candidate"]);
    let joined = [
        ("srt", read("two-sum.srt", &["Dana=interviewer", "Sam=candidate"])),
        ("aws", read("two-sum.aws.json", &["spk_0=interviewer", "spk_1=candidate"])),
        ("whisper", read("two-sum.whisper.json", &["SPEAKER_00=interviewer", "SPEAKER_01=candidate"])),
        ("rev", read("two-sum.rev.json", &["0=interviewer", "1=candidate"])),
    ];
    let key = |t: &Transcript| t.turns().iter().map(|t| (t.role, t.text.clone(), t.start)).collect::<Vec<_>>();
    assert_eq!(key(&json), key(&text));
    // The other timestamp shapes of text lines, and WebVTT cues that say `Name: text`.
    let names = ["Dana=interviewer", "Sam=candidate"];
    for shape in ["two-sum.clock.txt", "two-sum.paren.txt", "two-sum.otter.txt"] {
        assert_eq!(key(&json), key(&read(shape, &names)), "{shape}");
    }
    assert_eq!(key(&read("two-sum.names.vtt", &names)), key(&vtt));
    assert_eq!(key(&json), key(&utterances));
    assert_eq!(key(&json), key(&deepgram));
    assert_eq!(json.turns()[4].end, utterances.turns()[4].end);
    assert_eq!(json.turns()[4].end, deepgram.turns()[4].end);
    // SubRip joins cues as WebVTT does; AWS words, Whisper segments and Rev monologues of one
    // speaker in a row make one turn too.
    for (name, transcript) in &joined {
        assert_eq!(key(transcript), key(&vtt), "{name}");
        assert_eq!(transcript.turns()[3].end, vtt.turns()[3].end, "{name}");
    }
    // WebVTT joins consecutive cues of one speaker into one turn.
    assert_eq!(vtt.turns().len(), 4);
    assert_eq!(vtt.turns()[3].text, format!("{} {}", json.turns()[3].text, json.turns()[4].text));
    assert_eq!(vtt.turns()[2].text, "Exactly one solution. Empty input can't happen.");
    let r = Rubric::bundled("coding-round").unwrap();
    let score = |t: &Transcript| r.score(t).unwrap().overall.score;
    assert_eq!(score(&json), score(&utterances));
    assert_eq!(score(&json), score(&deepgram));
    for (name, transcript) in &joined {
        assert_eq!(score(transcript), score(&vtt), "{name}");
    }
}

/// The bundled coding-round rubric hears these behaviors the way people say them.
#[test]
fn bundled_lexicons_follow_real_talk() {
    let r = Rubric::bundled("coding-round").unwrap();
    let t = untimed(&[
        ("interviewer", "Any other inputs you would check?"),
        ("candidate", "How about repeating elements, like the 4 and the 4."),
        ("interviewer", "Okay."),
        ("candidate", "So in this case four and four add up to eight."),
        ("interviewer", "Go on."),
        ("candidate", "You go from 0 to n, and then i is equal to n minus i. It's linear overall."),
    ]);
    let card = r.score(&t).unwrap();
    for (behavior, said) in [
        ("covers_edge_cases", "repeating elements"),
        ("works_through_example", "in this case"),
        ("traces_through_code", "from 0 to n"),
        ("states_time_complexity", "linear"),
    ] {
        let found = card.behavior(behavior).unwrap();
        let texts: Vec<&str> = found.evidence.iter().map(|e| e.text.as_str()).collect();
        assert!(texts.iter().any(|t| t.eq_ignore_ascii_case(said)), "{behavior}: {texts:?} ({})", found.explain);
    }
}

#[test]
fn the_report_marks_low_confidence_levels_inferred_events_and_estimated_times() {
    use rubric_core::report::{render_report, ReportOptions};
    let r = Rubric::bundled("coding-round").unwrap();
    let t = untimed(&[
        ("interviewer", "Find two numbers that add up to the target."),
        ("candidate", "can the array be empty"),
        ("candidate", "Okay, let me start coding."),
    ]);
    let card = r.score(&t).unwrap();
    let html = render_report(&card, &t, &ReportOptions::default());
    assert!(html.contains("untimed: time windows estimated at 200 words per minute"));
    assert!(html.contains("code_start inferred from turn 2: “start coding”"), "inferred event missing");
    let low = card.competencies.iter().flat_map(|c| &c.subcompetencies).find(|s| s.low_confidence).unwrap();
    let note = format!("low confidence ({:.0}% of the weight measurable)", low.coverage * 100.0);
    assert!(html.contains(&note), "{note} missing");
}

#[test]
fn question_detectors_hear_the_interviewer_when_they_listen_to_them() {
    // Candidate questions are always found (the metrics need them); the interviewer's only when a
    // question detector listens to the interviewer, with or without question marks.
    let r = rubric(
        &(behavior("probes", "speaker: interviewer\ndetectors: [{ question: {} }]")
            + &behavior("asks", "detectors: [{ question: {} }]")),
        "",
        "",
    );
    for (ask, answer) in
        [("What would you change?", "I would add a cache."), ("what would you change", "i would add a cache")]
    {
        let card = r.score(&untimed(&[("interviewer", ask), ("candidate", answer)])).unwrap();
        let probes = card.behavior("probes").unwrap();
        assert_eq!((probes.count, probes.evidence[0].turn), (1, 0), "{ask}");
        assert_eq!(card.behavior("asks").unwrap().count, 0);
        assert_eq!(card.metrics.candidate_questions, 0);
    }
}

#[test]
fn a_word_final_star_makes_a_phrase_a_stem() {
    let r = rubric(
        &behavior(
            "dups",
            "scoring: { mode: count, target: 9 }\ndetectors: [{ phrases: [\"duplicat*\", \"repeat*\"] }]",
        ),
        "",
        "",
    );
    let t = untimed(&[(
        "candidate",
        "Duplicates, a duplicated key, duplication, Repeating and repeat. Then dedup or duplicat-ion.",
    )]);
    let card = r.score(&t).unwrap();
    let b = card.behavior("dups").unwrap();
    let texts: Vec<&str> = b.evidence.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(texts, ["Duplicates", "duplicated", "duplication", "Repeating", "repeat", "duplicat"]);
    assert_eq!(b.evidence[0].detector.phrase.as_deref(), Some("duplicat*"));
    // The left boundary holds: "reduplicate" is not a word "duplicat*" begins.
    let card = r.score(&untimed(&[("candidate", "reduplicate")])).unwrap();
    assert_eq!(card.behavior("dups").unwrap().count, 0);
}

#[test]
fn times_up_to_the_maximum_are_accepted_and_no_figure_becomes_infinite() {
    use rubric_core::MAX_TIME_SECONDS;
    // A subnormal talk time used to make words per minute overflow to infinity, which JSON writes
    // as null; the largest allowed time must still give finite sums and rates.
    let doc = json!({
        "events": [{"type": "code_run", "time": MAX_TIME_SECONDS}],
        "turns": [
            {"role": "interviewer", "start": 0.0, "end": 1e-320, "text": "How would you approach this?"},
            {"role": "candidate", "start": 1e-320, "end": MAX_TIME_SECONDS, "text": "Can I assume the input is sorted?"}
        ]
    });
    let transcript = Transcript::from_json(&doc.to_string()).unwrap();
    let card = rubric(&behavior("asks", "detectors: [{ question: {} }]"), "", "").score(&transcript).unwrap();
    let metrics = &card.metrics;
    let interviewer = metrics.speakers.iter().find(|s| s.speaker == "interviewer").unwrap();
    assert_eq!(interviewer.words_per_minute, None, "under a millisecond of talk has no rate");
    let candidate = metrics.speakers.iter().find(|s| s.speaker == "candidate").unwrap();
    assert!(candidate.words_per_minute.is_some_and(f64::is_finite));
    for value in [metrics.duration_seconds, metrics.candidate_talk_ratio, metrics.candidate_words_per_minute] {
        assert!(value.is_some_and(f64::is_finite), "{value:?}");
    }
    assert!(card.to_json().contains("10000000.0"), "the largest time is written as a number");

    let beyond = doc.to_string().replace("10000000.0", "10000000.5");
    let error = Transcript::from_json(&beyond).unwrap_err();
    assert!(error.message.contains("beyond the largest time"), "{error}");
}

#[test]
fn evidence_lists_stop_at_their_cap_and_say_how_many_were_left_out() {
    use rubric_core::{MAX_EVIDENCE_ITEMS, MAX_QUOTE_BYTES};
    let r = rubric(
        &(behavior("edges", "detectors: [{ phrases: [edge cases] }]")
            + &behavior("long", "detectors: [{ regex: '[aé]{3}[aé]*' }]")),
        "red_flags:\n  - id: rambles\n    title: Rambles\n    feedback: Stop.\n    penalty: 0.1\n    detectors: [{ phrases: [edge cases] }]\n",
        "",
    );
    // 250 counted mentions over two turns and 120 negated ones, then one 6,001-byte match whose
    // byte 1,024 falls inside a two-byte character.
    let counted = "We test edge cases. ".repeat(125);
    let negated = "We never test edge cases. ".repeat(120);
    let long = format!("a{} done", "é".repeat(3000));
    let t = untimed(&[("candidate", &counted), ("candidate", &counted), ("candidate", &negated), ("candidate", &long)]);
    let card = r.score(&t).unwrap();
    let edges = card.behavior("edges").unwrap();
    assert_eq!((edges.count, edges.evidence.len(), edges.evidence_omitted), (250, MAX_EVIDENCE_ITEMS, 150));
    assert_eq!((edges.against.len(), edges.against_omitted), (MAX_EVIDENCE_ITEMS, 20));
    let listed: Vec<(usize, usize)> = edges.evidence.iter().map(|e| (e.turn, e.span.bytes[0])).collect();
    let first: Vec<(usize, usize)> =
        (0..125).map(|i| (0, i * 20 + 8)).chain((0..125).map(|i| (1, i * 20 + 8))).take(MAX_EVIDENCE_ITEMS).collect();
    assert_eq!(listed, first, "the listed items are the first ones in transcript order");
    assert!(edges.explain.starts_with("presence: 250 evidence items"), "{}", edges.explain);
    assert!(card.to_json().contains("\"evidence_omitted\":150"), "the JSON says how many were left out");

    let flag = card.red_flags.iter().find(|f| f.id == "rambles").unwrap();
    assert_eq!((flag.count, flag.evidence.len(), flag.evidence_omitted), (250, MAX_EVIDENCE_ITEMS, 150));

    let quote = &card.behavior("long").unwrap().evidence[0];
    assert_eq!(quote.span.bytes, [0, 6001], "the span stays exact");
    assert_eq!(
        quote.text.len(),
        MAX_QUOTE_BYTES - 1,
        "cut at the last character boundary within {MAX_QUOTE_BYTES} bytes"
    );
    assert!(long.starts_with(&quote.text));
}
