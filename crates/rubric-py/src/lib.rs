//! Python bindings for `rubric-core`, imported as `rubric._rubric` and re-exported by the pure-Python
//! package `rubric` (python/rubric). This crate only translates: Python inputs into core inputs,
//! core results into the package's Python types (`Scorecard`, `BatchResult`) and core errors into
//! its Python exceptions (`RubricError`, `TranscriptError`, `EngineError`), which are defined in
//! Python with structured fields.
//!
//! Every call into the engine runs with the GIL released and inside `catch_unwind`, so a bug in the
//! engine surfaces as an `EngineError` for that call (or that batch item) instead of a crash, and
//! the rubric stays usable: it is immutable and shared through an `Arc`.
//!
//! The practice loop (history, trends, question banks, plans, reports) is in [`practice`].

mod calibration;
mod practice;
mod values;

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyBool;
use pyo3::types::{PyBytes, PyDict, PyList, PyMapping, PyString, PyTuple, PyType};
use rubric_core::transcript::{
    import_native, read_annotations, NativeDocument, PathError, Remedies, GIVEN_ANNOTATIONS,
};
use rubric_core::{
    bundled, import, import_bytes, ErrorKind, Format, ImportOptions, Limits, Located, Role, RubricError,
    RubricErrorKind, RubricErrors, Scorecard, Transcript, TranscriptError, TranscriptErrorKind,
};

/// Where a rubric came from: what `__reduce__` needs to rebuild it in another process.
#[derive(Debug, Clone)]
enum Source {
    Bundled(String),
    Yaml(String),
}

/// A validated, compiled rubric. Build it once; score any number of transcripts with it, from any
/// number of threads.
#[pyclass(frozen, module = "rubric", name = "Rubric")]
struct PyRubric {
    rubric: rubric_core::Rubric,
    source: Source,
}

/// A transcript as the engine will read it, owned so scoring can run without the GIL.
#[derive(Clone)]
enum Input {
    /// Inline text in any format. `maybe_path` marks a one-line `str` that names no existing file,
    /// so a failed import can say it was read as text.
    Text {
        text: String,
        maybe_path: bool,
    },
    Bytes(Vec<u8>),
    File(PathBuf),
    /// A dict in the native format, read straight into the core's document (no JSON text), or
    /// what was wrong with one of its values.
    Native(Box<Result<NativeDocument, TranscriptError>>),
}

/// The result of scoring one input, built without the GIL.
enum Outcome {
    /// The scorecard's JSON (the Rust serialisation, the contract shared with the CLI and golden files).
    Card(String),
    Transcript(TranscriptError),
    /// A panic in the engine, with its message.
    Panic(String),
}

// pyo3 hands arguments over as owned values extracted from Python objects.
#[allow(clippy::needless_pass_by_value)]
#[pymethods]
impl PyRubric {
    /// Parses, validates and compiles a YAML rubric. `limits` (a dict of limit name -> int, see
    /// `default_limits()`) replaces some of the default limits, for this rubric and every
    /// transcript it scores.
    #[classmethod]
    #[pyo3(signature = (text, limits=None))]
    fn from_yaml(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        text: String,
        limits: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let limits = read_limits(limits)?;
        let compiled = py.detach(|| guarded(|| rubric_core::Rubric::builder().limits(limits).from_yaml(&text)));
        finish_rubric(py, compiled, Source::Yaml(text))
    }

