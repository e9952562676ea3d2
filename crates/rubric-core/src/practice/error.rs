//! What can go wrong in the practice loop: a session record, a question bank, a plan request.

use std::fmt;

use serde::Serialize;

use crate::error::write_located;

/// What is wrong with a session record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum HistoryErrorKind {
    /// A value is empty or malformed (an empty candidate name, a bad date).
    InvalidValue,
    /// The record's rubric key does not match its scorecard.
    Mismatch,
    /// The record was written by a newer version of the format.
    UnsupportedFormat,
}

impl HistoryErrorKind {
    /// The snake_case name used in JSON and by the Python and JavaScript bindings.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidValue => "invalid_value",
            Self::Mismatch => "mismatch",
            Self::UnsupportedFormat => "unsupported_format",
        }
    }
}

/// A session record that cannot be stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryError {
    pub kind: HistoryErrorKind,
    /// The field at fault (`candidate`, `date`, `rubric.version`), or empty.
    pub path: String,
    pub message: String,
}

impl HistoryError {
    pub(crate) fn new(kind: HistoryErrorKind, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { kind, path: path.into(), message: message.into() }
    }

    pub fn kind(&self) -> HistoryErrorKind {
        self.kind
    }
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_located(f, &self.path, None, None, &self.message)
    }
}

impl std::error::Error for HistoryError {}

/// What went wrong in a question bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BankErrorKind {
    /// The document is not valid YAML.
    Syntax,
    /// A value has the wrong type, a required key is missing, or a key is unknown.
    Schema,
    /// A value has the right type but is not allowed (an empty prompt, a difficulty out of range).
    InvalidValue,
    /// Two questions share an id.
    DuplicateId,
    /// A sub-competency id that no rubric of the question's round defines.
    UnknownReference,
    /// The document exceeds a size limit.
    LimitExceeded,
}

impl BankErrorKind {
    /// The snake_case name used in JSON and by the Python and JavaScript bindings.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Syntax => "syntax",
            Self::Schema => "schema",
            Self::InvalidValue => "invalid_value",
            Self::DuplicateId => "duplicate_id",
            Self::UnknownReference => "unknown_reference",
            Self::LimitExceeded => "limit_exceeded",
        }
    }
}

/// One problem in a question bank, with where it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BankError {
    pub kind: BankErrorKind,
    /// Path inside the document (`questions[3].difficulty`), or empty.
    pub path: String,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub column: Option<usize>,
    pub message: String,
}

impl BankError {
    pub(crate) fn new(kind: BankErrorKind, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { kind, path: path.into(), line: None, column: None, message: message.into() }
    }

    pub fn kind(&self) -> BankErrorKind {
        self.kind
    }
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_located(f, &self.path, self.line, self.column, &self.message)
    }
}

impl std::error::Error for BankError {}

/// Every problem found in a question bank.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BankErrors {
    errors: Vec<BankError>,
}

impl BankErrors {
    pub(crate) fn new(errors: Vec<BankError>) -> Self {
        debug_assert!(!errors.is_empty());
        Self { errors }
    }

    pub fn errors(&self) -> &[BankError] {
        &self.errors
    }

    pub fn first(&self) -> &BankError {
        &self.errors[0]
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
}

impl fmt::Display for BankErrors {
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

impl std::error::Error for BankErrors {}

/// Why a plan could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PlanErrorKind {
    /// An option is out of range (a count of 0, a target date before the start).
    InvalidOption,
}

impl PlanErrorKind {
    /// The snake_case name used in JSON and by the Python and JavaScript bindings.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidOption => "invalid_option",
        }
    }
}

/// A plan request that cannot be met.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanError {
    pub kind: PlanErrorKind,
    /// The option at fault (`count`, `until`).
    pub path: String,
    pub message: String,
}

impl PlanError {
    pub(crate) fn new(kind: PlanErrorKind, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { kind, path: path.into(), message: message.into() }
    }

    pub fn kind(&self) -> PlanErrorKind {
        self.kind
    }
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_located(f, &self.path, None, None, &self.message)
    }
}

impl std::error::Error for PlanError {}
