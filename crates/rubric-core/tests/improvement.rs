//! The improvement loop end to end: the starter question bank, history files, trends arithmetic on
//! hand-made histories, rubric-version marking and the HTML report.

mod common;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use rubric_core::history::{History, SessionRecord};
use rubric_core::planner::QuestionBank;
use rubric_core::report::{render_report, ReportOptions};
use rubric_core::scorecard::Scorecard;
use rubric_core::specificity::Specificity;
use rubric_core::trends::{technical_depth, trends, Movement, TrendOptions, Verdict};
use rubric_core::{bundled, Date, Round, Rubric, Transcript};

fn assert_thread_safe<T: Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}

/// Fails to compile if a public type of the improvement loop stops being shareable across threads.
#[test]
fn public_types_are_send_sync_and_unwind_safe() {
    use rubric_core::planner::Plan;
    assert_thread_safe::<History>();
    assert_thread_safe::<SessionRecord>();
    assert_thread_safe::<rubric_core::Trends>();
    assert_thread_safe::<QuestionBank>();
    assert_thread_safe::<Plan>();
    assert_thread_safe::<ReportOptions>();
    assert_thread_safe::<rubric_core::BankErrors>();
    assert_thread_safe::<rubric_core::PlanError>();
    assert_thread_safe::<rubric_core::HistoryError>();
}

/// `as_str` is the serde name, so JSON errors and binding errors use the same kind strings.
#[test]
fn new_error_kind_names_match_their_json_form() {
    use rubric_core::{BankErrorKind as B, HistoryErrorKind as H, PlanErrorKind as P};
    for kind in [B::Syntax, B::Schema, B::InvalidValue, B::DuplicateId, B::UnknownReference, B::LimitExceeded] {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
    }
    for kind in [H::InvalidValue, H::Mismatch, H::UnsupportedFormat] {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
    }
    assert_eq!(serde_json::to_value(P::InvalidOption).unwrap(), P::InvalidOption.as_str());
}

