//! Deterministic, explainable scoring of technical-interview transcripts against YAML rubrics.
//!
//! The pipeline: rubric YAML -> [`RubricSpec`] (serde, located errors) -> compiled [`Rubric`] (all
//! phrase detectors in one automaton, all regex detectors in one multi-pattern regex) ->
//! [`Rubric::score`] on a [`Transcript`] -> [`Scorecard`] (behavior, sub-competency, competency and
//! overall scores with evidence spans, explanations, feedback and conversation metrics).
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
mod error;
mod evidence;
mod limits;
mod matching;
pub mod metrics;
pub mod rubric;
mod score;
pub mod scorecard;
pub mod text;
pub mod transcript;

pub use error::{RubricError, RubricErrorKind, RubricErrors, TranscriptError, TranscriptErrorKind};
pub use limits::Limits;
pub use matching::DetectorKind;
pub use metrics::Metrics;
pub use rubric::{Rubric, RubricSpec};
pub use scorecard::Scorecard;
pub use transcript::{import, import_bytes, Format, ImportOptions, Role, Round, Transcript};

/// The README's Rust examples run as doctests, so the README cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
