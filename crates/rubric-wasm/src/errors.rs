//! Core errors as JavaScript `Error` objects carrying `name`, `kind`, `path`, `line`, `column` and
//! `errors` (every problem found, as plain objects).

use std::fmt::Write as _;

use js_sys::{Array, Error, Reflect};
use rubric_core::{
    BankErrors, ErrorKind, HistoryError, HistoryErrorKind, Located, LocatedErrors, PlanError, RubricErrors,
    TranscriptError,
};
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
    suggestion: Option<&'a str>,
}

impl<'a> Detail<'a> {
    /// Any domain's core error, field by field.
    fn of<K: ErrorKind>(error: &'a Located<K>) -> Self {
        Detail {
            kind: error.kind.name(),
            path: &error.path,
            line: error.line,
            column: error.column,
            message: &error.message,
            suggestion: error.suggestion.as_deref(),
        }
    }
}

/// The `name` of the JavaScript error for a domain's errors: `rubric` -> `RubricError`.
fn class_name<K: ErrorKind>() -> String {
    let mut name = String::with_capacity(K::DOMAIN.len() + 5);
    let mut chars = K::DOMAIN.chars();
    name.extend(chars.next().map(|c| c.to_ascii_uppercase()));
    name.extend(chars);
    name + "Error"
}

/// Every problem of one document: the message is the first, `errors` holds all of them, in
/// document order.
fn list<K: ErrorKind>(errors: &LocatedErrors<K>) -> JsValue {
    let details: Vec<Detail<'_>> = errors.errors().iter().map(Detail::of).collect();
    let mut message = errors.first().to_string();
    if errors.len() > 1 {
        let _ = write!(message, " (and {} more; see error.errors)", errors.len() - 1);
    }
    build(&class_name::<K>(), &message, &details)
}

/// One core error of any domain.
fn one<K: ErrorKind>(error: &Located<K>) -> JsValue {
    build(&class_name::<K>(), &error.to_string(), &[Detail::of(error)])
}

/// A rubric that does not parse, validate or compile (`name` is `RubricError`).
pub fn rubric(errors: &RubricErrors) -> JsValue {
    list(errors)
}

/// A transcript (or the annotations given beside it) that does not import or score (`name` is
/// `TranscriptError`). `located` is false when what the error is about came in as an object: the
/// core's line and column would then point into the JSON this crate serialised it to, so they are
/// reported as `null` (the `path` still says where).
pub fn transcript(error: &TranscriptError, located: bool) -> JsValue {
    let mut error = crate::options::with_js_advice(error);
    if !located {
        error.line = None;
        error.column = None;
    }
    one(&error)
}

/// A session record that cannot be made, or a candidate the history does not hold (`name` is
/// `HistoryError`).
pub fn history(error: &HistoryError) -> JsValue {
    one(error)
}

/// A `HistoryError` of kind `invalid_value` found by this crate (an unknown candidate).
pub fn history_value(path: &str, message: &str) -> JsValue {
    one(&HistoryError::new(HistoryErrorKind::InvalidValue, path, message))
}

/// A plan option out of range (`name` is `PlanError`, `kind` is `invalid_option`).
pub fn plan(error: &PlanError) -> JsValue {
    one(error)
}

/// A question bank that does not parse or validate (`name` is `BankError`).
pub fn bank(errors: &BankErrors) -> JsValue {
    list(errors)
}

/// A bad argument: wrong type, unknown option, unknown format or role (`kind` is `invalid_argument`).
pub fn argument(error: &ArgumentError) -> JsValue {
    let detail = Detail {
        kind: "invalid_argument",
        path: &error.path,
        line: None,
        column: None,
        message: &error.message,
        suggestion: None,
    };
    build("ArgumentError", &format!("{}: {}", error.path, error.message), &[detail])
}

/// A panic inside the engine, which is a bug (`kind` is `panic`).
pub fn panic(message: &str) -> JsValue {
    let detail = Detail { kind: "panic", path: "", line: None, column: None, message, suggestion: None };
    build("PanicError", message, &[detail])
}

/// A failure converting a result to JavaScript (`kind` is `internal`); not expected to happen.
pub fn internal(message: &str) -> JsValue {
    let detail = Detail { kind: "internal", path: "", line: None, column: None, message, suggestion: None };
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
    set(&error, "suggestion", &first.suggestion.map_or(JsValue::NULL, JsValue::from_str));
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