/// Every input and output of the loop goes through JSON unchanged (the bindings' contract).
#[test]
fn inputs_and_outputs_round_trip_through_json() {
    use rubric_core::planner::{plan, Plan, PlanOptions};
    let history = History::from_records(vec![
        session("2024-01-01", card(&[], 0.3)),
        session("2024-02-01", card(&[("delivery", Some(0.9))], 0.5)),
    ])
    .unwrap();
    let back: History = serde_json::from_str(&serde_json::to_string(&history).unwrap()).unwrap();
    assert_eq!(back, history);
    let t = trends(&history, "Ada", &TrendOptions::default());
    let back: rubric_core::Trends = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
    assert_eq!(back, t);
    let options: PlanOptions =
        serde_json::from_str(r#"{"seed": 5, "count": 6, "schedule": {"from": "2024-03-01", "until": "2024-03-04"}}"#)
            .unwrap();
    assert_eq!((options.count, options.weak_areas), (6, 3), "missing keys take their defaults");
    let bank = QuestionBank::from_yaml(&starter_bank_text()).unwrap();
    let p = plan(&bank, &history, "Ada", &options).unwrap();
    let back: Plan = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    assert_eq!(back, p);
    // The candidate is the first option checked, for every surface alike.
    let error = plan(&bank, &history, "  ", &options).unwrap_err();
    assert_eq!((error.kind.as_str(), error.path.as_str()), ("invalid_option", "candidate"));
    assert_eq!(error.to_string(), "candidate: the candidate name is empty");
    assert!(
        serde_json::from_str::<PlanOptions>(r#"{"schedule": {"from": "2024-02-30", "until": "2024-03-04"}}"#).is_err()
    );
}

fn starter_bank_text() -> String {
    std::fs::read_to_string(common::fixtures().join("../question-banks/starter.yaml")).unwrap()
}

fn fixture(rubric: &str, kind: &str) -> Transcript {
    let text = std::fs::read_to_string(common::fixtures().join(format!("transcripts/{rubric}/{kind}.json"))).unwrap();
    Transcript::from_json(&text).unwrap()
}

/// The coding-round strong scorecard, scored once.
static TEMPLATE: LazyLock<Scorecard> =
    LazyLock::new(|| Rubric::bundled("coding-round").unwrap().score(&fixture("coding-round", "strong")).unwrap());

/// A copy of the template with every sub-competency at `default` except those in `scores`.
fn card(scores: &[(&str, Option<f64>)], default: f64) -> Scorecard {
    let mut card = TEMPLATE.clone();
    for competency in &mut card.competencies {
        for sub in &mut competency.subcompetencies {
            sub.score = scores.iter().find(|(id, _)| *id == sub.id).map_or(Some(default), |(_, s)| *s);
        }
        competency.score = Some(default);
    }
    card.overall.score = Some(default);
    card
}

fn session(date: &str, card: Scorecard) -> SessionRecord {
    SessionRecord::new("Ada", Date::parse(date).unwrap(), Round::Coding, card).unwrap()
}

#[test]
fn the_starter_bank_is_valid_and_names_real_subcompetencies() {
    let bank = QuestionBank::from_yaml(&starter_bank_text()).unwrap();
    let rubrics: Vec<Rubric> = bundled::names().into_iter().map(|n| Rubric::bundled(n).unwrap()).collect();
    bank.check_subcompetencies(&rubrics).unwrap();
    // Enough questions in every round and at every difficulty for a 40/40/20 mix at any level.
    for round in Round::ALL {
        let in_round: Vec<_> = bank.questions().iter().filter(|q| q.round == round).collect();
        assert!(in_round.len() >= 12, "{round:?} has {} questions", in_round.len());
        for difficulty in 1..=5 {
            let n = in_round.iter().filter(|q| q.difficulty == difficulty).count();
            assert!(n >= 2, "{round:?} has {n} questions at difficulty {difficulty}");
        }
    }
    // The fixture transcripts' question ids are in the bank, so recorded sessions mark them seen.
    for (rubric, id) in [
        ("coding-round", "min-size-subarray-sum"),
        ("system-design", "photo-feed"),
        ("behavioral-star", "star-behavioral"),
        ("code-review", "bulk-invite-pr"),
    ] {
        let question = bank.question(id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(Some(question.round), Rubric::bundled(rubric).unwrap().spec().round, "{id}");
    }
}

#[test]
fn trends_arithmetic_on_a_hand_made_history() {
    // problem_understanding: 0.2, 0.4, not measurable, 0.9; everything else 0.6.
    let mut records = vec![
        session("2024-01-01", card(&[("problem_understanding", Some(0.2))], 0.6)),
        session("2024-01-08", card(&[("problem_understanding", Some(0.4))], 0.6)),
        session("2024-01-15", card(&[("problem_understanding", None)], 0.6)),
        session("2024-01-22", card(&[("problem_understanding", Some(0.9)), ("delivery", Some(0.1))], 0.6)),
    ];
    // Words per answer 100, 80, 60, 40; time to first solution 900, n/a (untimed), 600, 300.
    for (i, record) in records.iter_mut().enumerate() {
        let metrics = &mut record.scorecard.metrics;
        metrics.mean_words_per_answer = Some(100.0 - 20.0 * i as f64);
        metrics.timed = i != 1;
        metrics.time_to_first.insert("tests_passed".into(), [900.0, 700.0, 600.0, 300.0][i]);
        record.specificity = Some(Specificity {
            candidate_words: 1000,
            numbers: 10 * i,
            technologies: 0,
            outcomes: 0,
            per_100_words: Some(i as f64),
            answers: 10,
            answers_with_specifics: i,
            named_technologies: Vec::new(),
        });
    }
    // Stored out of order: trends sort by date.
    records.swap(0, 3);
    let history = History::from_records(records).unwrap();
    let t = trends(&history, "Ada", &TrendOptions { window: 3, weakest: 2, ..TrendOptions::default() });
    assert_eq!(t.sessions, 4);
    assert_eq!(t.rounds.len(), 1);
    let round = &t.rounds[0];
    assert_eq!(
        (round.first_date.to_string(), round.latest_date.to_string()),
        ("2024-01-01".into(), "2024-01-22".into())
    );

    let pu = &round.subcompetencies.iter().find(|s| s.id == "problem_understanding").unwrap().trend;
    let values: Vec<Option<f64>> = pu.points.iter().map(|p| p.value).collect();
    assert_eq!(values, [Some(0.2), Some(0.4), None, Some(0.9)]);
    assert_eq!(pu.measured, 3);
    assert_eq!((pu.first, pu.previous, pu.latest, pu.best), (Some(0.2), Some(0.4), Some(0.9), Some(0.9)));
    assert_eq!(pu.change_since_first, Some(0.7));
    assert_eq!(pu.change_since_previous, Some(0.5));
    // Least squares over 0.2, 0.4, 0.9 at x = 0, 1, 2: mean 0.5, Σdx·dy = (-1)(-0.3) + 1(0.4) = 0.7, Σdx² = 2.
    assert_eq!((pu.slope, pu.slope_sessions), (Some(0.35), 3));
    assert_eq!((pu.moved, pu.verdict), (Movement::Up, Verdict::Improving));

    let delivery = &round.subcompetencies.iter().find(|s| s.id == "delivery").unwrap().trend;
    assert_eq!(delivery.change_since_previous, Some(-0.5));
    assert_eq!(delivery.verdict, Verdict::Declining);
    let flat = &round.subcompetencies.iter().find(|s| s.id == "test_design").unwrap().trend;
    assert_eq!((flat.slope, flat.moved, flat.verdict), (Some(0.0), Movement::Flat, Verdict::Steady));

    let d = &round.dimensions;
    let words = &d.words_per_answer;
    assert_eq!((words.latest, words.best, words.slope), (Some(40.0), None, Some(-20.0)));
    assert_eq!((words.moved, words.verdict), (Movement::Down, Verdict::Unknown), "no better direction");
    let solution = &d.time_to_first_solution_seconds;
    let values: Vec<Option<f64>> = solution.points.iter().map(|p| p.value).collect();
    assert_eq!(values, [Some(900.0), None, Some(600.0), Some(300.0)], "untimed sessions are not measured");
    assert_eq!((solution.best, solution.slope, solution.verdict), (Some(300.0), Some(-300.0), Verdict::Improving));
    let specificity = &d.specificity_per_100_words;
    assert_eq!(
        (specificity.latest, specificity.change_since_first, specificity.slope),
        (Some(3.0), Some(3.0), Some(1.0))
    );
    assert_eq!(d.technical_depth_subcompetencies, ["solution_design", "complexity_analysis", "verification_debugging"]);

    // Weakest: delivery 0.1 first, then the 0.6 sub-competency that is falling fastest / first by id.
    let weakest: Vec<(&str, f64)> = t.weakest.iter().map(|w| (w.subcompetency.as_str(), w.latest)).collect();
    assert_eq!(weakest[0], ("delivery", 0.1));
    assert_eq!(weakest.len(), 2);
    assert!((weakest[1].1 - 0.6).abs() < 1e-9);
}

#[test]
fn technical_depth_is_the_weighted_mean_of_the_depth_subcompetencies() {
    let mut c = card(
        &[("solution_design", Some(1.0)), ("complexity_analysis", Some(0.5)), ("verification_debugging", Some(0.0))],
        0.9,
    );
    let weight = |c: &Scorecard, id: &str| {
        c.competencies.iter().flat_map(|x| &x.subcompetencies).find(|s| s.id == id).unwrap().weight
    };
    let (w1, w2, w3) =
        (weight(&c, "solution_design"), weight(&c, "complexity_analysis"), weight(&c, "verification_debugging"));
    let expected = (w1 + 0.5 * w2) / (w1 + w2 + w3);
    assert!((technical_depth(&c).unwrap() - expected).abs() < 1e-4);
    // Not measured sub-competencies are left out, not counted as zero.
    for sub in c.competencies.iter_mut().flat_map(|x| &mut x.subcompetencies) {
        if sub.id == "verification_debugging" {
            sub.score = None;
        }
    }
    let expected = (w1 + 0.5 * w2) / (w1 + w2);
    assert!((technical_depth(&c).unwrap() - expected).abs() < 1e-4);
    // The rubric decides: with other marks, other sub-competencies make up the depth.
    for sub in c.competencies.iter_mut().flat_map(|x| &mut x.subcompetencies) {
        sub.depth = sub.id == "complexity_analysis";
    }
    assert_eq!(technical_depth(&c), Some(0.5));
    // A scorecard stored before the marks existed takes them from its bundled rubric...
    for sub in c.competencies.iter_mut().flat_map(|x| &mut x.subcompetencies) {
        sub.depth = false;
    }
    assert!((technical_depth(&c).unwrap() - expected).abs() < 1e-4);
    // ...and one of a rubric of its own, which marks none, has no technical depth.
    c.rubric.id = "my-own-rubric".into();
    assert_eq!(technical_depth(&c), None);
}

#[test]
fn other_rubric_versions_are_kept_marked_and_left_out_of_trends() {
    let mut old = card(&[], 0.1);
    old.rubric.version = "0.9.0".into();
    let records = vec![
        session("2024-01-01", old.clone()),
        session("2024-02-01", card(&[], 0.5)),
        session("2024-03-01", card(&[], 0.7)),
        session("2024-03-15", old),
    ];
    let history = History::from_records(records).unwrap();
    // The installed rubric's version decides what is current, even though the latest record is older.
    let known = BTreeMap::from([("coding-round".to_string(), "1.0.0".to_string())]);
    let t = trends(&history, "Ada", &TrendOptions { current_versions: known, ..TrendOptions::default() });
    assert_eq!(t.sessions, 2);
    assert_eq!(t.rounds[0].overall.points.len(), 2);
    assert_eq!(t.rounds[0].overall.first, Some(0.5), "the 0.1 of v0.9.0 is not mixed in");
    let lines: Vec<usize> = t.set_aside.iter().map(|s| s.line).collect();
    assert_eq!(lines, [1, 4]);
    assert!(
        t.set_aside[0].reason.contains("scored with coding-round v0.9.0; trends use v1.0.0"),
        "{}",
        t.set_aside[0].reason
    );
    // Both are still in the history.
    assert_eq!(history.records().len(), 4);
}

#[test]
fn a_history_file_keeps_good_lines_around_corrupt_ones() {
    let rubric = Rubric::bundled("coding-round").unwrap();
    let records: Vec<SessionRecord> = [("2024-01-01", "weak"), ("2024-02-01", "strong")]
        .iter()
        .map(|(date, kind)| {
            let transcript = fixture("coding-round", kind);
            let card = rubric.score(&transcript).unwrap();
            SessionRecord::new("Zoë", Date::parse(date).unwrap(), Round::Coding, card)
                .unwrap()
                .with_transcript(&transcript)
        })
        .collect();
    assert_eq!(records[0].questions, ["min-size-subarray-sum"], "question ids come from the segments");
    let text = format!(
        "{}\nnot json at all\n\n{{\"format\": 1}}\n{}\n{}",
        records[0].to_json_line(),
        records[1].to_json_line(),
        records[1].to_json_line().chars().take(100).collect::<String>()
    );
    let history = History::parse(&text);
    assert_eq!(history.records().iter().map(|r| r.line).collect::<Vec<_>>(), [1, 5]);
    let problems: Vec<usize> = history.problems().iter().map(|p| p.line).collect();
    assert_eq!(problems, [2, 4, 6]);
    assert!(history.problems()[1].reason.contains("missing field `candidate`"), "{:?}", history.problems());
    // The parsed history gives the same trends as the records themselves.
    let from_file = trends(&history, "Zoë", &TrendOptions::default());
    let in_memory = trends(&History::from_records(records).unwrap(), "Zoë", &TrendOptions::default());
    let values = |t: &rubric_core::Trends| -> Vec<Vec<Option<f64>>> {
        t.rounds[0].subcompetencies.iter().map(|s| s.trend.points.iter().map(|p| p.value).collect()).collect()
    };
    assert_eq!(values(&from_file), values(&in_memory));
    assert_eq!(from_file.rounds[0].overall.points[1].line, 5, "points keep their file line");
    let overall = &from_file.rounds[0].overall;
    assert!(overall.latest > overall.first && overall.verdict == Verdict::Improving);
}

#[test]
fn specificity_separates_strong_from_weak_examples() {
    for (rubric, _) in [("behavioral-star", 0), ("system-design", 0), ("recruiter-screen", 0), ("code-review", 0)] {
        let strong = Specificity::measure(&fixture(rubric, "strong"));
        let weak = Specificity::measure(&fixture(rubric, "weak"));
        assert!(strong.per_100_words > weak.per_100_words, "{rubric}: {strong:?} vs {weak:?}");
    }
}

#[test]
fn the_report_shows_each_score_as_the_core_defines_it() {
    use rubric_core::display;
    let rubric = Rubric::bundled("coding-round").unwrap();
    let transcript = fixture("coding-round", "weak");
    let card = rubric.score(&transcript).unwrap();
    let html = render_report(&card, &transcript, &ReportOptions::default());
    let top = card.scale.last().unwrap().level;
    let overall = &card.overall;
    assert!(html.contains(&format!(">{}</text>", display::percent(overall.score.unwrap()))), "the gauge");
    assert!(html.contains(&display::level(overall.level.unwrap(), top, "")), "the overall level");
    for competency in &card.competencies {
        let words = display::score(competency.score, competency.level, competency.label.as_deref(), top);
        assert!(html.contains(&words), "{words} missing");
        for sub in &competency.subcompetencies {
            let words = display::score(sub.score, sub.level, sub.label.as_deref(), top);
            assert!(html.contains(&words), "{words} missing");
        }
    }
    let gain = display::points(card.feedback[0].gain);
    assert!(html.contains(&format!(", {gain}]")), "{gain} missing");
    assert!(!html.contains(&format!("/{top} ")) && !html.contains(&format!(" of {top} ·")), "no scaled value shown");
}

#[test]
fn the_report_escapes_everything_and_highlights_every_piece_of_evidence() {
    let rubric = Rubric::bundled("coding-round").unwrap();
    let transcript = Transcript::from_json(
        r#"{"title": "<b>bold</b> & co", "turns": [
        {"speaker": "\"><img src=x onerror=alert(1)>", "role": "interviewer", "start": 0, "end": 5, "text": "Find two numbers. <script>alert('x')</script>"},
        {"speaker": "Ada", "role": "candidate", "start": 6, "end": 20, "text": "Can I assume the input isn't sorted? I didn't consider edge cases & <i>nulls</i>."}
    ]}"#,
    )
    .unwrap();
    let card = rubric.score(&transcript).unwrap();
    let options = ReportOptions { candidate: Some("Ada <3".into()), ..ReportOptions::default() };
    let html = render_report(&card, &transcript, &options);
    assert_eq!(html, render_report(&card, &transcript, &options), "deterministic");
    for forbidden in ["<script", "<img", "<b>", "<i>", "http://", "https://", "@import", "url("] {
        assert!(!html.contains(forbidden), "{forbidden} in the report");
    }
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("Ada &lt;3"));
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt; &amp; co"));
    // Every turn's text reads back exactly, and every evidence item (for and against) lies inside
    // <mark> elements (overlapping spans are split into several marks).
    for (index, turn) in transcript.turns().iter().enumerate() {
        let block = html.split(&format!("id=\"turn-{index}\"")).nth(1).unwrap();
        let text_html = block.split("<div class=\"text\">").nth(1).unwrap().split("</div>").next().unwrap();
        let (text, covered) = read_marked(text_html);
        assert_eq!(text, turn.text);
        for behavior in card.behaviors() {
            for e in behavior.evidence.iter().chain(&behavior.against).filter(|e| e.turn == index) {
                let [start, end] = e.span.bytes;
                assert!(covered[start..end].iter().all(|c| *c), "{} not highlighted", e.text);
            }
        }
    }
    assert!(html.contains("<mark class=\"against\""));
    for section in ["Competency scores", "What to work on next", "Scorecard", "Red flags", "Transcript"] {
        assert!(html.contains(&format!("<h2>{section}")), "{section} missing");
    }
    assert!(!html.contains("Progress over"), "no trends without a history");
}

