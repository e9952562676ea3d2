//! One pass over each turn's folded text for all detectors of a rubric.
//!
//! Phrases (from `phrases`, lexicons, question topics and the filler list) go into one Aho-Corasick
//! automaton searched for *overlapping* matches, so that no phrase hides another ("edge case" inside
//! "edge cases"); word boundaries are then checked by hand, which stays fast on any script (the regex
//! crate's Unicode `\b` is not). Regexes go into one multi-pattern regex: a turn where it finds
//! nothing (most turns) costs one scan; where it finds something, each regex runs on its own from
//! the first match on, so every regex reports exactly the matches it would report alone. Each regex
//! is parsed once; the combined and the single-pattern regexes are built from the same syntax tree.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex_automata::nfa::thompson;
use regex_automata::{meta, Input};
use serde::{Deserialize, Serialize};

use crate::limits::Limits;
use crate::text::is_word_char;
use crate::text::normalize_phrase;
use crate::text::question::{self, Detection, QuestionContext};
use crate::text::segment::sentences;

/// The kind of a detector, as reported in evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DetectorKind {
    Phrase,
    Lexicon,
    Regex,
    Question,
}

#[derive(Debug, Clone, Copy)]
enum PhraseUse {
    Detector { detector: u32, phrase: u32 },
    QuestionTopic { detector: u32, phrase: u32 },
    QuestionExclusion { detector: u32 },
    Filler,
    Backchannel,
}

/// Collects detectors while a rubric is compiled.
#[derive(Debug, Default)]
pub struct MatcherBuilder {
    patterns: Vec<String>,
    /// Per pattern: a stem (`duplicat*`), which matches any word it begins.
    stems: Vec<bool>,
    index: HashMap<String, usize>,
    uses: Vec<Vec<PhraseUse>>,
    phrase_texts: Vec<String>,
    regex_syntax: Vec<regex_syntax::hir::Hir>,
    regex_detectors: Vec<u32>,
    any_question: Vec<u32>,
}

impl MatcherBuilder {
    fn pattern_id(&mut self, phrase: &str) -> Option<usize> {
        let (folded, stem) = fold_phrase(phrase);
        if folded.is_empty() {
            return None;
        }
        let next = self.patterns.len();
        let key = if stem { format!("{folded}*") } else { folded.clone() };
        let id = *self.index.entry(key).or_insert(next);
        if id == next {
            self.patterns.push(folded);
            self.stems.push(stem);
            self.uses.push(Vec::new());
        }
        Some(id)
    }

    fn phrase_text(&mut self, phrase: &str) -> u32 {
        self.phrase_texts.push(phrase.trim().to_string());
        (self.phrase_texts.len() - 1) as u32
    }

    /// Adds a phrase of a `phrases` or `lexicon` detector. False if it folds to nothing.
    pub fn add_phrase(&mut self, phrase: &str, detector: usize) -> bool {
        let Some(id) = self.pattern_id(phrase) else { return false };
        let text = self.phrase_text(phrase);
        self.uses[id].push(PhraseUse::Detector { detector: detector as u32, phrase: text });
        true
    }

    /// Adds a topic of a `question: { about }` detector. False if it folds to nothing.
    pub fn add_question_topic(&mut self, phrase: &str, detector: usize) -> bool {
        let Some(id) = self.pattern_id(phrase) else { return false };
        let text = self.phrase_text(phrase);
        self.uses[id].push(PhraseUse::QuestionTopic { detector: detector as u32, phrase: text });
        true
    }

    /// Adds a phrase of a `question: { except }` detector: questions containing it do not count.
    /// False if it folds to nothing.
    pub fn add_question_exclusion(&mut self, phrase: &str, detector: usize) -> bool {
        let Some(id) = self.pattern_id(phrase) else { return false };
        self.uses[id].push(PhraseUse::QuestionExclusion { detector: detector as u32 });
        true
    }

    /// Adds a `question: {}` detector that matches every question.
    pub fn add_any_question(&mut self, detector: usize) {
        self.any_question.push(detector as u32);
    }

