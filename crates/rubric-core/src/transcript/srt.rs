//! SubRip (`.srt`) captions: numbered cues, `00:00:01,000 --> 00:00:04,000` timing lines and text.
//! Speakers and the joining of consecutive cues of one speaker are as in WebVTT (`vtt.rs`, which
//! reads both).

use super::lines::lines;
use super::model::Transcript;
use super::options::ImportOptions;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::TranscriptErrorKind;
    use crate::transcript::Role;

    const SRT: &str = "1\n00:00:01,000 --> 00:00:03,000\nDana: Given an array,\nreturn two indices.\n\n2\n00:00:03,000 --> 00:00:05,500\nDana: Any questions?\n\n3\n00:00:06,000 --> 00:00:08,250\n<i>Sam:</i> Is it sorted?\n";

    fn options(unlabelled: Option<Role>) -> ImportOptions {
        let mut options = ImportOptions { unlabelled_role: unlabelled, ..ImportOptions::default() };
        options.map_speaker("Dana=interviewer").unwrap();
        options.map_speaker("Sam=candidate").unwrap();
        options
    }

    fn turns(input: &str) -> Vec<(String, Role, f64, f64, String)> {
        let transcript = read_srt(input, &options(None)).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        transcript
            .turns()
            .iter()
            .map(|t| (t.speaker.clone(), t.role, t.start.unwrap(), t.end.unwrap(), t.text.clone()))
            .collect()
    }

    fn error(input: &str) -> TranscriptError {
        read_srt(input, &options(None)).unwrap_err()
    }

    #[test]
    fn cues_of_one_speaker_join_into_a_turn() {
        assert_eq!(
            turns(SRT),
            vec![
                (
                    "Dana".into(),
                    Role::Interviewer,
                    1.0,
                    5.5,
                    "Given an array, return two indices. Any questions?".into()
                ),
                ("Sam".into(), Role::Candidate, 6.0, 8.25, "Is it sorted?".into()),
            ]
        );
        // Cue numbers are optional and a point before the milliseconds is accepted.
        let loose = "00:00:01.000 --> 00:00:03.000\n>> Dana: Hi.\n\n00:00:04,000 --> 00:00:05,000 X1:10 X2:20\n>> Sam: Hello.\n";
        assert_eq!(turns(loose).len(), 2);
    }

    #[test]
    fn lf_crlf_and_cr_only_line_endings_read_the_same() {
        let expected = turns(SRT);
        assert_eq!(turns(&SRT.replace('\n', "\r\n")), expected, "CRLF");
        assert_eq!(turns(&SRT.replace('\n', "\r")), expected, "CR only");
        assert_eq!(turns(&format!("\u{feff}{}", SRT.replace('\n', "\r\n"))), expected, "BOM and CRLF");
    }

    #[test]
    fn malformed_cues_are_located() {
        let table = [
            (
                "bad timing",
                SRT.replace("00:00:03,000 --> 00:00:05,500", "00:00:03,000 --> soon"),
                TranscriptErrorKind::Syntax,
                7,
                "expected `00:00:01,000 --> 00:00:04,000`",
            ),
            (
                "no timing",
                SRT.replace("00:00:06,000 --> 00:00:08,250\n", ""),
                TranscriptErrorKind::Syntax,
                11,
                "expected a cue timing line",
            ),
            (
                "backwards",
                SRT.replace("00:00:06,000 --> 00:00:08,250", "00:00:09,000 --> 00:00:08,250"),
                TranscriptErrorKind::InvalidTime,
                11,
                "before it starts",
            ),
            (
                "unsorted",
                SRT.replace("00:00:06,000 --> 00:00:08,250", "00:00:02,000 --> 00:00:08,250"),
                TranscriptErrorKind::Order,
                11,
                "time order",
            ),
            (
                "unmapped",
                SRT.replace("Sam:", "Zed:"),
                TranscriptErrorKind::UnmappedSpeaker,
                12,
                "speaker \"Zed\" has no role",
            ),
            (
                "unnamed cue among named",
                SRT.replace("<i>Sam:</i> ", ""),
                TranscriptErrorKind::Syntax,
                12,
                "the cue has no speaker",
            ),
        ];
        for (name, input, kind, line, message) in table {
            let error = error(&input);
            assert_eq!((error.kind, error.line), (kind, Some(line)), "{name}: {error}");
            assert!(error.message.contains(message), "{name}: {error}");
        }
    }

    #[test]
    fn captions_without_speakers_need_the_unlabelled_role() {
        let input = "1\n00:00:01,000 --> 00:00:02,000\nNow there you go\n\n2\n00:00:02,000 --> 00:00:03,000\n00:01 is on the clock\n";
        let error = error(input);
        assert_eq!((error.kind, error.line), (TranscriptErrorKind::UnlabelledSpeech, Some(3)));
        let transcript = read_srt(input, &options(Some(Role::Interviewer))).unwrap();
        assert_eq!(transcript.turns().len(), 1);
        assert_eq!(transcript.turns()[0].text, "Now there you go 00:01 is on the clock");
        assert_eq!(transcript.turns()[0].role, Role::Interviewer);
    }

    #[test]
    fn srt_is_recognised_by_its_first_cue() {
        assert!(looks_like_srt(SRT));
        assert!(looks_like_srt("00:00:01,000 --> 00:00:02,000\nhi"));
        assert!(looks_like_srt(&SRT.replace('\n', "\r")));
        for text in
            ["1\nDana: hi", "00:01 Dana: hi", "[00:00:01] Dana: --> hi", "1", "Dana: 00:00:01,000 --> 00:00:02,000"]
        {
            assert!(!looks_like_srt(text), "{text}");
        }
    }
}