#[test]
fn the_report_has_a_trend_chart_per_subcompetency_with_history() {
    let history = History::from_records(vec![
        session("2024-01-01", card(&[], 0.2)),
        session("2024-02-01", card(&[("delivery", Some(0.9))], 0.5)),
    ])
    .unwrap();
    let t = trends(&history, "Ada", &TrendOptions::default());
    let transcript = fixture("coding-round", "strong");
    let html =
        render_report(&TEMPLATE, &transcript, &ReportOptions { trends: Some(t.clone()), ..ReportOptions::default() });
    assert!(html.contains("Progress over 2 sessions"));
    let subs = t.rounds[0].subcompetencies.len();
    // One chart per sub-competency plus overall, depth, words, specificity (time to first
    // solution only when measured: the template is timed and passed its tests).
    let charts = html.matches("<div class=\"mini\">").count();
    assert_eq!(charts, subs + 5);
    assert!(html.contains("Weakest areas now"));
}

/// The text of an HTML fragment made of text, entities and <mark> elements, and for each byte of
/// it whether it is inside a mark.
fn read_marked(fragment: &str) -> (String, Vec<bool>) {
    let (mut text, mut covered, mut inside) = (String::new(), Vec::new(), false);
    let mut rest = fragment;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("<mark") {
            inside = true;
            rest = &rest[rest.find('>').unwrap() + 1..];
            continue;
        }
        if let Some(after) = rest.strip_prefix("</mark>") {
            inside = false;
            rest = after;
            continue;
        }
        assert_ne!(c, '<', "unexpected tag in {fragment}");
        let (decoded, len) = match rest {
            r if r.starts_with("&amp;") => ('&', 5),
            r if r.starts_with("&lt;") => ('<', 4),
            r if r.starts_with("&gt;") => ('>', 4),
            r if r.starts_with("&quot;") => ('"', 6),
            r if r.starts_with("&#39;") => ('\'', 5),
            _ => (c, c.len_utf8()),
        };
        text.push(decoded);
        covered.extend(std::iter::repeat_n(inside, decoded.len_utf8()));
        rest = &rest[len..];
    }
    (text, covered)
}