    pub fn add_filler(&mut self, phrase: &str) {
        if let Some(id) = self.pattern_id(phrase) {
            if !self.uses[id].iter().any(|u| matches!(u, PhraseUse::Filler)) {
                self.uses[id].push(PhraseUse::Filler);
            }
        }
    }

    /// Adds a backchannel ("uh-huh", "mm-hmm"): counted apart, and no filler inside it counts.
    pub fn add_backchannel(&mut self, phrase: &str) {
        if let Some(id) = self.pattern_id(phrase) {
            if !self.uses[id].iter().any(|u| matches!(u, PhraseUse::Backchannel)) {
                self.uses[id].push(PhraseUse::Backchannel);
            }
        }
    }

    /// Checks and adds a regex detector.
    pub fn add_regex(&mut self, pattern: &str, detector: usize, size_limit: usize) -> Result<(), RegexRefusal> {
        let source = ascii_classes(pattern);
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse(&source)
            .map_err(|e| RegexRefusal::Invalid(e.to_string()))?;
        if hir.properties().minimum_len() == Some(0) {
            return Err(RegexRefusal::Invalid(
                "the regex can match the empty string; every match must contain at least one character".into(),
            ));
        }
        // The size limit is checked on the forward NFA alone; the full single-pattern regex is
        // built the first time a turn needs it (see `RegexMatcher::single`). Building all of them
        // here was a third of compiling a 200-behavior rubric, and most never run on a transcript.
        let config =
            thompson::Config::new().nfa_size_limit(Some(size_limit)).which_captures(thompson::WhichCaptures::Implicit);
        thompson::Compiler::new().configure(config).build_from_hir(&hir).map_err(|e| match e.size_limit() {
            Some(limit) => RegexRefusal::TooLarge(too_large_message(&hir, limit)),
            None => RegexRefusal::Invalid(e.to_string()),
        })?;
        self.regex_syntax.push(hir);
        self.regex_detectors.push(detector as u32);
        Ok(())
    }

    pub fn regex_count(&self) -> usize {
        self.regex_syntax.len()
    }

    /// Distinct phrases after folding.
    pub fn phrase_count(&self) -> usize {
        self.patterns.len()
    }

    pub fn build(self, limits: &Limits) -> Result<Matcher, String> {
        let phrases = if self.patterns.is_empty() {
            None
        } else {
            // A DFA is the fastest automaton; above this size its memory grows too large and the
            // contiguous NFA is used instead.
            let total: usize = self.patterns.iter().map(String::len).sum();
            let kind = (total <= 64 * 1024).then_some(AhoCorasickKind::DFA);
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .kind(kind)
                    .build(&self.patterns)
                    .map_err(|e| format!("the phrase automaton could not be built: {e}"))?,
            )
        };
        let bounds = self
            .patterns
            .iter()
            .zip(&self.stems)
            .map(|(p, &stem)| {
                let (left, right) = word_edges(p);
                (left, right && !stem)
            })
            .collect();
        let regexes = if self.regex_syntax.is_empty() {
            None
        } else {
            let combined_limit = limits.max_regex_size.saturating_mul(self.regex_syntax.len()).min(256 << 20);
            // No literal prefilter: extracting literals from many alternations costs more to build
            // than it saves when scanning short turns (measured with callgrind on corpus text).
            let config = meta::Config::new()
                .nfa_size_limit(Some(combined_limit))
                .auto_prefilter(false)
                .which_captures(regex_automata::nfa::thompson::WhichCaptures::Implicit);
            let first = meta::Regex::builder()
                .configure(config)
                .build_many_from_hir(&self.regex_syntax)
                .map_err(|e| format!("the regex detectors together are too large (max_regex_size per regex): {e}"))?;
            let each = self.regex_syntax.iter().map(|_| OnceLock::new()).collect();
            Some(RegexMatcher { first, each, syntax: self.regex_syntax, detectors: self.regex_detectors })
        };
        Ok(Matcher {
            phrases,
            bounds,
            stems: self.stems,
            uses: self.uses,
            phrase_texts: self.phrase_texts,
            regexes,
            any_question: self.any_question,
        })
    }
}

