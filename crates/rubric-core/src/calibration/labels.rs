//! Human labels: CSV (with a header row) or JSON Lines, one label per row: which transcript, which
//! rater, which rubric node (a behavior, sub-competency, competency, or `overall`) and the value.
//! Every malformed row is reported with its line and column and the good rows are kept, so one
//! typo in a spreadsheet of thousands costs that row, not the run.

use serde::Serialize;

use crate::error::{error_kinds, Located};

/// The columns (CSV header names, JSON keys) a label row has.
pub const LABEL_COLUMNS: [&str; 4] = ["transcript", "rater", "node", "value"];

/// At most this many bytes of labels are read (CSV or JSON Lines), and each row is one label, so
/// rows are bounded by it too.
pub const MAX_LABEL_BYTES: usize = 64 << 20;

/// One label as written: `value` is read against the node it is about later (see
/// [`LabelValue::parse`]), when the rubric is known.
#[derive(Debug, Clone, PartialEq)]
pub struct RawLabel {
    /// 1-based line of the row.
    pub line: usize,
    pub transcript: String,
    pub rater: String,
    pub node: String,
    pub value: String,
    /// 1-based column where the value starts (for errors about it).
    pub value_column: usize,
}

/// What a rater said about a node.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelValue {
    /// For a behavior: the candidate showed it.
    Present,
    /// For a behavior: the candidate did not.
    Absent,
    /// For a behavior: the candidate showed the opposite.
    Against,
    /// For a scored node: a level of the rubric's scale.
    Level(i32),
    /// For a scored node: a 0-1 score, read as the level whose band holds it.
    Score(f64),
}

impl LabelValue {
    /// `text` as a behavior's value (`present`, `absent`, `against`, any case) or, for a scored
    /// node, as a level (a whole number) or a 0-1 score (a number with a decimal point).
    /// The error is `invalid_value` at `value`, without a line: the caller knows the row.
    pub fn parse(text: &str, behavior: bool) -> Result<Self, LabelError> {
        let invalid = |message: String| LabelError::new(LabelErrorKind::InvalidValue, "value", message);
        let text = text.trim();
        if behavior {
            return match text.to_ascii_lowercase().as_str() {
                "present" => Ok(Self::Present),
                "absent" => Ok(Self::Absent),
                "against" => Ok(Self::Against),
                _ => Err(invalid(format!("a behavior's value must be present, absent or against, not \"{text}\""))),
            };
        }
        if !text.contains('.') {
            if let Ok(level) = text.parse::<i32>() {
                return Ok(Self::Level(level));
            }
        }
        match text.parse::<f64>() {
            Ok(score) if (0.0..=1.0).contains(&score) => Ok(Self::Score(score)),
            _ => Err(invalid(format!(
                "a score's value must be a level (a whole number) or a score from 0.0 to 1.0, not \"{text}\""
            ))),
        }
    }
}

error_kinds! {
    /// Why a row of labels was left out.
    pub enum LabelErrorKind in "label" {
        /// The file or a row is not valid CSV or JSON.
        Syntax = "syntax",
        /// A column or field is missing or unknown, or has the wrong type.
        Schema = "schema",
        /// A value that is not present/absent/against, a level on the scale or a 0-1 score.
        InvalidValue = "invalid_value",
        /// A transcript id or node id that the scorecards do not have.
        UnknownReference = "unknown_reference",
        /// The labels are over the size limit.
        LimitExceeded = "limit_exceeded",
    }
}

/// A row that could not be read or used, at its line (and, where known, the column of its value);
/// `path` names the column or field at fault, or is empty for the row as a whole.
pub type LabelError = Located<LabelErrorKind>;

fn row_error(kind: LabelErrorKind, line: usize, path: &str, message: impl Into<String>) -> LabelError {
    LabelError::new(kind, path, message).at_line(line)
}

/// Reads labels from CSV or, when the first non-blank character is `{`, JSON Lines. Returns the
/// rows read and the errors of the others.
pub fn read_labels(text: &str) -> (Vec<RawLabel>, Vec<LabelError>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > MAX_LABEL_BYTES {
        let message = format!("the labels are {} bytes, over the limit of {MAX_LABEL_BYTES} bytes", text.len());
        return (Vec::new(), vec![row_error(LabelErrorKind::LimitExceeded, 1, "", message)]);
    }
    if text.trim_start().starts_with('{') {
        read_json_lines(text)
    } else {
        read_csv(text)
    }
}

fn read_csv(text: &str) -> (Vec<RawLabel>, Vec<LabelError>) {
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let mut errors = Vec::new();
    let header: Vec<String> = match reader.headers() {
        Ok(header) => header.iter().map(str::to_ascii_lowercase).collect(),
        Err(error) => {
            errors.push(row_error(LabelErrorKind::Syntax, 1, "", format!("the header row: {error}")));
            return (Vec::new(), errors);
        }
    };
    let mut columns = [0usize; 4];
    for (slot, name) in columns.iter_mut().zip(LABEL_COLUMNS) {
        match header.iter().position(|h| h == name) {
            Some(index) => *slot = index,
            None => errors.push(row_error(
                LabelErrorKind::Schema,
                1,
                name,
                format!(
                    "the header has no `{name}` column (it needs {}; it has {})",
                    LABEL_COLUMNS.join(", "),
                    header.join(", ")
                ),
            )),
        }
    }
    if !errors.is_empty() {
        return (Vec::new(), errors);
    }
    let mut labels = Vec::new();
    let mut record = csv::StringRecord::new();
    // The csv reader's own line count passes over blank lines; counting newlines up to a record's
    // byte offset gives the line a spreadsheet or editor shows.
    // A record's offset can be that of the blank lines before it: skip them first.
    let line_at = |byte: u64| {
        let bytes = text.as_bytes();
        let mut at = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
            at += 1;
        }
        1 + bytes[..at].iter().filter(|&&b| b == b'\n').count()
    };
    loop {
        let line = line_at(reader.position().byte());
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                errors.push(row_error(LabelErrorKind::Syntax, line, "", error.to_string()));
                continue;
            }
        }
        let line = record.position().map_or(line, |p| line_at(p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |i: usize| record.get(columns[i]).unwrap_or("");
        if let Some(missing) = (0..4).find(|&i| field(i).is_empty()) {
            let name = LABEL_COLUMNS[missing];
            errors.push(row_error(LabelErrorKind::Schema, line, name, format!("the row has no `{name}`")));
            continue;
        }
        // The value's column in characters: the fields before it and their commas (quotes aside).
        let value_column =
            1 + (0..columns[3]).map(|i| record.get(i).map_or(0, |f| f.chars().count()) + 1).sum::<usize>();
        labels.push(RawLabel {
            line,
            transcript: field(0).to_string(),
            rater: field(1).to_string(),
            node: field(2).to_string(),
            value: field(3).to_string(),
            value_column,
        });
    }
    (labels, errors)
}