#[test]
fn a_candidate_is_picked_the_same_way_everywhere() {
    use rubric_core::history::CandidateChoice;
    let mut zoe = session("2024-03-01", card(&[], 0.5));
    zoe.candidate = "Zoë".into();
    let history = History::from_records(vec![session("2024-03-01", card(&[], 0.5)), zoe]).unwrap();
    assert_eq!(history.pick_candidate(Some(" Zoë ")), Ok("Zoë".to_string()), "the name is trimmed");
    let several = history.pick_candidate(None).unwrap_err();
    assert_eq!(several, CandidateChoice::Several { candidates: vec!["Ada".into(), "Zoë".into()] });
    let unknown = history.pick_candidate(Some("Bo")).unwrap_err();
    assert_eq!(unknown.to_string(), "no sessions for \"Bo\"; candidates: Ada, Zoë");
    let one = History::from_records(vec![session("2024-03-01", card(&[], 0.5))]).unwrap();
    assert_eq!(one.pick_candidate(None), Ok("Ada".to_string()));
    let none = History::from_records(Vec::new()).unwrap();
    assert_eq!(none.pick_candidate(None).unwrap_err().to_string(), "the history has no sessions");
}

#[test]
fn rounds_and_bundled_versions_come_from_the_core() {
    assert_eq!(Round::parse_named("System-Design"), Ok(Round::SystemDesign));
    let unknown = Round::parse_named("cooking").unwrap_err().to_string();
    assert!(unknown.starts_with("unknown round \"cooking\"; rounds: recruiter_screen, coding"), "{unknown}");
    let versions = bundled::versions();
    assert_eq!(versions.len(), bundled::names().len());
    assert_eq!(versions["coding-round"], Rubric::bundled("coding-round").unwrap().version());
    assert_eq!(Round::parse_named("cookng").unwrap_err().suggestion.as_deref(), Some("coding"));
    assert_eq!(bundled::round_of("coding-round"), Some(Round::Coding));
    assert_eq!(bundled::round_of("system-design"), Some(Round::SystemDesign));
    assert_eq!(bundled::round_of("my-own-rubric"), None);
    assert_eq!(bundled::compiled_named("behavioral-star").map(Rubric::id), Some("behavioral-star"));
}

