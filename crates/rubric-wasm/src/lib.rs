//! JavaScript/WebAssembly bindings for [`rubric_core`]: score interview transcripts in the browser
//! (no server round trip, no data leaving the page) or in Node.
//!
//! This crate only translates. JavaScript values come in (YAML text, a transcript as a string or an
//! object, options), the core does the work, and plain JavaScript objects go out: a scorecard equal
//! in content to the Rust [`rubric_core::Scorecard`] JSON (`null` for absent values, maps as
//! objects). Evidence spans carry `span.utf16`, so `turnText.slice(...span.utf16)` is the evidence
//! in JavaScript string units. Errors are JS `Error`s with `kind`, `path`, `line`, `column` and
//! `errors` (see `errors`). A panic becomes an `Error` too and the module stays usable (see `panic`).
//!
//! ```js
//! import init, { Rubric } from "rubric-wasm";   // --target web; Node: require("rubric-wasm")
//! await init();
//! const rubric = Rubric.bundled("coding-round");  // or new Rubric(yamlText): compile once...
//! const card = rubric.score(transcriptText, { speakers: { Alice: "candidate" } }); // ...score many
//! card.overall.score; card.competencies[0].subcompetencies[0].level;
//! ```

mod calibration;
mod errors;
pub mod options;
mod panic;
mod practice;

use js_sys::{Object, JSON};
use rubric_core::transcript::GIVEN_ANNOTATIONS;
use rubric_core::{Limits, Transcript, TranscriptError};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::options::{read_options, read_rubric_options, ArgumentError, ScoreOptions};
use crate::panic::guard;

// The types of every input and result, written by hand from the core's serde model and appended to
// the generated `rubric_wasm.d.ts`.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

#[wasm_bindgen(start, private)]
fn start() {
    panic::install_hook();
}

/// A validated, compiled rubric. Build it once (from YAML text or a bundled name) and score any
/// number of transcripts with it.
///
/// After a panic the glue replaces the WebAssembly instance, and with it the memory this struct
/// lives in; the JavaScript object then recompiles itself from its YAML or bundled name and limits
/// on its next use (scripts/patch-glue.mjs, src/panic.rs).
#[wasm_bindgen]
pub struct Rubric {
    inner: rubric_core::Rubric,
}

#[wasm_bindgen]
impl Rubric {
    /// Parses, validates and compiles a YAML rubric, given as text or as the file's bytes (a
    /// `Uint8Array`: invalid UTF-8 is then a located `syntax` error, not a replacement character).
    /// Throws a `RubricError` listing every problem (`error.errors`), each with its path, line and
    /// column. `options.limits` replaces some of the default limits (`defaultLimits()`), for the
    /// rubric and every transcript it scores.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] yaml: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RubricOptions")] options: Option<Object>,
    ) -> Result<Rubric, JsValue> {
        guard(|| {
            let limits = read_rubric_options(options)?;
            let compiled = if let Some(text) = yaml.as_string() {
                rubric_core::Rubric::builder().limits(limits).from_yaml(&text)
            } else if let Some(bytes) = yaml.dyn_ref::<js_sys::Uint8Array>() {
                rubric_core::Rubric::builder().limits(limits).from_yaml_bytes(&bytes.to_vec())
            } else {
                let message = "expected the rubric as a string of YAML or a Uint8Array of its bytes";
                return Err(errors::argument(&ArgumentError::new("yaml", message)));
            };
            compiled.map(|inner| Rubric { inner }).map_err(|e| errors::rubric(&e))
        })
    }

    /// A rubric shipped with the library, by id (see `Rubric.bundledNames()`). Throws a `RubricError`
    /// of kind `not_found` for an unknown name. `options.limits` as for the constructor.
    pub fn bundled(
        name: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "RubricOptions")] options: Option<Object>,
    ) -> Result<Rubric, JsValue> {
        guard(|| {
            let limits = read_rubric_options(options)?;
            rubric_core::Rubric::builder()
                .limits(limits)
                .bundled(name)
                .map(|inner| Rubric { inner })
                .map_err(|e| errors::rubric(&e))
        })
    }

    /// Every limit this rubric was compiled with and checks transcripts against.
    #[wasm_bindgen(getter, unchecked_return_type = "Limits")]
    pub fn limits(&self) -> Result<JsValue, JsValue> {
        guard(|| to_js(self.inner.limits()))
    }

    /// Ids of the bundled rubrics.
    #[wasm_bindgen(js_name = bundledNames)]
    pub fn bundled_names() -> Vec<String> {
        rubric_core::bundled::names().into_iter().map(str::to_string).collect()
    }

    /// The YAML source of a bundled rubric: a starting point for writing your own.
    #[wasm_bindgen(js_name = bundledSource)]
    pub fn bundled_source(name: &str) -> Result<String, JsValue> {
        guard(|| match rubric_core::bundled::source(name) {
            Some(yaml) => Ok(yaml.to_string()),
            None => rubric_core::Rubric::bundled(name).map(|_| String::new()).map_err(|e| errors::rubric(&e)),
        })
    }

    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.id().to_string()
    }

    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        self.inner.version().to_string()
    }

    #[wasm_bindgen(getter)]
    pub fn title(&self) -> String {
        self.inner.title().to_string()
    }

    /// Scores a transcript: a string in any format the core imports (native JSON, `Speaker: text`
    /// lines, WebVTT, speech-to-text utterances JSON) or the same JSON as an object. Returns the
    /// scorecard as a plain object. Throws a `TranscriptError` (or an `ArgumentError` for bad
    /// options).
    #[wasm_bindgen(unchecked_return_type = "Scorecard")]
    pub fn score(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TranscriptInput")] transcript: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ScoreOptions")] options: Option<Object>,
    ) -> Result<JsValue, JsValue> {
        guard(|| to_js(&self.score_card(transcript, options)?))
    }

    /// Scores like `score`, then panics inside the same guard, so tests can check that a panic in a
    /// real scoring call reaches JavaScript as an `Error` and that this same object scores
    /// correctly afterwards. Not part of the API.
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __panicWhileScoringForTests, skip_typescript)]
    pub fn panic_while_scoring_for_tests(&self, transcript: &JsValue, options: Option<Object>) -> Result<(), JsValue> {
        guard(|| {
            let card = self.score_card(transcript, options)?;
            panic!("deliberate panic after scoring {} behaviors", card.behaviors().count())
        })
    }
}

