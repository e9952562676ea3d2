//! `rubric.calibrate`: converts scorecards and labels and hands them to `rubric_core::calibration`.

use std::collections::BTreeMap;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyMapping, PyString};
use rubric_core::calibration::labels::{read_labels, MAX_LABEL_BYTES};
use rubric_core::calibration::{calibrate as compare, CalibrationOptions};
use rubric_core::Scorecard;

use crate::practice::scorecard_json;

/// Compares scorecards (a mapping of transcript id -> `Scorecard`) with human labels: a path
/// (`os.PathLike`) to a CSV or JSON Lines file, or the labels' text. Returns the comparison as a
/// dict, the same JSON as `rubric calibrate --format json`.
#[pyfunction]
#[pyo3(signature = (scorecards, labels, *, bootstrap=1000, seed=0))]
pub fn calibrate(
    py: Python<'_>,
    scorecards: &Bound<'_, PyAny>,
    labels: &Bound<'_, PyAny>,
    bootstrap: usize,
    seed: u64,
) -> PyResult<Py<PyAny>> {
    let mapping = scorecards
        .cast::<PyMapping>()
        .map_err(|_| PyTypeError::new_err("scorecards: expected a mapping of transcript id -> Scorecard"))?;
    let mut cards: BTreeMap<String, Scorecard> = BTreeMap::new();
    for item in mapping.items()?.iter() {
        let (id, card): (String, Bound<'_, PyAny>) = item.extract()?;
        let json = scorecard_json(&card, &format!("scorecards[{id:?}]"))?;
        let card: Scorecard =
            serde_json::from_str(&json).map_err(|e| PyValueError::new_err(format!("scorecards[{id:?}]: {e}")))?;
        cards.insert(id, card);
    }
    let text = if let Ok(text) = labels.cast::<PyString>() {
        text.to_cow()?.into_owned()
    } else {
        let path: std::path::PathBuf = labels
            .extract()
            .map_err(|_| PyTypeError::new_err("labels: expected a path (os.PathLike) or the labels' text (str)"))?;
        let size =
            std::fs::metadata(&path).map_err(|e| PyValueError::new_err(format!("{}: {e}", path.display())))?.len();
        if size > MAX_LABEL_BYTES as u64 {
            return Err(PyValueError::new_err(format!(
                "{}: the labels are {size} bytes, over the limit of {MAX_LABEL_BYTES} bytes",
                path.display()
            )));
        }
        let bytes = std::fs::read(&path).map_err(|e| PyValueError::new_err(format!("{}: {e}", path.display())))?;
        String::from_utf8(bytes).map_err(|e| {
            PyValueError::new_err(format!("{}: not UTF-8 (byte {})", path.display(), e.utf8_error().valid_up_to()))
        })?
    };
    let options = CalibrationOptions { bootstrap_rounds: bootstrap, seed };
    let json = py.detach(|| {
        let (rows, errors) = read_labels(&text);
        serde_json::to_string(&compare(&cards, &rows, errors, options)).expect("serialises")
    });
    Ok(py.import("json")?.call_method1("loads", (json,))?.unbind())
}
