//! Error values. Every error has a kind (for programs), a path inside the document and a line and
//! column where they are known (for people), and a message that says what was expected.
//!
//! Rubric errors and transcript errors are separate types: a rubric is checked once when it is
//! compiled, a transcript every time it is imported or scored.

use std::fmt;

use serde::Serialize;

/// What went wrong in a rubric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RubricErrorKind {
    /// The document is not valid YAML.
    Syntax,
    /// A value has the wrong type, a required key is missing, or a key is unknown.
    Schema,
    /// A value has the right type but is not allowed (an empty id, a bad band, ...).
    InvalidValue,
    /// A regular expression does not compile or matches the empty string.
    InvalidRegex,
    /// Two nodes share an id.
    DuplicateId,
    /// A reference names a behavior, lexicon, event, node or metric that does not exist.
    UnknownReference,
    /// A weight is negative or not finite, or all sibling weights are zero.
    InvalidWeight,
    /// Level bands overlap, leave a gap or do not match the scale.
    InvalidLevels,
    /// A detector has nothing to match.
    EmptyDetector,
    /// Order constraints between behaviors form a cycle.
    Cycle,
    /// The document exceeds a configured limit.
    LimitExceeded,
    /// A rubric name or file could not be found or read.
    NotFound,
}

impl RubricErrorKind {
    /// The snake_case name used in JSON and by the Python and JavaScript bindings.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Syntax => "syntax",
            Self::Schema => "schema",
            Self::InvalidValue => "invalid_value",
            Self::InvalidRegex => "invalid_regex",
            Self::DuplicateId => "duplicate_id",
            Self::UnknownReference => "unknown_reference",
            Self::InvalidWeight => "invalid_weight",
            Self::InvalidLevels => "invalid_levels",
            Self::EmptyDetector => "empty_detector",
            Self::Cycle => "cycle",
            Self::LimitExceeded => "limit_exceeded",
            Self::NotFound => "not_found",
        }
    }
}

/// One problem in a rubric, with where it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RubricError {
    pub kind: RubricErrorKind,
    /// Path inside the document, e.g. `competencies[1].subcompetencies[0].behaviors[2]`; empty for
    /// the document as a whole.
    pub path: String,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub column: Option<usize>,
    pub message: String,
}

impl RubricError {
    pub(crate) fn new(kind: RubricErrorKind, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { kind, path: path.into(), line: None, column: None, message: message.into() }
    }

    pub fn kind(&self) -> RubricErrorKind {
        self.kind
    }
}

impl fmt::Display for RubricError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_located(f, &self.path, self.line, self.column, &self.message)
    }
}

impl std::error::Error for RubricError {}

/// Every problem found in a rubric (validation does not stop at the first one).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RubricErrors {
    errors: Vec<RubricError>,
}

impl RubricErrors {
    /// Wraps a non-empty list of errors.
    pub(crate) fn new(errors: Vec<RubricError>) -> Self {
        debug_assert!(!errors.is_empty());
        Self { errors }
    }

    pub(crate) fn single(error: RubricError) -> Self {
        Self { errors: vec![error] }
    }

    pub fn errors(&self) -> &[RubricError] {
        &self.errors
    }

    /// The first error (in document order).
    pub fn first(&self) -> &RubricError {
        &self.errors[0]
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
}

impl fmt::Display for RubricErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RubricErrors {}

/// What went wrong in a transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TranscriptErrorKind {
    /// Not valid JSON / WebVTT / text in the declared format.
    Syntax,
    /// Wrong type, missing field or unknown field.
    Schema,
    /// A time is negative, not finite, or an end is before its start.
    InvalidTime,
    /// Turns are not in time order, or segments not in turn order.
    Order,
    /// A role that is not candidate, interviewer or observer.
    UnknownRole,
    /// A speaker with no role mapping.
    UnmappedSpeaker,
    /// A reference (segment start turn) points outside the transcript.
    InvalidReference,
    /// The transcript has no turns, or a turn has no text where text is required.
    Empty,
    /// The input exceeds a configured limit.
    LimitExceeded,
    /// The format could not be recognised or the file could not be read.
    UnknownFormat,
    /// Speech with no speaker label (captions, Whisper without diarization, `00:01 text` lines)
    /// and no `unlabelled_role` option to give it a role.
    UnlabelledSpeech,
    /// An annotation's quote is not in the turn it names (or not the text at its span), and the
    /// caller did not ask to keep unverified annotations.
    UnverifiedQuote,
}

impl TranscriptErrorKind {
    /// The snake_case name used in JSON and by the Python and JavaScript bindings.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Syntax => "syntax",
            Self::Schema => "schema",
            Self::InvalidTime => "invalid_time",
            Self::Order => "order",
            Self::UnknownRole => "unknown_role",
            Self::UnmappedSpeaker => "unmapped_speaker",
            Self::InvalidReference => "invalid_reference",
            Self::Empty => "empty",
            Self::LimitExceeded => "limit_exceeded",
            Self::UnknownFormat => "unknown_format",
            Self::UnlabelledSpeech => "unlabelled_speech",
            Self::UnverifiedQuote => "unverified_quote",
        }
    }
}

/// A problem in a transcript, with where it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TranscriptError {
    pub kind: TranscriptErrorKind,
    /// Path inside the document (`turns[3].end`), or empty.
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// For `unmapped_speaker`: every speaker without a role, in order of appearance, so that each
    /// binding can say how to map them in its own terms.
    pub speakers: Vec<String>,
}

impl TranscriptError {
    pub(crate) fn new(kind: TranscriptErrorKind, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { kind, path: path.into(), line: None, column: None, message: message.into(), speakers: Vec::new() }
    }

    pub(crate) fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn kind(&self) -> TranscriptErrorKind {
        self.kind
    }
}

impl fmt::Display for TranscriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_located(f, &self.path, self.line, self.column, &self.message)
    }
}

impl std::error::Error for TranscriptError {}

pub(crate) fn write_located(
    f: &mut fmt::Formatter<'_>,
    path: &str,
    line: Option<usize>,
    column: Option<usize>,
    message: &str,
) -> fmt::Result {
    if !path.is_empty() {
        write!(f, "{path}: ")?;
    }
    write!(f, "{message}")?;
    match (line, column) {
        (Some(line), Some(column)) => write!(f, " (line {line}, column {column})"),
        (Some(line), None) => write!(f, " (line {line})"),
        _ => Ok(()),
    }
}

/// serde_json and serde_yaml end their messages with " at line L column C"; errors keep the
/// location in their own fields instead.
pub(crate) fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_string(),
        None => message.to_string(),
    }
}

/// Where the first invalid UTF-8 byte of `input` is: 1-based line and column (in bytes), for the
/// error that says so instead of replacing the byte. Shared by rubrics and transcripts.
pub(crate) fn utf8_error_position(input: &[u8], valid_up_to: usize) -> (usize, usize) {
    let valid = &input[..valid_up_to];
    let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
    (line, column)
}