/// Why a regex detector was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RegexRefusal {
    /// It does not parse, or it can match the empty string.
    Invalid(String),
    /// It compiles to more than `max_regex_size` bytes: valid, but over a configured limit.
    TooLarge(String),
}

impl RegexRefusal {
    pub fn message(&self) -> &str {
        match self {
            Self::Invalid(message) | Self::TooLarge(message) => message,
        }
    }
}

/// Says how large a regex that exceeded `limit` actually is, so the user knows what to raise the
/// limit to. The regex crate only reports the limit; the size is measured by compiling the forward
/// NFA again under a generous cap (this runs only on the error path).
fn too_large_message(hir: &regex_syntax::hir::Hir, limit: usize) -> String {
    const MEASURE_CAP: usize = 256 << 20;
    let config =
        thompson::Config::new().nfa_size_limit(Some(MEASURE_CAP)).which_captures(thompson::WhichCaptures::Implicit);
    let size = thompson::Compiler::new().configure(config).build_from_hir(hir).map(|nfa| nfa.memory_usage());
    match size {
        // The final NFA is a little smaller than the builder's running count the limit is checked
        // against, so a size at or under the limit is not reported as if it were the cause.
        Ok(size) if size > limit => {
            format!("the compiled regex takes {size} bytes, over the limit of {limit} bytes (max_regex_size)")
        }
        Ok(_) => format!("the compiled regex exceeds the limit of {limit} bytes (max_regex_size)"),
        Err(_) => format!(
            "the compiled regex takes more than {MEASURE_CAP} bytes, over the limit of {limit} bytes (max_regex_size)"
        ),
    }
}

