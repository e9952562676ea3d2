//! The practice loop: session history, trends, retake plans and the HTML report, the same
//! operations as the CLI's `history add`, `history show`, `plan` and `report`.
//!
//! The browser has no file system, so histories come in as JSON Lines text (the content of a
//! history file) and `sessionLine` returns the line to append instead of writing it. Results are
//! the core's serde JSON as plain objects (what the CLI prints with `--format json`). Defaults
//! follow the CLI: a rubric version is current when it is the bundled rubric's version (or, for
//! other rubrics, the latest in the history), and a schedule starts today (UTC).

use std::collections::BTreeMap;

use js_sys::Object;
use rubric_core::history::{CandidateChoice, History};
use rubric_core::planner::{PlanOptions, QuestionBank, ScheduleOptions};
use rubric_core::{bundled, Date, ReportOptions, Round, SessionRecord, TrendOptions};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::options::{read_options, ArgumentError, ScoreOptions};
use crate::panic::guard;
use crate::{errors, import_input, to_js, Rubric};

/// `{ candidate, date, round?, questions?, format?, speakers?, unlabelledRole?, fileName?,
/// annotations?, keepUnverified? }` of `sessionLine`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct SessionOptions {
    candidate: Option<String>,
    date: Option<String>,
    round: Option<String>,
    questions: Vec<String>,
    format: Option<String>,
    speakers: BTreeMap<String, String>,
    unlabelled_role: Option<String>,
    file_name: Option<String>,
    /// As `ScoreOptions::annotations`.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    annotations: JsValue,
    keep_unverified: bool,
}

impl SessionOptions {
    const FIELDS: [&'static str; 10] = [
        "candidate",
        "date",
        "round",
        "questions",
        "format",
        "speakers",
        "unlabelledRole",
        "fileName",
        "annotations",
        "keepUnverified",
    ];
}

/// `{ candidate?, window?, weakest? }` of `trends`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TrendsOptions {
    candidate: Option<String>,
    window: Option<usize>,
    weakest: Option<usize>,
}

impl TrendsOptions {
    const FIELDS: [&'static str; 3] = ["candidate", "window", "weakest"];
}

/// `{ candidate, seed?, count?, rounds?, until?, start? }` of `plan`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PlanArgs {
    candidate: Option<String>,
    seed: Option<u64>,
    count: Option<usize>,
    rounds: Vec<String>,
    until: Option<String>,
    start: Option<String>,
}

impl PlanArgs {
    const FIELDS: [&'static str; 6] = ["candidate", "seed", "count", "rounds", "until", "start"];
}

/// `{ history?, candidate?, title?, format?, speakers?, unlabelledRole?, fileName?, annotations?,
/// keepUnverified? }` of `renderReport`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ReportArgs {
    history: Option<String>,
    candidate: Option<String>,
    title: Option<String>,
    format: Option<String>,
    speakers: BTreeMap<String, String>,
    unlabelled_role: Option<String>,
    file_name: Option<String>,
    /// As `ScoreOptions::annotations`.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    annotations: JsValue,
    keep_unverified: bool,
}

impl ReportArgs {
    const FIELDS: [&'static str; 9] = [
        "history",
        "candidate",
        "title",
        "format",
        "speakers",
        "unlabelledRole",
        "fileName",
        "annotations",
        "keepUnverified",
    ];
}

/// Reads a history: every readable record (with its line number) and every line that could not
/// be read (`problems`), as `History::parse` in the core. Never throws for bad lines.
#[wasm_bindgen(js_name = parseHistory, unchecked_return_type = "History")]
pub fn parse_history(jsonl: &str) -> Result<JsValue, JsValue> {
    guard(|| to_js(&History::parse(jsonl)))
}

