//! Invariants over generated transcripts: determinism, spans that slice to their text, scores on
//! the scale, monotonicity, negation, and no panic on arbitrary input in any format.

use std::fmt::Write as _;

use proptest::prelude::*;
use rubric_core::scorecard::Scorecard;
use rubric_core::{import, Format, ImportOptions, Rubric, Transcript};
use serde_json::json;

const RUBRIC: &str = r#"
id: props
version: "1"
title: Properties
scale:
  levels:
    - { level: 1, label: Low, from: 0, to: 0.4 }
    - { level: 2, label: Mid, from: 0.4, to: 0.7 }
    - { level: 3, label: High, from: 0.7, to: 1 }
lexicons:
  complexity: ["o(n)", "linear time", "big o"]
competencies:
  - id: c
    title: C
    weight: 2
    subcompetencies:
      - id: s1
        title: S1
        behaviors:
          - id: edges
            title: Edge cases
            feedback: Name edge cases.
            scoring: { mode: count, target: 3 }
            detectors: [{ phrases: [edge case, edge cases, empty input] }]
          - id: complexity
            title: Complexity
            feedback: State complexity.
            detectors: [{ lexicon: complexity }, { regex: 'o\(n( log n)?\)' }]
      - id: s2
        title: S2
        behaviors:
          - id: asks
            title: Asks
            feedback: Ask.
            scoring: { mode: count, target: 2 }
            detectors: [{ question: { about: [assume, input] } }]
  - id: d
    title: D
    subcompetencies:
      - id: s3
        title: S3
        behaviors:
          - id: assume
            title: Assumes
            feedback: Assume.
            speaker: any
            detectors: [{ phrases: ["i'll assume", assuming] }]
red_flags:
  - id: rush
    title: Rush
    feedback: Slow down.
    penalty: 0.2
    applies_to: s1
    detectors: [{ phrases: [just code] }]
"#;

fn rubric() -> Rubric {
    Rubric::from_yaml(RUBRIC).unwrap()
}

/// Fragments real transcripts are made of, including the rubric's phrases, negation cues,
/// curly quotes, accents, emoji and astral characters.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("edge case".to_string()),
        Just("Edge Cases".to_string()),
        Just("empty input".to_string()),
        Just("O(n log n)".to_string()),
        Just("linear time".to_string()),
        Just("I’ll assume".to_string()),
        Just("can I assume the input is sorted".to_string()),
        Just("didn’t".to_string()),
        Just("no need to".to_string()),
        Just("just code".to_string()),
        Just("but".to_string()),
        Just("?".to_string()),
        Just(".".to_string()),
        Just(",".to_string()),
        Just("\n".to_string()),
        Just("café".to_string()),
        Just("😀".to_string()),
        Just("İ".to_string()),
        Just("—".to_string()),
        "[a-zA-Z]{1,8}",
        "\\PC{1,4}",
    ]
}

fn utterance() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..14).prop_map(|parts| parts.join(" "))
}

fn transcript_strategy() -> impl Strategy<Value = (Vec<(bool, String)>, bool)> {
    (prop::collection::vec((any::<bool>(), utterance()), 1..8), any::<bool>())
}

fn build(turns: &[(bool, String)], timed: bool) -> Transcript {
    let list: Vec<serde_json::Value> = turns
        .iter()
        .enumerate()
        .map(|(i, (candidate, text))| {
            let role = if *candidate { "candidate" } else { "interviewer" };
            if timed {
                json!({"role": role, "text": text, "start": i as f64 * 10.0, "end": i as f64 * 10.0 + 8.0})
            } else {
                json!({"role": role, "text": text})
            }
        })
        .collect();
    Transcript::from_json(&json!({ "turns": list }).to_string()).unwrap()
}

