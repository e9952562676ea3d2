//! The practice loop for Python: `History` (the JSON Lines store of scored sessions),
//! `QuestionBank`, and the functions `trends`, `plan`, `render_report` and `append_session`, the
//! same operations as the CLI's `history add`, `history show`, `plan` and `report`.
//!
//! Like the rest of the crate this module only translates. Results cross the boundary as the
//! core's serde JSON (exactly what the CLI prints with `--format json`), which `rubric._practice`
//! wraps in read-only views; every call into the core runs without the GIL and inside
//! `catch_unwind`. Defaults follow the CLI: rubric versions are current when they are the bundled
//! rubrics' versions (or, for other rubrics, the latest in the history), a schedule starts today
//! (UTC), and a report without a rubric or scorecard scores with the default bundled rubric.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyString, PyType};
use rubric_core::history::{append_record, CandidateChoice, History, StoredRecord};
use rubric_core::planner::{
    self, PlanOptions, QuestionBank, ScheduleOptions, MAX_DIFFICULTY, MAX_PLAN_QUESTIONS, MIN_DIFFICULTY,
};
use rubric_core::{
    bundled, render_report as render, trends as compute_trends, BankError, BankErrorKind, BankErrors, Date,
    HistoryError, HistoryErrorKind, ImportOptions, PlanError, PlanErrorKind, ReportOptions, Round, Scorecard,
    SessionRecord, TranscriptError, TrendOptions,
};
use serde::Serialize;

use crate::{
    engine_error, guarded, import_input, import_options, located_error, located_list_error, prepare, transcript_error,
    type_name, Failure, Input, PyRubric,
};

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyHistory>()?;
    m.add_class::<PyQuestionBank>()?;
    m.add_function(wrap_pyfunction!(trends, m)?)?;
    m.add_function(wrap_pyfunction!(plan, m)?)?;
    m.add_function(wrap_pyfunction!(render_report, m)?)?;
    m.add_function(wrap_pyfunction!(append_session, m)?)?;
    m.add_function(wrap_pyfunction!(session_record, m)?)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Errors

/// Why a practice-loop call failed; becomes a Python exception once the GIL is back.
enum LoopError {
    History(HistoryError),
    Plan(PlanError),
    Bank(BankErrors),
    Transcript(TranscriptError),
    /// A plain `ValueError`.
    Value(String),
    /// An `OSError` (`FileNotFoundError`, `PermissionError`, ...) naming the file.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    Panic(String),
}

fn history_error(kind: HistoryErrorKind, path: &str, message: impl Into<String>) -> LoopError {
    LoopError::History(HistoryError::new(kind, path, message))
}

fn invalid_value(path: &str, message: impl Into<String>) -> LoopError {
    history_error(HistoryErrorKind::InvalidValue, path, message)
}

fn plan_error(path: &str, message: impl Into<String>) -> LoopError {
    LoopError::Plan(PlanError::new(PlanErrorKind::InvalidOption, path, message))
}

impl From<HistoryError> for LoopError {
    fn from(error: HistoryError) -> Self {
        LoopError::History(error)
    }
}

impl From<PlanError> for LoopError {
    fn from(error: PlanError) -> Self {
        LoopError::Plan(error)
    }
}

impl From<BankErrors> for LoopError {
    fn from(errors: BankErrors) -> Self {
        LoopError::Bank(errors)
    }
}

impl From<TranscriptError> for LoopError {
    fn from(error: TranscriptError) -> Self {
        LoopError::Transcript(error)
    }
}

/// Runs core work (without the GIL) and turns a panic into a [`LoopError`].
fn run<T>(work: impl FnOnce() -> Result<T, LoopError>) -> Result<T, LoopError> {
    guarded(work).map_err(|failure| match failure {
        Failure::Error(error) => error,
        Failure::Panic(message) => LoopError::Panic(message),
    })
}

fn error_class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyType>> {
    Ok(py.import("rubric._errors")?.getattr(name)?.cast_into::<PyType>()?)
}

fn raise(py: Python<'_>, error: LoopError) -> PyErr {
    let build = || -> PyResult<PyErr> {
        Ok(match error {
            LoopError::History(error) => located_error(py, &error_class(py, "HistoryError")?, &error)?,
            LoopError::Plan(error) => located_error(py, &error_class(py, "PlanError")?, &error)?,
            LoopError::Bank(errors) => located_list_error(py, &error_class(py, "BankError")?, errors.errors()),
            LoopError::Transcript(error) => PyErr::from_value(transcript_error(py, &error)?),
            LoopError::Value(message) => PyValueError::new_err(message),
            LoopError::Io { path, error } => os_error(py, &path, &error)?,
            LoopError::Panic(message) => PyErr::from_value(engine_error(py, &message)?),
        })
    };
    build().unwrap_or_else(|error| error)
}