    /// Reads, validates and compiles a YAML rubric file (`str` or `os.PathLike`).
    #[classmethod]
    #[pyo3(signature = (path, limits=None))]
    fn from_file(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        path: PathBuf,
        limits: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let limits = read_limits(limits)?;
        let bytes = std::fs::read(&path).map_err(|e| {
            let error = RubricError::new(
                RubricErrorKind::NotFound,
                "",
                format!("cannot read rubric file {}: {e}", path.display()),
            );
            rubric_error(py, std::slice::from_ref(&error))
        })?;
        // Bytes, not a str: invalid UTF-8 is then a located `syntax` error from the engine.
        let compiled = py.detach(|| guarded(|| rubric_core::Rubric::builder().limits(limits).from_yaml_bytes(&bytes)));
        finish_rubric(py, compiled, Source::Yaml(String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// A rubric shipped with the library, by id (see `Rubric.list_bundled()`).
    #[classmethod]
    #[pyo3(signature = (name, limits=None))]
    fn bundled(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        name: String,
        limits: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let limits = read_limits(limits)?;
        let compiled = py.detach(|| guarded(|| rubric_core::Rubric::builder().limits(limits).bundled(&name)));
        finish_rubric(py, compiled, Source::Bundled(name))
    }

    /// Ids of the bundled rubrics.
    #[staticmethod]
    fn list_bundled() -> Vec<&'static str> {
        bundled::names()
    }

    #[getter]
    fn id(&self) -> &str {
        self.rubric.id()
    }

    #[getter]
    fn version(&self) -> &str {
        self.rubric.version()
    }

    #[getter]
    fn title(&self) -> &str {
        self.rubric.title()
    }

    /// The round the rubric is written for (`coding`, `system_design`, ...), if it names one.
    #[getter]
    fn round(&self) -> Option<&'static str> {
        self.rubric.spec().round.map(rubric_core::Round::as_str)
    }

    /// The limits this rubric was compiled with and checks transcripts against, as a dict.
    #[getter]
    fn limits<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        limits_dict(py, self.rubric.limits())
    }

    /// The YAML source the rubric was compiled from.
    #[getter]
    fn source(&self) -> &str {
        match &self.source {
            Source::Bundled(name) => bundled::source(name).unwrap_or_default(),
            Source::Yaml(yaml) => yaml,
        }
    }

    /// Scores one transcript: a `dict` (the native JSON model), a `str` (JSON, text, WebVTT, SubRip
    /// or speech-to-text JSON; or the path of an existing file, if it is one line), `bytes`, or an
    /// `os.PathLike` path. `annotations` adds evidence given beside it (a list of dicts, a
    /// DataFrame, JSON or JSON Lines text, or a path; see `rubric._annotations`). Returns a
    /// `Scorecard`; raises `TranscriptError`.
    #[pyo3(signature = (transcript, *, format=None, speakers=None, unlabelled_role=None, infer_roles=false, complete=false, annotations=None, keep_unverified=false))]
    #[allow(clippy::too_many_arguments)]
    fn score(
        &self,
        py: Python<'_>,
        transcript: &Bound<'_, PyAny>,
        format: Option<String>,
        speakers: Option<BTreeMap<String, String>>,
        unlabelled_role: Option<String>,
        infer_roles: bool,
        complete: bool,
        annotations: Option<&Bound<'_, PyAny>>,
        keep_unverified: bool,
    ) -> PyResult<Py<PyAny>> {
        let reading = Reading { unlabelled_role, infer_roles, complete, keep_unverified };
        let options = self.import_options(format.as_deref(), speakers.as_ref(), &reading)?;
        let input = prepare(py, transcript, None, &options)?;
        let annotations =
            annotations.filter(|value| !value.is_none()).map(|value| annotations_text(py, value)).transpose()?;
        let outcome = py.detach(|| score_one(&self.rubric, input, annotations.as_deref(), &options));
        match outcome_to_python(py, outcome)? {
            Ok(card) => Ok(card.unbind()),
            Err(error) => Err(PyErr::from_value(error)),
        }
    }

    /// Scores `transcript` like `score` and then panics inside the same guard, so the tests can
    /// check that a panic in a real scoring call becomes an `EngineError` and that this rubric
    /// scores correctly afterwards. Not part of the API.
    #[pyo3(name = "_panic_while_scoring_for_tests", signature = (transcript, *, speakers=None))]
    fn panic_while_scoring_for_tests(
        &self,
        py: Python<'_>,
        transcript: &Bound<'_, PyAny>,
        speakers: Option<BTreeMap<String, String>>,
    ) -> PyResult<Py<PyAny>> {
        let options = self.import_options(None, speakers.as_ref(), &Reading::default())?;
        let input = prepare(py, transcript, None, &options)?;
        let outcome = py.detach(|| {
            score_with(&self.rubric, input, None, &options, |card| {
                panic!("deliberate panic after scoring {} behaviors", card.behaviors().count())
            })
        });
        match outcome_to_python(py, outcome)? {
            Ok(card) => Ok(card.unbind()),
            Err(error) => Err(PyErr::from_value(error)),
        }
    }

