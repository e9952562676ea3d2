//! Every fixture's scorecard equals its golden file, byte for byte.
//!
//! After an intended change, regenerate with `UPDATE_GOLDEN=1 cargo test --test golden` and review
//! the diff of `fixtures/golden/` like code.

mod common;

use rubric_core::scorecard::{BehaviorStatus, RedFlagStatus};

#[test]
fn scorecards_match_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatches = Vec::new();
    for case in common::cases() {
        let (_, card) = case.score();
        let actual = card.to_json_pretty() + "\n";
        let path = common::fixtures().join(&case.golden);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing golden file {}", case.golden));
        if expected != actual {
            mismatches.push(case.golden.clone());
        }
    }
    assert!(mismatches.is_empty(), "scorecards differ from golden files (UPDATE_GOLDEN=1 to accept): {mismatches:?}");
}

/// The golden files parse back into the same scorecard type (the JSON is a stable contract).
#[test]
fn golden_files_round_trip_through_the_scorecard_type() {
    for case in common::cases() {
        let (_, card) = case.score();
        let text = std::fs::read_to_string(common::fixtures().join(&case.golden)).unwrap();
        let parsed: rubric_core::Scorecard = serde_json::from_str(&text).unwrap();
        assert!(parsed == card, "{} does not parse back into the same scorecard", case.golden);
    }
}

/// The fixtures were written to separate strong from weak candidates: check that they do, and that
/// the weak ones show evidence against and trigger red flags while the strong ones do not.
#[test]
fn strong_candidates_outscore_weak_ones_on_every_rubric() {
    let cases = common::cases();
    for rubric in rubric_core::bundled::names() {
        let score_of = |kind: &str| {
            let case =
                cases.iter().find(|c| c.rubric == rubric && c.transcript.ends_with(&format!("/{kind}.json"))).unwrap();
            case.score().1
        };
        let strong = score_of("strong");
        let weak = score_of("weak");
        let (s, w) = (strong.overall.score.unwrap(), weak.overall.score.unwrap());
        assert!(s >= 0.75, "{rubric}: strong candidate scores {s}");
        assert!(w <= 0.35, "{rubric}: weak candidate scores {w}");
        assert!(strong.overall.level > weak.overall.level, "{rubric}: levels do not separate");
        let triggered = |card: &rubric_core::Scorecard| {
            card.red_flags.iter().filter(|f| f.status == RedFlagStatus::Triggered).count()
        };
        assert_eq!(triggered(&strong), 0, "{rubric}: strong candidate triggers a red flag");
        assert!(triggered(&weak) >= 2, "{rubric}: weak candidate triggers fewer than two red flags");
        let contradicted = weak.behaviors().filter(|b| b.status == BehaviorStatus::Contradicted).count();
        assert!(contradicted >= 1, "{rubric}: weak candidate has no evidence against");
        assert!(weak.feedback.len() > strong.feedback.len(), "{rubric}: weak candidate gets less feedback");
    }
}

