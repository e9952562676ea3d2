//! How a transcript is to be read: its format and the import options every reader takes.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use super::model::Role;
use crate::error::{OptionsError, OptionsErrorKind, TranscriptError, TranscriptErrorKind};
use crate::limits::Limits;

/// A transcript input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The native JSON format.
    Json,
    /// `Speaker: text` lines, with timestamps in the usual shapes or none.
    Text,
    /// WebVTT captions.
    Vtt,
    /// SubRip (`.srt`) captions.
    Srt,
    /// Speech-to-text `utterances` JSON (AssemblyAI shape: milliseconds, speaker labels).
    Utterances,
    /// Deepgram pre-recorded JSON with `results.utterances` (seconds, integer speakers).
    Deepgram,
    /// AWS Transcribe JSON: `results.items` with speaker labels.
    Aws,
    /// Whisper or WhisperX JSON: `segments`, speakers optional.
    Whisper,
    /// Rev.ai JSON: `monologues` of `elements`.
    Rev,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Json,
        Format::Text,
        Format::Vtt,
        Format::Srt,
        Format::Utterances,
        Format::Deepgram,
        Format::Aws,
        Format::Whisper,
        Format::Rev,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Text => "text",
            Format::Vtt => "vtt",
            Format::Srt => "srt",
            Format::Utterances => "utterances",
            Format::Deepgram => "deepgram",
            Format::Aws => "aws",
            Format::Whisper => "whisper",
            Format::Rev => "rev",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = OptionsError;

    /// A format by name, any case; the error (`unknown_format`) lists the names. Its path is
    /// empty: the caller knows which option the name was given in.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL.into_iter().find(|f| f.as_str().eq_ignore_ascii_case(s.trim())).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
            let (last, rest) = names.split_last().expect("formats exist");
            let message = format!("unknown transcript format \"{s}\"; expected {} or {last}", rest.join(", "));
            let closest = crate::util::suggest::closest(&s.trim().to_ascii_lowercase(), names.iter().copied());
            OptionsError::new(OptionsErrorKind::UnknownFormat, "", message).suggesting(closest)
        })
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
    /// The role of speech that carries no speaker label at all (captions, Whisper without
    /// diarization, `00:01 text` lines), read as one speaker of this role. Without it such input
    /// is an `unlabelled_speech` error.
    pub unlabelled_role: Option<Role>,
    /// Infer the roles of a two-person conversation whose speakers have none (see
    /// `speakers::RoleInference` for the rule); the scorecard says what was inferred and why.
    pub infer_roles: bool,
    /// Keep annotations whose quote is not in their turn, marked unverified (they never count),
    /// instead of refusing the transcript with an `unverified_quote` error.
    pub keep_unverified_annotations: bool,
    pub limits: Limits,
}

impl ImportOptions {
    /// Adds a mapping written `NAME=ROLE` (the CLI's `--speaker` flag).
    pub fn map_speaker(&mut self, mapping: &str) -> Result<(), OptionsError> {
        let (name, role) = mapping.rsplit_once('=').ok_or_else(|| {
            let message = format!("expected NAME=ROLE, found \"{mapping}\"");
            OptionsError::new(OptionsErrorKind::InvalidValue, "speakers", message)
        })?;
        self.map_speaker_to(name, role)
    }

    /// Gives speaker `name` the role named `role` (`candidate`, `interviewer` or `observer`, any
    /// case): what the bindings call for each pair of a `speakers` dict or object. The error is at
    /// `speakers.<name>`.
    pub fn map_speaker_to(&mut self, name: &str, role: &str) -> Result<(), OptionsError> {
        let name = name.trim();
        let path = format!("speakers.{name}");
        if name.is_empty() {
            return Err(OptionsError::new(OptionsErrorKind::InvalidValue, path, "a speaker name must not be empty"));
        }
        let parsed = Role::parse_named(role).map_err(|error| error.within(path))?;
        self.speaker_roles.insert(name.to_string(), parsed);
        Ok(())
    }

    /// The speaker of speech with no label: one speaker named after `unlabelled_role`, or the
    /// `unlabelled_speech` error. `labelled_elsewhere` says whether other speech in the transcript
    /// has labels, which changes what the message advises.
    pub(crate) fn unlabelled_speaker(&self, labelled_elsewhere: bool) -> Result<(String, Role), TranscriptError> {
        match self.unlabelled_role {
            Some(role) => Ok((role.as_str().to_string(), role)),
            None => Err(unlabelled_speech(labelled_elsewhere)),
        }
    }

    pub(crate) fn role_of(&self, speaker: &str) -> Option<Role> {
        self.speaker_roles.get(speaker.trim()).copied()
    }

    /// The name and role a speaker label gives by itself: a mapping, `Name (role)`, or a role word
    /// ("Interviewer", "candidate", "Interviewee"). `None` for a label that needs a mapping.
    pub(crate) fn known_label(&self, label: &str) -> Option<(String, Role)> {
        let label = label.trim();
        if let Some(role) = self.role_of(label) {
            return Some((label.to_string(), role));
        }
        if let Some((name, rest)) = label.rsplit_once('(') {
            if let Some(role) = rest.strip_suffix(')').and_then(Role::parse) {
                return Some((name.trim().to_string(), role));
            }
        }
        Role::parse(label).map(|role| (label.to_string(), role))
    }
}

/// The error for speech without a speaker label when no `unlabelled_role` is set.
pub(crate) fn unlabelled_speech(labelled_elsewhere: bool) -> TranscriptError {
    // No option names here: each binding says how to give the role in its own terms.
    let message = if labelled_elsewhere {
        "this speech has no speaker label, though other speech in the transcript has one; label it, \
         or give unlabelled speech a role (candidate, interviewer or observer)"
    } else {
        "the transcript has no speaker labels; give all of its speech one role (candidate, interviewer \
         or observer) to read it as one speaker"
    };
    TranscriptError::new(TranscriptErrorKind::UnlabelledSpeech, "", message)
}