    /// Scores many transcripts on `threads` threads (default: every core) with the GIL released.
    /// Returns a `BatchResult` in input order; an input that fails is reported there as its
    /// `TranscriptError` and the others are still scored. Only an argument that is not a
    /// transcript at all (a wrong type) raises, before anything is scored.
    /// `keep_unverified` applies to each transcript's own annotations; annotations given beside a
    /// transcript name its turns, so they are given to `score`, one transcript at a time.
    #[pyo3(signature = (transcripts, *, format=None, speakers=None, threads=None, unlabelled_role=None, infer_roles=false, complete=false, keep_unverified=false))]
    #[allow(clippy::too_many_arguments)]
    fn score_many(
        &self,
        py: Python<'_>,
        transcripts: &Bound<'_, PyAny>,
        format: Option<String>,
        speakers: Option<BTreeMap<String, String>>,
        threads: Option<usize>,
        unlabelled_role: Option<String>,
        infer_roles: bool,
        complete: bool,
        keep_unverified: bool,
    ) -> PyResult<Py<PyAny>> {
        static BATCH_RESULT: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        let reading = Reading { unlabelled_role, infer_roles, complete, keep_unverified };
        let options = self.import_options(format.as_deref(), speakers.as_ref(), &reading)?;
        if threads == Some(0) {
            return Err(PyValueError::new_err("threads must be at least 1"));
        }
        if transcripts.is_instance_of::<PyString>()
            || transcripts.is_instance_of::<PyBytes>()
            || transcripts.is_instance_of::<PyDict>()
        {
            return Err(PyTypeError::new_err(
                "score_many takes an iterable of transcripts; use score() for a single transcript",
            ));
        }
        // No more threads than inputs, when the iterable knows how many it holds.
        let threads = threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, NonZeroUsize::get))
            .min(transcripts.len().unwrap_or(usize::MAX))
            .max(1);
        let score = |input: Input| score_one(&self.rubric, input, None, &options);
        // One thread means one: overlapping the preparing with scoring would take a second core.
        let outcomes = if threads == 1 {
            let inputs = transcripts
                .try_iter()?
                .enumerate()
                .map(|(index, item)| prepare(py, &item?, Some(index), &options))
                .collect::<PyResult<Vec<Input>>>()?;
            py.detach(|| inputs.into_iter().map(score).collect())
        } else {
            prepare_while_scoring(py, transcripts, &options, threads, score)?
        };
        let items = PyList::empty(py);
        for outcome in outcomes {
            match outcome_to_python(py, outcome)? {
                Ok(item) | Err(item) => items.append(item)?,
            }
        }
        Ok(BATCH_RESULT.import(py, "rubric._results", "BatchResult")?.call1((items,))?.unbind())
    }

    /// Pickles as the bundled name or the YAML source, with the limits when they are not the
    /// defaults; unpickling recompiles (in any process).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let cls = slf.get_type();
        let (constructor, argument) = match &slf.get().source {
            Source::Bundled(name) => (cls.getattr("bundled")?, name.as_str()),
            Source::Yaml(yaml) => (cls.getattr("from_yaml")?, yaml.as_str()),
        };
        let limits = slf.get().rubric.limits();
        if *limits == Limits::default() {
            (constructor, (argument,)).into_pyobject(py)
        } else {
            (constructor, (argument, limits_dict(py, limits)?)).into_pyobject(py)
        }
    }

    /// Rubrics are immutable: a copy is the same object.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let quoted = |text: &str| PyString::new(py, text).repr().map(|r| r.to_string());
        Ok(format!("<Rubric id={} version={}>", quoted(self.rubric.id())?, quoted(self.rubric.version())?))
    }
}

impl PyRubric {
    /// Import options for this rubric: its limits apply to reading the transcript too.
    fn import_options(
        &self,
        format: Option<&str>,
        speakers: Option<&BTreeMap<String, String>>,
        reading: &Reading,
    ) -> PyResult<ImportOptions> {
        let mut options = import_options(format, speakers)?;
        options.limits = *self.rubric.limits();
        reading.apply(&mut options)?;
        Ok(options)
    }
}

