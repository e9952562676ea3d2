//! What can go wrong in the practice loop: a session record, a question bank, a plan request.
//! Each is the one located-error shape ([`Located`]) with its own kind.

use crate::error::{error_kinds, Located, LocatedErrors};

error_kinds! {
    /// What is wrong with a session record.
    pub enum HistoryErrorKind in "history" {
        /// A line of a history file is not JSON.
        Syntax = "syntax",
        /// A record has the wrong type, a missing field or an unknown field.
        Schema = "schema",
        /// A value is empty or malformed (an empty candidate name, a bad date), or names a
        /// candidate the history does not hold.
        InvalidValue = "invalid_value",
        /// The record's rubric key does not match its scorecard.
        Mismatch = "mismatch",
        /// The record was written by a newer version of the format.
        UnsupportedFormat = "unsupported_format",
    }
}

/// A session record that cannot be stored or read; `path` is the field at fault (`candidate`,
/// `date`, `rubric.version`), or empty.
pub type HistoryError = Located<HistoryErrorKind>;

error_kinds! {
    /// What went wrong in a question bank.
    pub enum BankErrorKind in "bank" {
        /// The document is not valid YAML.
        Syntax = "syntax",
        /// A value has the wrong type, a required key is missing, or a key is unknown.
        Schema = "schema",
        /// A value has the right type but is not allowed (an empty prompt, a difficulty out of range).
        InvalidValue = "invalid_value",
        /// Two questions share an id.
        DuplicateId = "duplicate_id",
        /// A sub-competency id that no rubric of the question's round defines.
        UnknownReference = "unknown_reference",
        /// The document exceeds a size limit.
        LimitExceeded = "limit_exceeded",
        /// The bank's file could not be found or read.
        NotFound = "not_found",
    }
}

/// One problem in a question bank, with where it is (`questions[3].difficulty`).
pub type BankError = Located<BankErrorKind>;
/// Every problem found in a question bank.
pub type BankErrors = LocatedErrors<BankErrorKind>;

error_kinds! {
    /// Why a plan could not be made.
    pub enum PlanErrorKind in "plan" {
        /// An option is out of range (a count of 0, a target date before the start).
        InvalidOption = "invalid_option",
    }
}

/// A plan request that cannot be met; `path` is the option at fault (`count`, `until`).
pub type PlanError = Located<PlanErrorKind>;