/// `OSError(errno, strerror, filename)`, which Python turns into the matching subclass
/// (`FileNotFoundError`, `PermissionError`, `IsADirectoryError`, ...).
fn os_error(py: Python<'_>, path: &Path, error: &std::io::Error) -> PyResult<PyErr> {
    let filename = path.display().to_string();
    Ok(match error.raw_os_error() {
        Some(code) => {
            let strerror: String = py.import("os")?.call_method1("strerror", (code,))?.extract()?;
            PyErr::from_value(py.get_type::<PyOSError>().call1((code, strerror, filename))?)
        }
        None => PyOSError::new_err(format!("{filename}: {error}")),
    })
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("practice-loop results always serialise")
}

// ---------------------------------------------------------------------------------------------
// Views (rubric._practice)

fn view_class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("rubric._practice")?.getattr(name)
}

/// One view (`Trends`, `Plan`, `SessionRecord`, ...) of a JSON object.
fn view(py: Python<'_>, name: &str, json: String) -> PyResult<Py<PyAny>> {
    Ok(view_class(py, name)?.call_method1("_from_json", (json,))?.unbind())
}

/// A tuple of views of a JSON array.
fn views(py: Python<'_>, name: &str, json: String) -> PyResult<Py<PyAny>> {
    Ok(view_class(py, name)?.call_method1("_many", (json,))?.unbind())
}

// ---------------------------------------------------------------------------------------------
// Arguments

/// The bundled rubrics' versions (as the CLI uses them), with `overrides` on top.
fn current_versions(overrides: Option<BTreeMap<String, String>>) -> BTreeMap<String, String> {
    let mut versions = bundled::versions();
    versions.extend(overrides.unwrap_or_default());
    versions
}

/// A round argument; the error's message is the core's (raised by the caller as its own type).
fn parse_round(name: &str) -> Result<Round, String> {
    Round::parse_named(name).map_err(|error| error.message)
}

/// A date argument: an ISO 8601 `str` or a `datetime.date`. The inner `Err` is the core's
/// message for a string that is not a valid date (raised by the caller as its own error type).
fn date_arg(value: &Bound<'_, PyAny>, name: &str) -> PyResult<Result<Date, String>> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Date::parse(&text.to_cow()?).map_err(|error| error.message));
    }
    let datetime = value.py().import("datetime")?;
    let expected = format!("{name}: expected a datetime.date or a 'YYYY-MM-DD' string");
    if value.is_instance(&datetime.getattr("datetime")?)? {
        return Err(PyTypeError::new_err(format!("{expected}, not a datetime.datetime (use its .date())")));
    }
    if value.is_instance(&datetime.getattr("date")?)? {
        let text: String = value.call_method0("isoformat")?.extract()?;
        return Ok(Date::parse(&text).map_err(|error| error.message));
    }
    Err(PyTypeError::new_err(format!("{expected}, not {}", value.get_type().name()?)))
}

fn non_negative(value: i64, path: &str) -> Result<usize, LoopError> {
    usize::try_from(value).map_err(|_| plan_error(path, format!("{path} must be at least 0, not {value}")))
}

/// The candidate a report or trend is about: the one named, or the only one in the history
/// (the CLI's `--candidate` rule).
fn pick_candidate(history: &History, named: Option<&str>) -> Result<String, LoopError> {
    history.pick_candidate(named).map_err(|choice| {
        let message = match choice {
            CandidateChoice::Several { candidates } => {
                format!("the history has several candidates; pick one with candidate=: {}", candidates.join(", "))
            }
            other => other.to_string(),
        };
        invalid_value("candidate", message)
    })
}

/// The scorecard's JSON, from a `rubric.Scorecard`.
pub(crate) fn scorecard_json(value: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    let class = value.py().import("rubric._results")?.getattr("Scorecard")?;
    if !value.is_instance(&class)? {
        return Err(PyTypeError::new_err(format!("{name}: expected a Scorecard, not {}", value.get_type().name()?)));
    }
    value.call_method0("to_json")?.extract()
}

fn parse_scorecard(json: &str) -> Result<Scorecard, LoopError> {
    serde_json::from_str(json).map_err(|e| invalid_value("scorecard", format!("not a valid scorecard: {e}")))
}

/// What a session record is made from: a finished `SessionRecord` view (its JSON line), or a
/// scorecard and the keyword arguments of `History.add` / `append_session`.
enum RecordSource {
    Line(String),
    Parts(Box<RecordParts>),
}

struct RecordParts {
    card: String,
    candidate: String,
    date: Result<Date, String>,
    round: Option<Result<Round, String>>,
    questions: Vec<String>,
    transcript: Option<(Input, ImportOptions)>,
}