/// Scores `transcript` with `rubric` and returns the session as one JSON line, ending in `\n`, to
/// append to a history (what `rubric history add` appends to its file). Throws a `HistoryError`
/// for an empty candidate, an `ArgumentError` for a bad date or round.
#[wasm_bindgen(js_name = sessionLine)]
pub fn session_line(
    rubric: &Rubric,
    #[wasm_bindgen(unchecked_param_type = "TranscriptInput")] transcript: &JsValue,
    #[wasm_bindgen(unchecked_param_type = "SessionOptions")] options: JsValue,
) -> Result<String, JsValue> {
    guard(|| {
        let options: SessionOptions = read_options(Some(required(options)?), &SessionOptions::FIELDS)?;
        let Some(candidate) = options.candidate else {
            return Err(argument("options.candidate", "the candidate's name is required"));
        };
        let Some(date) = options.date else {
            return Err(argument("options.date", "the day of the session is required (YYYY-MM-DD)"));
        };
        let date = parse_date(&date, "options.date")?;
        let round = match &options.round {
            Some(name) => parse_round(name, "options.round")?,
            None => rubric.inner.spec().round.ok_or_else(|| {
                argument("options.round", format!("rubric {} names no round; pass options.round", rubric.inner.id()))
            })?,
        };
        let score_options = ScoreOptions {
            format: options.format,
            speakers: options.speakers,
            unlabelled_role: options.unlabelled_role,
            file_name: options.file_name,
            annotations: options.annotations,
            keep_unverified: options.keep_unverified,
            ..ScoreOptions::default()
        };
        let (transcript, located) = import_input(transcript, &score_options, rubric.inner.limits())?;
        let card = rubric.inner.score(&transcript).map_err(|e| located.error(&e))?;
        let record = SessionRecord::new(candidate, date, round, card)
            .map_err(|e| errors::history(&e))?
            .with_transcript(&transcript)
            .with_questions(&options.questions);
        Ok(format!("{}\n", record.to_json_line()))
    })
}

/// A candidate's trends per round, sub-competency and tracked dimension (`rubric history show`).
/// `candidate` may be left out when the history holds only one.
#[wasm_bindgen(unchecked_return_type = "Trends")]
pub fn trends(
    history: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "TrendsOptions")] options: Option<Object>,
) -> Result<JsValue, JsValue> {
    guard(|| {
        let options: TrendsOptions = read_options(options, &TrendsOptions::FIELDS)?;
        let defaults = TrendOptions::default();
        let window = options.window.unwrap_or(defaults.window);
        if window < 2 {
            return Err(argument("options.window", format!("window must be at least 2, not {window}")));
        }
        let history = History::parse(history);
        let candidate = pick_candidate(&history, options.candidate.as_deref())?;
        let trend_options = TrendOptions {
            window,
            weakest: options.weakest.unwrap_or(defaults.weakest),
            current_versions: bundled::versions(),
        };
        to_js(&rubric_core::trends(&history, &candidate, &trend_options))
    })
}

