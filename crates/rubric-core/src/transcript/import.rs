//! The front door for transcripts: pick the format, map speakers to roles, enforce size limits.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use super::model::{Role, Transcript};
use super::{json, text, vtt};
use crate::error::{TranscriptError, TranscriptErrorKind};
use crate::limits::Limits;

/// A transcript input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The native JSON format.
    Json,
    /// `Speaker: text` lines.
    Text,
    /// WebVTT captions.
    Vtt,
    /// Speech-to-text `utterances` JSON (milliseconds, speaker labels).
    Utterances,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Json, Format::Text, Format::Vtt, Format::Utterances];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Text => "text",
            Format::Vtt => "vtt",
            Format::Utterances => "utterances",
        }
    }

    /// Guesses the format from the content, using the file name only when the content is plain
    /// text that could be anything.
    pub fn detect(input: &str, file_name: Option<&str>) -> Format {
        let head = input.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with("WEBVTT") {
            return Format::Vtt;
        }
        if head.starts_with('{') {
            // Native transcripts have "turns"; speech-to-text output has "utterances".
            return if input.contains("\"utterances\"") && !input.contains("\"turns\"") {
                Format::Utterances
            } else {
                Format::Json
            };
        }
        match file_name.and_then(|n| n.rsplit_once('.')).map(|(_, ext)| ext.to_ascii_lowercase()) {
            Some(ext) if ext == "vtt" => Format::Vtt,
            Some(ext) if ext == "json" => Format::Json,
            _ => Format::Text,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown transcript format \"{s}\"; expected json, text, vtt or utterances"))
    }
}

/// How to import a transcript.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The format; detected from the content when `None`.
    pub format: Option<Format>,
    /// Speaker name or label -> role, for speakers the input does not give a role.
    pub speaker_roles: BTreeMap<String, Role>,
    /// The conversation is known to run to its end (see `Transcript::is_complete`); the native
    /// JSON can also say so itself with `"complete": true`.
    pub complete: bool,
    pub limits: Limits,
}

impl ImportOptions {
    /// Adds a mapping written `NAME=ROLE`.
    pub fn map_speaker(&mut self, mapping: &str) -> Result<(), String> {
        let (name, role) =
            mapping.rsplit_once('=').ok_or_else(|| format!("expected NAME=ROLE, found \"{mapping}\""))?;
        let role = Role::parse(role)
            .ok_or_else(|| format!("unknown role \"{role}\"; expected candidate, interviewer or observer"))?;
        self.speaker_roles.insert(name.trim().to_string(), role);
        Ok(())
    }

    pub(crate) fn role_of(&self, speaker: &str) -> Option<Role> {
        self.speaker_roles.get(speaker.trim()).copied()
    }

    /// Resolves a text or WebVTT speaker label: a mapping, `Name (role)`, or a role name itself.
    pub(crate) fn resolve_label(&self, label: &str) -> Result<(String, Role), TranscriptError> {
        let label = label.trim();
        if let Some(role) = self.role_of(label) {
            return Ok((label.to_string(), role));
        }
        if let Some((name, rest)) = label.rsplit_once('(') {
            if let Some(role) = rest.strip_suffix(')').and_then(Role::parse) {
                return Ok((name.trim().to_string(), role));
            }
        }
        if let Some(role) = Role::parse(label) {
            return Ok((label.to_string(), role));
        }
        Err(TranscriptError::new(
            TranscriptErrorKind::UnmappedSpeaker,
            "",
            format!("speaker \"{label}\" has no role; map it with --speaker \"{label}=candidate\" (or interviewer, observer)"),
        ))
    }
}

/// Imports a transcript in any supported format.
pub fn import(input: &str, file_name: Option<&str>, options: &ImportOptions) -> Result<Transcript, TranscriptError> {
    if input.len() > options.limits.max_transcript_bytes {
        return Err(TranscriptError::new(
            TranscriptErrorKind::LimitExceeded,
            "",
            format!(
                "the transcript is {} bytes, over the limit of {} bytes (max_transcript_bytes)",
                input.len(),
                options.limits.max_transcript_bytes
            ),
        ));
    }
    // A byte-order mark is an encoding artefact (Windows editors write one), not content: without
    // this, a BOM-prefixed transcript fails in every format and a BOM-only file is not "empty".
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    if input.trim().is_empty() {
        return Err(TranscriptError::new(TranscriptErrorKind::Empty, "", "the transcript is empty"));
    }
    let mut transcript = match options.format.unwrap_or_else(|| Format::detect(input, file_name)) {
        Format::Json => json::read_native(input, options),
        Format::Utterances => json::read_utterances(input, options),
        Format::Text => text::read_text(input, options),
        Format::Vtt => vtt::read_vtt(input, options),
    }?;
    if options.complete {
        transcript.set_complete(true);
    }
    Ok(transcript)
}

/// Imports raw bytes, reporting invalid UTF-8 with its position instead of replacing it.
pub fn import_bytes(
    input: &[u8],
    file_name: Option<&str>,
    options: &ImportOptions,
) -> Result<Transcript, TranscriptError> {
    let text = std::str::from_utf8(input).map_err(|e| {
        let (line, column) = crate::error::utf8_error_position(input, e.valid_up_to());
        TranscriptError {
            kind: TranscriptErrorKind::Syntax,
            path: String::new(),
            line: Some(line),
            column: Some(column),
            message: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
        }
    })?;
    import(text, file_name, options)
}

/// Gives an error about `turns[N]...` found after a text or WebVTT file was read the line turn N
/// starts on (`lines[N]`), since those formats have lines, not paths, to point at.
pub(crate) fn at_turn_line(error: TranscriptError, lines: &[usize]) -> TranscriptError {
    let turn = error.path.strip_prefix("turns[").and_then(|rest| rest.split(']').next()?.parse::<usize>().ok());
    match turn.and_then(|n| lines.get(n)) {
        Some(&line) if error.line.is_none() => error.at_line(line),
        _ => error,
    }
}

/// Parses `ss`, `mm:ss` or `hh:mm:ss`, each with optional `.fff`, into seconds.
pub(crate) fn parse_clock(stamp: &str) -> Option<f64> {
    let parts: Vec<&str> = stamp.trim().split(':').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut seconds = 0.0;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let valid = !part.is_empty() && part.chars().all(|c| c.is_ascii_digit() || (last && c == '.'));
        if !valid {
            return None;
        }
        let value: f64 = part.parse().ok()?;
        seconds = seconds * 60.0 + value;
    }
    seconds.is_finite().then_some(seconds)
}