/// The keyword arguments that describe a session, as Python passed them.
struct RecordArgs<'a, 'py> {
    candidate: Option<String>,
    date: Option<&'a Bound<'py, PyAny>>,
    round: Option<String>,
    questions: Option<Vec<String>>,
    transcript: Option<&'a Bound<'py, PyAny>>,
    format: Option<String>,
    speakers: Option<BTreeMap<String, String>>,
}

impl RecordArgs<'_, '_> {
    fn given(&self) -> Vec<&'static str> {
        [
            ("candidate", self.candidate.is_some()),
            ("date", self.date.is_some()),
            ("round", self.round.is_some()),
            ("questions", self.questions.is_some()),
            ("transcript", self.transcript.is_some()),
            ("format", self.format.is_some()),
            ("speakers", self.speakers.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, given)| given.then_some(name))
        .collect()
    }
}

fn record_source(py: Python<'_>, first: &Bound<'_, PyAny>, args: RecordArgs<'_, '_>) -> PyResult<RecordSource> {
    if first.is_instance(&view_class(py, "SessionRecord")?)? {
        let given = args.given();
        if !given.is_empty() {
            return Err(PyTypeError::new_err(format!(
                "a SessionRecord is already complete; {} can only be given with a Scorecard",
                given.join(", ")
            )));
        }
        return Ok(RecordSource::Line(first.call_method0("to_json")?.extract()?));
    }
    let card = scorecard_json(first, "record")?;
    let (Some(candidate), Some(date)) = (args.candidate, args.date) else {
        return Err(PyTypeError::new_err("a session needs candidate= and date= (the day, 'YYYY-MM-DD')"));
    };
    let transcript = match args.transcript {
        Some(value) => {
            let options = import_options(args.format.as_deref(), args.speakers.as_ref())?;
            Some((prepare(py, value, None, &options)?, options))
        }
        None if args.format.is_some() || args.speakers.is_some() => {
            return Err(PyTypeError::new_err("format= and speakers= describe transcript=, which was not given"));
        }
        None => None,
    };
    Ok(RecordSource::Parts(Box::new(RecordParts {
        card,
        candidate,
        date: date_arg(date, "date")?,
        round: args.round.as_deref().map(parse_round),
        questions: args.questions.unwrap_or_default(),
        transcript,
    })))
}

/// Builds (and validates) the record, as `rubric history add` does. Runs without the GIL.
fn build_record(source: RecordSource) -> Result<SessionRecord, LoopError> {
    let parts = match source {
        RecordSource::Line(line) => {
            return SessionRecord::from_json_line(&line).map_err(LoopError::History);
        }
        RecordSource::Parts(parts) => *parts,
    };
    if parts.candidate.trim().is_empty() {
        return Err(invalid_value("candidate", "the candidate name is empty"));
    }
    let date = parts.date.map_err(|message| invalid_value("date", message))?;
    let card = parse_scorecard(&parts.card)?;
    let round = match parts.round {
        Some(round) => round.map_err(|message| invalid_value("round", message))?,
        None => bundled::round_of(&card.rubric.id).ok_or_else(|| {
            history_error(
                HistoryErrorKind::InvalidValue,
                "round",
                format!(
                    "rubric \"{}\" is not a bundled rubric, so its round is not known; pass round= (a Rubric's round is rubric.round)",
                    card.rubric.id
                ),
            )
        })?,
    };
    let transcript = match &parts.transcript {
        Some((input, options)) => {
            let transcript = import_input(input.clone(), options)?;
            SessionRecord::check_scored_transcript(&card, &transcript)?;
            Some(transcript)
        }
        None => None,
    };
    let mut record = SessionRecord::new(parts.candidate, date, round, card)?;
    if let Some(transcript) = &transcript {
        record = record.with_transcript(transcript);
    }
    Ok(record.with_questions(&parts.questions))
}

// ---------------------------------------------------------------------------------------------
// History

/// The records (and unreadable lines) of a history. Records added in Python wait in `pending`
/// until the next read merges them in (`History::extend`): a snapshot still held by a view or a
/// call is then copied once per batch of additions rather than once per record.
struct HistoryState {
    history: Arc<History>,
    pending: Vec<StoredRecord>,
    /// The line the next added record gets: the line it would have in the file.
    next_line: usize,
}

/// Every scored session of a history file (or text, or records built in Python), with the lines
/// that could not be read.
#[pyclass(frozen, module = "rubric", name = "History")]
pub(crate) struct PyHistory {
    state: Mutex<HistoryState>,
    /// Counts additions, so cached views are rebuilt after one.
    generation: AtomicU64,
    views: Mutex<CachedViews>,
}

#[derive(Default)]
struct CachedViews {
    generation: u64,
    records: Option<Py<PyAny>>,
    problems: Option<Py<PyAny>>,
}