/// How `score` and `score_many` are told to read speakers, completeness and annotations
/// (`unlabelled_role=`, `infer_roles=`, `complete=`, `keep_unverified=`).
#[derive(Default)]
struct Reading {
    unlabelled_role: Option<String>,
    infer_roles: bool,
    complete: bool,
    keep_unverified: bool,
}

impl Reading {
    fn apply(&self, options: &mut ImportOptions) -> PyResult<()> {
        if let Some(role) = &self.unlabelled_role {
            options.unlabelled_role = Some(Role::parse(role).ok_or_else(|| {
                PyValueError::new_err(format!(
                    "unlabelled_role: unknown role {role:?}; expected candidate, interviewer or observer"
                ))
            })?);
        }
        options.infer_roles = self.infer_roles;
        options.complete = self.complete;
        options.keep_unverified_annotations = self.keep_unverified;
        Ok(())
    }
}

/// Ids of the bundled rubrics (the same as `Rubric.list_bundled()`).
#[pyfunction]
fn bundled_rubrics() -> Vec<&'static str> {
    bundled::names()
}

/// The default limits, as a dict of limit name -> int: what `limits=` starts from.
#[pyfunction]
fn default_limits(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    limits_dict(py, &Limits::default())
}

/// A node's score and level as every surface shows them (`rubric_core::display::score`):
/// `"93%, level 4 of 4 (Outstanding)"`, or `"not measurable"`.
#[pyfunction]
#[pyo3(signature = (score, level, label, top))]
fn format_score(score: Option<f64>, level: Option<i32>, label: Option<&str>, top: i32) -> String {
    rubric_core::display::score(score, level, label, top)
}

/// A 0-1 score as a whole percentage (`rubric_core::display::percent`): `"93%"`.
#[pyfunction]
fn format_percent(score: f64) -> String {
    rubric_core::display::percent(score)
}

/// A change of a score in percentage points (`rubric_core::display::points`): `"+3.3 points"`.
#[pyfunction]
fn format_points(change: f64) -> String {
    rubric_core::display::points(change)
}

/// A value or bound of metric `name` (`rubric_core::display::metric_value`): durations as
/// `"28:58"` or `"4.08 s"`, other figures with at most 3 decimals.
#[pyfunction]
fn format_metric_value(name: &str, value: f64) -> String {
    rubric_core::display::metric_value(name, value)
}

/// Limits as a dict, in the order `Limits` declares them.
fn limits_dict<'py>(py: Python<'py>, limits: &Limits) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for name in Limits::NAMES {
        dict.set_item(name, limits.get(name))?;
    }
    Ok(dict)
}

/// Reads `limits=`: a mapping of limit name -> non-negative int over the defaults. A misspelt
/// name is an error (with the closest name), not silently ignored.
fn read_limits(value: Option<&Bound<'_, PyAny>>) -> PyResult<Limits> {
    let mut limits = Limits::default();
    let Some(value) = value.filter(|value| !value.is_none()) else { return Ok(limits) };
    let mapping = value.cast::<PyMapping>().map_err(|_| {
        PyTypeError::new_err(format!(
            "limits: expected a dict of limit name -> int (see rubric.default_limits()), not {}",
            type_name(value)
        ))
    })?;
    for item in mapping.items()?.iter() {
        let (key, number): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
        let Ok(name) = key.cast::<PyString>() else {
            return Err(PyTypeError::new_err(format!("limits: a limit name must be a str, not {}", type_name(&key))));
        };
        let name = name.to_cow()?;
        Limits::check_name(&name).map_err(|e| PyValueError::new_err(format!("limits: {}", e.message)))?;
        let parsed = if number.is_instance_of::<PyBool>() { None } else { number.extract::<usize>().ok() };
        let Some(parsed) = parsed else {
            return Err(PyValueError::new_err(format!(
                "limits['{name}']: expected a non-negative int, found {}",
                number.repr()?
            )));
        };
        limits.set(&name, parsed).map_err(|e| PyValueError::new_err(format!("limits: {}", e.message)))?;
    }
    Ok(limits)
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map_or_else(|_| "?".to_string(), |name| name.to_string())
}

