//! Guarantees of the public API that the compiler can check.

mod common;

use std::collections::BTreeMap;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::time::{Duration, Instant};

use rubric_core::{Limits, Rubric, RubricErrors, Scorecard, Transcript, TranscriptError};

fn assert_thread_safe<T: Send + Sync + UnwindSafe + RefUnwindSafe>() {}

/// Fails to compile if a public type stops being shareable across threads or unwind-safe.
#[test]
fn public_types_are_send_sync_and_unwind_safe() {
    assert_thread_safe::<Rubric>();
    assert_thread_safe::<Transcript>();
    assert_thread_safe::<Scorecard>();
    assert_thread_safe::<RubricErrors>();
    assert_thread_safe::<TranscriptError>();
}

/// One compiled rubric, shared by threads, gives every thread the single-threaded result.
#[test]
fn a_shared_rubric_scores_identically_from_many_threads() {
    let rubric = Rubric::bundled("coding-round").unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/transcripts/coding-round");
    let transcripts: Vec<Transcript> = ["strong.json", "weak.json"]
        .iter()
        .map(|f| Transcript::from_json(&std::fs::read_to_string(dir.join(f)).unwrap()).unwrap())
        .collect();
    let expected: Vec<String> = transcripts.iter().map(|t| rubric.score(t).unwrap().to_json()).collect();
    std::thread::scope(|scope| {
        for worker in 0..4 {
            let (rubric, transcripts, expected) = (&rubric, &transcripts, &expected);
            scope.spawn(move || {
                for round in 0..5 {
                    let i = (worker + round) % transcripts.len();
                    assert_eq!(rubric.score(&transcripts[i]).unwrap().to_json(), expected[i]);
                }
            });
        }
    });
}

#[test]
fn bundled_rubrics_all_compile_and_are_listed() {
    let names = rubric_core::bundled::names();
    assert_eq!(names, ["coding-round", "system-design", "behavioral-star", "code-review", "recruiter-screen"]);
    for name in names {
        let rubric = Rubric::bundled(name).unwrap();
        assert_eq!(rubric.id(), name);
        assert!(rubric.criteria_count() >= 20, "{name} has only {} criteria", rubric.criteria_count());
    }
}

/// `as_str` is the serde name, so JSON errors and binding errors use the same kind strings.
#[test]
fn error_kind_names_match_their_json_form() {
    use rubric_core::{RubricErrorKind as R, TranscriptErrorKind as T};
    for kind in [
        R::Syntax,
        R::Schema,
        R::InvalidValue,
        R::InvalidRegex,
        R::DuplicateId,
        R::UnknownReference,
        R::InvalidWeight,
        R::InvalidLevels,
        R::EmptyDetector,
        R::Cycle,
        R::LimitExceeded,
        R::NotFound,
    ] {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
    }
    for kind in [
        T::Syntax,
        T::Schema,
        T::InvalidTime,
        T::Order,
        T::UnknownRole,
        T::UnmappedSpeaker,
        T::InvalidReference,
        T::Empty,
        T::LimitExceeded,
        T::UnknownFormat,
        T::UnlabelledSpeech,
    ] {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
    }
}

