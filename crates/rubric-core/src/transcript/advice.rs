//! What to do about a transcript error, said in the words of the surface that reports it. The
//! rules (which kinds get advice, when role inference could settle unmapped speakers) are the
//! engine's, written once here; each surface only says how its own options are spelt.

use std::fmt::Write as _;

use super::import::TEXT_LINES_HINT;
use crate::error::{TranscriptError, TranscriptErrorKind};

/// How one surface (the CLI, Python, JavaScript) names the options that fix a transcript error.
#[derive(Debug, Clone, Copy)]
pub struct Remedies<'a> {
    /// How to map the speakers still without a role, appended to the message: the CLI's
    /// `, with --speaker "Dana=ROLE"`, Python's `, with speakers={"Dana": "candidate"} ...`.
    pub map_speakers: fn(&[String]) -> String,
    /// Appended after `map_speakers` when role inference could settle it (one or two speakers,
    /// and the engine did not already say it cannot infer them).
    pub infer_roles: &'a str,
    /// Appended to an `unlabelled_speech` error: how to give the speech a role.
    pub unlabelled_role: &'a str,
    /// The option that keeps an unverified annotation (`--keep-unverified`).
    pub keep_unverified: &'a str,
    /// The option that reads the input as text lines (`--input-format text`).
    pub text_format: &'a str,
}

/// `error` with what to do about it added to its message, in `remedies`' words.
pub fn advised(error: &TranscriptError, remedies: &Remedies<'_>) -> TranscriptError {
    let mut error = error.clone();
    let message = &mut error.message;
    match error.kind {
        TranscriptErrorKind::UnmappedSpeaker if !error.names.is_empty() => {
            message.push_str(&(remedies.map_speakers)(&error.names));
            if error.names.len() <= 2 && !message.contains("cannot be inferred") {
                message.push_str(remedies.infer_roles);
            }
        }
        TranscriptErrorKind::UnlabelledSpeech => message.push_str(remedies.unlabelled_role),
        TranscriptErrorKind::UnverifiedQuote => {
            let _ = write!(
                message,
                "; quote what was said, or keep the annotation as unverified (never counted) with {}",
                remedies.keep_unverified
            );
        }
        TranscriptErrorKind::Syntax if message.ends_with(TEXT_LINES_HINT) => {
            let _ = write!(message, " ({})", remedies.text_format);
        }
        _ => {}
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: Remedies<'static> = Remedies {
        map_speakers: |names| format!(", map {}", names.join(" and ")),
        infer_roles: ", or infer",
        unlabelled_role: ", give it a role",
        keep_unverified: "KEEP",
        text_format: "TEXT",
    };

    fn unmapped(names: &[&str], message: &str) -> TranscriptError {
        let mut error = TranscriptError::new(TranscriptErrorKind::UnmappedSpeaker, "", message);
        error.names = names.iter().map(ToString::to_string).collect();
        error
    }

    #[test]
    fn role_inference_is_offered_only_where_it_could_settle_the_roles() {
        assert_eq!(advised(&unmapped(&["A", "B"], "speakers"), &WORDS).message, "speakers, map A and B, or infer");
        assert_eq!(advised(&unmapped(&["A", "B", "C"], "speakers"), &WORDS).message, "speakers, map A and B and C");
        let cannot = unmapped(&["A"], "roles cannot be inferred");
        assert_eq!(advised(&cannot, &WORDS).message, "roles cannot be inferred, map A");
        // No names: nothing to map, so no advice.
        assert_eq!(advised(&unmapped(&[], "speakers"), &WORDS).message, "speakers");
    }

    #[test]
    fn each_kind_gets_its_own_remedy_and_others_none() {
        let kind = |kind, message: &str| advised(&TranscriptError::new(kind, "", message), &WORDS).message;
        assert_eq!(kind(TranscriptErrorKind::UnlabelledSpeech, "no label"), "no label, give it a role");
        assert!(kind(TranscriptErrorKind::UnverifiedQuote, "not there").ends_with("(never counted) with KEEP"));
        let hinted = format!("bad JSON{TEXT_LINES_HINT}");
        assert_eq!(kind(TranscriptErrorKind::Syntax, &hinted), format!("{hinted} (TEXT)"));
        assert_eq!(kind(TranscriptErrorKind::Syntax, "bad JSON"), "bad JSON");
        assert_eq!(kind(TranscriptErrorKind::Order, "late"), "late");
    }
}
