//! Properties of the retake planner over generated banks and histories: the 40/40/20 mix within
//! rounding, determinism for a seed, no repeated question, the plan size, and what each category
//! may contain.

mod common;

use std::collections::BTreeSet;
use std::sync::LazyLock;

use proptest::prelude::*;
use rubric_core::history::{History, SessionRecord};
use rubric_core::planner::{
    difficulty_for_score, mix, plan, Category, PlanOptions, Question, QuestionBank, QuestionBankSpec, ScheduleOptions,
};
use rubric_core::scorecard::Scorecard;
use rubric_core::{Date, Round, Rubric, Transcript};

static TEMPLATE: LazyLock<Scorecard> = LazyLock::new(|| {
    let text = std::fs::read_to_string(common::fixtures().join("transcripts/coding-round/weak.json")).unwrap();
    Rubric::bundled("coding-round").unwrap().score(&Transcript::from_json(&text).unwrap()).unwrap()
});

static SUBS: LazyLock<Vec<String>> =
    LazyLock::new(|| TEMPLATE.competencies.iter().flat_map(|c| &c.subcompetencies).map(|s| s.id.clone()).collect());

const ROUNDS: [Round; 2] = [Round::Coding, Round::SystemDesign];

/// (round index, difficulty, sub-competency indexes) per question.
fn bank_strategy(max: usize) -> impl Strategy<Value = Vec<(usize, u8, Vec<usize>)>> {
    prop::collection::vec((0..2usize, 1..=5u8, prop::collection::vec(0..9usize, 1..4)), 1..max)
}

fn build_bank(raw: &[(usize, u8, Vec<usize>)]) -> QuestionBank {
    let questions = raw
        .iter()
        .enumerate()
        .map(|(i, (round, difficulty, subs))| {
            let mut ids: Vec<String> = subs.iter().map(|s| SUBS[*s % SUBS.len()].clone()).collect();
            ids.sort();
            ids.dedup();
            Question {
                id: format!("q{i}"),
                round: ROUNDS[*round],
                difficulty: *difficulty,
                prompt: format!("Question {i}"),
                subcompetencies: ids,
            }
        })
        .collect();
    QuestionBank::from_spec(QuestionBankSpec { title: None, questions }).unwrap()
}

/// (day offset, sub-competency scores, question indexes asked) per coding session.
fn history_strategy() -> impl Strategy<Value = Vec<(u16, Vec<f64>, Vec<usize>)>> {
    prop::collection::vec(
        (0..400u16, prop::collection::vec(0.0..=1.0f64, 9), prop::collection::vec(0..60usize, 0..4)),
        0..4,
    )
}

