//! The front door: a compiled rubric that scores transcripts. It joins the two sides of the
//! pipeline (the rubric compiled beside it, the transcript flowing through it) and is the only
//! module that calls `score`.

use std::sync::Arc;

use crate::error::{RubricError, RubricErrorKind, RubricErrors, TranscriptError};
use crate::limits::Limits;
use crate::rubric::compile::{compile, CompiledRubric};
use crate::rubric::parse_yaml;
use crate::rubric::RubricSpec;
use crate::scorecard::Scorecard;
use crate::transcript::Transcript;

/// A validated, compiled rubric: build it once, score any number of transcripts with it, from any
/// number of threads. Cloning is cheap (the compiled form is shared).
///
/// ```
/// use rubric_core::{Rubric, Transcript};
///
/// let rubric = Rubric::bundled("coding-round").unwrap();
/// let transcript = Transcript::from_json(r#"{"turns": [
///     {"role": "interviewer", "start": 0, "end": 4, "text": "Merge these intervals."},
///     {"role": "candidate", "start": 5, "end": 9, "text": "Can I assume the input isn't sorted?"}
/// ]}"#).unwrap();
/// let card = rubric.score(&transcript).unwrap();
/// assert_eq!(card.rubric.id, "coding-round");
/// assert!(card.overall.score.unwrap() <= 1.0);
/// ```
#[derive(Debug, Clone)]
pub struct Rubric {
    inner: Arc<CompiledRubric>,
    limits: Limits,
}

impl Rubric {
    /// How to build a rubric with anything but the defaults, one way for every source:
    /// `Rubric::builder().limits(limits).from_yaml(yaml)` (or `.from_yaml_bytes`, `.from_spec`,
    /// `.bundled`). The limits bound the rubric and every transcript it scores.
    ///
    /// ```
    /// use rubric_core::{Limits, Rubric};
    ///
    /// let limits = Limits { max_turns: 5_000, ..Limits::default() };
    /// let rubric = Rubric::builder().limits(limits).bundled("coding-round").unwrap();
    /// assert_eq!(rubric.limits().max_turns, 5_000);
    /// ```
    pub fn builder() -> RubricBuilder {
        RubricBuilder::default()
    }

    /// Parses, validates and compiles a YAML rubric with default limits.
    pub fn from_yaml(yaml: &str) -> Result<Rubric, RubricErrors> {
        Self::builder().from_yaml(yaml)
    }

    /// Like [`Rubric::from_yaml`] for raw bytes (a file as read): invalid UTF-8 is a `syntax` error
    /// with the line and column of the first bad byte, not a replacement character or an I/O error.
    pub fn from_yaml_bytes(yaml: &[u8]) -> Result<Rubric, RubricErrors> {
        Self::builder().from_yaml_bytes(yaml)
    }

    /// Validates and compiles a rubric built in code (errors have paths but no line numbers).
    pub fn from_spec(spec: RubricSpec, limits: Limits) -> Result<Rubric, RubricErrors> {
        Self::builder().limits(limits).from_spec(spec)
    }

    /// A rubric shipped with the library, by id (see [`crate::bundled::names`]).
    pub fn bundled(name: &str) -> Result<Rubric, RubricErrors> {
        Self::builder().bundled(name)
    }

    #[deprecated(note = "use `Rubric::builder().limits(limits).from_yaml(yaml)`")]
    pub fn from_yaml_with_limits(yaml: &str, limits: Limits) -> Result<Rubric, RubricErrors> {
        Self::builder().limits(limits).from_yaml(yaml)
    }

    #[deprecated(note = "use `Rubric::builder().limits(limits).from_yaml_bytes(yaml)`")]
    pub fn from_yaml_bytes_with_limits(yaml: &[u8], limits: Limits) -> Result<Rubric, RubricErrors> {
        Self::builder().limits(limits).from_yaml_bytes(yaml)
    }

    #[deprecated(note = "use `Rubric::builder().limits(limits).bundled(name)`")]
    pub fn bundled_with_limits(name: &str, limits: Limits) -> Result<Rubric, RubricErrors> {
        Self::builder().limits(limits).bundled(name)
    }

    pub fn id(&self) -> &str {
        &self.inner.spec.id
    }

    pub fn version(&self) -> &str {
        &self.inner.spec.version
    }

    pub fn title(&self) -> &str {
        &self.inner.spec.title
    }

    /// The rubric as written (after parsing).
    pub fn spec(&self) -> &RubricSpec {
        &self.inner.spec
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Number of behaviors and red flags.
    pub fn criteria_count(&self) -> usize {
        self.inner.criteria.len()
    }

    /// Scores a transcript. The transcript is checked against this rubric's limits first.
    pub fn score(&self, transcript: &Transcript) -> Result<Scorecard, TranscriptError> {
        transcript.check_limits(&self.limits)?;
        crate::score::score(&self.inner, transcript, &self.limits)
    }
}

/// Builds a [`Rubric`] (see [`Rubric::builder`]): the settings first, the source last.
#[derive(Debug, Clone, Copy, Default)]
pub struct RubricBuilder {
    limits: Limits,
}

impl RubricBuilder {
    /// The limits the rubric is compiled under and checks every transcript it scores against.
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Parses, validates and compiles a YAML rubric; every error has a path, line and column.
    pub fn from_yaml(self, yaml: &str) -> Result<Rubric, RubricErrors> {
        let spec = parse_yaml(yaml, &self.limits)?;
        let inner = compile(spec, Some(yaml), &self.limits)?;
        Ok(Rubric { inner: Arc::new(inner), limits: self.limits })
    }

    /// Like [`Self::from_yaml`] for raw bytes (a file as read): invalid UTF-8 is a `syntax` error
    /// with the line and column of the first bad byte, not a replacement character or an I/O error.
    pub fn from_yaml_bytes(self, yaml: &[u8]) -> Result<Rubric, RubricErrors> {
        let text = std::str::from_utf8(yaml).map_err(|e| {
            let (line, column) = crate::error::utf8_error_position(yaml, e.valid_up_to());
            let message = format!("invalid UTF-8 at byte {}", e.valid_up_to());
            RubricErrors::single(RubricError {
                line: Some(line),
                column: Some(column),
                ..RubricError::new(RubricErrorKind::Syntax, "", message)
            })
        })?;
        self.from_yaml(text)
    }

    /// Validates and compiles a rubric built in code (errors have paths but no line numbers).
    pub fn from_spec(self, spec: RubricSpec) -> Result<Rubric, RubricErrors> {
        let inner = compile(spec, None, &self.limits)?;
        Ok(Rubric { inner: Arc::new(inner), limits: self.limits })
    }

    /// A rubric shipped with the library, by id (see [`crate::bundled::names`]).
    pub fn bundled(self, name: &str) -> Result<Rubric, RubricErrors> {
        match crate::bundled::source(name) {
            Some(yaml) => self.from_yaml(yaml),
            None => Err(RubricErrors::single(
                RubricError::new(
                    RubricErrorKind::NotFound,
                    "",
                    format!("no bundled rubric named \"{name}\"; {}", crate::bundled::unknown_name_hint(name)),
                )
                .suggesting(crate::util::suggest::closest(name, crate::bundled::names())),
            )),
        }
    }
}
