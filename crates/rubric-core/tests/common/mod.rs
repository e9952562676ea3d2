//! Shared test helpers: the fixtures folder and the golden manifest.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use rubric_core::{import, ImportOptions, Rubric, Scorecard, Transcript};
use serde::Deserialize;

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

#[derive(Debug, Deserialize)]
pub struct Case {
    pub rubric: String,
    pub transcript: String,
    pub golden: String,
    pub speakers: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Manifest {
    cases: Vec<Case>,
}

pub fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(fixtures().join("golden/manifest.json")).expect("manifest exists");
    serde_json::from_str::<Manifest>(&text).expect("manifest parses").cases
}

impl Case {
    pub fn options(&self) -> ImportOptions {
        let mut options = ImportOptions::default();
        for (name, role) in &self.speakers {
            options.map_speaker(&format!("{name}={role}")).expect("valid mapping");
        }
        options
    }

    pub fn load(&self) -> (Rubric, Transcript) {
        let rubric = Rubric::bundled(&self.rubric).expect("bundled rubric compiles");
        let path = fixtures().join(&self.transcript);
        let text = std::fs::read_to_string(&path).expect("fixture exists");
        let transcript = import(&text, path.file_name().and_then(|n| n.to_str()), &self.options())
            .unwrap_or_else(|e| panic!("{}: {e}", self.transcript));
        (rubric, transcript)
    }

    pub fn score(&self) -> (Transcript, Scorecard) {
        let (rubric, transcript) = self.load();
        let card = rubric.score(&transcript).expect("fixture scores");
        (transcript, card)
    }
}