/// Runs `message` as a panic through the same guard every engine call uses and returns the
/// exception it becomes, so the tests can check that a panic is reported and not a crash.
#[pyfunction]
#[pyo3(name = "_engine_panic_for_tests")]
fn engine_panic_for_tests(py: Python<'_>, message: &Bound<'_, PyString>) -> PyResult<Py<PyAny>> {
    let message = message.to_cow()?.into_owned();
    let outcome = py.detach(|| guarded(|| -> Result<(), ()> { panic!("{message}") }));
    match outcome {
        Err(Failure::Panic(message)) => Ok(engine_error(py, &message)?.unbind()),
        _ => Err(PyValueError::new_err("the guard did not catch the panic")),
    }
}

/// Reads `value` with the deserializer that reads transcript dicts, into a free-form JSON value,
/// and returns its JSON text, so the tests can check it against `json.dumps` on any value (the
/// transcript schema alone never nests deep enough to reach the depth limit). A value the
/// deserializer refuses is a `ValueError` with the path.
#[pyfunction]
#[pyo3(name = "_read_value_for_tests")]
fn read_value_for_tests(value: &Bound<'_, PyAny>) -> PyResult<String> {
    let keys = values::KeyCache::default();
    let read: Result<serde_json::Value, _> = serde_path_to_error::deserialize(values::PyValue::new(value, &keys));
    match read {
        Ok(json) => Ok(json.to_string()),
        Err(error) => {
            let path = error.path().to_string();
            match error.into_inner() {
                values::ReadError::Python(error) => Err(error),
                values::ReadError::Schema(message) => Err(PyValueError::new_err(format!("{path}: {message}"))),
            }
        }
    }
}

#[pymodule]
#[pyo3(name = "_rubric")]
fn rubric_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRubric>()?;
    m.add_function(wrap_pyfunction!(bundled_rubrics, m)?)?;
    m.add_function(wrap_pyfunction!(default_limits, m)?)?;
    m.add_function(wrap_pyfunction!(format_score, m)?)?;
    m.add_function(wrap_pyfunction!(format_percent, m)?)?;
    m.add_function(wrap_pyfunction!(format_points, m)?)?;
    m.add_function(wrap_pyfunction!(format_metric_value, m)?)?;
    m.add_function(wrap_pyfunction!(calibration::calibrate, m)?)?;
    m.add_function(wrap_pyfunction!(engine_panic_for_tests, m)?)?;
    m.add_function(wrap_pyfunction!(read_value_for_tests, m)?)?;
    practice::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("DEFAULT_RUBRIC", bundled::DEFAULT)?;
    Ok(())
}

/// An engine call's failure: its own error, or a panic.
enum Failure<E> {
    Error(E),
    Panic(String),
}

/// Runs an engine call, turning a panic into a value.
fn guarded<T, E>(call: impl FnOnce() -> Result<T, E>) -> Result<T, Failure<E>> {
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(result) => result.map_err(Failure::Error),
        Err(payload) => Err(Failure::Panic(panic_message(payload.as_ref()))),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "unknown panic".to_string()
    }
}

fn finish_rubric(
    py: Python<'_>,
    compiled: Result<rubric_core::Rubric, Failure<RubricErrors>>,
    source: Source,
) -> PyResult<PyRubric> {
    match compiled {
        Ok(rubric) => Ok(PyRubric { rubric, source }),
        Err(Failure::Error(errors)) => Err(rubric_error(py, errors.errors())),
        Err(Failure::Panic(message)) => Err(PyErr::from_value(engine_error(py, &message)?)),
    }
}

fn import_options(format: Option<&str>, speakers: Option<&BTreeMap<String, String>>) -> PyResult<ImportOptions> {
    let mut options = ImportOptions::default();
    if let Some(format) = format {
        options.format = Some(format.parse::<Format>().map_err(|e| PyValueError::new_err(e.message))?);
    }
    for (name, role) in speakers.into_iter().flatten() {
        options.map_speaker_to(name, role).map_err(|e| PyValueError::new_err(e.to_string()))?;
    }
    Ok(options)
}

