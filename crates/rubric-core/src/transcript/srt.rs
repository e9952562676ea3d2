//! SubRip (`.srt`) captions: numbered cues, `00:00:01,000 --> 00:00:04,000` timing lines and text.
//! Speakers and the joining of consecutive cues of one speaker are as in WebVTT (`vtt.rs`, which
//! reads both).

use super::import::{lines, ImportOptions};
use super::model::Transcript;
use super::vtt::{parse_timing, read_cues, Flavor};
use crate::error::TranscriptError;

/// Reads a SubRip file.
pub fn read_srt(input: &str, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    read_cues(input, options, Flavor::Srt)
}

/// Whether `head` (the input from its first non-blank character) starts like a SubRip file: a cue
/// number line and then a timing line, or a timing line. No text transcript starts that way (the
/// text reader refuses both lines), so this cannot take a text transcript for captions.
pub(super) fn looks_like_srt(head: &str) -> bool {
    let mut lines = lines(head);
    let Some(first) = lines.next().map(str::trim) else { return false };
    let timing = if !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit()) {
        match lines.next() {
            Some(line) => line.trim(),
            None => return false,
        }
    } else {
        first
    };
    timing.contains("-->") && parse_timing(timing, Flavor::Srt).is_some()
}