/// Every golden fixture, scored from 8 threads at once with one compiled rubric per rubric id
/// shared by all of them, equals its golden file. The threads loop for a bounded time (at least
/// `MIN_ROUNDS` rounds, then until `RUN_FOR` has passed), each starting at another fixture.
#[test]
fn shared_rubrics_score_every_golden_fixture_identically_from_8_threads() {
    const THREADS: usize = 8;
    const MIN_ROUNDS: usize = 2;
    const RUN_FOR: Duration = Duration::from_secs(2);
    let cases = common::cases();
    let mut rubrics: BTreeMap<&str, Rubric> = BTreeMap::new();
    for case in &cases {
        rubrics.entry(&case.rubric).or_insert_with(|| Rubric::bundled(&case.rubric).unwrap());
    }
    let work: Vec<(&Rubric, Transcript, String, &str)> = cases
        .iter()
        .map(|case| {
            let (_, transcript) = case.load();
            let golden = std::fs::read_to_string(common::fixtures().join(&case.golden)).unwrap();
            (&rubrics[case.rubric.as_str()], transcript, golden, case.golden.as_str())
        })
        .collect();
    let deadline = Instant::now() + RUN_FOR;
    let scored: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|worker| {
                let work = &work;
                scope.spawn(move || {
                    let mut scored = 0;
                    for round in 0.. {
                        if round >= MIN_ROUNDS && Instant::now() >= deadline {
                            break;
                        }
                        for i in 0..work.len() {
                            let (rubric, transcript, golden, name) = &work[(i + worker + round) % work.len()];
                            let actual = rubric.score(transcript).unwrap().to_json_pretty() + "\n";
                            assert!(
                                actual == *golden,
                                "thread {worker}, round {round}: {name} differs from its golden"
                            );
                            scored += 1;
                        }
                    }
                    scored
                })
            })
            .collect();
        workers.into_iter().map(|worker| worker.join().unwrap()).sum()
    });
    assert!(work.len() >= 10, "the manifest lists only {} fixtures", work.len());
    assert!(scored >= THREADS * MIN_ROUNDS * work.len(), "only {scored} scorecards");
}

/// `fixtures/golden/limits.json` is `Limits::default()` as serde writes it: the Python and
/// JavaScript tests check their default limits against this file rather than a copy of the numbers.
/// `UPDATE_GOLDEN=1` rewrites it.
#[test]
fn default_limits_match_their_golden_file() {
    let path = common::fixtures().join("golden/limits.json");
    let actual = serde_json::to_string_pretty(&Limits::default()).unwrap() + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), actual, "UPDATE_GOLDEN=1 to accept");
}

/// `fixtures/golden/display.json`: how `rubric_core::display` words scores, levels and changes,
/// on the cases where rounding could differ between languages. The Python and JavaScript tests
/// check their `format_*` functions, and the page and `repr` that use them, against this file.
/// `UPDATE_GOLDEN=1` rewrites it.
#[test]
fn score_wording_matches_its_golden_file() {
    use rubric_core::display;
    let nodes = [
        (Some(0.93), Some(4), Some("Outstanding"), 4),
        (Some(0.925), Some(4), Some("Outstanding"), 4),
        (Some(0.9249), Some(3), Some("Solid"), 4),
        (Some(0.0), Some(1), Some("Not yet"), 4),
        (Some(0.5), Some(2), None, 3),
        (None, None, None, 4),
    ];
    let scores: Vec<serde_json::Value> = nodes
        .iter()
        .map(|&(score, level, label, top)| {
            serde_json::json!({"score": score, "level": level, "label": label, "top": top,
                "text": display::score(score, level, label, top)})
        })
        .collect();
    let percents: Vec<serde_json::Value> = [0.0, 0.004, 0.005, 0.015, 0.125, 0.9249, 0.925, 0.9345, 1.0]
        .iter()
        .map(|&score| serde_json::json!({"score": score, "text": display::percent(score)}))
        .collect();
    let points: Vec<serde_json::Value> = [0.0333, 0.03, 0.2, -0.2, 0.01, 0.00049, 0.00051, -0.0005, 0.0125, -0.0125]
        .iter()
        .map(|&change| serde_json::json!({"change": change, "text": display::points(change)}))
        .collect();
    let metrics: Vec<serde_json::Value> = [
        ("time_to_first:code_run", 1738.0),
        ("longest_answer_seconds", 12.5),
        ("longest_silence_seconds", 59.6),
        ("candidate_talk_ratio", 0.79123),
        ("filler_count", 4.0),
    ]
    .iter()
    .map(|&(name, value)| serde_json::json!({"name": name, "value": value, "text": display::metric_value(name, value)}))
    .collect();
    let table = serde_json::json!({"scores": scores, "percents": percents, "points": points, "metrics": metrics});
    let actual = serde_json::to_string_pretty(&table).unwrap() + "\n";
    let path = common::fixtures().join("golden/display.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), actual, "UPDATE_GOLDEN=1 to accept");
}
