//! The shared meeting corpus (ICSI MRDA, CC BY 4.0): meetings of timed, speaker-labelled segments
//! with human dialogue-act tags.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Meeting {
    pub meeting: String,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Segment {
    pub start: f64,
    pub end: f64,
    pub speaker: String,
    pub text: String,
    pub dialogue_act: String,
    pub dialogue_act_general: String,
}

impl Segment {
    /// Whether the human tag says anything: `z` (not labelled), `x` (non-speech) and empty tags do not.
    pub fn is_labelled(&self) -> bool {
        !matches!(self.dialogue_act_general.as_str(), "z" | "x" | "")
    }

    /// A question by the tag: the general act starts with `q` (qy, qw, qh, qo, qr, qrr).
    /// The words as spoken: without the transcribers' `==` (cut off) and `@@` (unintelligible) marks.
    pub fn spoken_text(&self) -> String {
        self.text.replace("==", " ").replace("@@", " ")
    }

    pub fn is_question(&self) -> bool {
        self.dialogue_act_general.starts_with('q')
    }
}

/// Where the corpus is: `RUBRIC_CORPUS`, else `../shared/corpora/mrda-train.jsonl` beside the repository.
pub fn default_path() -> PathBuf {
    if let Some(path) = std::env::var_os("RUBRIC_CORPUS") {
        return PathBuf::from(path);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/mrda-train.jsonl")
}

/// Reads every meeting, in file order.
pub fn load(path: &Path) -> Result<Vec<Meeting>, String> {
    let file = std::fs::File::open(path)
        .map_err(|e| format!("{}: {e} (the MRDA corpus; set RUBRIC_CORPUS to its path)", path.display()))?;
    let mut meetings = Vec::new();
    for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{}: line {}: {e}", path.display(), index + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let meeting: Meeting =
            serde_json::from_str(&line).map_err(|e| format!("{}: line {}: {e}", path.display(), index + 1))?;
        meetings.push(meeting);
    }
    Ok(meetings)
}

/// Strips the transcribers' question marks, as speech-to-text output would have none.
pub fn without_question_marks(text: &str) -> String {
    text.replace('?', "")
}

/// Meeting-level folds: meeting `i` (in file order) is in fold `i % folds`, so no meeting's
/// utterances are ever split between training and test.
pub fn fold_of(meeting_index: usize, folds: usize) -> usize {
    meeting_index % folds
}
