//! Score and import options as JavaScript passes them, translated to the core's [`ImportOptions`].
//! Pure Rust, so it is tested on the native target.

use std::collections::BTreeMap;

use rubric_core::{Format, ImportOptions, Role};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// `{ format?, speakers?, fileName? }`, the second argument of `score` and `importTranscript`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct ScoreOptions {
    /// `json`, `text`, `vtt` or `utterances`; detected from the content when absent.
    pub format: Option<String>,
    /// Speaker name or label -> role, for speakers the input does not give a role.
    pub speakers: BTreeMap<String, String>,
    /// The uploaded file's name: a hint for format detection when the content is ambiguous.
    pub file_name: Option<String>,
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
}

/// Reads an options object into `T`. serde-wasm-bindgen reads only the fields it knows, so
/// `deny_unknown_fields` cannot catch a misspelt option: the keys are checked against `fields`
/// (the JavaScript names) first. Runs only on wasm (it needs a JavaScript object).
pub fn read_options<T: DeserializeOwned + Default>(
    options: Option<js_sys::Object>,
    fields: &[&str],
) -> Result<T, wasm_bindgen::JsValue> {
    let Some(object) = options else { return Ok(T::default()) };
    for key in js_sys::Object::keys(&object).iter().filter_map(|key| key.as_string()) {
        if !fields.contains(&key.as_str()) {
            return Err(crate::errors::argument(&ArgumentError::new(
                format!("options.{key}"),
                format!("unknown option \"{key}\"; expected {}", fields.join(", ")),
            )));
        }
    }
    serde_wasm_bindgen::from_value(object.into())
        .map_err(|e| crate::errors::argument(&ArgumentError::new("options", e.to_string())))
}

impl ScoreOptions {
    /// The option names, as JavaScript spells them.
    pub const FIELDS: [&'static str; 3] = ["format", "speakers", "fileName"];

    pub fn import_options(&self) -> Result<ImportOptions, ArgumentError> {
        let mut options = ImportOptions::default();
        if let Some(format) = &self.format {
            options.format =
                Some(format.parse::<Format>().map_err(|message| ArgumentError::new("options.format", message))?);
        }
        for (name, role) in &self.speakers {
            let parsed = Role::parse(role).ok_or_else(|| {
                ArgumentError::new(
                    format!("options.speakers.{name}"),
                    format!("unknown role \"{role}\"; expected candidate, interviewer or observer"),
                )
            })?;
            options.speaker_roles.insert(name.trim().to_string(), parsed);
        }
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(format: Option<&str>, speakers: &[(&str, &str)]) -> ScoreOptions {
        ScoreOptions {
            format: format.map(str::to_string),
            speakers: speakers.iter().map(|(n, r)| ((*n).to_string(), (*r).to_string())).collect(),
            file_name: None,
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