impl Rubric {
    fn score_card(&self, transcript: &JsValue, options: Option<Object>) -> Result<rubric_core::Scorecard, JsValue> {
        let (transcript, located) = read_transcript(transcript, options, self.inner.limits())?;
        self.inner.score(&transcript).map_err(|e| located.error(&e))
    }
}

/// The default limits, as a plain object of limit name -> number (`rubric_core::Limits::default()`):
/// what `options.limits` of `new Rubric` and `Rubric.bundled` starts from.
/// A node's score and level as every surface shows them (`rubric_core::display::score`):
/// `"93%, level 4 of 4 (Outstanding)"`, or `"not measurable"`. `top` is the scale's top level.
#[wasm_bindgen(js_name = formatScore)]
#[allow(clippy::needless_pass_by_value)] // wasm-bindgen cannot lend a JavaScript string as `Option<&str>`
pub fn format_score(score: Option<f64>, level: Option<i32>, label: Option<String>, top: i32) -> String {
    rubric_core::display::score(score, level, label.as_deref(), top)
}

/// A level out of the scale's top level (`rubric_core::display::level`): `"level 4 of 4 (Outstanding)"`.
#[wasm_bindgen(js_name = formatLevel)]
pub fn format_level(level: i32, top: i32, label: &str) -> String {
    rubric_core::display::level(level, top, label)
}

/// A 0-1 score as a whole percentage, rounded half up (`rubric_core::display::percent`): `"93%"`.
#[wasm_bindgen(js_name = formatPercent)]
pub fn format_percent(score: f64) -> String {
    rubric_core::display::percent(score)
}

/// A change of a score in percentage points (`rubric_core::display::points`): `"+3.3 points"`.
#[wasm_bindgen(js_name = formatPoints)]
pub fn format_points(change: f64) -> String {
    rubric_core::display::points(change)
}

/// A value or bound of a metric as every surface shows it (`rubric_core::display::metric_value`):
/// durations as `"28:58"` or `"4.08 s"`, other figures with at most 3 decimals.
#[wasm_bindgen(js_name = formatMetricValue)]
pub fn format_metric_value(name: &str, value: f64) -> String {
    rubric_core::display::metric_value(name, value)
}

#[wasm_bindgen(js_name = defaultLimits, unchecked_return_type = "Limits")]
pub fn default_limits() -> Result<JsValue, JsValue> {
    guard(|| to_js(&Limits::default()))
}

/// Imports a transcript without scoring it and returns it in the native JSON form (speakers mapped to
/// roles, times in seconds): what the page shows, and what `score` accepts back.
#[wasm_bindgen(js_name = importTranscript, unchecked_return_type = "Transcript")]
pub fn import_transcript(
    #[wasm_bindgen(unchecked_param_type = "TranscriptInput")] input: &JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ScoreOptions")] options: Option<Object>,
) -> Result<JsValue, JsValue> {
    guard(|| to_js(&read_transcript(input, options, &Limits::default())?.0))
}

