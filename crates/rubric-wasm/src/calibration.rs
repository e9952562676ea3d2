//! `calibrate`: converts scorecards and labels for `rubric_core::calibration`.

use std::collections::BTreeMap;

use js_sys::Object;
use rubric_core::calibration::labels::read_labels;
use rubric_core::calibration::{calibrate as compare, CalibrationOptions};
use rubric_core::Scorecard;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::errors;
use crate::options::{read_options, ArgumentError};
use crate::panic::guard;

/// `{ bootstrap?, seed? }` of `calibrate`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CalibrateOptions {
    bootstrap: Option<usize>,
    seed: Option<u64>,
}

impl CalibrateOptions {
    const FIELDS: [&'static str; 2] = ["bootstrap", "seed"];
}

/// Compares scorecards (an object of transcript id -> scorecard, as `score` returns them) with
/// human labels (the text of a CSV or JSON Lines file): the same JSON as `rubric calibrate
/// --format json` (see docs/calibration.md). Bad label rows are in `label_errors`, not thrown.
#[wasm_bindgen(unchecked_return_type = "Calibration")]
pub fn calibrate(
    #[wasm_bindgen(unchecked_param_type = "Record<string, Scorecard>")] scorecards: &JsValue,
    labels: &str,
    #[wasm_bindgen(unchecked_param_type = "CalibrateOptions")] options: Option<Object>,
) -> Result<JsValue, JsValue> {
    guard(|| {
        let options: CalibrateOptions = read_options(options, &CalibrateOptions::FIELDS)?;
        let bad = |message: String| errors::argument(&ArgumentError::new("scorecards", message));
        if !scorecards.is_object() {
            return Err(bad("expected an object of transcript id -> scorecard".into()));
        }
        let cards: BTreeMap<String, Scorecard> = serde_wasm_bindgen::from_value(scorecards.clone())
            .map_err(|e| bad(format!("not scorecards by transcript id: {e}")))?;
        let defaults = CalibrationOptions::default();
        let options = CalibrationOptions {
            bootstrap_rounds: options.bootstrap.unwrap_or(defaults.bootstrap_rounds),
            seed: options.seed.unwrap_or(defaults.seed),
        };
        let (rows, label_errors) = read_labels(labels);
        crate::to_js(&compare(&cards, &rows, label_errors, options))
    })
}