/// Parses JSON Lines text; the next record would be appended after its last line.
fn parse_history(text: &str) -> (History, usize) {
    (History::parse(text), text.lines().count() + 1)
}

impl PyHistory {
    fn with(history: History, next_line: usize) -> Self {
        PyHistory {
            state: Mutex::new(HistoryState { history: Arc::new(history), pending: Vec::new(), next_line }),
            generation: AtomicU64::new(0),
            views: Mutex::new(CachedViews::default()),
        }
    }

    /// The history as it is now, with every added record. Call without the GIL.
    pub(crate) fn snapshot(&self) -> Arc<History> {
        let mut state = lock(&self.state);
        if !state.pending.is_empty() {
            let pending = std::mem::take(&mut state.pending);
            Arc::make_mut(&mut state.history).extend(pending);
        }
        Arc::clone(&state.history)
    }

    /// A cached view (`records` or `problems`), or builds it with `make` (run without the GIL).
    fn cached(
        &self,
        py: Python<'_>,
        slot: fn(&mut CachedViews) -> &mut Option<Py<PyAny>>,
        class: &str,
        make: impl FnOnce(&History) -> String + Send,
    ) -> PyResult<Py<PyAny>> {
        let generation = self.generation.load(Ordering::Acquire);
        {
            let mut cache = lock(&self.views);
            if cache.generation == generation {
                if let Some(value) = slot(&mut cache) {
                    return Ok(value.clone_ref(py));
                }
            }
        }
        let json = py.detach(|| run(|| Ok(make(&self.snapshot())))).map_err(|e| raise(py, e))?;
        let value = views(py, class, json)?;
        let mut cache = lock(&self.views);
        if cache.generation != generation {
            *cache = CachedViews { generation, ..CachedViews::default() };
        }
        *slot(&mut cache) = Some(value.clone_ref(py));
        Ok(value)
    }
}

// pyo3 hands arguments over as owned values extracted from Python objects.
#[allow(clippy::needless_pass_by_value)]
#[pymethods]
impl PyHistory {
    /// A history of `records` (`SessionRecord`s), numbered 1, 2, ... as if written to a file in
    /// that order; empty without.
    #[new]
    #[pyo3(signature = (records=None))]
    fn py_new(py: Python<'_>, records: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let mut lines = Vec::new();
        if let Some(records) = records {
            if records.is_instance_of::<PyString>() || records.is_instance_of::<PyBytes>() {
                return Err(PyTypeError::new_err(
                    "History() takes SessionRecords; read JSON Lines with History.parse(text) or History.load(path)",
                ));
            }
            let class = view_class(py, "SessionRecord")?;
            for (index, item) in records.try_iter()?.enumerate() {
                let item = item?;
                if !item.is_instance(&class)? {
                    return Err(PyTypeError::new_err(format!(
                        "records[{index}]: expected a SessionRecord, not {}",
                        item.get_type().name()?
                    )));
                }
                lines.push(item.call_method0("to_json")?.extract::<String>()?);
            }
        }
        let history = py
            .detach(|| {
                run(|| {
                    let mut records = Vec::with_capacity(lines.len());
                    for (index, line) in lines.iter().enumerate() {
                        let record = SessionRecord::from_json_line(line)
                            .map_err(|error| LoopError::History(error.within(format!("records[{index}]"))))?;
                        records.push(record);
                    }
                    Ok(History::from_records(records)?)
                })
            })
            .map_err(|e| raise(py, e))?;
        let next_line = history.records().len() + 1;
        Ok(Self::with(history, next_line))
    }

