//! Explicit size limits. Inputs come from users and speech-to-text systems; every size the engine
//! accepts is bounded here, and the embedding application may raise or lower any of them.

use serde::{Deserialize, Serialize};

use crate::error::{LimitsError, LimitsErrorKind};

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
    /// Compiled size of one regex, in bytes: the larger of its forward and reverse NFAs, counted
    /// from their states as a 64-bit build of the regex crate lays them out (24 bytes a state, 8 a
    /// transition), so that every platform gets the same figure. When the regex's
    /// lazy DFA gives up, a search costs time per byte proportional to this size (about 12 ns per
    /// KiB, measured); its search caches hold at most 34 times it.
    pub max_regex_size: usize,
    /// How many times counted repetitions (`{n}`, `{n,m}`, `{n,}`) may repeat a part of one regex,
    /// multiplied through nesting: `(?:\w{10}){20}` repeats `\w` 200 times. A lazy DFA for a window
    /// of `n` characters (`\w{n}`, `a{n}`) needs about `n * n` bytes; up to 500 that stays within the
    /// regex's cache, so such a regex scans any text at DFA speed.
    pub max_regex_repetition: usize,
    /// The compiled sizes of all regexes of a rubric together, in bytes (each measured as for
    /// `max_regex_size`), checked as each regex is added: the error is at the one that crosses it.
    /// Bounds the combined regex every turn is first scanned with, the worst-case time per byte of
    /// text, and the regex search memory of one scoring thread (at most 66 times this).
    pub max_regex_total_size: usize,
    /// Regex search by NFA simulation in one scoring, in KiB of compiled regex times KiB of text
    /// (about 12 microseconds each, measured). It runs only where a regex's lazy DFA gives up: a
    /// regex with overlapping windows (`(?:[a-p]{250}|[h-z]{250})x`) on text made to vary both,
    /// or `(?u:\b)` on non-ASCII text. Before such a search, the rest of the turn is charged at
    /// the regex's compiled size per byte; a search that would pass the limit is refused.
    pub max_regex_fallback_work: usize,
    /// Detector matches in one scoring (before overlapping matches of one behavior are merged).
    /// Each takes at most 200 bytes while scoring runs, so this bounds scoring memory beyond the
    /// transcript (400 MiB at the default). Real speech makes about 1,100 per MB with the bundled
    /// rubrics.
    pub max_matches: usize,
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
    /// Annotations (external evidence) on one transcript, its own and those given beside it.
    pub max_annotations: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_rubric_bytes: 1 << 20,
            max_criteria: 2_000,
            max_phrases: 50_000,
            max_regexes: 1_000,
            max_regex_size: 256 << 10,
            max_regex_repetition: 500,
            max_regex_total_size: 1 << 20,
            max_regex_fallback_work: 1 << 16,
            max_matches: 2 << 20,
            max_transcript_bytes: 64 << 20,
            max_turns: 200_000,
            max_turn_bytes: 16 << 20,
            max_events: 100_000,
            max_segments: 100_000,
            max_annotations: 100_000,
        }
    }
}

impl Limits {
    /// Every limit's name, as serde, the bindings and error messages spell it, in declaration order.
    pub const NAMES: [&'static str; 15] = [
        "max_rubric_bytes",
        "max_criteria",
        "max_phrases",
        "max_regexes",
        "max_regex_size",
        "max_regex_repetition",
        "max_regex_total_size",
        "max_regex_fallback_work",
        "max_matches",
        "max_transcript_bytes",
        "max_turns",
        "max_turn_bytes",
        "max_events",
        "max_segments",
        "max_annotations",
    ];

    /// The limit called `name`, if there is one.
    pub fn get(&self, name: &str) -> Option<usize> {
        let mut copy = *self;
        copy.slot(name).map(|value| *value)
    }