/// Rewrites Perl classes and word boundaries as their ASCII forms: `\b`/`\B` become `(?-u:\b)`,
/// `\w`, `\d`, `\s` become ASCII ranges and `\W`, `\D`, `\S` their complements. The regex crate's
/// Unicode `\b` is slow on non-ASCII text, and Unicode `\w` is ~700 ranges that make every regex
/// slow to compile; rubric text is folded and English-first, and `\p{L}` remains for Unicode needs.
///
/// Public (as `rubric_core::regex_as_compiled`) so that tools which must match exactly what the
/// engine matches, such as the benchmark baseline, compile the same pattern.
pub fn ascii_classes(pattern: &str) -> String {
    const WORD: &str = "0-9A-Za-z_";
    const DIGIT: &str = "0-9";
    const SPACE: &str = "\\t\\n\\x0B\\x0C\\r ";
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    let mut class_depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(escaped) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let inside = class_depth > 0;
                let ranges = match escaped.to_ascii_lowercase() {
                    'w' => Some(WORD),
                    'd' => Some(DIGIT),
                    's' => Some(SPACE),
                    _ => None,
                };
                match (escaped, ranges) {
                    ('b' | 'B', _) if !inside => {
                        out.push_str("(?-u:\\");
                        out.push(escaped);
                        out.push(')');
                    }
                    (e, Some(ranges)) if e.is_ascii_lowercase() => {
                        if inside {
                            out.push_str(ranges);
                        } else {
                            out.push('[');
                            out.push_str(ranges);
                            out.push(']');
                        }
                    }
                    (_, Some(ranges)) => {
                        // A negated class nests inside an enclosing class as `[^...]`.
                        out.push_str("[^");
                        out.push_str(ranges);
                        out.push(']');
                    }
                    _ => {
                        out.push('\\');
                        out.push(escaped);
                    }
                }
            }
            '[' => {
                class_depth += 1;
                out.push(c);
                // A `]` right after `[` or `[^` is a literal, not the end of the class.
                let mut rest = chars.clone();
                match rest.next() {
                    Some('^') if rest.next() == Some(']') => {
                        out.push_str("^]");
                        chars.next();
                        chars.next();
                    }
                    Some(']') => {
                        out.push(']');
                        chars.next();
                    }
                    _ => {}
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A phrase folded as the text is, and whether it is a stem: one word-final `*` (`duplicat*`)
/// drops the boundary after the phrase, so it matches every word it begins. A `*` anywhere else
/// is an ordinary character.
fn fold_phrase(phrase: &str) -> (String, bool) {
    if let Some(body) = phrase.trim().strip_suffix('*') {
        let folded = normalize_phrase(body);
        if folded.chars().next_back().is_some_and(is_word_char) {
            return (folded, true);
        }
    }
    (normalize_phrase(phrase), false)
}

/// The end of the word that runs through byte `at`.
fn word_end(text: &str, at: usize) -> usize {
    text[at..].char_indices().find(|&(_, c)| !is_word_char(c)).map_or(text.len(), |(i, _)| at + i)
}

/// Whether a phrase's first and last characters are word characters (and so need a boundary).
fn word_edges(phrase: &str) -> (bool, bool) {
    (phrase.chars().next().is_some_and(is_word_char), phrase.chars().next_back().is_some_and(is_word_char))
}

#[derive(Debug)]
struct RegexMatcher {
    /// All patterns, leftmost-first: where the first match of any pattern starts, or that there is none.
    first: meta::Regex,
    /// Each pattern alone, built on first use from `syntax`.
    each: Vec<OnceLock<meta::Regex>>,
    syntax: Vec<regex_syntax::hir::Hir>,
    detectors: Vec<u32>,
}

/// All detectors of a rubric, compiled.
#[derive(Debug)]
pub struct Matcher {
    phrases: Option<AhoCorasick>,
    bounds: Vec<(bool, bool)>,
    stems: Vec<bool>,
    uses: Vec<Vec<PhraseUse>>,
    phrase_texts: Vec<String>,
    regexes: Option<RegexMatcher>,
    any_question: Vec<u32>,
}

/// A detector match in folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawHit {
    pub detector: u32,
    pub start: usize,
    pub end: usize,
    /// The rubric phrase that matched (phrase, lexicon and question-topic detectors).
    pub phrase: Option<u32>,
}

/// What one scan of one turn found.
#[derive(Debug, Default)]
pub struct TurnScan {
    pub hits: Vec<RawHit>,
    /// The question sentences, in order.
    pub questions: Vec<FoundQuestion>,
    /// Every sentence, when questions were looked for (empty otherwise).
    pub sentences: Vec<std::ops::Range<usize>>,
    pub fillers: usize,
    /// Backchannels ("uh-huh", "mm-hmm"): listening, not hesitating.
    pub backchannels: usize,
}

/// A question sentence of a turn.
#[derive(Debug, Clone)]
pub struct FoundQuestion {
    pub range: std::ops::Range<usize>,
    pub detection: Detection,
    /// It is the turn's last sentence, so the model read the turn context with it.
    pub last: bool,
}

/// How to find the questions of a turn.
#[derive(Debug, Clone, Copy, Default)]
pub struct QuestionScan<'a> {
    /// The transcript uses `?`, so `?` decides (see [`question::detect`]).
    pub punctuated: bool,
    /// The turn around the turn's last sentence.
    pub last_sentence: QuestionContext<'a>,
}

impl Matcher {
    /// The rubric text of a phrase reported in a hit.
    pub fn phrase_text(&self, phrase: u32) -> &str {
        &self.phrase_texts[phrase as usize]
    }