fn read_json_lines(text: &str) -> (Vec<RawLabel>, Vec<LabelError>) {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Row {
        transcript: String,
        rater: String,
        node: String,
        value: serde_json::Value,
    }
    let mut labels = Vec::new();
    let mut errors = Vec::new();
    for (index, row) in text.lines().enumerate() {
        let line = index + 1;
        if row.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Row>(row) {
            Ok(parsed) => {
                let value = match parsed.value {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Number(n) if n.is_f64() => {
                        // Keep a decimal point so that 1.0 stays a score, not level 1.
                        let v = n.as_f64().unwrap_or(f64::NAN);
                        if v.fract() == 0.0 {
                            format!("{v:.1}")
                        } else {
                            v.to_string()
                        }
                    }
                    serde_json::Value::Number(n) => n.to_string(),
                    other => {
                        let message = format!("`value` must be a string or a number, not {other}");
                        errors.push(row_error(LabelErrorKind::Schema, line, "value", message));
                        continue;
                    }
                };
                let value_column = row.find("\"value\"").map_or(1, |at| row[..at].chars().count() + 1);
                labels.push(RawLabel {
                    line,
                    transcript: parsed.transcript,
                    rater: parsed.rater,
                    node: parsed.node,
                    value,
                    value_column,
                });
            }
            Err(error) => {
                let kind = match error.classify() {
                    serde_json::error::Category::Data => LabelErrorKind::Schema,
                    _ => LabelErrorKind::Syntax,
                };
                let raw = crate::error::strip_location(&error.to_string());
                let (message, suggestion) = crate::util::suggest::with_field_suggestion(raw);
                let located = LabelError::new(kind, "", message).at(Some(line), Some(error.column()));
                errors.push(located.suggesting(suggestion.as_deref()));
            }
        }
    }
    (labels, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_read_by_header_name_and_bad_rows_reported_by_line() {
        let text = "rater,transcript,node,value,note\n\
                    ann,t1,asks,present,\n\
                    ann,t1,,absent,\n\
                    \n\
                    \"bo, jr\",t1,asks,\"absent\",ok\n";
        let (labels, errors) = read_labels(text);
        assert_eq!(labels.len(), 2);
        assert_eq!((labels[0].line, labels[0].rater.as_str(), labels[0].value.as_str()), (2, "ann", "present"));
        assert_eq!((labels[1].line, labels[1].rater.as_str()), (5, "bo, jr"));
        assert_eq!(labels[0].value_column, 13, "after `ann,t1,asks,`");
        assert_eq!(errors, [row_error(LabelErrorKind::Schema, 3, "node", "the row has no `node`")]);
        let (labels, errors) = read_labels("who,node,value\nann,asks,present\n");
        assert!(labels.is_empty());
        assert!(errors[0].message.starts_with("the header has no `transcript` column"), "{errors:?}");
    }

    #[test]
    fn json_lines_keep_good_rows_and_locate_bad_ones() {
        let text = "{\"transcript\": \"t1\", \"rater\": \"ann\", \"node\": \"overall\", \"value\": 3}\n\
                    {\"transcript\": \"t1\", \"rater\": \"ann\", \"nod\": \"asks\", \"value\": \"present\"}\n\
                    {\"transcript\": \"t1\", \"rater\": \"bo\", \"node\": \"overall\", \"value\": 1.0}\n";
        let (labels, errors) = read_labels(text);
        assert_eq!(labels.iter().map(|l| l.value.as_str()).collect::<Vec<_>>(), ["3", "1.0"]);
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].kind, errors[0].line), (LabelErrorKind::Schema, Some(2)));
        assert!(errors[0].message.contains("did you mean `node`?"), "{}", errors[0].message);
        assert_eq!(errors[0].suggestion.as_deref(), Some("node"));
    }

    #[test]
    fn values_are_read_against_their_node() {
        assert_eq!(LabelValue::parse("Present", true), Ok(LabelValue::Present));
        assert!(LabelValue::parse("3", true).is_err());
        assert_eq!(LabelValue::parse("3", false), Ok(LabelValue::Level(3)));
        assert_eq!(LabelValue::parse("1.0", false), Ok(LabelValue::Score(1.0)));
        assert_eq!(LabelValue::parse("0.75", false), Ok(LabelValue::Score(0.75)));
        let error = LabelValue::parse("1.5", false).unwrap_err();
        assert_eq!((error.kind, error.path.as_str()), (LabelErrorKind::InvalidValue, "value"));
        assert!(error.message.contains("0.0 to 1.0"), "{}", error.message);
        assert!(LabelValue::parse("high", false).is_err());
    }
}