fn all_scores(card: &Scorecard) -> Vec<f64> {
    let mut scores = vec![card.overall.score];
    for c in &card.competencies {
        scores.push(c.score);
        for s in &c.subcompetencies {
            scores.push(s.score);
            scores.extend(s.behaviors.iter().map(|b| b.score));
        }
    }
    scores.into_iter().flatten().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn same_input_same_output((turns, timed) in transcript_strategy()) {
        let r = rubric();
        let t = build(&turns, timed);
        let first = r.score(&t).unwrap().to_json();
        let again = rubric().score(&t).unwrap().to_json();
        prop_assert_eq!(first, again);
    }

    #[test]
    fn spans_slice_the_original_text((turns, timed) in transcript_strategy()) {
        let t = build(&turns, timed);
        let card = rubric().score(&t).unwrap();
        let evidence = card.behaviors().flat_map(|b| b.evidence.iter().chain(&b.against))
            .chain(card.red_flags.iter().flat_map(|f| &f.evidence));
        for e in evidence {
            let text = &t.turns()[e.turn].text;
            prop_assert_eq!(&text[e.span.bytes[0]..e.span.bytes[1]], e.text.as_str());
            let chars: String = text.chars().skip(e.span.chars[0]).take(e.span.chars[1] - e.span.chars[0]).collect();
            prop_assert_eq!(&chars, &e.text);
            let utf16: Vec<u16> = text.encode_utf16().collect();
            prop_assert_eq!(String::from_utf16(&utf16[e.span.utf16[0]..e.span.utf16[1]]).unwrap(), e.text.clone());
        }
    }

    #[test]
    fn scores_stay_on_the_scale((turns, timed) in transcript_strategy()) {
        let card = rubric().score(&build(&turns, timed)).unwrap();
        for score in all_scores(&card) {
            prop_assert!((0.0..=1.0).contains(&score), "score {}", score);
        }
        let scaled = card.overall.scaled.unwrap();
        prop_assert!((1.0..=3.0).contains(&scaled));
        prop_assert!(matches!(card.overall.level, Some(1..=3)));
        for item in &card.feedback {
            prop_assert!(item.gain > 0.0 && item.gain <= 1.0);
        }
        let ranks: Vec<usize> = card.feedback.iter().map(|f| f.rank).collect();
        prop_assert_eq!(ranks, (1..=card.feedback.len()).collect::<Vec<_>>());
    }

    #[test]
    fn a_matching_candidate_turn_never_lowers_the_behavior(
        (turns, timed) in transcript_strategy(),
        phrase in prop_oneof![Just("One edge case is empty input."), Just("It runs in linear time."), Just("I'll assume ints.")],
    ) {
        let r = rubric();
        let before = r.score(&build(&turns, timed)).unwrap();
        let mut longer = turns.clone();
        longer.push((true, phrase.to_string()));
        let after = r.score(&build(&longer, timed)).unwrap();
        for (b, a) in before.behaviors().zip(after.behaviors()) {
            // Question detection reads the next turn's opening (a reply of "yeah" says the turn
            // before was a question), so a new turn may settle whether the last one asked
            // something; the property below bounds that to the one turn before it.
            if b.id == "asks" {
                continue;
            }
            prop_assert!(a.score >= b.score, "{} fell from {:?} to {:?}", b.id, b.score, a.score);
        }
    }

    #[test]
    fn a_new_turn_changes_questions_only_in_the_turn_before_it(
        (turns, timed) in transcript_strategy(),
        candidate in any::<bool>(),
        reply in prop_oneof![Just("Yeah, it can."), Just("No."), Just("Can it be empty"), Just("Okay so")],
    ) {
        let r = rubric();
        let before = r.score(&build(&turns, timed)).unwrap();
        let mut longer = turns.clone();
        longer.push((candidate, reply.to_string()));
        let after = r.score(&build(&longer, timed)).unwrap();
        let settled = |card: &Scorecard| -> Vec<(usize, String)> {
            card.behavior("asks").unwrap().evidence.iter()
                .filter(|e| e.turn + 1 < turns.len())
                .map(|e| (e.turn, e.text.clone()))
                .collect()
        };
        prop_assert_eq!(settled(&before), settled(&after));
    }

    #[test]
    fn negated_mentions_never_count(
        cue in prop_oneof![Just("I didn't consider"), Just("no need to handle"), Just("we won't bother with"), Just("never thought about")],
        filler in "[a-z]{0,6}",
    ) {
        // A word that ends a clause ("so", "then") ends the negation's scope too: "I didn't
        // consider it, so edge cases ..." negates nothing after the "so".
        prop_assume!(!rubric_core::text::segment::is_terminator_word(&filler));
        let text = format!("{cue} {filler} edge cases");
        let card = rubric().score(&build(&[(true, text)], false)).unwrap();
        let edges = card.behavior("edges").unwrap();
        prop_assert_eq!(edges.count, 0);
        prop_assert_eq!(edges.against.len(), 1);
    }

    #[test]
    fn importers_never_panic_on_arbitrary_text(input in "\\PC{0,200}", format in 0..Format::ALL.len()) {
        let options = ImportOptions { format: Some(Format::ALL[format]), ..ImportOptions::default() };
        if let Ok(t) = import(&input, None, &options) {
            rubric().score(&t).unwrap();
        }
    }

    /// Every text format reads the same turns whatever its line ends (LF, CRLF, CR only), is
    /// detected as itself, and SubRip reads as WebVTT does.
    #[test]
    fn line_endings_and_caption_formats_do_not_change_the_turns(
        turns in prop::collection::vec((any::<bool>(), "[A-Za-z][a-z ,.?'’é]{0,40}"), 1..6),
    ) {
        let role = |candidate: bool| if candidate { "Candidate" } else { "Interviewer" };
        let mut text = String::new();
        let mut vtt = String::from("WEBVTT\n\n");
        let mut srt = String::new();
        for (i, (candidate, speech)) in turns.iter().enumerate() {
            let (start, end, who) = (i * 5, i * 5 + 4, role(*candidate));
            writeln!(text, "[00:{start:02}] {who}: {speech}").unwrap();
            writeln!(vtt, "00:00:{start:02}.000 --> 00:00:{end:02}.500\n{who}: {speech}\n").unwrap();
            writeln!(srt, "{}\n00:00:{start:02},000 --> 00:00:{end:02},500\n{who}: {speech}\n", i + 1).unwrap();
        }
        let options = ImportOptions::default();
        let mut read = Vec::new();
        for (input, format) in [(text, Format::Text), (vtt, Format::Vtt), (srt, Format::Srt)] {
            prop_assert_eq!(Format::detect(&input, None), format);
            let lf = import(&input, None, &options).unwrap();
            for ending in ["\r\n", "\r"] {
                let other = import(&input.replace('\n', ending), None, &options).unwrap();
                prop_assert_eq!(other.turns(), lf.turns(), "{} with {:?}", format, ending);
            }
            read.push(lf);
        }
        prop_assert_eq!(read[1].turns(), read[2].turns());
    }

    #[test]
    fn rubric_parser_never_panics(input in "[a-z:\\-\\[\\]{}\\n '\"&*!|>0-9.]{0,300}") {
        let _ = Rubric::from_yaml(&input);
    }
}