    /// Scans folded `text`. Question sentences are found only when `questions` is given.
    pub fn scan(&self, text: &str, questions: Option<QuestionScan<'_>>) -> TurnScan {
        let mut scan = TurnScan::default();
        if let Some(how) = questions {
            scan.sentences = sentences(text);
            let last = scan.sentences.len().saturating_sub(1);
            for (i, range) in scan.sentences.iter().cloned().enumerate() {
                let context = if i == last { how.last_sentence } else { QuestionContext::default() };
                if let Some(detection) = question::detect(&text[range.clone()], context, how.punctuated) {
                    scan.questions.push(FoundQuestion { range, detection, last: i == last });
                }
            }
        }
        let questions = &scan.questions;
        // Question hits wait for the whole turn: an excluded phrase anywhere in the question
        // ("can you hear me") removes the question from that detector. (question index, hit).
        let mut question_hits: Vec<(usize, RawHit)> = Vec::new();
        let mut excluded: Vec<(usize, u32)> = Vec::new();
        for (index, FoundQuestion { range: question, .. }) in questions.iter().enumerate() {
            for &detector in &self.any_question {
                question_hits
                    .push((index, RawHit { detector, start: question.start, end: question.end, phrase: None }));
            }
        }
        let holding_question = |start: usize, end: usize| -> Option<usize> {
            // Questions are sorted and disjoint: the one that could hold the match is the last one
            // starting at or before it.
            let i = questions.partition_point(|q| q.range.start <= start);
            i.checked_sub(1).filter(|&i| end <= questions[i].range.end)
        };
        // Fillers are counted once all backchannels are known, since "uh" inside "uh-huh" is none.
        let mut fillers: Vec<(usize, usize)> = Vec::new();
        let mut backchannels: Vec<(usize, usize)> = Vec::new();
        if let Some(ac) = &self.phrases {
            for m in ac.find_overlapping_iter(text) {
                let id = m.pattern().as_usize();
                let (left, right) = self.bounds[id];
                if !is_bounded(text, m.start(), m.end(), left, right) {
                    continue;
                }
                // A stem's match runs on to the end of the word it begins: "duplicates".
                let end = if self.stems[id] { word_end(text, m.end()) } else { m.end() };
                let m = aho_corasick::Match::new(m.pattern(), m.start()..end);
                for use_ in &self.uses[id] {
                    match *use_ {
                        PhraseUse::Detector { detector, phrase } => {
                            scan.hits.push(RawHit { detector, start: m.start(), end: m.end(), phrase: Some(phrase) });
                        }
                        PhraseUse::QuestionTopic { detector, phrase } => {
                            if let Some(i) = holding_question(m.start(), m.end()) {
                                let q = &questions[i].range;
                                question_hits
                                    .push((i, RawHit { detector, start: q.start, end: q.end, phrase: Some(phrase) }));
                            }
                        }
                        PhraseUse::QuestionExclusion { detector } => {
                            if let Some(i) = holding_question(m.start(), m.end()) {
                                excluded.push((i, detector));
                            }
                        }
                        PhraseUse::Filler => fillers.push((m.start(), m.end())),
                        PhraseUse::Backchannel => backchannels.push((m.start(), m.end())),
                    }
                }
            }
        }
        excluded.sort_unstable();
        scan.hits.extend(
            question_hits
                .into_iter()
                .filter(|(i, hit)| excluded.binary_search(&(*i, hit.detector)).is_err())
                .map(|(_, hit)| hit),
        );
        // Overlapping backchannels ("uh huh" inside "uh huh uh huh" is two) count once per start.
        backchannels.sort_unstable_by_key(|&(start, end)| (start, std::cmp::Reverse(end)));
        backchannels.dedup_by_key(|b| b.0);
        let mut kept: Vec<(usize, usize)> = Vec::with_capacity(backchannels.len());
        for b in backchannels {
            if kept.last().is_none_or(|last| b.0 >= last.1) {
                kept.push(b);
            }
        }
        scan.backchannels = kept.len();
        scan.fillers = fillers
            .iter()
            .filter(|f| {
                let i = kept.partition_point(|b| b.0 <= f.0);
                i.checked_sub(1).is_none_or(|i| f.1 > kept[i].1)
            })
            .count();
        if let Some(regexes) = &self.regexes {
            regexes.scan(text, &mut scan.hits);
        }
        scan
    }
}

impl RegexMatcher {
    /// Pattern `index` alone. Single-pattern regexes only run on turns where the combined regex
    /// already matched, so they skip the literal prefilter (costly to build, little use there), and
    /// only the overall match span is ever needed, so no capture groups are compiled.
    fn single(&self, index: usize) -> &meta::Regex {
        self.each[index].get_or_init(|| {
            let config = meta::Config::new()
                .nfa_size_limit(None)
                .auto_prefilter(false)
                .which_captures(thompson::WhichCaptures::Implicit);
            // The forward NFA was built under `max_regex_size` when the rubric compiled; without a
            // size limit the only other ways to fail are syntax errors, which that build ruled out.
            meta::Regex::builder()
                .configure(config)
                .build_from_hir(&self.syntax[index])
                .expect("checked at compile time")
        })
    }

