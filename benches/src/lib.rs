//! Shared benchmark support: the generated inputs (see `make_data.py`), the raw single-pass
//! baseline the engine is measured against, and a check that both find the same matches.
//!
//! The baseline is the best this design can do: one Aho-Corasick DFA pass (overlapping matches)
//! over all phrases and one regex alternation pass, over text that is already folded. The engine
//! does that plus folding with an offset map, word boundaries, merging, negation, spans in three
//! units, order rules, metrics and scores; its throughput is reported as a ratio to the baseline's.

use std::collections::BTreeSet;
use std::path::PathBuf;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rubric_core::text::{is_word_char, normalize_phrase, NormalizedText};
use rubric_core::{regex_as_compiled, Role, Rubric, Scorecard, Transcript};

/// `target/bench-data`, written by `benches/make_data.py`.
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data")
}

fn read(name: &str) -> String {
    let path = data_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{}: {e}; run `python3 benches/make_data.py` first (make bench does)", path.display())
    })
}

/// A corpus transcript: `label` is 5k, 50k or 500k.
pub fn transcript(label: &str) -> Transcript {
    Transcript::from_json(&read(&format!("transcript-{label}.json"))).expect("generated transcripts are valid")
}

/// Bytes of turn text in a transcript.
pub fn text_bytes(transcript: &Transcript) -> u64 {
    transcript.turns().iter().map(|t| t.text.len() as u64).sum()
}

/// Scores `transcript` untimed until `rubric` is in its steady state: its regexes' lazy DFAs
/// filled, and its phrase DFA built (after [`rubric_core::PHRASE_DFA_AFTER_BYTES`] of folded
/// text, which is shorter than the original: twice that much original text is scored, so the DFA
/// is never built inside a measurement).
pub fn warm_up(rubric: &Rubric, transcript: &Transcript) {
    let per_call = text_bytes(transcript).max(1);
    let calls = (2 * rubric_core::PHRASE_DFA_AFTER_BYTES as u64).div_ceil(per_call) + 1;
    for _ in 0..calls {
        std::hint::black_box(rubric.score(transcript).expect("benchmark transcripts score"));
    }
}

/// YAML of a generated rubric with `behaviors` behaviors (200 or 500).
pub fn generated_rubric_yaml(behaviors: usize) -> String {
    read(&format!("rubric-{behaviors}.yaml"))
}

/// The phrases (per behavior) and regexes (per behavior, or none) of a generated rubric.
pub struct Patterns {
    pub phrases: Vec<Vec<String>>,
    pub regexes: Vec<Option<String>>,
}

pub fn patterns(behaviors: usize) -> Patterns {
    let json: serde_json::Value = serde_json::from_str(&read(&format!("patterns-{behaviors}.json"))).unwrap();
    let strings = |v: &serde_json::Value| v.as_str().map(str::to_string);
    Patterns {
        phrases: json["phrases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|list| list.as_array().unwrap().iter().filter_map(strings).collect())
            .collect(),
        regexes: json["regexes"].as_array().unwrap().iter().map(strings).collect(),
    }
}

/// The raw single-pass limit: one automaton and one alternation, no bookkeeping.
pub struct Baseline {
    phrases: AhoCorasick,
    regexes: regex::Regex,
}

impl Baseline {
    pub fn new(patterns: &Patterns) -> Self {
        let phrases: Vec<String> = patterns.phrases.iter().flatten().map(|p| normalize_phrase(p)).collect();
        let phrases = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(phrases)
            .unwrap();
        let alternation: Vec<String> =
            patterns.regexes.iter().flatten().map(|r| format!("(?:{})", regex_as_compiled(r))).collect();
        let regexes = regex::RegexBuilder::new(&alternation.join("|")).case_insensitive(true).build().unwrap();
        Self { phrases, regexes }
    }

    /// Number of raw matches in already-folded texts.
    pub fn count(&self, folded: &[String]) -> usize {
        folded.iter().map(|t| self.phrases.find_overlapping_iter(t).count() + self.regexes.find_iter(t).count()).sum()
    }
}

/// The folded text of every turn, as the baseline's input.
pub fn fold(transcript: &Transcript) -> Vec<String> {
    transcript.turns().iter().map(|t| NormalizedText::new(&t.text).as_str().to_string()).collect()
}

/// (behavior index, turn, byte start, byte end) in the original text.
pub type Mention = (usize, usize, usize, usize);

/// What the engine reported for a generated rubric: every counted or negated mention.
pub fn engine_mentions(card: &Scorecard) -> BTreeSet<Mention> {
    card.behaviors()
        .flat_map(|b| {
            let index: usize = b.id.trim_start_matches('b').parse().unwrap();
            b.evidence.iter().chain(&b.against).map(move |e| (index, e.turn, e.span.bytes[0], e.span.bytes[1]))
        })
        .collect()
}

/// The same mentions computed independently from raw matches: each behavior's phrases (word-
/// bounded) and regex matches in candidate turns, overlaps merged leftmost-then-longest.
pub fn reference_mentions(patterns: &Patterns, transcript: &Transcript) -> BTreeSet<Mention> {
    let mut out = BTreeSet::new();
    let regexes: Vec<Option<regex::Regex>> = patterns
        .regexes
        .iter()
        .map(|r| {
            r.as_ref().map(|r| regex::RegexBuilder::new(&regex_as_compiled(r)).case_insensitive(true).build().unwrap())
        })
        .collect();
    for (turn_index, turn) in transcript.turns().iter().enumerate() {
        if turn.role != Role::Candidate {
            continue;
        }
        let folded = NormalizedText::new(&turn.text);
        let text = folded.as_str();
        for (behavior, phrases) in patterns.phrases.iter().enumerate() {
            let mut hits: Vec<(usize, usize)> = Vec::new();
            for phrase in phrases {
                let needle = normalize_phrase(phrase);
                let mut from = 0;
                while let Some(found) = text[from..].find(&needle) {
                    let (start, end) = (from + found, from + found + needle.len());
                    let left = text[..start].chars().next_back().is_none_or(|c| !is_word_char(c));
                    let right = text[end..].chars().next().is_none_or(|c| !is_word_char(c));
                    if left && right {
                        hits.push((start, end));
                    }
                    from = start + text[start..].chars().next().map_or(1, char::len_utf8);
                }
            }
            if let Some(regex) = &regexes[behavior] {
                hits.extend(regex.find_iter(text).map(|m| (m.start(), m.end())));
            }
            hits.sort_by_key(|&(s, e)| (s, std::cmp::Reverse(e)));
            let mut last_end = 0;
            for (start, end) in hits {
                if start < last_end {
                    continue;
                }
                last_end = end;
                let (s, e) = folded.original_range(start, end, &turn.text);
                out.insert((behavior, turn_index, s, e));
            }
        }
    }
    out
}

/// Compiles a generated rubric.
pub fn generated_rubric(behaviors: usize) -> Rubric {
    Rubric::from_yaml(&generated_rubric_yaml(behaviors)).expect("generated rubrics are valid")
}

/// Resident set size of this process, in bytes (Linux).
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}