#[test]
fn a_record_joins_only_the_transcript_its_scorecard_was_made_from() {
    let rubric = Rubric::bundled("coding-round").unwrap();
    let strong = fixture("coding-round", "strong");
    let weak = fixture("coding-round", "weak");
    let card = rubric.score(&strong).unwrap();
    assert!(SessionRecord::check_scored_transcript(&card, &strong).is_ok());
    assert_ne!(strong.turns().len(), weak.turns().len(), "the check compares turn counts");
    let error = SessionRecord::check_scored_transcript(&card, &weak).unwrap_err();
    assert_eq!((error.kind.as_str(), error.path.as_str()), ("mismatch", "transcript"));
    assert!(error.message.contains("pass the transcript that was scored"), "{}", error.message);
}

#[test]
fn a_history_takes_records_made_elsewhere_at_their_lines() {
    let rubric = Rubric::bundled("coding-round").unwrap();
    let card = rubric.score(&fixture("coding-round", "strong")).unwrap();
    let date = Date::parse("2024-05-01").unwrap();
    let record = SessionRecord::new("Ada", date, Round::Coding, card).unwrap();
    let mut history = History::parse(&format!("{}\n", record.to_json_line()));
    history.extend([rubric_core::history::StoredRecord { line: 2, record: record.clone() }]);
    assert_eq!(history.records().iter().map(|s| s.line).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(history, History::parse(&format!("{0}\n{0}\n", record.to_json_line())));
}