    /// Reads JSON Lines text (`str`, or `bytes` read as UTF-8 with invalid sequences replaced).
    /// Never fails on content: unreadable lines are listed in `problems`, every good line is kept.
    #[classmethod]
    fn parse(_cls: &Bound<'_, PyType>, py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text = if let Ok(text) = text.cast::<PyString>() {
            text.to_cow()?.into_owned()
        } else if let Ok(bytes) = text.cast::<PyBytes>() {
            String::from_utf8_lossy(bytes.as_bytes()).into_owned()
        } else {
            return Err(PyTypeError::new_err(format!(
                "History.parse takes JSON Lines text (str or bytes), not {}; use History.load(path) for a file",
                text.get_type().name()?
            )));
        };
        let (history, next_line) = py.detach(|| run(|| Ok(parse_history(&text)))).map_err(|e| raise(py, e))?;
        Ok(Self::with(history, next_line))
    }

    /// Reads a history file (`str` or `os.PathLike`). A file that does not exist raises
    /// `FileNotFoundError` (it is not an empty history).
    #[classmethod]
    fn load(_cls: &Bound<'_, PyType>, py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let (history, next_line) = py
            .detach(|| {
                run(|| {
                    let bytes = std::fs::read(&path).map_err(|error| LoopError::Io { path: path.clone(), error })?;
                    Ok(parse_history(&String::from_utf8_lossy(&bytes)))
                })
            })
            .map_err(|e| raise(py, e))?;
        Ok(Self::with(history, next_line))
    }

    /// Rebuilds a pickled history.
    #[classmethod]
    fn _from_state(_cls: &Bound<'_, PyType>, py: Python<'_>, state: String, next_line: usize) -> PyResult<Self> {
        let history = py
            .detach(|| {
                run(|| {
                    serde_json::from_str::<History>(&state)
                        .map_err(|e| LoopError::Value(format!("not a pickled History: {e}")))
                })
            })
            .map_err(|e| raise(py, e))?;
        Ok(Self::with(history, next_line))
    }

    /// Every readable record with its line, in file order.
    #[getter]
    fn records(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.cached(py, |c| &mut c.records, "StoredRecord", |h| to_json(h.records()))
    }

    /// Every line that could not be read, with its number and the reason.
    #[getter]
    fn problems(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.cached(py, |c| &mut c.problems, "CorruptLine", |h| to_json(h.problems()))
    }

    /// Candidate names, sorted, each once.
    fn candidates(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        py.detach(|| run(|| Ok(self.snapshot().candidates()))).map_err(|e| raise(py, e))
    }

    /// One candidate's sessions, oldest first (by date, then line), each marked with whether it
    /// was scored with the current version of its rubric.
    #[pyo3(signature = (candidate, *, current_versions=None))]
    fn sessions(
        &self,
        py: Python<'_>,
        candidate: String,
        current_versions: Option<BTreeMap<String, String>>,
    ) -> PyResult<Py<PyAny>> {
        let json = py
            .detach(|| {
                run(|| {
                    let versions = self::current_versions(current_versions);
                    Ok(to_json(&self.snapshot().sessions(&candidate, &versions)))
                })
            })
            .map_err(|e| raise(py, e))?;
        views(py, "Session", json)
    }

    /// Adds a session (in memory; `append_session` writes one to a file) and returns its record.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (record, *, candidate=None, date=None, round=None, questions=None, transcript=None, format=None, speakers=None))]
    fn add(
        &self,
        py: Python<'_>,
        record: &Bound<'_, PyAny>,
        candidate: Option<String>,
        date: Option<&Bound<'_, PyAny>>,
        round: Option<String>,
        questions: Option<Vec<String>>,
        transcript: Option<&Bound<'_, PyAny>>,
        format: Option<String>,
        speakers: Option<BTreeMap<String, String>>,
    ) -> PyResult<Py<PyAny>> {
        let args = RecordArgs { candidate, date, round, questions, transcript, format, speakers };
        let source = record_source(py, record, args)?;
        let line = py
            .detach(|| {
                run(|| {
                    let record = build_record(source)?;
                    let line = record.to_json_line();
                    let mut state = lock(&self.state);
                    let stored = StoredRecord { line: state.next_line, record };
                    state.next_line += 1;
                    state.pending.push(stored);
                    self.generation.fetch_add(1, Ordering::AcqRel);
                    Ok(line)
                })
            })
            .map_err(|e| raise(py, e))?;
        view(py, "SessionRecord", line)
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        py.detach(|| {
            let state = lock(&self.state);
            state.history.records().len() + state.pending.len()
        })
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let counts = py.detach(|| {
            run(|| {
                let history = self.snapshot();
                Ok((history.records().len(), history.candidates().len(), history.problems().len()))
            })
        });
        let (records, candidates, problems) = counts.map_err(|e| raise(py, e))?;
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        Ok(format!(
            "<History {} of {}, {}>",
            plural(records, "record"),
            plural(candidates, "candidate"),
            plural(problems, "unreadable line")
        ))
    }

    /// Pickles as the records and problems (with their line numbers).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let this = slf.get();
        let (state, next_line) = py
            .detach(|| run(|| Ok((to_json(&*this.snapshot()), lock(&this.state).next_line))))
            .map_err(|e| raise(py, e))?;
        let constructor = slf.get_type().getattr("_from_state")?;
        (constructor, (state, next_line)).into_pyobject(py).map(Bound::into_any)
    }
}

// ---------------------------------------------------------------------------------------------
// Question bank

/// A validated question bank. Immutable.
#[pyclass(frozen, module = "rubric", name = "QuestionBank")]
pub(crate) struct PyQuestionBank {
    bank: QuestionBank,
    source: String,
    questions: PyOnceLock<Py<PyAny>>,
}