fn build_history(raw: &[(u16, Vec<f64>, Vec<usize>)]) -> History {
    let records = raw
        .iter()
        .map(|(day, scores, asked)| {
            let mut card = TEMPLATE.clone();
            for (sub, score) in card.competencies.iter_mut().flat_map(|c| &mut c.subcompetencies).zip(scores) {
                sub.score = Some((score * 1000.0).round() / 1000.0);
            }
            card.overall.score = Some(scores.iter().sum::<f64>() / scores.len() as f64);
            let date = Date::parse("2024-01-01").unwrap().add_days(i64::from(*day));
            SessionRecord::new("Ada", date, Round::Coding, card)
                .unwrap()
                .with_questions(asked.iter().map(|q| format!("q{q}")))
        })
        .collect();
    History::from_records(records).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn the_mix_adds_up_and_each_share_is_within_rounding(count in 1usize..=1000) {
        let m = mix(count);
        prop_assert_eq!(m.values().sum::<usize>(), count);
        for category in Category::ALL {
            let exact = category.share() * count as f64;
            prop_assert!((m[&category] as f64 - exact).abs() < 1.0, "{:?}: {} vs {}", category, m[&category], exact);
        }
    }

    #[test]
    fn plans_are_deterministic_unique_and_sized(
        bank in bank_strategy(60),
        history in history_strategy(),
        seed in any::<u64>(),
        count in 1usize..=25,
        schedule_days in prop::option::of(0i64..40),
    ) {
        let bank = build_bank(&bank);
        let history = build_history(&history);
        let from = Date::parse("2025-03-01").unwrap();
        let options = PlanOptions {
            seed,
            count,
            schedule: schedule_days.map(|d| ScheduleOptions { from, until: from.add_days(d) }),
            ..PlanOptions::default()
        };
        let p = plan(&bank, &history, "Ada", &options).unwrap();
        // Determinism: the same seed gives the same plan, byte for byte.
        let again = plan(&bank, &history, "Ada", &options).unwrap();
        prop_assert_eq!(serde_json::to_string(&p).unwrap(), serde_json::to_string(&again).unwrap());
        // No question twice.
        let ids: BTreeSet<&str> = p.questions.iter().map(|q| q.id.as_str()).collect();
        prop_assert_eq!(ids.len(), p.questions.len());
        // Size: what was planned plus what could not be filled is what was asked for.
        let missing: usize = p.unfilled.iter().map(|u| u.wanted - u.filled).sum();
        prop_assert_eq!(p.questions.len() + missing, count);
        prop_assert!(p.questions.len() <= bank.questions().len());
        prop_assert_eq!(p.mix.values().sum::<usize>(), count);
        // Each category holds at most its target, exactly its target unless reported unfilled.
        for category in Category::ALL {
            let got = p.count(category);
            prop_assert!(got <= p.mix[&category]);
            let reported = p.unfilled.iter().find(|u| u.category == category);
            if let Some(u) = reported {
                prop_assert_eq!((u.filled, u.wanted), (got, p.mix[&category]));
            } else {
                prop_assert_eq!(got, p.mix[&category]);
            }
        }
        // Categories are in order and positions are 1..=n.
        let positions: Vec<usize> = p.questions.iter().map(|q| q.position).collect();
        prop_assert_eq!(positions, (1..=p.questions.len()).collect::<Vec<_>>());
        let categories: Vec<Category> = p.questions.iter().map(|q| q.category).collect();
        let mut sorted = categories.clone();
        sorted.sort();
        prop_assert_eq!(categories, sorted);
        // What each category may contain.
        let seen: BTreeSet<String> = history.records().iter().flat_map(|r| r.record.questions.clone()).collect();
        for q in &p.questions {
            let level = p.levels.iter().find(|l| l.round == q.round).unwrap().difficulty;
            prop_assert!(!q.reason.is_empty());
            prop_assert_eq!(q.seen_before, seen.contains(&q.id));
            match q.category {
                Category::New => {
                    prop_assert!(!q.seen_before);
                    prop_assert_eq!(q.difficulty, level);
                }
                Category::Harder => {
                    prop_assert!(!q.seen_before);
                    prop_assert!(q.difficulty > level);
                }
                Category::WeakArea => {
                    if p.weak_areas.is_empty() {
                        prop_assert!(q.reason.starts_with("baseline"));
                    } else {
                        prop_assert!(!q.targets.is_empty());
                        prop_assert!(q.targets.iter().all(|t| q.subcompetencies.contains(t)));
                    }
                }
            }
        }
        // The schedule holds every planned question once, on days in range, weak areas first.
        if let Some(days) = &p.schedule {
            prop_assert_eq!(i64::try_from(days.len()).unwrap(), schedule_days.unwrap() + 1);
            let scheduled: Vec<&str> = days.iter().flat_map(|d| d.questions.iter().map(String::as_str)).collect();
            let planned: Vec<&str> = p.questions.iter().map(|q| q.id.as_str()).collect();
            prop_assert_eq!(scheduled, planned);
            prop_assert!(days.windows(2).all(|w| w[0].date.add_days(1) == w[1].date));
        }
    }

    #[test]
    fn a_large_enough_bank_fills_the_mix_exactly(seed in any::<u64>(), count in 1usize..=20, history in history_strategy()) {
        // 30 questions per round and difficulty, each exercising every sub-competency.
        let raw: Vec<(usize, u8, Vec<usize>)> =
            (0..2).flat_map(|r| (1..=5u8).flat_map(move |d| (0..30).map(move |_| (r, d, (0..9).collect())))).collect();
        let bank = build_bank(&raw);
        let history = build_history(&history);
        // A level-5 round has nothing harder; keep the levels below 5.
        let top = history.records().iter().any(|r| r.record.scorecard.overall.score.is_some_and(|s| difficulty_for_score(s) == 5));
        prop_assume!(!top);
        let p = plan(&bank, &history, "Ada", &PlanOptions { seed, count, ..PlanOptions::default() }).unwrap();
        prop_assert!(p.unfilled.is_empty(), "{:?}", p.unfilled);
        prop_assert_eq!(p.questions.len(), count);
        // Exactly the 40/40/20 targets, each within one question of its exact share.
        for category in Category::ALL {
            prop_assert_eq!(p.count(category), mix(count)[&category]);
            prop_assert!((p.count(category) as f64 - category.share() * count as f64).abs() < 1.0);
        }
    }

    #[test]
    fn different_seeds_reorder_but_never_change_the_rules(seed_a in any::<u64>(), seed_b in any::<u64>()) {
        let bank = QuestionBank::from_yaml(&std::fs::read_to_string(common::fixtures().join("../question-banks/starter.yaml")).unwrap()).unwrap();
        let options = |seed| PlanOptions { seed, count: 10, rounds: vec![Round::Coding], ..PlanOptions::default() };
        let a = plan(&bank, &History::default(), "Ada", &options(seed_a)).unwrap();
        let b = plan(&bank, &History::default(), "Ada", &options(seed_b)).unwrap();
        prop_assert_eq!(a.questions.len(), 10);
        prop_assert_eq!(b.questions.len(), 10);
        for category in Category::ALL {
            prop_assert_eq!(a.count(category), b.count(category));
        }
    }
}