/// Turns a Python transcript argument into an owned [`Input`]; a wrong type is a `TypeError`.
/// A dict with `turns` (the native format, unless `options` name another) is read straight into
/// the core's document; any other dict is written as JSON text, which the importer tells apart.
fn prepare(py: Python<'_>, value: &Bound<'_, PyAny>, index: Option<usize>, options: &ImportOptions) -> PyResult<Input> {
    static DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    if value.is_instance_of::<PyDict>() || value.cast::<PyMapping>().is_ok() {
        let object =
            if value.is_instance_of::<PyDict>() { value.clone() } else { py.get_type::<PyDict>().call1((value,))? };
        let native = options.format.is_none_or(|format| format == Format::Json);
        if native && object.cast::<PyDict>()?.contains("turns")? {
            return read_native(&object, index);
        }
        let dumps = DUMPS.get_or_try_init(py, || py.import("json")?.getattr("dumps").map(Bound::unbind))?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("ensure_ascii", false)?;
        let text: String = dumps.bind(py).call((object,), Some(&kwargs))?.extract()?;
        return Ok(Input::Text { text, maybe_path: false });
    }
    if let Ok(text) = value.cast::<PyString>() {
        let text = text.to_cow()?.into_owned();
        let one_line = !text.contains('\n') && !text.trim().is_empty() && text.len() < 4096;
        if one_line && Path::new(&text).is_file() {
            return Ok(Input::File(PathBuf::from(text)));
        }
        // A one-line str that looks like neither JSON, WebVTT nor a `Speaker: text` line was
        // probably meant as a path: say so if it fails to import.
        let head = text.trim_start();
        let maybe_path =
            one_line && !head.starts_with(['{', '[']) && !head.starts_with("WEBVTT") && !text.contains(": ");
        return Ok(Input::Text { text, maybe_path });
    }
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok(Input::Bytes(bytes.as_bytes().to_vec()));
    }
    if value.hasattr("__fspath__")? {
        return Ok(Input::File(value.extract::<PathBuf>()?));
    }
    let at = index.map(|i| format!("transcripts[{i}]: ")).unwrap_or_default();
    Err(PyTypeError::new_err(format!(
        "{at}expected a transcript as a dict, str, bytes or os.PathLike, not {}",
        value.get_type().name()?
    )))
}

/// Reads a native-format dict into the core's document. A value the schema does not take is the
/// transcript error JSON text would give (by path: a dict has no lines); a value JSON has no form
/// for is the `TypeError` `json.dumps` raises, with its path.
fn read_native(dict: &Bound<'_, PyAny>, index: Option<usize>) -> PyResult<Input> {
    let keys = values::KeyCache::default();
    match NativeDocument::deserialize_from(values::PyValue::new(dict, &keys)) {
        Ok(document) => Ok(Input::Native(Box::new(Ok(document)))),
        Err(PathError { path, error: values::ReadError::Python(error) }) => {
            let py = dict.py();
            let at = index.map(|i| format!("transcripts[{i}]")).into_iter().chain((path != ".").then_some(path));
            let at: Vec<String> = at.collect();
            if at.is_empty() || !error.is_instance_of::<PyTypeError>(py) {
                return Err(error);
            }
            Err(PyTypeError::new_err(format!("{}: {}", at.join("."), error.value(py))))
        }
        Err(schema_error) => Ok(Input::Native(Box::new(Err(schema_error.into_transcript_error())))),
    }
}

/// Reads and imports one input, as the engine's own error on failure.
fn import_raw(input: Input, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    match input {
        Input::Text { text, .. } => import(&text, None, options),
        Input::Bytes(bytes) => import_bytes(&bytes, None, options),
        Input::Native(document) => import_native((*document)?, options),
        Input::File(path) => {
            let bytes = std::fs::read(&path).map_err(|e| {
                let message = format!("cannot read transcript file {}: {e}", path.display());
                TranscriptError::new(TranscriptErrorKind::UnknownFormat, "", message)
            })?;
            import_bytes(&bytes, path.file_name().and_then(|n| n.to_str()), options)
        }
    }
}

const PYTHON_REMEDIES: Remedies<'static> = Remedies {
    map_speakers: |names| {
        let pairs: Vec<String> = names.iter().map(|name| format!("{name:?}: \"candidate\"")).collect();
        format!(", with speakers={{{}}} (roles: \"candidate\", \"interviewer\", \"observer\")", pairs.join(", "))
    },
    infer_roles: ", or infer_roles=True for a two-person conversation",
    unlabelled_role: ", with unlabelled_role=\"candidate\" (or \"interviewer\", \"observer\")",
    keep_unverified: "keep_unverified=True",
    text_format: "format=\"text\"",
};