/// Panics on purpose, so tests can check that a panic reaches JavaScript as an `Error` and that the
/// module keeps working afterwards. Not part of the API.
#[doc(hidden)]
#[wasm_bindgen(js_name = __panicForTests, skip_typescript)]
pub fn panic_for_tests() -> Result<(), JsValue> {
    guard(|| panic!("deliberate panic for tests"))
}

/// Reads the transcript argument, and the annotations given beside it in `options`.
fn read_transcript(
    input: &JsValue,
    options: Option<Object>,
    limits: &Limits,
) -> Result<(Transcript, Located), JsValue> {
    let options: ScoreOptions = read_options(options, &ScoreOptions::FIELDS)?;
    import_input(input, &options, limits)
}

/// Whether the core's line and column for an error are the caller's: true for what came in as
/// text (a string or bytes), false for objects, which this crate writes as JSON first (the line
/// and column would point into that JSON, so they are reported as `null`; the path still says
/// where). The transcript and the annotations given beside it can come in differently.
#[derive(Debug, Clone, Copy)]
struct Located {
    transcript: bool,
    annotations: bool,
}

impl Located {
    /// `error` as a JavaScript `TranscriptError`; a path under `given_annotations` is in
    /// `options.annotations`, every other path in the transcript.
    fn error(self, error: &TranscriptError) -> JsValue {
        let located = if error.path.starts_with(GIVEN_ANNOTATIONS) { self.annotations } else { self.transcript };
        errors::transcript(error, located)
    }
}

/// Imports the transcript argument with options already read, then adds `options.annotations`.
/// `limits` are the scoring rubric's (the defaults for `importTranscript`).
fn import_input(input: &JsValue, options: &ScoreOptions, limits: &Limits) -> Result<(Transcript, Located), JsValue> {
    let mut import_options = options.import_options().map_err(|e| errors::argument(&e))?;
    import_options.limits = *limits;
    let (text, located) = if let Some(text) = input.as_string() {
        (text, true)
    } else if let Some(bytes) = input.dyn_ref::<js_sys::Uint8Array>() {
        // A file's bytes: invalid UTF-8 is a located `syntax` error, not a replacement character.
        let transcript = rubric_core::import_bytes(&bytes.to_vec(), options.file_name.as_deref(), &import_options)
            .map_err(|e| errors::transcript(&e, true))?;
        return add_annotations(transcript, options, limits, true);
    } else if input.is_object() {
        let json = JSON::stringify(input).map_err(|_| {
            errors::argument(&ArgumentError::new(
                "transcript",
                "the transcript object cannot be converted to JSON (a cycle or a BigInt?)",
            ))
        })?;
        (String::from(json), false)
    } else {
        return Err(errors::argument(&ArgumentError::new(
            "transcript",
            "expected the transcript as a string (JSON, text, WebVTT, SubRip or speech-to-text JSON), a Uint8Array of its bytes or an object",
        )));
    };
    let transcript = rubric_core::import(&text, options.file_name.as_deref(), &import_options)
        .map_err(|e| errors::transcript(&e, located))?;
    add_annotations(transcript, options, limits, located)
}

/// Adds `options.annotations` to the imported transcript, as the CLI adds `--annotations FILE`:
/// text goes to the core's `read_annotations` as it is; an array of objects is written as JSON
/// text first.
fn add_annotations(
    transcript: Transcript,
    options: &ScoreOptions,
    limits: &Limits,
    transcript_located: bool,
) -> Result<(Transcript, Located), JsValue> {
    let given = &options.annotations;
    let mut located = Located { transcript: transcript_located, annotations: true };
    if given.is_undefined() || given.is_null() {
        return Ok((transcript, located));
    }
    let text = if let Some(text) = given.as_string() {
        text
    } else if js_sys::Array::is_array(given) {
        located.annotations = false;
        let json = JSON::stringify(given).map_err(|_| {
            errors::argument(&ArgumentError::new(
                "options.annotations",
                "the annotations cannot be converted to JSON (a cycle or a BigInt?)",
            ))
        })?;
        String::from(json)
    } else {
        return Err(errors::argument(&ArgumentError::new(
            "options.annotations",
            "expected an array of annotation objects, or a string of JSON or JSON Lines text",
        )));
    };
    let annotated = rubric_core::transcript::read_annotations(&text, limits)
        .and_then(|given| transcript.annotate(given, limits, options.keep_unverified))
        .map_err(|e| located.error(&e))?;
    Ok((annotated, located))
}

/// Serialises a result as plain JavaScript values: `null` for `None`, maps as objects, exactly the
/// content of the Rust JSON.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| errors::internal(&e.to_string()))
}
