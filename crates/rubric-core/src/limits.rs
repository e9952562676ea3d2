//! Explicit size limits. Inputs come from users and speech-to-text systems; every size the engine
//! accepts is bounded here, and the embedding application may raise or lower any of them.

use serde::{Deserialize, Serialize};

/// Upper bounds on what the engine accepts. `Limits::default()` suits interactive and batch use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Bytes of rubric YAML.
    pub max_rubric_bytes: usize,
    /// Behaviors plus red flags.
    pub max_criteria: usize,
    /// Phrases after lexicons are expanded.
    pub max_phrases: usize,
    /// Regex detectors.
    pub max_regexes: usize,
    /// Compiled size of one regex, in bytes (the regex crate's size limit).
    pub max_regex_size: usize,
    /// Bytes of transcript input.
    pub max_transcript_bytes: usize,
    /// Turns in one transcript.
    pub max_turns: usize,
    /// Bytes of text in one turn.
    pub max_turn_bytes: usize,
    /// Events in one transcript.
    pub max_events: usize,
    /// Segments in one transcript.
    pub max_segments: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_rubric_bytes: 1 << 20,
            max_criteria: 2_000,
            max_phrases: 50_000,
            max_regexes: 1_000,
            max_regex_size: 1 << 20,
            max_transcript_bytes: 64 << 20,
            max_turns: 200_000,
            max_turn_bytes: 16 << 20,
            max_events: 100_000,
            max_segments: 100_000,
        }
    }
}