/// The one-line `str` that was read as transcript text because no file of that name exists.
fn read_as_text(input: &Input) -> Option<String> {
    match input {
        Input::Text { text, maybe_path: true } => Some(text.clone()),
        _ => None,
    }
}

/// Says an error the Python way: how to map speakers (`speakers=`, `infer_roles=`) or give
/// unlabelled speech a role (`unlabelled_role=`), and that a one-line `str` (`read_as_text`) was
/// read as text because no file of that name exists.
fn for_python(read_as_text: Option<&str>, error: &TranscriptError) -> TranscriptError {
    let mut error = rubric_core::transcript::advised(error, &PYTHON_REMEDIES);
    // An error in the annotations given beside the transcript says nothing of how the transcript
    // argument was read.
    let about_the_transcript = !error.path.starts_with(GIVEN_ANNOTATIONS);
    if let (Some(text), true) = (read_as_text, about_the_transcript) {
        error.message = format!(
            "{} (the argument {text:?} was read as transcript text: no file of that name exists)",
            error.message
        );
    }
    error
}

/// `annotations=` as JSON or JSON Lines text, written by `rubric._annotations` (which knows lists
/// of dicts, DataFrames and paths); a wrong type is its `TypeError`.
fn annotations_text(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<String> {
    static ANNOTATIONS_TEXT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let write = ANNOTATIONS_TEXT
        .get_or_try_init(py, || py.import("rubric._annotations")?.getattr("annotations_text").map(Bound::unbind))?;
    write.bind(py).call1((value,))?.extract()
}

/// Adds the annotations in `text` (`annotations=`) to `transcript`.
fn annotate(transcript: Transcript, text: &str, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    let given = read_annotations(text, &options.limits).map_err(|mut error| {
        // A one-line str naming a file was meant as that file, but a str is read as text.
        let named_file = !text.trim().contains('\n') && Path::new(text.trim()).is_file();
        if named_file {
            error
                .message
                .push_str(" (annotations= as a str is JSON or JSON Lines text; pass a pathlib.Path to read a file)");
        }
        error
    })?;
    transcript.annotate(given, &options.limits, options.keep_unverified_annotations)
}

/// Imports one input (for the practice loop, which needs the transcript itself).
fn import_input(input: Input, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    let text = read_as_text(&input);
    import_raw(input, options).map_err(|error| for_python(text.as_deref(), &error))
}

fn score_one(
    rubric: &rubric_core::Rubric,
    input: Input,
    annotations: Option<&str>,
    options: &ImportOptions,
) -> Outcome {
    score_with(rubric, input, annotations, options, |card| card.to_json())
}

/// Imports one input, adds the `annotations` given beside it (JSON or JSON Lines text), scores
/// it and hands the scorecard to `finish`, all inside one guard.
fn score_with(
    rubric: &rubric_core::Rubric,
    input: Input,
    annotations: Option<&str>,
    options: &ImportOptions,
    finish: impl FnOnce(Scorecard) -> String,
) -> Outcome {
    let text = read_as_text(&input);
    let scored = guarded(|| {
        let mut transcript = import_raw(input, options)?;
        if let Some(text) = annotations {
            transcript = annotate(transcript, text, options)?;
        }
        rubric.score(&transcript).map(finish)
    });
    match scored {
        Ok(json) => Outcome::Card(json),
        Err(Failure::Error(error)) => Outcome::Transcript(for_python(text.as_deref(), &error)),
        Err(Failure::Panic(message)) => Outcome::Panic(message),
    }
}

/// Prepares the inputs on this thread (reading Python objects, such as writing a dict as JSON
/// text, needs the GIL) while `threads` scoped threads score those already prepared, so that the
/// preparing overlaps the scoring instead of coming before all of it: on 2 cores it was a sixth
/// of a batch of interview dicts, and serial. The GIL is released while the workers are joined.
/// An item that is not a transcript stops the batch: what was scored is dropped and its
/// `TypeError` is raised.
fn prepare_while_scoring(
    py: Python<'_>,
    transcripts: &Bound<'_, PyAny>,
    options: &ImportOptions,
    threads: usize,
    score: impl Fn(Input) -> Outcome + Sync,
) -> PyResult<Vec<Outcome>> {
    rubric_core::map_in_order_fed(
        threads,
        |send| {
            for (index, item) in transcripts.try_iter()?.enumerate() {
                send(prepare(py, &item?, Some(index), options)?);
            }
            Ok(())
        },
        |join| py.detach(join),
        score,
    )
}

/// Converts an outcome into a `Scorecard` (Ok) or an exception instance (Err).
fn outcome_to_python(py: Python<'_>, outcome: Outcome) -> PyResult<Result<Bound<'_, PyAny>, Bound<'_, PyAny>>> {
    static SCORECARD: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    Ok(match outcome {
        Outcome::Card(json) => {
            Ok(SCORECARD.import(py, "rubric._results", "Scorecard")?.call_method1("_from_json", (json,))?)
        }
        Outcome::Transcript(error) => Err(transcript_error(py, &error)?),
        Outcome::Panic(message) => Err(engine_error(py, &message)?),
    })
}

/// The keywords every `rubric._errors` located exception takes, from any domain's error.
fn located_kwargs<'py, K: ErrorKind>(py: Python<'py>, error: &Located<K>) -> PyResult<Bound<'py, PyDict>> {
    let kwargs = PyDict::new(py);
    kwargs.set_item("kind", error.kind.name())?;
    kwargs.set_item("path", &error.path)?;
    kwargs.set_item("line", error.line)?;
    kwargs.set_item("column", error.column)?;
    kwargs.set_item("suggestion", error.suggestion.as_deref())?;
    Ok(kwargs)
}

