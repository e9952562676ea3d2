//! Error values: one shape for every domain. Every error has a kind (for programs: one enum per
//! domain, each kind with a stable snake_case name), a path inside the document and a line and
//! column where they are known (for people), a message that says what was expected, and the name
//! the caller probably meant where one is close. The bindings map any [`Located`] the same way,
//! whatever its domain.
//!
//! The domains are separate kinds rather than one enum, so a function says by its type what can
//! go wrong in it: a rubric is checked once when it is compiled, a transcript every time it is
//! imported or scored, a limit or an option when it is set.

use std::fmt;

use serde::Serialize;

/// The kinds of one domain's errors: a fieldless enum whose every kind has a stable snake_case
/// name (written by [`error_kinds!`], so the name in JSON and the one `as_str` gives are one).
pub trait ErrorKind: Copy + Eq + fmt::Debug + Serialize + 'static {
    /// Every kind of the domain, in declaration order.
    const ALL: &'static [Self];
    /// The domain's name, as the bindings name its error class (`rubric` -> `RubricError`).
    const DOMAIN: &'static str;
    /// The snake_case name used in JSON and by the Python and JavaScript bindings.
    fn name(self) -> &'static str;
}

/// Declares a domain's kind enum with the snake_case name of every kind written once, for serde
/// and for [`ErrorKind::name`] alike.
macro_rules! error_kinds {
    (
        $(#[$meta:meta])*
        pub enum $kind:ident in $domain:literal {
            $($(#[$variant_meta:meta])* $variant:ident = $name:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        #[non_exhaustive]
        pub enum $kind {
            $($(#[$variant_meta])* #[serde(rename = $name)] $variant,)+
        }

        impl $crate::error::ErrorKind for $kind {
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            const DOMAIN: &'static str = $domain;
            fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)+
                }
            }
        }

        impl $kind {
            /// The snake_case name used in JSON and by the Python and JavaScript bindings.
            pub fn as_str(self) -> &'static str {
                $crate::error::ErrorKind::name(self)
            }
        }

        impl std::fmt::Display for $kind {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use error_kinds;

/// One problem, with where it is: the error of every domain (`RubricError`, `TranscriptError`,
/// `LimitsError`, ... are this shape with their own kind).
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("{}", Where::of(.path, .line, .column, .message))]
pub struct Located<K: ErrorKind> {
    pub kind: K,
    /// Path inside the document or call, e.g. `competencies[1].subcompetencies[0].behaviors[2]`,
    /// `turns[3].end` or `max_turns`; empty for the input as a whole.
    pub path: String,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub column: Option<usize>,
    /// What is wrong and what was expected; a close name is also said here ("did you mean").
    pub message: String,
    /// The name the caller probably meant, where one is close: a misspelt field, limit, behavior
    /// or rubric.
    // Boxed, as are `names`, so that every `Result<_, Located<K>>` stays small (clippy's
    // result_large_err): both are rare.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Box<str>>,
    /// The names at fault when the error is about several (for `unmapped_speaker`: every speaker
    /// without a role, in order of appearance), so each binding can say how to fix them in its
    /// own terms.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub names: Box<[String]>,
}

impl<K: ErrorKind> Located<K> {
    /// An error at `path` with no line or column yet; bindings use it for what only they can
    /// find (a file that cannot be read).
    pub fn new(kind: K, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind,
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            suggestion: None,
            names: Box::default(),
        }
    }

    #[must_use]
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    #[must_use]
    pub fn at(mut self, line: Option<usize>, column: Option<usize>) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// Places an error found without knowing where (a date, a format name) at the caller's
    /// option or field.
    #[must_use]
    pub fn within(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// Records the close name for programs; the message already says it in words.
    #[must_use]
    pub fn suggesting(mut self, suggestion: Option<&str>) -> Self {
        self.suggestion = suggestion.map(Box::from);
        self
    }

    pub fn kind(&self) -> K {
        self.kind
    }
}

/// Every problem found in one document, in document order (validation does not stop at the first).
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("{}", Lines(.errors))]
pub struct LocatedErrors<K: ErrorKind> {
    errors: Vec<Located<K>>,
}

impl<K: ErrorKind> LocatedErrors<K> {
    /// Wraps a non-empty list of errors.
    pub(crate) fn new(errors: Vec<Located<K>>) -> Self {
        debug_assert!(!errors.is_empty());
        Self { errors }
    }

    pub(crate) fn single(error: Located<K>) -> Self {
        Self { errors: vec![error] }
    }

    pub fn errors(&self) -> &[Located<K>] {
        &self.errors
    }

    /// The first error (in document order).
    pub fn first(&self) -> &Located<K> {
        &self.errors[0]
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
}

impl<K: ErrorKind> From<Located<K>> for LocatedErrors<K> {
    fn from(error: Located<K>) -> Self {
        Self::single(error)
    }
}

/// `path: message (line L, column C)`, the one way every error reads.
struct Where<'a> {
    path: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
}

impl<'a> Where<'a> {
    #[allow(clippy::ref_option)] // thiserror hands every field over by reference
    fn of(path: &'a str, line: &Option<usize>, column: &Option<usize>, message: &'a str) -> Self {
        Self { path, line: *line, column: *column, message }
    }
}

impl fmt::Display for Where<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_located(f, self.path, self.line, self.column, self.message)
    }
}

/// One error per line.
struct Lines<'a, K: ErrorKind>(&'a [Located<K>]);

