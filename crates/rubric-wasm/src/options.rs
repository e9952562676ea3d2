//! Score and import options as JavaScript passes them, translated to the core's [`ImportOptions`].
//! Pure Rust, so it is tested on the native target.

use std::collections::BTreeMap;

use rubric_core::transcript::Remedies;
use rubric_core::{Format, ImportOptions, Limits, Role, TranscriptError};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use wasm_bindgen::JsValue;

/// `{ format?, speakers?, unlabelledRole?, inferRoles?, complete?, fileName?, annotations?,
/// keepUnverified? }`, the second argument of `score` and `importTranscript`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct ScoreOptions {
    /// `json`, `text`, `vtt`, `srt`, `utterances`, `deepgram`, `aws`, `whisper` or `rev`; detected
    /// from the content when absent.
    pub format: Option<String>,
    /// Speaker name or label -> role, for speakers the input does not give a role.
    pub speakers: BTreeMap<String, String>,
    /// The role of speech with no speaker label, read as one speaker.
    pub unlabelled_role: Option<String>,
    /// Infer the roles of a two-person conversation whose speakers have none.
    pub infer_roles: bool,
    /// The transcript runs to the end of the conversation.
    pub complete: bool,
    /// The uploaded file's name: a hint for format detection when the content is ambiguous.
    pub file_name: Option<String>,
    /// Annotations given beside the transcript: an array of annotation objects, or the text of a
    /// JSON array or of JSON Lines. Kept as the JavaScript value (undefined when absent) because
    /// objects are written as JSON text for the core's `read_annotations`, as transcript objects are.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    pub annotations: JsValue,
    /// Keep annotations whose quote is not in their turn, marked unverified (never counted),
    /// instead of refusing the transcript.
    pub keep_unverified: bool,
}

/// A bad argument, found before the core sees anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgumentError {
    /// Where, e.g. `options.speakers.Alice`.
    pub path: String,
    pub message: String,
}

impl ArgumentError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { path: path.into(), message: message.into() }
    }

    /// A core error about an option, placed under `prefix` (`options`, `options.limits`): the
    /// core's path, when it has one, goes after it (`options.speakers.Alice`).
    pub fn from_core<K: rubric_core::ErrorKind>(prefix: &str, error: rubric_core::Located<K>) -> Self {
        let path = if error.path.is_empty() { prefix.to_string() } else { format!("{prefix}.{}", error.path) };
        Self { path, message: error.message }
    }
}

/// Reads an options object into `T`. serde-wasm-bindgen reads only the fields it knows, so
/// `deny_unknown_fields` cannot catch a misspelt option: the keys are checked against `fields`
/// (the JavaScript names) first. Runs only on wasm (it needs a JavaScript object).
pub fn read_options<T: DeserializeOwned + Default>(
    options: Option<js_sys::Object>,
    fields: &[&str],
) -> Result<T, wasm_bindgen::JsValue> {
    let Some(object) = options else { return Ok(T::default()) };
    check_keys(&object, fields)?;
    serde_wasm_bindgen::from_value(object.into())
        .map_err(|e| crate::errors::argument(&ArgumentError::new("options", e.to_string())))
}

fn check_keys(object: &js_sys::Object, fields: &[&str]) -> Result<(), wasm_bindgen::JsValue> {
    for key in js_sys::Object::keys(object).iter().filter_map(|key| key.as_string()) {
        if !fields.contains(&key.as_str()) {
            return Err(crate::errors::argument(&ArgumentError::new(
                format!("options.{key}"),
                format!("unknown option \"{key}\"; expected {}", fields.join(", ")),
            )));
        }
    }
    Ok(())
}

/// Reads `{ limits? }`, the options of `new Rubric(yaml, options)` and `Rubric.bundled(name,
/// options)`. `limits` is read key by key (not through serde) so that a misspelt limit is an
/// error naming the closest one instead of being ignored.
pub fn read_rubric_options(options: Option<js_sys::Object>) -> Result<Limits, wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let Some(object) = options else { return Ok(Limits::default()) };
    check_keys(&object, &["limits"])?;
    let limits = js_sys::Reflect::get(&object, &"limits".into()).unwrap_or(wasm_bindgen::JsValue::UNDEFINED);
    if limits.is_undefined() || limits.is_null() {
        return Ok(Limits::default());
    }
    let Some(limits) = limits.dyn_ref::<js_sys::Object>().filter(|_| !js_sys::Array::is_array(&limits)) else {
        return Err(crate::errors::argument(&ArgumentError::new(
            "options.limits",
            "expected an object of limit name -> number (see defaultLimits())",
        )));
    };
    let pairs: Vec<(String, Option<f64>)> = js_sys::Object::entries(limits)
        .iter()
        .filter_map(|entry| {
            let entry: js_sys::Array = entry.unchecked_into();
            Some((entry.get(0).as_string()?, entry.get(1).as_f64()))
        })
        .collect();
    limits_from_pairs(&pairs).map_err(|e| crate::errors::argument(&e))
}