fn bank_from_yaml(py: Python<'_>, text: String) -> PyResult<PyQuestionBank> {
    let bank = py.detach(|| run(|| Ok(QuestionBank::from_yaml(&text)?))).map_err(|e| raise(py, e))?;
    Ok(PyQuestionBank { bank, source: text, questions: PyOnceLock::new() })
}

// pyo3 hands arguments over as owned values extracted from Python objects.
#[allow(clippy::needless_pass_by_value)]
#[pymethods]
impl PyQuestionBank {
    /// Parses and validates a YAML question bank. Raises `BankError`.
    #[classmethod]
    fn from_yaml(_cls: &Bound<'_, PyType>, py: Python<'_>, text: String) -> PyResult<Self> {
        bank_from_yaml(py, text)
    }

    /// Reads and validates a YAML question bank file. Raises `BankError` (`kind == "not_found"`
    /// when the file cannot be read).
    #[classmethod]
    fn from_file(_cls: &Bound<'_, PyType>, py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let message = format!("cannot read question bank file {}: {e}", path.display());
            raise(py, LoopError::Bank(BankError::new(BankErrorKind::NotFound, "", message).into()))
        })?;
        bank_from_yaml(py, text)
    }

    #[getter]
    fn title(&self) -> Option<&str> {
        self.bank.spec().title.as_deref()
    }

    /// The YAML the bank was read from.
    #[getter]
    fn source(&self) -> &str {
        &self.source
    }

    /// Every question, in bank order.
    #[getter]
    fn questions(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let questions = self.questions.get_or_try_init(py, || views(py, "Question", to_json(self.bank.questions())))?;
        Ok(questions.clone_ref(py))
    }

    /// The question with this id, if the bank has one.
    fn question(&self, py: Python<'_>, id: &str) -> PyResult<Option<Py<PyAny>>> {
        self.bank.question(id).map(|question| view(py, "Question", to_json(question))).transpose()
    }

    /// Checks that every sub-competency a question names exists in a rubric of its round (rounds
    /// none of `rubrics` is written for are not checked). `rubrics` defaults to the bundled
    /// rubrics. Raises `BankError` (`kind == "unknown_reference"`), listing every unknown name.
    #[pyo3(signature = (rubrics=None))]
    fn check_subcompetencies(&self, py: Python<'_>, rubrics: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let given = match rubrics {
            None => None,
            Some(rubrics) => {
                let mut given = Vec::new();
                for (index, item) in rubrics.try_iter()?.enumerate() {
                    let item = item?;
                    let rubric = item.cast::<PyRubric>().map_err(|_| {
                        PyTypeError::new_err(format!("rubrics[{index}]: expected a Rubric, not {}", type_name(&item)))
                    })?;
                    given.push(rubric.get().rubric.clone());
                }
                Some(given)
            }
        };
        py.detach(|| {
            run(|| {
                let rubrics = given.as_deref().unwrap_or(bundled::compiled());
                Ok(self.bank.check_subcompetencies(rubrics)?)
            })
        })
        .map_err(|e| raise(py, e))
    }

    fn __len__(&self) -> usize {
        self.bank.questions().len()
    }

    /// Pickles as the YAML source; unpickling validates it again.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let constructor = slf.get_type().getattr("from_yaml")?;
        (constructor, (slf.get().source.as_str(),)).into_pyobject(slf.py()).map(Bound::into_any)
    }

    /// Banks are immutable: a copy is the same object.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let count = self.bank.questions().len();
        let title = match self.title() {
            Some(title) => format!(" title={}", PyString::new(py, title).repr()?),
            None => String::new(),
        };
        Ok(format!("<QuestionBank{title} {count} question{}>", if count == 1 { "" } else { "s" }))
    }
}

// ---------------------------------------------------------------------------------------------
// Functions

/// A candidate's trends: per round, competency and sub-competency, the tracked dimensions and the
/// weakest areas; `rubric history show --format json` gives the same object per candidate.
// pyo3 hands arguments over as owned values extracted from Python objects.
#[allow(clippy::needless_pass_by_value)]
#[pyfunction]
#[pyo3(signature = (history, candidate=None, *, window=5, weakest=3, current_versions=None))]
fn trends(
    py: Python<'_>,
    history: &Bound<'_, PyHistory>,
    candidate: Option<String>,
    window: i64,
    weakest: i64,
    current_versions: Option<BTreeMap<String, String>>,
) -> PyResult<Py<PyAny>> {
    if window < 2 {
        return Err(PyValueError::new_err(format!("window must be at least 2 sessions, not {window}")));
    }
    let window = usize::try_from(window).unwrap_or(usize::MAX);
    let weakest = usize::try_from(weakest)
        .map_err(|_| PyValueError::new_err(format!("weakest must be at least 0, not {weakest}")))?;
    let history = history.get();
    let json = py
        .detach(|| {
            run(|| {
                let history = history.snapshot();
                let candidate = pick_candidate(&history, candidate.as_deref())?;
                let options =
                    TrendOptions { window, weakest, current_versions: self::current_versions(current_versions) };
                Ok(to_json(&compute_trends(&history, &candidate, &options)))
            })
        })
        .map_err(|e| raise(py, e))?;
    view(py, "Trends", json)
}