/// The real-shaped fixtures (untimed text and caption transcripts without events, one cut short, one
/// without `?`)
/// exercise every fallback for what real transcripts lack; each must show in their goldens.
#[test]
fn real_shaped_fixtures_show_every_fallback() {
    use rubric_core::scorecard::NodeStatus;
    let cards: Vec<(String, rubric_core::Scorecard)> = common::cases()
        .into_iter()
        .filter(|c| c.transcript.contains("real-shaped/"))
        .map(|c| (c.transcript.clone(), c.score().1))
        .collect();
    assert_eq!(cards.len(), 11, "a text and a caption transcript for each bundled rubric, and one caption without `?`");
    for (name, card) in &cards {
        assert!(!card.transcript.complete, "{name}");
        assert_eq!(card.transcript.times_estimated, !name.contains(".vtt"), "{name}");
    }
    let explains = |card: &rubric_core::Scorecard| card.behaviors().map(|b| b.explain.clone()).collect::<Vec<_>>();
    let any = |what: &str, test: &dyn Fn(&rubric_core::Scorecard) -> bool| {
        assert!(cards.iter().any(|(_, c)| test(c)), "no real-shaped golden shows {what}");
    };
    any("an estimated time window", &|c| explains(c).iter().any(|e| e.contains("window was estimated")));
    any("an order rule on an inferred event", &|c| explains(c).iter().any(|e| e.contains("event inferred at turn")));
    for kind in
        ["code_start", "code_run", "tests_failed", "tests_passed", "diagram_shared", "hint_given", "review_submitted"]
    {
        any(kind, &|c| c.transcript.inferred_events.iter().any(|e| e.kind == kind));
    }
    any("a low-confidence level", &|c| {
        c.competencies.iter().flat_map(|c| &c.subcompetencies).any(|s| s.low_confidence)
    });
    // The recruiter call cut short: the candidate never reached their own questions, which is
    // insufficient evidence, never evidence against.
    let (_, recruiter) = cards.iter().find(|(n, _)| n.ends_with("recruiter-screen.txt")).unwrap();
    let asks = recruiter.behavior("asks_enough_questions").unwrap();
    assert_eq!(asks.status, BehaviorStatus::NotObserved, "{}", asks.explain);
    let questions = recruiter
        .competencies
        .iter()
        .find(|c| c.subcompetencies.iter().any(|s| s.behaviors.iter().any(|b| b.id == "asks_enough_questions")))
        .unwrap();
    assert_ne!(questions.status, NodeStatus::EvidenceAgainst);
}

/// The two-person role inference, run on every two-speaker fixture with its roles taken away,
/// gives back the roles the fixture was written with: the 10 bundled interviews (native JSON,
/// roles removed) and every fixture whose speakers are mapped by name (captions, speech-to-text).
#[test]
fn role_inference_recovers_the_roles_of_every_two_speaker_fixture() {
    use rubric_core::{import, ImportOptions, Role};
    let mut checked = 0;
    for case in common::cases() {
        let (_, transcript) = case.load();
        let mut speakers: Vec<(String, Role)> = Vec::new();
        for turn in transcript.turns() {
            if !speakers.iter().any(|(s, _)| *s == turn.speaker) {
                speakers.push((turn.speaker.clone(), turn.role));
            }
        }
        let roles: Vec<Role> = speakers.iter().map(|(_, r)| *r).collect();
        if speakers.len() != 2 || roles.contains(&Role::Observer) {
            continue;
        }
        let path = common::fixtures().join(&case.transcript);
        let mut text = std::fs::read_to_string(&path).unwrap();
        if case.transcript.ends_with("strong.json") || case.transcript.ends_with("weak.json") {
            let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
            doc.as_object_mut().unwrap().remove("roles");
            for turn in doc["turns"].as_array_mut().unwrap() {
                turn.as_object_mut().unwrap().remove("role");
            }
            text = doc.to_string();
        } else if case.speakers.is_empty() {
            continue; // labelled with role words: nothing to infer
        }
        let options = ImportOptions { infer_roles: true, ..ImportOptions::default() };
        let inferred = import(&text, path.file_name().and_then(|n| n.to_str()), &options)
            .unwrap_or_else(|e| panic!("{}: {e}", case.transcript));
        let got: Vec<(String, Role)> = speakers
            .iter()
            .map(|(s, _)| (s.clone(), inferred.turns().iter().find(|t| t.speaker == *s).unwrap().role))
            .collect();
        assert_eq!(got, speakers, "{}: {}", case.transcript, inferred.role_inference().unwrap().rule);
        checked += 1;
    }
    assert_eq!(
        checked, 28,
        "fixtures checked: the 10 bundled interviews and the annotated copy of one, 11 two-sum variants with speaker labels, 5 captions and one of them without `?`"
    );
}
