//! Core errors as JavaScript `Error` objects carrying `name`, `kind`, `path`, `line`, `column` and
//! `errors` (every problem found, as plain objects).

use std::fmt::Write as _;

use js_sys::{Array, Error, Reflect};
use rubric_core::{BankErrors, HistoryError, PlanError, RubricErrors, TranscriptError};
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::options::ArgumentError;

/// One problem, as a plain object in `error.errors`.
#[derive(Serialize)]
struct Detail<'a> {
    kind: &'a str,
    path: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
}

/// A rubric that does not parse, validate or compile (`name` is `RubricError`). The message is the
/// first problem; `errors` holds all of them, in document order.
pub fn rubric(errors: &RubricErrors) -> JsValue {
    let first = errors.first();
    let details: Vec<Detail<'_>> = errors
        .errors()
        .iter()
        .map(|e| Detail { kind: e.kind.as_str(), path: &e.path, line: e.line, column: e.column, message: &e.message })
        .collect();
    let mut message = first.to_string();
    if errors.len() > 1 {
        let _ = write!(message, " (and {} more; see error.errors)", errors.len() - 1);
    }
    build("RubricError", &message, &details)
}

/// A transcript (or the annotations given beside it) that does not import or score (`name` is
/// `TranscriptError`). `located` is false when what the error is about came in as an object: the
/// core's line and column would then point into the JSON this crate serialised it to, so they are
/// reported as `null` (the `path` still says where).
pub fn transcript(error: &TranscriptError, located: bool) -> JsValue {
    let error = &crate::options::with_js_advice(error);
    let (line, column) = if located { (error.line, error.column) } else { (None, None) };
    let mut copy = error.clone();
    copy.line = line;
    copy.column = column;
    let detail = Detail { kind: error.kind.as_str(), path: &error.path, line, column, message: &error.message };
    build("TranscriptError", &copy.to_string(), &[detail])
}

/// A session record that cannot be made, or a candidate the history does not hold (`name` is
/// `HistoryError`).
pub fn history(error: &HistoryError) -> JsValue {
    located("HistoryError", error.kind.as_str(), &error.path, &error.message)
}

/// A `HistoryError` of kind `invalid_value` found by this crate (an unknown candidate).
pub fn history_value(path: &str, message: &str) -> JsValue {
    located("HistoryError", "invalid_value", path, message)
}

/// A plan option out of range (`name` is `PlanError`, `kind` is `invalid_option`).
pub fn plan(error: &PlanError) -> JsValue {
    located("PlanError", error.kind.as_str(), &error.path, &error.message)
}

/// A question bank that does not parse or validate (`name` is `BankError`). The message is the
/// first problem; `errors` holds all of them, each with its path, line and column.
pub fn bank(errors: &BankErrors) -> JsValue {
    let first = errors.first();
    let details: Vec<Detail<'_>> = errors
        .errors()
        .iter()
        .map(|e| Detail { kind: e.kind.as_str(), path: &e.path, line: e.line, column: e.column, message: &e.message })
        .collect();
    let mut message = first.to_string();
    if errors.len() > 1 {
        let _ = write!(message, " (and {} more; see error.errors)", errors.len() - 1);
    }
    build("BankError", &message, &details)
}

fn located(name: &str, kind: &str, path: &str, message: &str) -> JsValue {
    let detail = Detail { kind, path, line: None, column: None, message };
    let text = if path.is_empty() { message.to_string() } else { format!("{path}: {message}") };
    build(name, &text, &[detail])
}

/// A bad argument: wrong type, unknown option, unknown format or role (`kind` is `invalid_argument`).
pub fn argument(error: &ArgumentError) -> JsValue {
    let detail =
        Detail { kind: "invalid_argument", path: &error.path, line: None, column: None, message: &error.message };
    build("ArgumentError", &format!("{}: {}", error.path, error.message), &[detail])
}

/// A panic inside the engine, which is a bug (`kind` is `panic`).
pub fn panic(message: &str) -> JsValue {
    let detail = Detail { kind: "panic", path: "", line: None, column: None, message };
    build("PanicError", message, &[detail])
}

/// A failure converting a result to JavaScript (`kind` is `internal`); not expected to happen.
pub fn internal(message: &str) -> JsValue {
    let detail = Detail { kind: "internal", path: "", line: None, column: None, message };
    build("InternalError", message, &[detail])
}

fn build(name: &str, message: &str, details: &[Detail<'_>]) -> JsValue {
    let error = Error::new(message);
    error.set_name(name);
    let first = &details[0];
    set(&error, "kind", &JsValue::from_str(first.kind));
    set(&error, "path", &JsValue::from_str(first.path));
    set(&error, "line", &number_or_null(first.line));
    set(&error, "column", &number_or_null(first.column));
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let list = Array::new();
    for detail in details {
        list.push(&detail.serialize(&serializer).unwrap_or(JsValue::NULL));
    }
    set(&error, "errors", &list);
    error.into()
}

fn number_or_null(value: Option<usize>) -> JsValue {
    value.map_or(JsValue::NULL, |n| JsValue::from_f64(n as f64))
}

fn set(target: &Error, key: &str, value: &JsValue) {
    // Setting a data property on a fresh, extensible Error object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}