/// The next session's questions from a question bank (YAML) and the history (`rubric plan`).
/// Throws a `BankError` for a bad bank, a `PlanError` for options out of range.
#[wasm_bindgen(unchecked_return_type = "Plan")]
pub fn plan(
    history: &str,
    bank: &str,
    #[wasm_bindgen(unchecked_param_type = "PlanOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    guard(|| {
        let options: PlanArgs = read_options(Some(required(options)?), &PlanArgs::FIELDS)?;
        let Some(candidate) = options.candidate else {
            return Err(argument("options.candidate", "the candidate's name is required"));
        };
        let rounds = options
            .rounds
            .iter()
            .enumerate()
            .map(|(i, name)| parse_round(name, &format!("options.rounds[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let until = options.until.as_deref().map(|d| parse_date(d, "options.until")).transpose()?;
        let start = options.start.as_deref().map(|d| parse_date(d, "options.start")).transpose()?;
        let schedule = match (until, start) {
            (Some(until), start) => Some(ScheduleOptions { from: start.unwrap_or_else(today), until }),
            (None, Some(_)) => return Err(argument("options.start", "start needs until (the target date)")),
            (None, None) => None,
        };
        let bank = QuestionBank::from_yaml(bank).map_err(|e| errors::bank(&e))?;
        let history = History::parse(history);
        let defaults = PlanOptions::default();
        let plan_options = PlanOptions {
            seed: options.seed.unwrap_or(defaults.seed),
            count: options.count.unwrap_or(defaults.count),
            rounds,
            schedule,
            trends: TrendOptions { current_versions: bundled::versions(), ..TrendOptions::default() },
            ..defaults
        };
        let plan = rubric_core::plan(&bank, &history, &candidate, &plan_options).map_err(|e| errors::plan(&e))?;
        to_js(&plan)
    })
}

/// Scores `transcript` with `rubric` and renders the self-contained HTML report (`rubric
/// report`); with `history`, adds the candidate's trend charts.
#[wasm_bindgen(js_name = renderReport)]
pub fn render_report(
    #[wasm_bindgen(unchecked_param_type = "TranscriptInput")] transcript: &JsValue,
    rubric: &Rubric,
    #[wasm_bindgen(unchecked_optional_param_type = "ReportOptions")] options: Option<Object>,
) -> Result<String, JsValue> {
    guard(|| {
        let options: ReportArgs = read_options(options, &ReportArgs::FIELDS)?;
        let score_options = ScoreOptions {
            format: options.format,
            speakers: options.speakers,
            unlabelled_role: options.unlabelled_role,
            file_name: options.file_name,
            annotations: options.annotations,
            keep_unverified: options.keep_unverified,
            ..ScoreOptions::default()
        };
        let (transcript, located) = import_input(transcript, &score_options, rubric.inner.limits())?;
        let card = rubric.inner.score(&transcript).map_err(|e| located.error(&e))?;
        let mut report = ReportOptions { title: options.title, candidate: options.candidate.clone(), trends: None };
        if let Some(text) = &options.history {
            let history = History::parse(text);
            let candidate = pick_candidate(&history, options.candidate.as_deref())?;
            let trend_options = TrendOptions { current_versions: bundled::versions(), ..TrendOptions::default() };
            report.trends = Some(rubric_core::trends(&history, &candidate, &trend_options));
            report.candidate = Some(candidate);
        }
        Ok(rubric_core::render_report(&card, &transcript, &report))
    })
}

/// An options argument that must be given (it holds the candidate).
fn required(options: JsValue) -> Result<Object, JsValue> {
    if options.is_object() {
        Ok(options.unchecked_into())
    } else {
        Err(argument("options", "expected an options object with at least the candidate"))
    }
}

fn argument(path: &str, message: impl Into<String>) -> JsValue {
    errors::argument(&ArgumentError::new(path, message))
}

fn parse_date(text: &str, path: &str) -> Result<Date, JsValue> {
    Date::parse(text).map_err(|error| errors::argument(&ArgumentError::from_core(path, error)))
}

fn parse_round(name: &str, path: &str) -> Result<Round, JsValue> {
    Round::parse_named(name).map_err(|error| errors::argument(&ArgumentError::from_core(path, error)))
}

/// Today in UTC, from the JavaScript clock.
fn today() -> Date {
    let days = (js_sys::Date::now() / 86_400_000.0).floor();
    Date::from_days_since_epoch(days as i64).unwrap_or(Date::MIN)
}

/// The candidate named, or the only one in the history (the CLI's `--candidate` rule).
fn pick_candidate(history: &History, named: Option<&str>) -> Result<String, JsValue> {
    history.pick_candidate(named).map_err(|choice| {
        let message = match choice {
            CandidateChoice::Several { candidates } => format!(
                "the history has several candidates; pick one with options.candidate: {}",
                candidates.join(", ")
            ),
            other => other.to_string(),
        };
        errors::history_value("options.candidate", &message)
    })
}