/// Default limits with `pairs` (name, value as a JavaScript number, `None` if not a number) set.
pub fn limits_from_pairs(pairs: &[(String, Option<f64>)]) -> Result<Limits, ArgumentError> {
    let mut limits = Limits::default();
    for (name, value) in pairs {
        Limits::check_name(name).map_err(|error| ArgumentError::from_core("options.limits", error))?;
        let path = format!("options.limits.{name}");
        // An integer within usize (32 bits on wasm32); NaN and the infinities have no integer part.
        #[allow(clippy::float_cmp)] // exact on purpose: 2.5 is not a limit
        let whole = value.filter(|v| v.trunc() == *v && *v >= 0.0 && *v <= usize::MAX as f64);
        let Some(whole) = whole else {
            return Err(ArgumentError::new(path, format!("expected an integer from 0 to {}", usize::MAX)));
        };
        limits.set(name, whole as usize).map_err(|error| ArgumentError::from_core("options.limits", error))?;
    }
    Ok(limits)
}

impl ScoreOptions {
    /// The option names, as JavaScript spells them.
    pub const FIELDS: [&'static str; 8] =
        ["format", "speakers", "unlabelledRole", "inferRoles", "complete", "fileName", "annotations", "keepUnverified"];

    pub fn import_options(&self) -> Result<ImportOptions, ArgumentError> {
        let mut options = ImportOptions {
            infer_roles: self.infer_roles,
            complete: self.complete,
            keep_unverified_annotations: self.keep_unverified,
            ..ImportOptions::default()
        };
        if let Some(format) = &self.format {
            options.format =
                Some(format.parse::<Format>().map_err(|error| ArgumentError::from_core("options.format", error))?);
        }
        for (name, role) in &self.speakers {
            options.map_speaker_to(name, role).map_err(|error| ArgumentError::from_core("options", error))?;
        }
        if let Some(role) = &self.unlabelled_role {
            let role =
                Role::parse_named(role).map_err(|error| ArgumentError::from_core("options.unlabelledRole", error))?;
            options.unlabelled_role = Some(role);
        }
        Ok(options)
    }
}

/// The error with what to do about it, said with this package's option names: every unmapped
/// speaker as a `speakers` entry, `inferRoles`, `unlabelledRole`, `keepUnverified`.
pub fn with_js_advice(error: &TranscriptError) -> TranscriptError {
    rubric_core::transcript::advised(error, &REMEDIES)
}

const REMEDIES: Remedies<'static> = Remedies {
    map_speakers: |names| {
        let pairs: Vec<String> = names.iter().map(|n| format!("{n:?}: \"candidate\"")).collect();
        format!(
            ", with options.speakers: {{ {} }} (roles: \"candidate\", \"interviewer\", \"observer\")",
            pairs.join(", ")
        )
    },
    infer_roles: ", or inferRoles: true for a two-person conversation",
    unlabelled_role: ", with options.unlabelledRole: \"candidate\" (or \"interviewer\", \"observer\")",
    keep_unverified: "keepUnverified: true",
    text_format: "options.format: \"text\"",
};

#[cfg(test)]
mod tests {
    use super::*;

    fn options(format: Option<&str>, speakers: &[(&str, &str)]) -> ScoreOptions {
        ScoreOptions {
            format: format.map(str::to_string),
            speakers: speakers.iter().map(|(n, r)| ((*n).to_string(), (*r).to_string())).collect(),
            unlabelled_role: None,
            file_name: None,
            ..ScoreOptions::default()
        }
    }

    #[test]
    fn defaults_detect_the_format_and_map_nobody() {
        let imported = ScoreOptions::default().import_options().unwrap();
        assert_eq!(imported.format, None);
        assert!(imported.speaker_roles.is_empty());
    }

