//! Guarantees of the public API that the compiler can check.

use std::panic::{RefUnwindSafe, UnwindSafe};

use rubric_core::{Rubric, RubricErrors, Scorecard, Transcript, TranscriptError};

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
    ] {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
    }
}