    /// Sets the limit called `name`. The bindings read limits from a dict or an object key by key;
    /// for an unknown key the error names the closest limit, since a misspelt limit would otherwise
    /// silently leave the default in place.
    pub fn set(&mut self, name: &str, value: usize) -> Result<(), LimitsError> {
        match self.slot(name) {
            Some(slot) => {
                *slot = value;
                Ok(())
            }
            None => Err(Self::unknown(name)),
        }
    }

    /// Checks that `name` is a limit before its value is read, so a binding reports a misspelt
    /// name (with the closest one) ahead of a value of the wrong type.
    pub fn check_name(name: &str) -> Result<(), LimitsError> {
        if Self::NAMES.contains(&name) {
            Ok(())
        } else {
            Err(Self::unknown(name))
        }
    }

    /// The error for a name that is not a limit: the closest name, if one is close, and the list.
    fn unknown(name: &str) -> LimitsError {
        let closest = crate::util::suggest::closest(name, Self::NAMES);
        let hint = crate::util::suggest::did_you_mean(closest);
        let message = format!("unknown limit `{name}`{hint} (limits: {})", Self::NAMES.join(", "));
        LimitsError::new(LimitsErrorKind::UnknownLimit, name, message).suggesting(closest)
    }

    fn slot(&mut self, name: &str) -> Option<&mut usize> {
        Some(match name {
            "max_rubric_bytes" => &mut self.max_rubric_bytes,
            "max_criteria" => &mut self.max_criteria,
            "max_phrases" => &mut self.max_phrases,
            "max_regexes" => &mut self.max_regexes,
            "max_regex_size" => &mut self.max_regex_size,
            "max_regex_repetition" => &mut self.max_regex_repetition,
            "max_regex_total_size" => &mut self.max_regex_total_size,
            "max_regex_fallback_work" => &mut self.max_regex_fallback_work,
            "max_matches" => &mut self.max_matches,
            "max_transcript_bytes" => &mut self.max_transcript_bytes,
            "max_turns" => &mut self.max_turns,
            "max_turn_bytes" => &mut self.max_turn_bytes,
            "max_events" => &mut self.max_events,
            "max_segments" => &mut self.max_segments,
            "max_annotations" => &mut self.max_annotations,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Limits;

    #[test]
    fn names_are_the_serde_fields_in_order() {
        let json = serde_json::to_value(Limits::default()).unwrap();
        let mut fields: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        let mut names = Limits::NAMES.to_vec();
        fields.sort_unstable();
        names.sort_unstable();
        assert_eq!(fields, names);
        for name in Limits::NAMES {
            assert_eq!(Limits::default().get(name), json[name].as_u64().map(|v| v as usize), "{name}");
        }
        // A struct serialises its fields in declaration order.
        let text = serde_json::to_string(&Limits::default()).unwrap();
        let positions: Vec<usize> =
            Limits::NAMES.iter().map(|name| text.find(&format!("\"{name}\"")).unwrap()).collect();
        assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "{text}");
    }

    #[test]
    fn set_changes_one_limit_and_refuses_unknown_names() {
        use crate::error::LimitsErrorKind;
        let mut limits = Limits::default();
        for (i, name) in Limits::NAMES.iter().enumerate() {
            limits.set(name, i).unwrap();
        }
        assert_eq!(
            Limits::NAMES.map(|name| limits.get(name).unwrap()),
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
        );
        let error = limits.set("max_turn", 1).unwrap_err();
        assert_eq!((error.kind, error.path.as_str()), (LimitsErrorKind::UnknownLimit, "max_turn"));
        assert_eq!(error.suggestion.as_deref(), Some("max_turns"));
        let text = error.to_string();
        assert!(text.starts_with("max_turn: unknown limit `max_turn`; did you mean `max_turns`?"), "{text}");
        assert!(text.contains("max_segments"), "{text}");
        let error = limits.set("zzz", 1).unwrap_err();
        assert_eq!(error.suggestion, None);
        assert!(!error.message.contains("did you mean"), "{}", error.message);
        assert_eq!(limits.get("zzz"), None);
        assert_eq!(Limits::check_name("zzz").unwrap_err(), error);
        assert!(Limits::check_name("max_turns").is_ok());
    }
}
