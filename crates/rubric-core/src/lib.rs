//! Deterministic, explainable scoring of technical-interview transcripts against YAML rubrics.
//!
//! The pipeline: rubric YAML -> [`RubricSpec`] (serde, located errors) -> compiled [`Rubric`] (all
//! phrase detectors in one automaton, all regex detectors in one multi-pattern regex) ->
//! [`Rubric::score`] on a [`Transcript`] -> [`Scorecard`] (behavior, sub-competency, competency and
//! overall scores with evidence spans, explanations, feedback and conversation metrics).
//!
//! The improvement loop on top: [`history`] (an append-only JSON Lines store of scored sessions),
//! [`trends`] (how each sub-competency and tracked dimension moved), [`planner`] (the next
//! session's questions from a question bank) and [`report`] (a self-contained HTML report).
//!
//! ```
//! use rubric_core::{import, ImportOptions, Rubric};
//!
//! let rubric = Rubric::bundled("behavioral-star").unwrap();
//! let text = "Interviewer: Tell me about a conflict.\nCandidate: In my last role I led the migration and I reduced latency by 40%.";
//! let transcript = import(text, None, &ImportOptions::default()).unwrap();
//! let card = rubric.score(&transcript).unwrap();
//! // Untimed input: time-based rules are not measurable rather than guessed.
//! assert!(!card.transcript.timed);
//! assert!(card.metrics.candidate_talk_ratio.is_none());
//! ```

pub mod bundled;
pub mod calibration;
pub mod display;
mod engine;
mod error;
mod evidence;
mod external;
mod limits;
mod matching;
pub mod metrics;
#[cfg(feature = "practice")]
pub mod practice;
pub mod rubric;
mod score;
pub mod scorecard;
pub mod specificity;
pub mod text;
pub mod transcript;
mod util;

pub use engine::{Rubric, RubricBuilder};
pub use error::{
    ErrorKind, LimitsError, LimitsErrorKind, Located, LocatedErrors, OptionsError, OptionsErrorKind, RubricError,
    RubricErrorKind, RubricErrors, TranscriptError, TranscriptErrorKind,
};
pub use evidence::{ESTIMATED_WORDS_PER_MINUTE, MAX_EVIDENCE_ITEMS, MAX_QUOTE_BYTES};
pub use limits::Limits;
pub use matching::ascii_classes as regex_as_compiled;
pub use matching::PHRASE_DFA_AFTER_BYTES;
pub use metrics::Metrics;
#[cfg(feature = "practice")]
pub use practice::error::{
    BankError, BankErrorKind, BankErrors, HistoryError, HistoryErrorKind, PlanError, PlanErrorKind,
};
#[cfg(feature = "practice")]
pub use practice::history::{History, SessionRecord};
#[cfg(feature = "practice")]
pub use practice::planner::{plan, Plan, PlanOptions, QuestionBank};
#[cfg(feature = "practice")]
pub use practice::report::{render_report, ReportOptions};
#[cfg(feature = "practice")]
pub use practice::trends::{trends, TrendOptions, Trends};
#[cfg(feature = "practice")]
pub use practice::{history, planner, report, trends};
pub use rubric::model::DetectorKind;
pub use rubric::{RubricSpec, MAX_STRUCTURAL_ERRORS};
pub use scorecard::Scorecard;
pub use specificity::Specificity;
pub use transcript::{import, import_bytes, Format, ImportOptions, Role, Round, Transcript, MAX_TIME_SECONDS};
pub use util::bounded_lines;
pub use util::date::Date;
pub use util::parallel::{map_in_order, map_in_order_fed};

/// The README's Rust examples run as doctests, so the README cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