/// Today's date in UTC (the CLI's default start of a schedule).
fn today() -> Date {
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Date::from_days_since_epoch(i64::try_from(seconds / 86_400).unwrap_or(0)).unwrap_or(Date::MIN)
}

/// The next session's questions: 40% weak areas, 40% new at the current level, 20% harder;
/// `rubric plan --format json` gives the same object for the same inputs.
#[allow(clippy::too_many_arguments, clippy::needless_pass_by_value)]
#[pyfunction]
#[pyo3(signature = (history, bank, *, candidate, seed=None, count=10, rounds=None, until=None, start=None, weak_areas=3, start_difficulty=2, current_versions=None))]
fn plan(
    py: Python<'_>,
    history: Option<&Bound<'_, PyHistory>>,
    bank: &Bound<'_, PyQuestionBank>,
    candidate: String,
    seed: Option<&Bound<'_, PyAny>>,
    count: i64,
    rounds: Option<Vec<String>>,
    until: Option<&Bound<'_, PyAny>>,
    start: Option<&Bound<'_, PyAny>>,
    weak_areas: i64,
    start_difficulty: i64,
    current_versions: Option<BTreeMap<String, String>>,
) -> PyResult<Py<PyAny>> {
    let seed = match seed {
        None => Ok(0),
        Some(seed) => seed.extract::<u64>().map_err(|_| {
            let shown = seed.repr().map_or_else(|_| "?".to_string(), |r| r.to_string());
            plan_error("seed", format!("seed must be an integer from 0 to 2**64 - 1, not {shown}"))
        }),
    };
    let until = until.map(|value| date_arg(value, "until")).transpose()?;
    let start = start.map(|value| date_arg(value, "start")).transpose()?;
    let history = history.map(Bound::get);
    let bank = &bank.get().bank;
    let json = py
        .detach(|| {
            run(|| {
                let seed = seed?;
                let count = usize::try_from(count).ok().filter(|c| (1..=MAX_PLAN_QUESTIONS).contains(c)).ok_or_else(|| {
                    plan_error("count", format!("count must be between 1 and {MAX_PLAN_QUESTIONS}, not {count}"))
                })?;
                let start_difficulty = u8::try_from(start_difficulty)
                    .ok()
                    .filter(|d| (MIN_DIFFICULTY..=MAX_DIFFICULTY).contains(d))
                    .ok_or_else(|| {
                        plan_error(
                            "start_difficulty",
                            format!("start_difficulty must be between {MIN_DIFFICULTY} and {MAX_DIFFICULTY}, not {start_difficulty}"),
                        )
                    })?;
                let weak_areas = non_negative(weak_areas, "weak_areas")?;
                let rounds = rounds
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .map(|(index, name)| parse_round(name).map_err(|message| plan_error(&format!("rounds[{index}]"), message)))
                    .collect::<Result<Vec<Round>, LoopError>>()?;
                let schedule = match (until, start) {
                    (None, None) => None,
                    (None, Some(_)) => {
                        return Err(plan_error("start", "start is the first day of a schedule; give until= (the target date) too"))
                    }
                    (Some(until), start) => {
                        let until = until.map_err(|message| plan_error("until", message))?;
                        let from = start.transpose().map_err(|message| plan_error("start", message))?.unwrap_or_else(today);
                        Some(ScheduleOptions { from, until })
                    }
                };
                let options = PlanOptions {
                    seed,
                    count,
                    rounds,
                    weak_areas,
                    start_difficulty,
                    schedule,
                    trends: TrendOptions { current_versions: self::current_versions(current_versions), ..TrendOptions::default() },
                };
                let history = history.map_or_else(|| Arc::new(History::default()), PyHistory::snapshot);
                Ok(to_json(&planner::plan(bank, &history, &candidate, &options)?))
            })
        })
        .map_err(|e| raise(py, e))?;
    view(py, "Plan", json)
}

