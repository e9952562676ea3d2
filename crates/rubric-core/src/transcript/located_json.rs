//! JSON read with errors that say where: serde's errors as transcript errors with path, line and
//! column, and errors found after parsing located by their path in the text.

use serde::de::DeserializeOwned;

use crate::error::{strip_location, TranscriptError, TranscriptErrorKind};

/// Parses `input` as `T`, turning serde errors into transcript errors with path, line and column.
pub(super) fn parse<T: DeserializeOwned>(input: &str) -> Result<T, TranscriptError> {
    let mut deserializer = serde_json::Deserializer::from_str(input);
    // Deeply nested input is refused by serde_json's own recursion limit (128), not by a stack overflow.
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.inner();
        // serde_json reports a number too large for f64 (`1e999`) as a syntax error; in a time it is
        // a time that is not finite.
        let kind = if inner.to_string().starts_with("number out of range") && is_time_field(&path) {
            TranscriptErrorKind::InvalidTime
        } else if inner.is_syntax() || inner.is_eof() {
            TranscriptErrorKind::Syntax
        } else {
            value_kind(&path, &inner.to_string())
        };
        let mut error = value_error(kind, path, &inner.to_string());
        if inner.line() > 0 {
            let (line, column) = one_based(input, inner.line(), inner.column());
            error.line = Some(line);
            error.column = Some(column);
        }
        error
    })?;
    // `serde_json::from_str` refuses text after the value; a bare `Deserializer` needs `end()` for that.
    deserializer.end().map_err(|inner| {
        let (line, column) = one_based(input, inner.line(), inner.column());
        let message = strip_location(&inner.to_string());
        TranscriptError {
            line: Some(line),
            column: Some(column),
            ..TranscriptError::new(TranscriptErrorKind::Syntax, "", message)
        }
    })?;
    Ok(value)
}

/// What a serde error in a value (not in the syntax) at `path` is: an unknown role where a role
/// is read, else a value the schema does not take.
fn value_kind(path: &str, message: &str) -> TranscriptErrorKind {
    if message.contains("unknown variant") && (path.ends_with("role") || path.starts_with("roles.")) {
        TranscriptErrorKind::UnknownRole
    } else {
        TranscriptErrorKind::Schema
    }
}

/// The transcript error for serde's `message` at `path` (`.` is the document itself), with "did
/// you mean" for an unknown field.
fn value_error(kind: TranscriptErrorKind, path: String, message: &str) -> TranscriptError {
    let (mut message, suggestion) = crate::util::suggest::with_field_suggestion(strip_location(message));
    if kind == TranscriptErrorKind::InvalidTime {
        message.push_str(": expected a finite number of seconds >= 0");
    }
    TranscriptError::new(kind, if path == "." { String::new() } else { path }, message)
        .suggesting(suggestion.as_deref())
}

/// A serde error met while a deserializer other than JSON text's read a value, with the path it
/// was met at.
#[derive(Debug)]
pub struct PathError<E> {
    /// Where, as `turns[3].text` (`.` for the document itself).
    pub path: String,
    /// The deserializer's own error.
    pub error: E,
}

impl<E: std::fmt::Display> PathError<E> {
    /// The transcript error JSON text would give for the same value, by path alone (the value
    /// has no line or column).
    pub fn into_transcript_error(self) -> TranscriptError {
        let message = self.error.to_string();
        value_error(value_kind(&self.path, &message), self.path, &message)
    }
}

/// Reads a `T` from any serde deserializer, keeping the path of the first error.
pub(super) fn deserialize_from<'de, T: serde::Deserialize<'de>, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, PathError<D::Error>> {
    serde_path_to_error::deserialize(deserializer)
        .map_err(|error| PathError { path: error.path().to_string(), error: error.into_inner() })
}

/// serde_json reports an error at a newline (an unterminated string, say) as column 0 of the next
/// line; columns are 1-based, so that is the column just past the end of the line before.
fn one_based(input: &str, line: usize, column: usize) -> (usize, usize) {
    match (line, column) {
        (_, 1..) => (line, column),
        (0 | 1, 0) => (1, 1),
        (_, 0) => (line - 1, input.split('\n').nth(line - 2).map_or(0, str::len) + 1),
    }
}

/// Whether `path` names a time (`turns[2].end`, `events[0].time`, `segments[0].time_limit`).
fn is_time_field(path: &str) -> bool {
    path.rsplit('.').next().is_some_and(|field| matches!(field, "start" | "end" | "time" | "time_limit"))
}

/// Adds the line and column of the error's path in the JSON text.
pub(super) fn located(mut error: TranscriptError, input: &str) -> TranscriptError {
    if error.line.is_none() {
        if let Some((line, column)) = crate::util::json_position::locate(input, &error.path) {
            error.line = Some(line);
            error.column = Some(column);
        }
    }
    error
}