    fn scan(&self, text: &str, hits: &mut Vec<RawHit>) {
        // Leftmost semantics: no pattern matches anywhere before the first match's start.
        let Some(first) = self.first.find(text) else { return };
        for (index, &detector) in self.detectors.iter().enumerate() {
            let regex = self.single(index);
            let mut at = first.start();
            while let Some(m) = regex.search(&Input::new(text).range(at..)) {
                hits.push(RawHit { detector, start: m.start(), end: m.end(), phrase: None });
                // Patterns never match the empty string (checked at compile time), so this advances.
                at = m.end().max(m.start() + 1);
                if at > text.len() {
                    break;
                }
                while !text.is_char_boundary(at) {
                    at += 1;
                }
            }
        }
    }
}

/// Whether `start..end` is word-bounded where the phrase needs it.
fn is_bounded(text: &str, start: usize, end: usize, left: bool, right: bool) -> bool {
    let left_ok = !left || text[..start].chars().next_back().is_none_or(|c| !is_word_char(c));
    let right_ok = !right || text[end..].chars().next().is_none_or(|c| !is_word_char(c));
    left_ok && right_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(phrases: &[&str], regexes: &[&str]) -> Matcher {
        let mut builder = MatcherBuilder::default();
        for (i, phrase) in phrases.iter().enumerate() {
            assert!(builder.add_phrase(phrase, i));
        }
        for (i, regex) in regexes.iter().enumerate() {
            builder.add_regex(regex, phrases.len() + i, 1 << 20).unwrap();
        }
        builder.build(&Limits::default()).unwrap()
    }

    fn found(m: &Matcher, text: &str) -> Vec<(u32, &'static str)> {
        let mut hits: Vec<(u32, String)> =
            m.scan(text, None).hits.iter().map(|h| (h.detector, text[h.start..h.end].to_string())).collect();
        hits.sort();
        hits.into_iter().map(|(d, s)| (d, &*s.leak())).collect()
    }

    #[test]
    fn phrases_are_word_bounded_overlapping_and_apostrophe_insensitive() {
        let m = matcher(&["edge case", "edge cases", "I'll assume", "o(n)", "binary search", "search tree"], &[]);
        let table: &[(&str, &[(u32, &str)])] = &[
            // "edge case" inside "edge cases" is followed by "s": only the longer phrase is bounded.
            ("edge cases matter", &[(1, "edge cases")]),
            ("an edge case", &[(0, "edge case")]),
            ("hedge cases", &[]),
            ("ill assume so", &[(2, "ill assume")]),
            ("its o(n)x", &[(3, "o(n)")]),
            ("a binary search tree", &[(4, "binary search"), (5, "search tree")]),
        ];
        for (text, expected) in table {
            assert_eq!(found(&m, text), *expected, "text {text:?}");
        }
    }

    #[test]
    fn every_regex_finds_what_it_finds_alone() {
        // Two patterns matching at the same place: a single leftmost-first pass would drop one.
        let m = matcher(&[], &[r"o\(n\)", r"o\(n( log n)?\)", r"\bn\b"]);
        let text = "o(n) or o(n log n) with n";
        let hits = found(&m, text);
        assert_eq!(
            hits,
            [(0, "o(n)"), (1, "o(n log n)"), (1, "o(n)"), (2, "n"), (2, "n"), (2, "n"), (2, "n")],
            "all matches of each pattern"
        );
    }

    #[test]
    fn rewrites_classes_and_boundaries_as_ascii() {
        let table = [
            (r"\bfoo\B", r"(?-u:\b)foo(?-u:\B)"),
            (r"\\b\\w", r"\\b\\w"),
            (r"\w+\d\s", r"[0-9A-Za-z_]+[0-9][\t\n\x0B\x0C\r ]"),
            (r"\W\D", r"[^0-9A-Za-z_][^0-9]"),
            (r"[\w-]", r"[0-9A-Za-z_-]"),
            (r"[x\W]", r"[x[^0-9A-Za-z_]]"),
            (r"[]\w]", r"[]0-9A-Za-z_]"),
            (r"[^]\d]\d", r"[^]0-9][0-9]"),
            (r"\p{L}+", r"\p{L}+"),
        ];
        for (input, expected) in table {
            assert_eq!(ascii_classes(input), expected, "{input}");
            regex::Regex::new(&ascii_classes(input)).unwrap();
        }
    }

    #[test]
    fn ascii_classes_keep_matches_on_utf8_text() {
        let m = matcher(&[], &[r"caf\w", r"\d+ ms", r"\W+"]);
        let hits = found(&m, "café 25 ms");
        assert!(hits.contains(&(1, "25 ms")), "{hits:?}");
        assert!(!hits.iter().any(|(d, _)| *d == 0), "é is not an ASCII word character: {hits:?}");
        assert!(hits.contains(&(2, "é ")), "non-ASCII letters are non-word: {hits:?}");
    }

    #[test]
    fn rejects_regexes_that_match_nothing() {
        let mut builder = MatcherBuilder::default();
        assert!(builder.add_regex("a*", 0, 1 << 20).unwrap_err().message().contains("empty string"));
        assert!(matches!(builder.add_regex("(unclosed", 0, 1 << 20), Err(RegexRefusal::Invalid(_))));
        let Err(RegexRefusal::TooLarge(message)) = builder.add_regex("a{1000}{1000}", 0, 1 << 20) else {
            panic!("over the size limit")
        };
        assert!(message.ends_with(&format!("over the limit of {} bytes (max_regex_size)", 1 << 20)), "{message}");
    }

    #[test]
    fn question_topics_match_inside_questions_only() {
        let mut builder = MatcherBuilder::default();
        builder.add_question_topic("empty", 0);
        builder.add_any_question(1);
        builder.add_filler("um");
        let m = builder.build(&Limits::default()).unwrap();
        let text = "um the list is empty. um can it be empty?";
        let scan = m.scan(text, Some(QuestionScan { punctuated: true, ..QuestionScan::default() }));
        let spans: Vec<(u32, &str)> = scan.hits.iter().map(|h| (h.detector, &text[h.start..h.end])).collect();
        assert_eq!(spans, [(1, "um can it be empty?"), (0, "um can it be empty?")]);
        assert_eq!(scan.questions.len(), 1);
        assert_eq!(scan.fillers, 2);
    }

    #[test]
    fn excluded_phrases_take_a_question_away_from_its_detector_only() {
        let mut builder = MatcherBuilder::default();
        builder.add_any_question(0);
        assert!(builder.add_question_exclusion("hear me", 0));
        assert!(builder.add_question_exclusion("the editor", 0));
        builder.add_any_question(1);
        builder.add_question_topic("editor", 2);
        assert!(builder.add_question_exclusion("the editor", 2));
        let m = builder.build(&Limits::default()).unwrap();
        let text = "can you hear me? should i use the editor? can the input be empty?";
        let scan = m.scan(text, Some(QuestionScan { punctuated: true, ..QuestionScan::default() }));
        let mut spans: Vec<(u32, &str)> = scan.hits.iter().map(|h| (h.detector, &text[h.start..h.end])).collect();
        spans.sort_unstable();
        assert_eq!(
            spans,
            [
                (0, "can the input be empty?"),
                (1, "can the input be empty?"),
                (1, "can you hear me?"),
                (1, "should i use the editor?"),
            ]
        );
    }

    #[test]
    fn backchannels_are_counted_apart_and_hold_no_fillers() {
        let mut builder = MatcherBuilder::default();
        for filler in ["um", "uh", "hmm", "uh huh"] {
            builder.add_filler(filler);
        }
        for backchannel in crate::rubric::BACKCHANNELS {
            builder.add_backchannel(backchannel);
        }
        let m = builder.build(&Limits::default()).unwrap();
        let table = [
            ("uh-huh. uh-huh, yeah. um-hum", 0, 3),
            ("mm-hmm uh huh", 0, 2),
            ("um so uh the uh-huh", 2, 1),
            ("uh, hmm, i think", 2, 0),
            ("uhhuh mhm mm hmm", 0, 3),
        ];
        for (text, fillers, backchannels) in table {
            let scan = m.scan(text, None);
            assert_eq!((scan.fillers, scan.backchannels), (fillers, backchannels), "{text:?}");
        }
    }
}