#[test]
fn a_tiny_bank_says_what_it_could_not_fill() {
    let yaml = "questions:\n  - { id: a, round: coding, difficulty: 2, prompt: Two sum, subcompetencies: [solution_design] }\n  - { id: b, round: coding, difficulty: 3, prompt: LRU cache, subcompetencies: [code_organization] }\n";
    let bank = QuestionBank::from_yaml(yaml).unwrap();
    let p = plan(&bank, &History::default(), "Ada", &PlanOptions { count: 10, ..PlanOptions::default() }).unwrap();
    assert_eq!(p.questions.len(), 2);
    let unfilled: Vec<(Category, usize, usize)> = p.unfilled.iter().map(|u| (u.category, u.filled, u.wanted)).collect();
    // The strict shares are filled first; the baseline (weak-area) share gets what is left: nothing.
    assert_eq!(unfilled, [(Category::WeakArea, 0, 4), (Category::New, 1, 4), (Category::Harder, 1, 2)]);
    assert!(
        p.unfilled[0].reason.contains("no more questions in the planned rounds (coding)"),
        "{}",
        p.unfilled[0].reason
    );
    assert!(
        p.unfilled[1].reason.contains("no more unseen questions at the current level (coding 2)"),
        "{}",
        p.unfilled[1].reason
    );
    assert!(p.notes[0].starts_with("no sessions for Ada yet"));
}

#[test]
fn weak_areas_come_first_and_explain_themselves() {
    let text = std::fs::read_to_string(common::fixtures().join("../question-banks/starter.yaml")).unwrap();
    let bank = QuestionBank::from_yaml(&text).unwrap();
    let mut card = TEMPLATE.clone();
    for sub in card.competencies.iter_mut().flat_map(|c| &mut c.subcompetencies) {
        sub.score = Some(if sub.id == "complexity_analysis" { 0.1 } else { 0.8 });
    }
    card.overall.score = Some(0.5);
    let record = SessionRecord::new("Ada", Date::parse("2024-05-01").unwrap(), Round::Coding, card)
        .unwrap()
        .with_questions(["two-sum", "lru-cache"]);
    let history = History::from_records(vec![record]).unwrap();
    let options = PlanOptions {
        seed: 11,
        weak_areas: 1,
        schedule: Some(ScheduleOptions {
            from: Date::parse("2024-05-02").unwrap(),
            until: Date::parse("2024-05-06").unwrap(),
        }),
        ..PlanOptions::default()
    };
    let p = plan(&bank, &history, "Ada", &options).unwrap();
    assert_eq!(p.levels[0].difficulty, 3, "overall 0.5 is difficulty 3");
    assert!(p.unfilled.is_empty());
    for q in p.questions.iter().filter(|q| q.category == Category::WeakArea) {
        assert!(q.subcompetencies.contains(&"complexity_analysis".to_string()), "{}", q.id);
        assert!(q.difficulty <= 3, "weak areas are practised at or below the level: {} is {}", q.id, q.difficulty);
        assert!(q.reason.contains("Time and space complexity (coding) scored 0.10"), "{}", q.reason);
    }
    assert!(
        p.questions.iter().all(|q| q.id != "two-sum" || q.category == Category::WeakArea),
        "seen questions only as retakes"
    );
    let schedule = p.schedule.unwrap();
    assert_eq!(schedule.len(), 5);
    assert_eq!(schedule[0].focus, ["complexity_analysis"], "the first day works on the weak area");
}