impl<K: ErrorKind> fmt::Display for Lines<'_, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

error_kinds! {
    /// What went wrong in a rubric.
    pub enum RubricErrorKind in "rubric" {
        /// The document is not valid YAML.
        Syntax = "syntax",
        /// A value has the wrong type, a required key is missing, or a key is unknown.
        Schema = "schema",
        /// A value has the right type but is not allowed (an empty id, a bad band, ...).
        InvalidValue = "invalid_value",
        /// A regular expression does not compile or matches the empty string.
        InvalidRegex = "invalid_regex",
        /// Two nodes share an id.
        DuplicateId = "duplicate_id",
        /// A reference names a behavior, lexicon, event, node or metric that does not exist.
        UnknownReference = "unknown_reference",
        /// A weight is negative or not finite, or all sibling weights are zero.
        InvalidWeight = "invalid_weight",
        /// Level bands overlap, leave a gap or do not match the scale.
        InvalidLevels = "invalid_levels",
        /// A detector has nothing to match.
        EmptyDetector = "empty_detector",
        /// Order constraints between behaviors form a cycle.
        Cycle = "cycle",
        /// The document exceeds a configured limit.
        LimitExceeded = "limit_exceeded",
        /// A rubric name or file could not be found or read.
        NotFound = "not_found",
    }
}

/// One problem in a rubric, with where it is.
pub type RubricError = Located<RubricErrorKind>;
/// Every problem found in a rubric.
pub type RubricErrors = LocatedErrors<RubricErrorKind>;

error_kinds! {
    /// What went wrong in a transcript.
    pub enum TranscriptErrorKind in "transcript" {
        /// Not valid JSON / WebVTT / text in the declared format.
        Syntax = "syntax",
        /// Wrong type, missing field or unknown field.
        Schema = "schema",
        /// A time is negative, not finite, or an end is before its start.
        InvalidTime = "invalid_time",
        /// Turns are not in time order, or segments not in turn order.
        Order = "order",
        /// A role that is not candidate, interviewer or observer.
        UnknownRole = "unknown_role",
        /// A speaker with no role mapping.
        UnmappedSpeaker = "unmapped_speaker",
        /// A reference (segment start turn) points outside the transcript.
        InvalidReference = "invalid_reference",
        /// The transcript has no turns, or a turn has no text where text is required.
        Empty = "empty",
        /// The input exceeds a configured limit.
        LimitExceeded = "limit_exceeded",
        /// The format could not be recognised or the file could not be read.
        UnknownFormat = "unknown_format",
        /// Speech with no speaker label (captions, Whisper without diarization, `00:01 text` lines)
        /// and no `unlabelled_role` option to give it a role.
        UnlabelledSpeech = "unlabelled_speech",
        /// An annotation's quote is not in the turn it names (or not the text at its span), and the
        /// caller did not ask to keep unverified annotations.
        UnverifiedQuote = "unverified_quote",
    }
}

/// A problem in a transcript, with where it is.
pub type TranscriptError = Located<TranscriptErrorKind>;

error_kinds! {
    /// What is wrong with a limit being set.
    pub enum LimitsErrorKind in "limits" {
        /// No limit has that name.
        UnknownLimit = "unknown_limit",
    }
}

/// A limit that cannot be set, named by its `path` (`max_turns`).
pub type LimitsError = Located<LimitsErrorKind>;

error_kinds! {
    /// What is wrong with an option of an import or a call: a format, a speaker mapping, a date.
    pub enum OptionsErrorKind in "options" {
        /// A transcript format name that is not one of the formats.
        UnknownFormat = "unknown_format",
        /// A role that is not candidate, interviewer or observer.
        UnknownRole = "unknown_role",
        /// A round that is not one of the rounds (`coding`, `system_design`, ...).
        UnknownRound = "unknown_round",
        /// A value that is malformed or out of range (an empty speaker name, a day that does not
        /// exist).
        InvalidValue = "invalid_value",
    }
}

/// An option that cannot be taken, named by its `path` (`format`, `speakers`, `date`).
pub type OptionsError = Located<OptionsErrorKind>;

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
        (None, Some(column)) => write!(f, " (column {column})"),
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