/// One self-contained HTML page (inline CSS and SVG, no scripts, no network): the same bytes as
/// `rubric report` writes for the same inputs.
#[allow(clippy::too_many_arguments, clippy::needless_pass_by_value)]
#[pyfunction]
#[pyo3(signature = (transcript, rubric=None, *, scorecard=None, history=None, candidate=None, title=None, format=None, speakers=None, current_versions=None))]
fn render_report(
    py: Python<'_>,
    transcript: &Bound<'_, PyAny>,
    rubric: Option<&Bound<'_, PyAny>>,
    scorecard: Option<&Bound<'_, PyAny>>,
    history: Option<&Bound<'_, PyHistory>>,
    candidate: Option<String>,
    title: Option<String>,
    format: Option<String>,
    speakers: Option<BTreeMap<String, String>>,
    current_versions: Option<BTreeMap<String, String>>,
) -> PyResult<String> {
    let rubric = match rubric {
        Some(value) => Some(value.cast::<PyRubric>().map_err(|_| {
            let hint = if scorecard_json(value, "rubric").is_ok() { " (pass a scorecard as scorecard=)" } else { "" };
            PyTypeError::new_err(format!("rubric: expected a Rubric, not {}{hint}", type_name(value)))
        })?),
        None => None,
    };
    if rubric.is_some() && scorecard.is_some() {
        return Err(PyTypeError::new_err("give a rubric to score the transcript with, or its scorecard, not both"));
    }
    let card = scorecard.map(|value| scorecard_json(value, "scorecard")).transpose()?;
    let options = import_options(format.as_deref(), speakers.as_ref())?;
    let input = prepare(py, transcript, None, &options)?;
    let rubric = rubric.map(|r| &r.get().rubric);
    let history = history.map(Bound::get);
    py.detach(|| {
        run(|| {
            let transcript = import_input(input.clone(), &options)?;
            let card = if let Some(json) = card {
                let card = parse_scorecard(&json)?;
                SessionRecord::check_scored_transcript(&card, &transcript).map_err(|_| {
                    LoopError::Value(format!(
                        "the scorecard was made from a transcript with {} turns; this one has {}",
                        card.transcript.turns,
                        transcript.turns().len()
                    ))
                })?;
                card
            } else {
                let default = || bundled::compiled_named(bundled::DEFAULT);
                let rubric = rubric.or_else(default).expect("the default rubric is bundled");
                rubric.score(&transcript)?
            };
            let mut report = ReportOptions { title, candidate: candidate.clone(), trends: None };
            if let Some(history) = history {
                let history = history.snapshot();
                let candidate = pick_candidate(&history, candidate.as_deref())?;
                let options = TrendOptions {
                    current_versions: self::current_versions(current_versions),
                    ..TrendOptions::default()
                };
                report.trends = Some(compute_trends(&history, &candidate, &options));
                report.candidate = Some(candidate);
            }
            Ok(render(&card, &transcript, &report))
        })
    })
    .map_err(|e| raise(py, e))
}

/// Appends a session as one line to a history file (created if missing), as `rubric history add`
/// does, and returns its record.
#[allow(clippy::too_many_arguments, clippy::needless_pass_by_value)]
#[pyfunction]
#[pyo3(signature = (path, record, *, candidate=None, date=None, round=None, questions=None, transcript=None, format=None, speakers=None))]
fn append_session(
    py: Python<'_>,
    path: PathBuf,
    record: &Bound<'_, PyAny>,
    candidate: Option<String>,
    date: Option<&Bound<'_, PyAny>>,
    round: Option<String>,
    questions: Option<Vec<String>>,
    transcript: Option<&Bound<'_, PyAny>>,
    format: Option<String>,
    speakers: Option<BTreeMap<String, String>>,
) -> PyResult<Py<PyAny>> {
    let args = RecordArgs { candidate, date, round, questions, transcript, format, speakers };
    let source = record_source(py, record, args)?;
    let line = py
        .detach(|| {
            run(|| {
                let record = build_record(source)?;
                append_record(&path, &record).map_err(|error| LoopError::Io { path: path.clone(), error })?;
                Ok(record.to_json_line())
            })
        })
        .map_err(|e| raise(py, e))?;
    view(py, "SessionRecord", line)
}

/// The JSON line of a new session record (for `SessionRecord.create`).
#[allow(clippy::too_many_arguments, clippy::needless_pass_by_value)]
#[pyfunction]
#[pyo3(name = "_session_record", signature = (scorecard, *, candidate, date, round=None, questions=None, transcript=None, format=None, speakers=None))]
fn session_record(
    py: Python<'_>,
    scorecard: &Bound<'_, PyAny>,
    candidate: String,
    date: &Bound<'_, PyAny>,
    round: Option<String>,
    questions: Option<Vec<String>>,
    transcript: Option<&Bound<'_, PyAny>>,
    format: Option<String>,
    speakers: Option<BTreeMap<String, String>>,
) -> PyResult<String> {
    scorecard_json(scorecard, "scorecard")?;
    let args =
        RecordArgs { candidate: Some(candidate), date: Some(date), round, questions, transcript, format, speakers };
    let source = record_source(py, scorecard, args)?;
    py.detach(|| run(|| Ok(build_record(source)?.to_json_line()))).map_err(|e| raise(py, e))
}