/// An exception of `class` (a `rubric._errors` class) for one core error of any domain: its kind
/// by name, path, line, column and suggestion as keywords.
fn located_error<K: ErrorKind>(py: Python<'_>, class: &Bound<'_, PyType>, error: &Located<K>) -> PyResult<PyErr> {
    Ok(PyErr::from_value(class.call((error.message.as_str(),), Some(&located_kwargs(py, error)?))?))
}

/// An exception of `class` (`rubric._errors.RubricError` or `BankError`) for the first error,
/// carrying every error in `errors` (validation reports all of them). `errors` is never empty.
fn located_list_error<K: ErrorKind>(py: Python<'_>, class: &Bound<'_, PyType>, errors: &[Located<K>]) -> PyErr {
    let build = || -> PyResult<Bound<'_, PyAny>> {
        let make = |e: &Located<K>| class.call((e.message.as_str(),), Some(&located_kwargs(py, e)?));
        let details = errors.iter().map(make).collect::<PyResult<Vec<_>>>()?;
        let kwargs = located_kwargs(py, &errors[0])?;
        kwargs.set_item("errors", details)?;
        class.call((errors[0].message.as_str(),), Some(&kwargs))
    };
    match build() {
        Ok(error) => PyErr::from_value(error),
        Err(error) => error,
    }
}

/// A `RubricError` for the first error, carrying every error in `errors`. `errors` is never empty.
fn rubric_error(py: Python<'_>, errors: &[RubricError]) -> PyErr {
    static RUBRIC_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    match RUBRIC_ERROR.import(py, "rubric._errors", "RubricError") {
        Ok(class) => located_list_error(py, class, errors),
        Err(error) => error,
    }
}

fn transcript_error<'py>(py: Python<'py>, error: &TranscriptError) -> PyResult<Bound<'py, PyAny>> {
    static TRANSCRIPT_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    let kwargs = located_kwargs(py, error)?;
    TRANSCRIPT_ERROR.import(py, "rubric._errors", "TranscriptError")?.call((error.message.as_str(),), Some(&kwargs))
}

fn engine_error<'py>(py: Python<'py>, message: &str) -> PyResult<Bound<'py, PyAny>> {
    static ENGINE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    ENGINE_ERROR
        .import(py, "rubric._errors", "EngineError")?
        .call1((format!("internal error in the scoring engine (a bug; please report it with the input): {message}"),))
}
