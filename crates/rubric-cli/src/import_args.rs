//! How the commands that read a transcript are told to read it (`--input-format`, `--speaker`,
//! `--unlabelled-role`, `--infer-roles`, `--complete`), and the advice a transcript error gets
//! in the command line's own terms.

use clap::Args;
use rubric_core::transcript::Remedies;
use rubric_core::{Format, ImportOptions, Limits, Role, TranscriptError};

use crate::{parse_format, parse_role, Failure};

#[derive(Args, Clone, Default)]
pub struct ImportArgs {
    /// Transcript format (detected from the content when omitted).
    #[arg(long, value_parser = parse_format)]
    pub input_format: Option<Format>,
    /// Map a speaker name or label to a role: NAME=candidate|interviewer|observer. Repeatable.
    #[arg(long = "speaker", value_name = "NAME=ROLE")]
    pub speakers: Vec<String>,
    /// The role of speech with no speaker label (captions, Whisper without speakers, `00:01 text`
    /// lines), read as one speaker: candidate|interviewer|observer.
    #[arg(long, value_name = "ROLE", value_parser = parse_role)]
    pub unlabelled_role: Option<Role>,
    /// Infer the roles of a two-person conversation whose speakers have none: the first speaker is
    /// the interviewer unless the other both ends more turns with a question and says fewer words.
    /// The scorecard says what was inferred and why.
    #[arg(long)]
    pub infer_roles: bool,
    /// The transcript runs to the end of the conversation, so a minimum that was not reached
    /// ("asks at least 4 questions") is evidence against, not insufficient evidence.
    #[arg(long)]
    pub complete: bool,
    /// Keep annotations whose quote is not in their turn, marked unverified (they never count),
    /// instead of refusing the transcript.
    #[arg(long)]
    pub keep_unverified: bool,
}

impl ImportArgs {
    pub fn options(&self, limits: Limits) -> Result<ImportOptions, Failure> {
        let mut options = ImportOptions {
            format: self.input_format,
            unlabelled_role: self.unlabelled_role,
            infer_roles: self.infer_roles,
            complete: self.complete,
            keep_unverified_annotations: self.keep_unverified,
            limits,
            ..ImportOptions::default()
        };
        for mapping in &self.speakers {
            // The message alone: the flag is named by clap's own wording around it.
            options.map_speaker(mapping).map_err(|error| Failure::usage(error.message))?;
        }
        Ok(options)
    }
}

/// The error with what to do about it added to its message, said with this program's flags.
pub fn advised(error: &TranscriptError) -> TranscriptError {
    rubric_core::transcript::advised(error, &REMEDIES)
}

const REMEDIES: Remedies<'static> = Remedies {
    map_speakers: |names| {
        let flags: Vec<String> = names.iter().map(|name| format!("--speaker \"{name}=ROLE\"")).collect();
        format!(", with {}", flags.join(" "))
    },
    infer_roles: " (or let --infer-roles decide a two-person conversation)",
    unlabelled_role: ", with --unlabelled-role ROLE",
    keep_unverified: "--keep-unverified",
    text_format: "--input-format text",
};