    #[test]
    fn formats_and_roles_parse_like_the_cli() {
        let imported =
            options(Some("VTT"), &[(" Dana ", "Interviewer"), ("Sam", "candidate")]).import_options().unwrap();
        assert_eq!(imported.format, Some(Format::Vtt));
        assert_eq!(imported.speaker_roles.get("Dana"), Some(&Role::Interviewer));
        assert_eq!(imported.speaker_roles.get("Sam"), Some(&Role::Candidate));
    }

    #[test]
    fn limits_are_read_by_name_over_the_defaults() {
        let pair = |name: &str, value: Option<f64>| (name.to_string(), value);
        let limits = limits_from_pairs(&[pair("max_turns", Some(5.0)), pair("max_events", Some(0.0))]).unwrap();
        assert_eq!(limits, Limits { max_turns: 5, max_events: 0, ..Limits::default() });
        let error = limits_from_pairs(&[pair("max_turn", Some(5.0))]).unwrap_err();
        assert_eq!(error.path, "options.limits.max_turn");
        assert!(error.message.contains("did you mean `max_turns`?"), "{}", error.message);
        for bad in [None, Some(-1.0), Some(2.5), Some(f64::NAN), Some(f64::INFINITY), Some(1e30)] {
            let error = limits_from_pairs(&[pair("max_turns", bad)]).unwrap_err();
            assert_eq!(error.path, "options.limits.max_turns", "{bad:?}");
            assert!(error.message.starts_with("expected an integer from 0 to "), "{bad:?}: {}", error.message);
        }
    }

    #[test]
    fn bad_values_name_their_path() {
        let table =
            [(options(Some("docx"), &[]), "options.format"), (options(None, &[("A", "host")]), "options.speakers.A")];
        for (input, path) in table {
            let error = input.import_options().unwrap_err();
            assert_eq!(error.path, path);
            assert!(!error.message.is_empty());
        }
    }
}

#[cfg(test)]
mod advice_tests {
    use super::*;

    #[test]
    fn unmapped_speakers_and_unlabelled_speech_get_javascript_advice() {
        let error = rubric_core::import("Alice: hi\nBob: hello", None, &ImportOptions::default()).unwrap_err();
        let advised = with_js_advice(&error);
        assert!(advised.message.starts_with("speakers \"Alice\" and \"Bob\" have no role"), "{}", advised.message);
        assert!(advised.message.contains("options.speakers: { \"Alice\": \"candidate\", \"Bob\": \"candidate\" }"));
        assert!(advised.message.contains("inferRoles: true"));
        assert!(!advised.message.contains("--speaker"), "no command-line advice");
        let options = ScoreOptions { infer_roles: true, ..ScoreOptions::default() }.import_options().unwrap();
        let transcript = rubric_core::import("Alice: hi\nBob: hello, what now?", None, &options).unwrap();
        assert!(transcript.role_inference().is_some());
        let error = rubric_core::import("00:01 hello there", None, &ImportOptions::default()).unwrap_err();
        assert!(with_js_advice(&error)
            .message
            .ends_with(", with options.unlabelledRole: \"candidate\" (or \"interviewer\", \"observer\")"));
    }

    #[test]
    fn an_unverified_quote_is_advised_keep_unverified_which_keeps_it() {
        let json = r#"{"turns": [{"role": "candidate", "text": "I would sort it first."}],
            "annotations": [{"behavior": "asks", "turn": 0, "quote": "I would use a hash map", "source": "llm:x"}]}"#;
        let error = rubric_core::import(json, None, &ScoreOptions::default().import_options().unwrap()).unwrap_err();
        assert_eq!(error.kind, rubric_core::TranscriptErrorKind::UnverifiedQuote);
        let advised = with_js_advice(&error);
        assert!(advised.message.starts_with(&error.message), "{}", advised.message);
        assert!(advised.message.ends_with("with keepUnverified: true"), "{}", advised.message);
        assert!(!advised.message.contains("--keep-unverified"), "no command-line advice");
        let keep = ScoreOptions { keep_unverified: true, ..ScoreOptions::default() }.import_options().unwrap();
        assert!(keep.keep_unverified_annotations);
        assert_eq!(rubric_core::import(json, None, &keep).unwrap().annotations().len(), 1);
    }
}
