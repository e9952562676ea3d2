//! One pass over each turn's folded text for all detectors of a rubric.
//!
//! Phrases (from `phrases`, lexicons, question topics and the filler list) go into one Aho-Corasick
//! automaton searched for *overlapping* matches, so that no phrase hides another ("edge case" inside
//! "edge cases"); word boundaries are then checked by hand, which stays fast on any script (the regex
//! crate's Unicode `\b` is not). Regexes go into one multi-pattern regex: a turn where it finds
//! nothing (most turns) costs one scan; where it finds something, each regex runs on its own from
//! the first match on, so every regex reports exactly the matches it would report alone. Each regex
//! is parsed once; the combined and the single-pattern regexes are built from the same syntax tree.
//!
//! What a regex may cost is bounded when the rubric compiles ([`Limits`]): its counted repetitions
//! (`max_regex_repetition`), its automata (`max_regex_size`) and all regexes' automata together
//! (`max_regex_total_size`). Searches are bounded by those: every lazy DFA's cache holds at most
//! [`CACHE_PER_BYTE`] times the compiled size it serves, and when a lazy DFA gives up (its cache
//! keeps filling) the fallback costs time proportional to the NFA's size per byte of text.

use std::collections::HashMap;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex_automata::hybrid;
use regex_automata::nfa::thompson::{self, pikevm::PikeVM};
use regex_automata::util::pool::Pool;
use regex_automata::{Input, Match};
use regex_syntax::hir::{Hir, HirKind, Look};

use crate::limits::Limits;
use crate::text::is_word_char;
use crate::text::normalize_phrase;
use crate::text::question::{self, Detection, QuestionContext, TurnContext};
use crate::text::segment::sentences;

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
    regex_syntax: Vec<Hir>,
    regex_detectors: Vec<u32>,
    /// Per regex: its compiled size (see [`regex_size`]), when measured as it is added.
    regex_sizes: Vec<usize>,
    /// The sum of `regex_sizes`, checked against `max_regex_total_size` as each regex is added.
    regex_total_size: usize,
    measure: RegexMeasure,
    any_question: Vec<u32>,
}

/// When a rubric's regexes are measured against `max_regex_size` and `max_regex_total_size`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum RegexMeasure {
    /// All together, when the matcher is built: each regex's size is read off the combined
    /// automata that scanning needs anyway ([`sizes_alone`]), which halves the cost of compiling
    /// regexes. If any regex would be over a limit, [`MatcherBuilder::build`] asks for
    /// [`RegexMeasure::OneByOne`] instead, and the rubric is compiled again that way.
    #[default]
    Together,
    /// Each regex alone, as it is added (two automata built per regex), so a regex over a limit
    /// is refused where it is added and the regexes after it are measured without it.
    OneByOne,
}

/// Why [`MatcherBuilder::build`] built no matcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BuildRefusal {
    /// The regexes could not be combined (a limit of the regex crate).
    Combine(String),
    /// Measured together, some regex is over a limit: measure them one by one, which says which.
    MeasureOneByOne,
}

impl MatcherBuilder {
    pub(crate) fn new(measure: RegexMeasure) -> Self {
        Self { measure, ..Self::default() }
    }

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

    /// Checks and adds a regex detector: it must parse, match at least one character, repeat no
    /// part more than `max_regex_repetition` times, compile to at most `max_regex_size` bytes and
    /// keep all regexes added so far within `max_regex_total_size`.
    pub fn add_regex(&mut self, pattern: &str, detector: usize, limits: &Limits) -> Result<(), RegexRefusal> {
        let hir = regex_syntax_of(pattern).map_err(RegexRefusal::Invalid)?;
        if hir.properties().minimum_len() == Some(0) {
            return Err(RegexRefusal::Invalid(
                "the regex can match the empty string; every match must contain at least one character".into(),
            ));
        }
        // Counted repetitions first: they are what makes a short regex costly (`\w{2500}` is 10
        // bytes of YAML and 10,000 NFA states), and the syntax tree tells without compiling.
        let repeats = Repeats::of(&hir);
        if repeats.times > limits.max_regex_repetition as u64 {
            return Err(RegexRefusal::TooLarge(format!(
                "the counted repetition{} {} repeat{} a part of the regex {} times, over the limit of {} \
                 (max_regex_repetition)",
                if repeats.chain.len() > 1 { "s" } else { "" },
                repeats.describe(),
                if repeats.chain.len() > 1 { "" } else { "s" },
                repeats.times,
                limits.max_regex_repetition
            )));
        }
        if self.measure == RegexMeasure::Together {
            self.regex_syntax.push(hir);
            self.regex_detectors.push(detector as u32);
            return Ok(());
        }
        // The size limit is checked on the forward and the reverse NFA, the two automata a search
        // builds; the full single-pattern regex is built the first time a turn needs it (see
        // `RegexMatcher::single`). Building all of them here was a third of compiling a 200-behavior
        // rubric, and most never run on a transcript. The regex crate's own limit, in its running
        // count of heap bytes (at most 2.6 times ours in every regex tried), only stops a runaway build.
        let guard = limits.max_regex_size.saturating_mul(8).saturating_add(64 << 10);
        let size = regex_size(&hir, Some(guard)).map_err(|e| match e.size_limit() {
            Some(_) => RegexRefusal::TooLarge(too_large_message(&hir, limits.max_regex_size)),
            None => RegexRefusal::Invalid(e.to_string()),
        })?;
        if size > limits.max_regex_size {
            return Err(RegexRefusal::TooLarge(over_size_message(size, limits.max_regex_size)));
        }
        let total = self.regex_total_size.saturating_add(size);
        if total > limits.max_regex_total_size {
            return Err(RegexRefusal::TooLarge(format!(
                "the compiled regex takes {size} bytes, which brings the rubric's regexes to {total} bytes, over \
                 the limit of {} bytes for all regexes together (max_regex_total_size)",
                limits.max_regex_total_size
            )));
        }
        self.regex_total_size = total;
        self.regex_syntax.push(hir);
        self.regex_detectors.push(detector as u32);
        self.regex_sizes.push(size);
        Ok(())
    }

    pub fn regex_count(&self) -> usize {
        self.regex_syntax.len()
    }

    /// Distinct phrases after folding.
    pub fn phrase_count(&self) -> usize {
        self.patterns.len()
    }

    /// The matcher; `limits` are those the regexes were added under (a [`RegexMeasure::Together`]
    /// build checks their sizes here).
    pub(crate) fn build(self, limits: &Limits) -> Result<Matcher, BuildRefusal> {
        let bounds = self
            .patterns
            .iter()
            .zip(&self.stems)
            .map(|(p, &stem)| {
                let (left, right) = word_edges(p);
                (left, right && !stem)
            })
            .collect();
        let phrases = if self.patterns.is_empty() {
            None
        } else {
            Some(PhraseAutomaton::new(self.patterns).map_err(BuildRefusal::Combine)?)
        };
        let regexes = if self.regex_syntax.is_empty() {
            None
        } else {
            let (forward, reverse, sizes) = match self.measure {
                RegexMeasure::OneByOne => {
                    let (forward, reverse) =
                        nfas(&self.regex_syntax, thompson::WhichCaptures::None, None).map_err(BuildRefusal::Combine)?;
                    (forward, reverse, self.regex_sizes)
                }
                RegexMeasure::Together => measured_together(&self.regex_syntax, limits)?,
            };
            Some(RegexMatcher::new(self.regex_syntax, sizes, self.regex_detectors, forward, reverse))
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

/// The syntax tree of a rubric regex as the engine compiles it (case-insensitive, with
/// [`ascii_classes`] applied), or why it does not parse.
fn regex_syntax_of(pattern: &str) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(&ascii_classes(pattern))
        .map_err(|e| e.to_string())
}

/// Why a regex detector was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RegexRefusal {
    /// It does not parse, or it can match the empty string.
    Invalid(String),
    /// It is valid, but over a configured limit: `max_regex_repetition`, `max_regex_size` or
    /// `max_regex_total_size`.
    TooLarge(String),
}

impl RegexRefusal {
    pub fn message(&self) -> &str {
        match self {
            Self::Invalid(message) | Self::TooLarge(message) => message,
        }
    }
}

/// How much each byte of an NFA may take in the cache of the lazy DFA that searches with it. A
/// lazy DFA for a window of `n` repeated characters (`\w{n}`, `a{n}`) needs about `n * n` bytes to
/// run without refilling its cache; at `max_regex_repetition` (500) that is under 16 times the NFA's
/// size for every class tried, literal `a{500}` being the tightest. Caches grow only as a search
/// needs them, so most stay far smaller.
pub const CACHE_PER_BYTE: usize = 16;

/// The compiled size of a regex: the larger of its forward NFA (which finds where matches end) and
/// its reverse NFA (which finds where they start), each built exactly as the meta regex builds it
/// and measured by [`nfa_size`]. `guard` is the regex crate's size limit, which stops a build early.
fn regex_size(hir: &Hir, guard: Option<usize>) -> Result<usize, Box<thompson::BuildError>> {
    let forward =
        thompson::Config::new().nfa_size_limit(guard).shrink(false).which_captures(thompson::WhichCaptures::Implicit);
    let reverse = forward.clone().reverse(true).which_captures(thompson::WhichCaptures::None);
    let mut size = 0;
    for config in [forward, reverse] {
        size = nfa_size(&thompson::Compiler::new().configure(config).build_from_hir(hir).map_err(Box::new)?).max(size);
    }
    Ok(size)
}

/// An NFA's size in bytes, the same on every platform: its states as a 64-bit build of the regex
/// crate lays them out (24 bytes each, plus 8 per transition of a sparse state, 4 per alternative
/// of a union and 1 KiB per dense state). That is within a few bytes of what `NFA::memory_usage`
/// reports on a 64-bit target without its fixed 560 bytes per NFA (which a combined NFA does not
/// repeat per pattern). `memory_usage` itself counts pointer-sized fields, so on 32-bit WebAssembly
/// it is about half, and a limit in its terms would refuse a rubric in Rust and Python that
/// compiles in JavaScript.
fn nfa_size(nfa: &thompson::NFA) -> usize {
    nfa.states().iter().map(state_size).sum::<usize>() + 4 * nfa.pattern_len()
}

/// One state's part of [`nfa_size`].
fn state_size(state: &thompson::State) -> usize {
    use thompson::State;
    24 + match state {
        State::Sparse(sparse) => 8 * sparse.transitions.len(),
        State::Dense(_) => 1024,
        State::Union { alternates } => 4 * alternates.len(),
        _ => 0,
    }
}

/// Says how large a regex over `limit` is, so the user knows what to raise the limit to.
fn over_size_message(size: usize, limit: usize) -> String {
    format!("the compiled regex takes {size} bytes, over the limit of {limit} bytes (max_regex_size)")
}

/// [`over_size_message`] for a build the guard stopped: it is measured again under a generous one
/// (this runs only on the error path).
fn too_large_message(hir: &Hir, limit: usize) -> String {
    const MEASURE_CAP: usize = 256 << 20;
    match regex_size(hir, Some(MEASURE_CAP)) {
        Ok(size) if size > limit => over_size_message(size, limit),
        Ok(_) => format!("the compiled regex exceeds the limit of {limit} bytes (max_regex_size)"),
        Err(_) => format!(
            "the compiled regex takes more than {MEASURE_CAP} bytes, over the limit of {limit} bytes (max_regex_size)"
        ),
    }
}

/// The most any part of a regex is repeated by counted repetitions: the product of their counts
/// along the most repeated path through the syntax tree. `{n,m}` counts `m` (the compiler makes `m`
/// copies), `{n,}` counts `n` (`n` copies and a loop), and `*`, `+` and `?` count 1 (one copy).
/// Repetitions side by side do not multiply; their cost is the compiled size's to bound.
#[derive(Debug, Clone)]
struct Repeats {
    times: u64,
    /// The counted repetitions multiplied, outermost first, as `(min, max)`.
    chain: Vec<(u32, Option<u32>)>,
}

impl Repeats {
    const ONCE: Repeats = Repeats { times: 1, chain: Vec::new() };

    fn of(hir: &Hir) -> Self {
        // The parser's nesting limit (250) bounds the recursion.
        match hir.kind() {
            HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => Self::ONCE,
            HirKind::Capture(capture) => Self::of(&capture.sub),
            HirKind::Concat(subs) | HirKind::Alternation(subs) => {
                subs.iter().map(Self::of).max_by_key(|r| r.times).unwrap_or(Self::ONCE)
            }
            HirKind::Repetition(repetition) => {
                let mut inner = Self::of(&repetition.sub);
                let count = u64::from(repetition.max.unwrap_or(repetition.min));
                if count > 1 {
                    inner.times = inner.times.saturating_mul(count);
                    inner.chain.insert(0, (repetition.min, repetition.max));
                }
                inner
            }
        }
    }

    /// `{2500}`, or `{20} and {50}` for nested repetitions.
    fn describe(&self) -> String {
        let each: Vec<String> = self
            .chain
            .iter()
            .map(|&(min, max)| match max {
                Some(max) if max == min => format!("`{{{min}}}`"),
                Some(max) => format!("`{{{min},{max}}}`"),
                None => format!("`{{{min},}}`"),
            })
            .collect();
        each.join(" and ")
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

/// Makes a search cache for a lazy DFA regex; boxed so the pool has a nameable type.
type CacheFn = Box<dyn Fn() -> hybrid::regex::Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;
/// Makes a search cache for an NFA simulation.
type PikeCacheFn =
    Box<dyn Fn() -> regex_automata::nfa::thompson::pikevm::Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// A lazy DFA regex and its caches.
type LazyRegex = (Arc<hybrid::regex::Regex>, Pool<hybrid::regex::Cache, CacheFn>);

/// The forward NFA (with `captures`) and the reverse NFA (without) of `syntax`, under the regex
/// crate's size limit `guard` (none when every pattern's NFAs were already checked against
/// `max_regex_size` and their sum against `max_regex_total_size`).
fn nfas(
    syntax: &[Hir],
    captures: thompson::WhichCaptures,
    guard: Option<usize>,
) -> Result<(thompson::NFA, thompson::NFA), String> {
    let config = thompson::Config::new().nfa_size_limit(guard).shrink(false);
    // One compiler for both: making one allocates caches that cost more to free than a small
    // pattern costs to compile.
    let mut compiler = thompson::Compiler::new();
    let mut build = |config: thompson::Config| {
        compiler
            .configure(config)
            .build_many_from_hir(syntax)
            .map_err(|e| format!("the regex detectors could not be combined: {e}"))
    };
    let forward = build(config.clone().which_captures(captures))?;
    let reverse = build(config.reverse(true).which_captures(thompson::WhichCaptures::None))?;
    Ok((forward, reverse))
}

/// The combined NFAs of `syntax` and each pattern's size, when every pattern is within
/// `max_regex_size` and all together within `max_regex_total_size`; otherwise [`BuildRefusal::MeasureOneByOne`]. The build is stopped, and measured one by one too,
/// when the regex crate's own count passes 8 times what the patterns may take together (it is at
/// most 2.6 times ours), as [`MatcherBuilder::add_regex`] stops each pattern's.
fn measured_together(
    syntax: &[Hir],
    limits: &Limits,
) -> Result<(thompson::NFA, thompson::NFA, Vec<usize>), BuildRefusal> {
    let (max_size, max_total) = (limits.max_regex_size, limits.max_regex_total_size);
    let allowed = max_size.saturating_mul(syntax.len()).min(max_total);
    let guard = allowed.saturating_mul(8).saturating_add(64 << 10);
    let (forward, reverse) =
        nfas(syntax, thompson::WhichCaptures::None, Some(guard)).map_err(|_| BuildRefusal::MeasureOneByOne)?;
    let sizes = sizes_alone(syntax, &forward, &reverse);
    let mut total = 0usize;
    for &size in &sizes {
        total = total.saturating_add(size);
        if size > max_size || total > max_total {
            return Err(BuildRefusal::MeasureOneByOne);
        }
    }
    Ok((forward, reverse, sizes))
}

/// Each pattern's size as [`regex_size`] measures it alone, read off the forward and reverse NFAs
/// built for all of `syntax` together (without capture states). The thompson compiler compiles the
/// patterns one after another, each into states of its own that end in its match state, and frees
/// its caches between character classes, so a pattern alone compiles to exactly its own states
/// here plus what the combination shares: an unanchored prefix (`(?s-u:.)*?`, which a pattern
/// alone has too unless it is anchored) and the union of all patterns (which it does not). A
/// pattern alone, forwards, also has its implicit capture group's two states. The test
/// `sizes_read_off_combined_nfas_equal_sizes_measured_alone` holds this to `regex_size`.
fn sizes_alone(syntax: &[Hir], forward: &thompson::NFA, reverse: &thompson::NFA) -> Vec<usize> {
    const IMPLICIT_CAPTURE_BYTES: usize = 2 * 24;
    let forward = own_state_bytes(forward, |i| syntax[i].properties().look_set_prefix().contains(Look::Start));
    let reverse = own_state_bytes(reverse, |i| syntax[i].properties().look_set_suffix().contains(Look::End));
    forward.into_iter().zip(reverse).map(|(fwd, rev)| (fwd + IMPLICIT_CAPTURE_BYTES).max(rev)).collect()
}

/// For each pattern of a combined NFA, the bytes ([`nfa_size`]) the same pattern's NFA would take
/// alone, without capture states; `anchored(i)` says whether pattern `i` alone has no unanchored
/// prefix.
fn own_state_bytes(nfa: &thompson::NFA, anchored: impl Fn(usize) -> bool) -> Vec<usize> {
    use thompson::State;
    let mut shared = vec![false; nfa.states().len()];
    if nfa.pattern_len() > 1 {
        shared[nfa.start_anchored().as_usize()] = true;
    }
    // The unanchored prefix: every state reachable from the unanchored start without passing
    // the anchored one (none when the two starts are the same state).
    let mut prefix_bytes = 0;
    let mut stack = vec![nfa.start_unanchored()];
    while let Some(id) = stack.pop() {
        if id == nfa.start_anchored() || std::mem::replace(&mut shared[id.as_usize()], true) {
            continue;
        }
        let state = nfa.state(id);
        prefix_bytes += state_size(state);
        match state {
            State::ByteRange { trans } => stack.push(trans.next),
            State::Sparse(sparse) => stack.extend(sparse.transitions.iter().map(|t| t.next)),
            State::Dense(dense) => stack.extend(dense.transitions.iter().copied()),
            State::Look { next, .. } | State::Capture { next, .. } => stack.push(*next),
            State::Union { alternates } => stack.extend(alternates.iter().copied()),
            State::BinaryUnion { alt1, alt2 } => stack.extend([*alt1, *alt2]),
            State::Fail | State::Match { .. } => {}
        }
    }
    let mut sizes = vec![0; nfa.pattern_len()];
    let mut own = 0;
    for (state, &is_shared) in nfa.states().iter().zip(&shared) {
        if is_shared {
            continue;
        }
        own += state_size(state);
        if let State::Match { pattern_id } = state {
            let i = pattern_id.as_usize();
            sizes[i] = own + if anchored(i) { 0 } else { prefix_bytes } + 4;
            own = 0;
        }
    }
    sizes
}

/// A lazy DFA regex from its forward and reverse NFAs, with a cache of [`CACHE_PER_BYTE`] times
/// `size`. A search gives up, rather than refill its cache forever, once it has been cleared 3
/// times with fewer than 10 bytes searched per state built (the meta regex's setting). `None` if
/// the cache cannot hold a few states (it holds 16 times the NFAs, and a few states take under 5
/// times even for `x`).
fn lazy_regex(forward: thompson::NFA, reverse: thompson::NFA, size: usize) -> Option<LazyRegex> {
    let dfa = hybrid::dfa::Config::new()
        .cache_capacity(CACHE_PER_BYTE.saturating_mul(size))
        .minimum_cache_clear_count(Some(3))
        .minimum_bytes_per_state(Some(10))
        // A Unicode `\b` (only `(?u:\b)` asks for one) makes the search give up on non-ASCII text.
        .unicode_word_boundary(true);
    let fwd = hybrid::dfa::Builder::new().configure(dfa.clone()).build_from_nfa(forward);
    let rev =
        hybrid::dfa::Builder::new().configure(dfa.match_kind(regex_automata::MatchKind::All)).build_from_nfa(reverse);
    match (fwd, rev) {
        (Ok(fwd), Ok(rev)) => {
            let regex = Arc::new(hybrid::regex::Builder::new().build_from_dfas(fwd, rev));
            let for_caches = Arc::clone(&regex);
            let create: CacheFn = Box::new(move || for_caches.create_cache());
            Some((regex, Pool::new(create)))
        }
        _ => None,
    }
}

/// One pattern alone: its lazy DFA and, for the searches that lazy DFA gives up on, an NFA
/// simulation (the PikeVM), whose work [`ScanBudget`] accounts for.
#[derive(Debug)]
struct SingleRegex {
    dfa: Option<LazyRegex>,
    nfa: Arc<PikeVM>,
    nfa_caches: Pool<regex_automata::nfa::thompson::pikevm::Cache, PikeCacheFn>,
}

/// What one scoring may still spend: matches held before evidence is merged
/// ([`Limits::max_matches`]) and the work of regex searches by NFA simulation
/// ([`Limits::max_regex_fallback_work`]), so that its memory and time are bounded whatever the
/// rubric and the text.
#[derive(Debug, Clone)]
pub struct ScanBudget {
    matches_left: usize,
    match_limit: usize,
    /// In bytes of compiled regex times bytes of text searched.
    fallback_left: u64,
    fallback_limit: usize,
}

/// What a scan would have spent beyond its [`ScanBudget`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overrun {
    /// More than `limit` matches (`max_matches`).
    Matches { limit: usize },
    /// Searching the rest of the turn with `detector`'s regex by NFA simulation would pass
    /// `max_regex_fallback_work` (`limit`).
    RegexWork { detector: u32, limit: usize },
}

impl ScanBudget {
    pub fn new(limits: &Limits) -> Self {
        Self {
            matches_left: limits.max_matches,
            match_limit: limits.max_matches,
            fallback_left: (limits.max_regex_fallback_work as u64).saturating_mul(1 << 20),
            fallback_limit: limits.max_regex_fallback_work,
        }
    }

    fn take_match(&mut self) -> Result<(), Overrun> {
        self.matches_left = self.matches_left.checked_sub(1).ok_or(Overrun::Matches { limit: self.match_limit })?;
        Ok(())
    }
}

#[derive(Debug)]
struct RegexMatcher {
    /// All patterns, leftmost-first: where the first match of any pattern starts, or that there is
    /// none. A lazy DFA only, with a cache of [`CACHE_PER_BYTE`] times the regexes' compiled size;
    /// `None` if that is too small to build one. When it cannot answer (its cache kept filling),
    /// every pattern runs alone from the start of the turn instead: a lazy DFA for each pattern
    /// alone stays small where one for all of them together does not (two overlapping windows,
    /// `[a-p]{200}x` and `[h-z]{200}x`, have 200 x 200 states together).
    first: Option<(Arc<hybrid::regex::Regex>, Pool<hybrid::regex::Cache, CacheFn>)>,
    /// Each pattern alone, built on first use from `syntax`.
    each: Vec<OnceLock<SingleRegex>>,
    syntax: Vec<Hir>,
    /// Per pattern: its compiled size (see [`regex_size`]), which sizes its search cache.
    sizes: Vec<usize>,
    detectors: Vec<u32>,
}

/// How much folded text a rubric scans with its phrase NFA before it builds the phrase DFA: the
/// DFA scans faster (8-14% less for all of scoring, measured on the bundled coding-round and the
/// 200-behavior benchmark rubric) but building it is half of compiling a rubric. Built after this
/// much text, the DFA never costs more than the scans it replaces already did, so a rubric that
/// is compiled and checked, or scores a few transcripts, does not pay for it, and one that scores
/// a corpus has it after the first megabyte.
pub const PHRASE_DFA_AFTER_BYTES: usize = 1 << 20;

/// The largest total size of phrases for which a DFA is built: above it the DFA's memory grows
/// too large, and the contiguous NFA is used throughout.
const PHRASE_DFA_MAX_PATTERN_BYTES: usize = 64 * 1024;

/// The phrases' Aho-Corasick automaton, in two tiers with the same matches: a contiguous NFA,
/// cheap to build, from the start; a DFA once [`PHRASE_DFA_AFTER_BYTES`] of text have been scanned.
#[derive(Debug)]
struct PhraseAutomaton {
    nfa: AhoCorasick,
    /// The folded phrases, kept to build the DFA from; empty when none will be built.
    patterns: Vec<String>,
    dfa: OnceLock<AhoCorasick>,
    /// Bytes scanned with the NFA so far (by every thread: a shared rubric tiers up once).
    scanned: AtomicUsize,
}

impl PhraseAutomaton {
    fn new(patterns: Vec<String>) -> Result<Self, String> {
        let total: usize = patterns.iter().map(String::len).sum();
        Ok(PhraseAutomaton {
            // The contiguous NFA has a smaller bound on its size than the noncontiguous one, which
            // takes over for a set of phrases too large for it.
            nfa: Self::build(&patterns, AhoCorasickKind::ContiguousNFA)
                .or_else(|_| Self::build(&patterns, AhoCorasickKind::NoncontiguousNFA))?,
            patterns: if total <= PHRASE_DFA_MAX_PATTERN_BYTES { patterns } else { Vec::new() },
            dfa: OnceLock::new(),
            scanned: AtomicUsize::new(0),
        })
    }

    fn build(patterns: &[String], kind: AhoCorasickKind) -> Result<AhoCorasick, String> {
        AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(patterns)
            .map_err(|e| format!("the phrase automaton could not be built: {e}"))
    }

    /// The automaton to scan `text` with: the DFA once built, else the NFA; the DFA is built here
    /// when this scan takes the text scanned past [`PHRASE_DFA_AFTER_BYTES`].
    fn for_text(&self, text: &str) -> &AhoCorasick {
        if let Some(dfa) = self.dfa.get() {
            return dfa;
        }
        if self.patterns.is_empty() {
            return &self.nfa;
        }
        let before = self.scanned.fetch_add(text.len(), Ordering::Relaxed);
        if before + text.len() < PHRASE_DFA_AFTER_BYTES {
            return &self.nfa;
        }
        // Built once, however many threads get here. Should the DFA fail to build (the NFA's own
        // build makes that unexpected), the NFA is kept in its place.
        self.dfa.get_or_init(|| Self::build(&self.patterns, AhoCorasickKind::DFA).unwrap_or_else(|_| self.nfa.clone()))
    }
}

/// All detectors of a rubric, compiled.
#[derive(Debug)]
pub struct Matcher {
    phrases: Option<PhraseAutomaton>,
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
    /// Which of the turn's sentences it is, for the context the model read with it.
    pub sentence: usize,
}

/// How to find the questions of a turn.
#[derive(Debug, Clone, Copy, Default)]
pub struct QuestionScan<'a> {
    /// The transcript uses `?`, so `?` decides (see [`question::detect`]).
    pub punctuated: bool,
    /// The turns around this one, for the model.
    pub turn: TurnContext<'a>,
}

impl Matcher {
    /// The rubric text of a phrase reported in a hit.
    pub fn phrase_text(&self, phrase: u32) -> &str {
        &self.phrase_texts[phrase as usize]
    }

    /// Scans folded `text`. Question sentences are found only when `questions` is given. Every
    /// match is taken from `budget`, and so is every regex search by NFA simulation.
    pub fn scan(
        &self,
        text: &str,
        questions: Option<QuestionScan<'_>>,
        budget: &mut ScanBudget,
    ) -> Result<TurnScan, Overrun> {
        let mut scan = TurnScan::default();
        if let Some(how) = questions {
            scan.sentences = sentences(text);
            for (i, range) in scan.sentences.iter().cloned().enumerate() {
                // With `?` trusted the context is never read, so it is not built.
                let context = if how.punctuated {
                    QuestionContext::default()
                } else {
                    question::sentence_context(text, &scan.sentences, i, how.turn)
                };
                if let Some(detection) = question::detect(&text[range.clone()], context, how.punctuated) {
                    scan.questions.push(FoundQuestion { range, detection, sentence: i });
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
                budget.take_match()?;
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
        if let Some(automaton) = &self.phrases {
            for m in automaton.for_text(text).find_overlapping_iter(text) {
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
                            budget.take_match()?;
                            scan.hits.push(RawHit { detector, start: m.start(), end: m.end(), phrase: Some(phrase) });
                        }
                        PhraseUse::QuestionTopic { detector, phrase } => {
                            if let Some(i) = holding_question(m.start(), m.end()) {
                                budget.take_match()?;
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
            regexes.scan(text, &mut scan.hits, budget)?;
        }
        Ok(scan)
    }
}

impl RegexMatcher {
    /// `forward` and `reverse` are the NFAs of all of `syntax` together, without capture states.
    fn new(
        syntax: Vec<Hir>,
        sizes: Vec<usize>,
        detectors: Vec<u32>,
        forward: thompson::NFA,
        reverse: thompson::NFA,
    ) -> Self {
        // A lazy DFA only, without the meta regex's literal prefilter (extracting literals from
        // many alternations costs more to build than it saves when scanning short turns, measured
        // with callgrind on corpus text) or its NFA engines, whose caches grow with the patterns
        // times the states (the PikeVM keeps two slots per pattern in every state). If it cannot
        // be built, the patterns always run alone.
        let first = lazy_regex(forward, reverse, sizes.iter().sum());
        let each = syntax.iter().map(|_| OnceLock::new()).collect();
        RegexMatcher { first, each, syntax, sizes, detectors }
    }

    /// Pattern `index` alone. Single-pattern regexes only run on turns where the combined regex
    /// already matched (or could not tell), so they skip the literal prefilter (costly to build,
    /// little use there), and only the overall match span is ever needed, so no capture groups are
    /// compiled. Only the lazy DFA and, when it gives up, the PikeVM: the one-pass DFA only serves
    /// anchored searches and the backtracker would keep up to 256 KiB per pattern.
    fn single(&self, index: usize) -> &SingleRegex {
        self.each[index].get_or_init(|| {
            let syntax = std::slice::from_ref(&self.syntax[index]);
            // Both NFAs were built under `max_regex_size` when the rubric compiled; without a size
            // limit the only other ways to fail are syntax errors, which that build ruled out.
            // One forward NFA (with the implicit capture slots the PikeVM reports a match through)
            // serves both the lazy DFA and the PikeVM.
            let (forward, reverse) =
                nfas(syntax, thompson::WhichCaptures::Implicit, None).expect("checked at compile time");
            let dfa = lazy_regex(forward.clone(), reverse, self.sizes[index]);
            let nfa = Arc::new(PikeVM::new_from_nfa(forward).expect("checked at compile time"));
            let for_caches = Arc::clone(&nfa);
            let create: PikeCacheFn = Box::new(move || for_caches.create_cache());
            SingleRegex { dfa, nfa, nfa_caches: Pool::new(create) }
        })
    }

    /// The leftmost-first match of pattern `index` in `text` from `at` on. When its lazy DFA gives
    /// up, the NFA simulation searches instead, at a cost of about the pattern's compiled size per
    /// byte: the rest of the turn is charged to `budget` before it runs (so no search starts that
    /// could pass the limit), and what lay beyond the match is given back after.
    fn find(&self, index: usize, text: &str, at: usize, budget: &mut ScanBudget) -> Result<Option<Match>, Overrun> {
        let single = self.single(index);
        let input = Input::new(text).range(at..);
        if let Some((regex, pool)) = &single.dfa {
            if let Ok(found) = regex.try_search(&mut pool.get(), &input) {
                return Ok(found);
            }
        }
        let size = self.sizes[index] as u64;
        let cost = size.saturating_mul((text.len() - at) as u64);
        if cost > budget.fallback_left {
            return Err(Overrun::RegexWork { detector: self.detectors[index], limit: budget.fallback_limit });
        }
        let found = single.nfa.find(&mut single.nfa_caches.get(), input);
        let searched = found.map_or(text.len(), |m| m.end()) - at;
        budget.fallback_left -= size.saturating_mul(searched as u64).min(cost);
        Ok(found)
    }

    fn scan(&self, text: &str, hits: &mut Vec<RawHit>, budget: &mut ScanBudget) -> Result<(), Overrun> {
        // Leftmost semantics: no pattern matches anywhere before the first match's start. If the
        // combined search gave up, the patterns search the whole turn.
        let start = match &self.first {
            Some((regex, pool)) => match regex.try_search(&mut pool.get(), &Input::new(text)) {
                Ok(None) => return Ok(()),
                Ok(Some(first)) => first.start(),
                Err(_) => 0,
            },
            None => 0,
        };
        for (index, &detector) in self.detectors.iter().enumerate() {
            let mut at = start;
            while let Some(m) = self.find(index, text, at, budget)? {
                budget.take_match()?;
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
        Ok(())
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
    use proptest::prelude::*;

    use super::*;

    fn matcher(phrases: &[&str], regexes: &[&str]) -> Matcher {
        let mut builder = MatcherBuilder::default();
        for (i, phrase) in phrases.iter().enumerate() {
            assert!(builder.add_phrase(phrase, i));
        }
        for (i, regex) in regexes.iter().enumerate() {
            builder.add_regex(regex, phrases.len() + i, &Limits::default()).unwrap();
        }
        builder.build(&Limits::default()).unwrap()
    }

    fn found(m: &Matcher, text: &str) -> Vec<(u32, &'static str)> {
        let mut hits: Vec<(u32, String)> = m
            .scan(text, None, &mut ScanBudget::new(&Limits::default()))
            .unwrap()
            .hits
            .iter()
            .map(|h| (h.detector, text[h.start..h.end].to_string()))
            .collect();
        hits.sort();
        hits.into_iter().map(|(d, s)| (d, &*s.leak())).collect()
    }

    /// Every match, overlapping, in the order the automaton reports them.
    fn overlapping(automaton: &AhoCorasick, text: &str) -> Vec<(usize, usize, usize)> {
        automaton.find_overlapping_iter(text).map(|m| (m.pattern().as_usize(), m.start(), m.end())).collect()
    }

    /// Every `regex:` value of a YAML document, anywhere in it.
    fn regexes_in(value: &serde_yaml::Value, found: &mut Vec<String>) {
        match value {
            serde_yaml::Value::Mapping(map) => {
                for (key, value) in map {
                    match (key.as_str(), value.as_str()) {
                        (Some("regex"), Some(regex)) => found.push(regex.to_string()),
                        _ => regexes_in(value, found),
                    }
                }
            }
            serde_yaml::Value::Sequence(items) => items.iter().for_each(|item| regexes_in(item, found)),
            _ => {}
        }
    }

    /// The sizes `sizes_alone` reads off the NFAs of `set` together, and those `regex_size`
    /// measures building each alone.
    fn sizes_read_off_and_alone(set: &[Hir]) -> (Vec<usize>, Vec<usize>) {
        let (forward, reverse) = nfas(set, thompson::WhichCaptures::None, None).unwrap();
        let alone = set.iter().map(|hir| regex_size(hir, None).unwrap()).collect();
        (sizes_alone(set, &forward, &reverse), alone)
    }

    /// What `sizes_alone` reads off combined NFAs is what `regex_size` measures building each
    /// pattern alone: for every regex of the bundled rubrics, and for patterns anchored at either
    /// end, that never match, with Unicode classes, counted repetitions, groups and look-arounds,
    /// combined in both orders, alone and in pairs, and all anchored together.
    #[test]
    fn sizes_read_off_combined_nfas_equal_sizes_measured_alone() {
        let mut patterns = Vec::new();
        for name in crate::bundled::names() {
            let yaml: serde_yaml::Value = serde_yaml::from_str(crate::bundled::source(name).unwrap()).unwrap();
            regexes_in(&yaml, &mut patterns);
        }
        assert!(patterns.len() >= 30, "{}", patterns.len());
        let anchored = ["^abc", "^only$", "^(?:a|b)+c$"];
        patterns.extend(anchored.map(String::from));
        patterns.extend(
            [
                "abc$",
                "(?m)^x",
                "x(?m)$",
                r"\bfoo\b",
                r"(?u:\b)word(?u:\b)",
                "(a|b)+c",
                "(?:x){2,5}y",
                "[^.?!]{0,20}z",
                "é+",
                r"(?u:\w)+q",
                r"[^\s\S]a",
                "a|^b",
                "(?s:.)+",
                r"\d{3}-\d{4}",
                "Σ+ς",
                "x*y",
                "(foo)(?P<rest>bar)?",
                "[a-zа-я]+ё",
            ]
            .map(String::from),
        );
        let syntax: Vec<Hir> = patterns.iter().map(|p| regex_syntax_of(p).unwrap()).collect();
        let check = |indices: &[usize]| {
            let set: Vec<Hir> = indices.iter().map(|&i| syntax[i].clone()).collect();
            let (read_off, alone) = sizes_read_off_and_alone(&set);
            let named: Vec<&String> = indices.iter().map(|&i| &patterns[i]).collect();
            assert_eq!(read_off, alone, "{named:?}");
        };
        let n = syntax.len();
        check(&(0..n).collect::<Vec<_>>());
        check(&(0..n).rev().collect::<Vec<_>>());
        for i in 0..n {
            check(&[i]);
            check(&[i, (i + 1) % n]);
        }
        let first_anchored = patterns.iter().position(|p| p == anchored[0]).unwrap();
        check(&(first_anchored..first_anchored + anchored.len()).collect::<Vec<_>>());
    }

    /// A small regex grammar: literals, classes (ASCII, negated, Unicode), anchors, word
    /// boundaries, groups, alternations and repetitions, nested a few levels.
    fn regex_source() -> impl Strategy<Value = String> {
        let atom = proptest::sample::select(
            &["ab", "x", "[a-z]", "[^.?!]", r"\d", r"\w", "é", r"(?u:\w)", r"\b", "^", "$", r"\s"][..],
        )
        .prop_map(String::from);
        atom.prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 1..4).prop_map(|parts| parts.concat()),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("(?:{a}|{b})")),
                (inner.clone(), prop_oneof![Just("*"), Just("+"), Just("?"), Just("{1,3}"), Just("{0,5}?")])
                    .prop_map(|(a, r)| format!("(?:{a}){r}")),
                inner.prop_map(|a| format!("({a})")),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Whatever the regexes, the sizes read off their combined NFAs are the sizes each has
        /// alone, in every position among the others.
        #[test]
        fn any_regexes_sizes_read_off_equal_sizes_alone(sources in proptest::collection::vec(regex_source(), 1..6)) {
            let syntax: Vec<Hir> = sources.iter().filter_map(|p| regex_syntax_of(p).ok()).collect();
            prop_assume!(!syntax.is_empty());
            let (read_off, alone) = sizes_read_off_and_alone(&syntax);
            prop_assert_eq!(read_off, alone, "{:?}", sources);
        }
    }

    /// Measured together or one by one, a rubric's regexes get the same sizes, and a regex over a
    /// limit sends the build back to be measured one by one.
    #[test]
    fn regexes_measured_together_match_regexes_measured_one_by_one() {
        let regexes = [r"\b(we|the team)\b[^.?!]{0,80}\bi (wrote|built)\b", r"\bo\(n( log n)?\)", "^so"];
        let build = |measure: RegexMeasure, limits: &Limits| {
            let mut builder = MatcherBuilder::new(measure);
            for (i, regex) in regexes.iter().enumerate() {
                builder.add_regex(regex, i, limits)?;
            }
            Ok::<_, RegexRefusal>(builder.build(limits))
        };
        let limits = Limits::default();
        let sizes = |matcher: Matcher| matcher.regexes.unwrap().sizes;
        let together = sizes(build(RegexMeasure::Together, &limits).unwrap().unwrap());
        assert_eq!(together, sizes(build(RegexMeasure::OneByOne, &limits).unwrap().unwrap()));
        let largest = *together.iter().max().unwrap();
        let tight = Limits { max_regex_size: largest - 1, ..Limits::default() };
        assert_eq!(build(RegexMeasure::Together, &tight).unwrap().unwrap_err(), BuildRefusal::MeasureOneByOne);
        assert!(matches!(build(RegexMeasure::OneByOne, &tight), Err(RegexRefusal::TooLarge(_))));
        let total = together.iter().sum::<usize>();
        let tight = Limits { max_regex_total_size: total - 1, ..Limits::default() };
        assert_eq!(build(RegexMeasure::Together, &tight).unwrap().unwrap_err(), BuildRefusal::MeasureOneByOne);
        assert!(matches!(build(RegexMeasure::OneByOne, &tight), Err(RegexRefusal::TooLarge(_))));
        let exact = Limits { max_regex_size: largest, max_regex_total_size: total, ..Limits::default() };
        assert_eq!(sizes(build(RegexMeasure::Together, &exact).unwrap().unwrap()), together);
    }

    #[test]
    fn the_phrase_dfa_is_built_after_enough_text_and_finds_what_the_nfa_found() {
        let patterns: Vec<String> =
            ["edge case", "edge cases", "case", "a", "hash map", "map", "naïve", "ca"].map(String::from).to_vec();
        let automaton = PhraseAutomaton::new(patterns).unwrap();
        let text = "edge cases: a hash map, a naïve map; the edge case of a case";
        // Below the threshold the NFA scans and nothing is built.
        assert_eq!(automaton.for_text(text).kind(), AhoCorasickKind::ContiguousNFA);
        assert!(automaton.dfa.get().is_none());
        let by_nfa = overlapping(&automaton.nfa, text);
        // Overlapping: "edge case" and "edge cases" both match at the start.
        assert!(by_nfa.contains(&(0, 0, 9)) && by_nfa.contains(&(1, 0, 10)), "{by_nfa:?}");
        // The scan that takes the total past the threshold builds the DFA and uses it.
        let long = text.repeat(PHRASE_DFA_AFTER_BYTES / text.len() + 1);
        let dfa = automaton.for_text(&long);
        assert!(std::ptr::eq(dfa, automaton.dfa.get().unwrap()));
        assert_eq!(dfa.kind(), AhoCorasickKind::DFA);
        assert_eq!(overlapping(dfa, text), by_nfa);
        assert_eq!(overlapping(dfa, &long), overlapping(&automaton.nfa, &long));
        assert!(std::ptr::eq(automaton.for_text(text), dfa));
    }

    #[test]
    fn no_phrase_dfa_is_built_for_phrases_too_large_for_one() {
        let patterns: Vec<String> = (0..700).map(|i| format!("{i:0>100}")).collect();
        let automaton = PhraseAutomaton::new(patterns).unwrap();
        let long = "x".repeat(PHRASE_DFA_AFTER_BYTES + 1);
        assert_eq!(automaton.for_text(&long).kind(), AhoCorasickKind::ContiguousNFA);
        assert!(automaton.dfa.get().is_none());
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
        // The combined lazy DFA's cache (16 bytes per byte of the patterns) holds its few states
        // even for a one-letter regex.
        for m in [&m, &matcher(&[], &["x"])] {
            assert!(m.regexes.as_ref().unwrap().first.is_some());
        }
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
        let limits = Limits::default();
        assert!(builder.add_regex("a*", 0, &limits).unwrap_err().message().contains("empty string"));
        assert!(matches!(builder.add_regex("(unclosed", 0, &limits), Err(RegexRefusal::Invalid(_))));
        assert_eq!(builder.regex_count(), 0);
    }

    #[test]
    fn counted_repetitions_multiply_through_nesting_and_not_side_by_side() {
        let table: &[(&str, u64, &str)] = &[
            (r"\w{2500}", 2500, "`{2500}`"),
            (r"(?:\w{50}){50}", 2500, "`{50}` and `{50}`"),
            (r"((?:a{2}){3,}b){0,4}", 24, "`{0,4}` and `{3,}` and `{2}`"),
            (r"a{10}b{20}", 20, "`{20}`"),
            (r"(a{10}|b{30})c", 30, "`{30}`"),
            (r"\b(we|they)\b[^.?!]{0,120}?\b(but|and)\b", 120, "`{0,120}`"),
            (r"(?:a+b*c?){7}", 7, "`{7}`"),
            (r"(ab)+ x* y?", 1, ""),
        ];
        for &(pattern, times, chain) in table {
            let hir = regex_syntax::ParserBuilder::new().build().parse(&ascii_classes(pattern)).unwrap();
            let repeats = Repeats::of(&hir);
            assert_eq!((repeats.times, repeats.describe().as_str()), (times, chain), "{pattern}");
        }
    }

    /// Why `pattern` is refused, measured one by one; measured together, it is refused the same
    /// way when it is added or else sent back to be measured one by one when the matcher is built.
    fn refusal(pattern: &str, limits: &Limits) -> String {
        let message = match MatcherBuilder::new(RegexMeasure::OneByOne).add_regex(pattern, 0, limits) {
            Err(RegexRefusal::TooLarge(message)) => message,
            other => panic!("{pattern}: expected a limit refusal, got {other:?}"),
        };
        let mut together = MatcherBuilder::new(RegexMeasure::Together);
        match together.add_regex(pattern, 0, limits) {
            Err(refusal) => assert_eq!(refusal.message(), message),
            Ok(()) => assert_eq!(together.build(limits).unwrap_err(), BuildRefusal::MeasureOneByOne, "{pattern}"),
        }
        message
    }

    #[test]
    fn regexes_over_a_limit_are_refused_naming_the_limit() {
        let limits = Limits::default();
        assert_eq!(
            refusal(r"\w{2500}", &limits),
            "the counted repetition `{2500}` repeats a part of the regex 2500 times, over the limit of 500 \
             (max_regex_repetition)"
        );
        assert_eq!(
            refusal(r"(?:\w{50}){50}", &limits),
            "the counted repetitions `{50}` and `{50}` repeat a part of the regex 2500 times, over the limit of \
             500 (max_regex_repetition)"
        );
        // At the limit, and raised.
        MatcherBuilder::new(RegexMeasure::OneByOne).add_regex(r"\w{500}", 0, &limits).unwrap();
        MatcherBuilder::new(RegexMeasure::OneByOne)
            .add_regex(r"\w{2500}", 0, &Limits { max_regex_repetition: 2500, max_regex_size: 1 << 20, ..limits })
            .unwrap();
        // Few repetitions, many states: each `\p{L}` is thousands of UTF-8 states.
        let message = refusal(r"\p{L}{20}", &limits);
        assert!(message.starts_with("the compiled regex takes "), "{message}");
        assert!(message.ends_with("over the limit of 262144 bytes (max_regex_size)"), "{message}");
        // The reverse NFA counts too: `[^.?!]` is 3 times larger reversed.
        let wide = r"[^.?!]{1,400}";
        let size = regex_size(&regex_syntax::Parser::new().parse(wide).unwrap(), None).unwrap();
        let forward = nfa_size(
            &thompson::Compiler::new()
                .configure(thompson::Config::new().which_captures(thompson::WhichCaptures::Implicit))
                .build(wide)
                .unwrap(),
        );
        assert!(forward < limits.max_regex_size && size > limits.max_regex_size, "{forward} {size}");
        assert!(refusal(wide, &limits).ends_with("(max_regex_size)"));
    }

    #[test]
    fn the_regex_that_takes_the_rubric_over_the_total_is_refused_and_the_others_kept() {
        let limits = Limits { max_regex_total_size: 300_000, ..Limits::default() };
        let mut builder = MatcherBuilder::new(RegexMeasure::OneByOne);
        let mut added = 0;
        let message = loop {
            match builder.add_regex(r"\w{400}", added, &limits) {
                Ok(()) => added += 1,
                Err(refusal) => break refusal.message().to_string(),
            }
        };
        let size = builder.regex_sizes[0];
        assert_eq!((added, builder.regex_total_size), (2, 2 * size), "{message}");
        assert_eq!(
            message,
            format!(
                "the compiled regex takes {size} bytes, which brings the rubric's regexes to {} bytes, over the \
                 limit of 300000 bytes for all regexes together (max_regex_total_size)",
                3 * size
            )
        );
        // What was added still builds and searches.
        let m = builder.build(&limits).unwrap();
        assert_eq!(m.scan(&"a".repeat(900), None, &mut ScanBudget::new(&Limits::default())).unwrap().hits.len(), 4);
    }

    /// Text of `n` bytes, mostly `h`, with `a` and `z` about every `run` bytes: `[a-p]{w}` runs are
    /// cut by `z` and `[h-z]{w}` runs by `a`, so the two windows' positions vary independently.
    /// Every 20,000 bytes, 100 `h` and an `x`, which both `[a-p]{100}x` and `[h-z]{100}x` match.
    fn two_windows_text(n: usize, run: u64) -> String {
        let mut state = 42u64;
        (0..n)
            .map(|i| {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                match (i % 20_000, (state >> 33) % run) {
                    (19_999, _) => 'x',
                    (19_899.., _) | (_, 2..) => 'h',
                    (_, 0) => 'a',
                    (_, 1) => 'z',
                }
            })
            .collect()
    }

    #[test]
    fn every_match_is_taken_from_the_budget() {
        let mut builder = MatcherBuilder::default();
        builder.add_phrase("can i assume", 0);
        builder.add_regex(r"\d+ ms", 1, &Limits::default()).unwrap();
        builder.add_any_question(2);
        let m = builder.build(&Limits::default()).unwrap();
        // Two phrase matches, two regex matches and one question: five matches.
        let text = "can i assume 5 ms. can i assume 7 ms?";
        let questions = Some(QuestionScan { punctuated: true, ..QuestionScan::default() });
        let mut exact = ScanBudget::new(&Limits { max_matches: 5, ..Limits::default() });
        assert_eq!(m.scan(text, questions, &mut exact).unwrap().hits.len(), 5);
        assert_eq!(m.scan("x", questions, &mut exact).unwrap().hits.len(), 0, "a turn without matches costs none");
        assert_eq!(
            m.scan("can i assume", questions, &mut exact).unwrap_err(),
            Overrun::Matches { limit: 5 },
            "the budget is for the whole scoring, not one turn"
        );
        let mut short = ScanBudget::new(&Limits { max_matches: 4, ..Limits::default() });
        assert_eq!(m.scan(text, questions, &mut short).unwrap_err(), Overrun::Matches { limit: 4 });
    }

    #[test]
    fn regex_searches_by_nfa_simulation_are_charged_and_refused_beyond_the_budget() {
        // Overlapping windows inside one regex: its own lazy DFA gives up on text that varies both.
        let pattern = r"(?:[a-p]{100}|[h-z]{100})x";
        let m = matcher(&["unused"], &[pattern]);
        let text = two_windows_text(100_000, 50);
        let regexes = m.regexes.as_ref().unwrap();
        let size = regexes.sizes[0] as u64;
        let expected: Vec<(usize, usize)> =
            regex::Regex::new(pattern).unwrap().find_iter(&text).map(|m| (m.start(), m.end())).collect();
        assert_eq!(expected.len(), 5, "one match every 20,000 bytes");
        let mut budget = ScanBudget::new(&Limits::default());
        let before = budget.fallback_left;
        let hits: Vec<(usize, usize)> =
            m.scan(&text, None, &mut budget).unwrap().hits.iter().map(|h| (h.start, h.end)).collect();
        assert_eq!(hits, expected, "the NFA simulation finds what the DFA would");
        let spent = before - budget.fallback_left;
        // Charged for what was searched: up to the last match, then the rest of the turn.
        assert!(spent > 0 && spent <= size * text.len() as u64, "{spent} for {size} x {}", text.len());
        // A budget too small for the rest of the turn refuses before searching, naming the detector.
        let units = ((size * text.len() as u64) >> 20) as usize;
        let mut small = ScanBudget::new(&Limits { max_regex_fallback_work: units - 1, ..Limits::default() });
        assert_eq!(m.scan(&text, None, &mut small).unwrap_err(), Overrun::RegexWork { detector: 1, limit: units - 1 });
        let mut enough = ScanBudget::new(&Limits { max_regex_fallback_work: units + 1, ..Limits::default() });
        assert_eq!(m.scan(&text, None, &mut enough).unwrap().hits.len(), 5);
    }

    #[test]
    fn when_the_combined_search_gives_up_each_regex_still_finds_exactly_its_matches() {
        // Two overlapping windows: together their lazy DFA needs a state per pair of positions and
        // gives up; each alone needs a state per position.
        let patterns = [r"[a-p]{100}x", r"[h-z]{100}x", r"x[a-z]"];
        let m = matcher(&[], &patterns);
        let text = two_windows_text(100_000, 50);
        let regexes = m.regexes.as_ref().unwrap();
        let (combined, pool) = regexes.first.as_ref().unwrap();
        assert!(combined.try_search(&mut pool.get(), &Input::new(&text)).is_err(), "the combined search gives up");
        let mut hits: Vec<(u32, usize, usize)> = m
            .scan(&text, None, &mut ScanBudget::new(&Limits::default()))
            .unwrap()
            .hits
            .iter()
            .map(|h| (h.detector, h.start, h.end))
            .collect();
        hits.sort_unstable();
        let mut expected = Vec::new();
        for (i, pattern) in patterns.iter().enumerate() {
            let alone = regex::RegexBuilder::new(pattern).case_insensitive(true).build().unwrap();
            expected.extend(alone.find_iter(&text).map(|m| (i as u32, m.start(), m.end())));
        }
        expected.sort_unstable();
        assert_eq!(expected.len(), 3 * 5 - 1, "two windows and what follows at each of 5 marks, the last at the end");
        assert_eq!(hits, expected);
    }

    #[test]
    fn search_caches_stay_within_their_bound_on_hostile_text() {
        // The widest windows the default limits allow, on text that fills them: one long word, and
        // the two-window text, on which the last pattern's own lazy DFA fills its cache.
        let patterns = [r"\w{500}", r"a{500}", r"[a-p]{100}x", r"[h-z]{100}x", r"(?:[a-p]{100}|[h-z]{100})y"];
        let m = matcher(&[], &patterns);
        let regexes = m.regexes.as_ref().unwrap();
        let total: usize = regexes.sizes.iter().sum();
        let texts = ["a".repeat(100_000), two_windows_text(100_000, 50)];
        for text in &texts {
            assert!(!m.scan(text, None, &mut ScanBudget::new(&Limits::default())).unwrap().hits.is_empty());
        }
        let (combined, _) = regexes.first.as_ref().unwrap();
        let mut cache = combined.create_cache();
        for text in &texts {
            let _ = combined.try_search(&mut cache, &Input::new(text));
        }
        // Forward and reverse lazy DFAs, each within its capacity (plus per-state scratch space
        // proportional to the NFA, which the capacity does not count).
        assert!(cache.memory_usage() <= 2 * CACHE_PER_BYTE * total + 2 * total, "{} > {total}", cache.memory_usage());
        for (index, &size) in regexes.sizes.iter().enumerate() {
            let single = regexes.single(index);
            let (dfa, _) = single.dfa.as_ref().unwrap();
            let mut dfa_cache = dfa.create_cache();
            let mut nfa_cache = single.nfa.create_cache();
            let mut gave_up = false;
            for text in &texts {
                let mut at = 0;
                loop {
                    let input = Input::new(text).range(at..);
                    let found = dfa.try_search(&mut dfa_cache, &input).unwrap_or_else(|_| {
                        gave_up = true;
                        single.nfa.find(&mut nfa_cache, input)
                    });
                    let Some(found) = found else { break };
                    at = found.end();
                }
            }
            assert_eq!(gave_up, index == 4, "only the two-window pattern's own lazy DFA gives up");
            // The two lazy DFAs, and the PikeVM's thread lists and slots (48 bytes a state, and a
            // state takes at least 24 bytes of the size).
            let used = dfa_cache.memory_usage() + nfa_cache.memory_usage();
            let bound = 2 * CACHE_PER_BYTE * size + 2 * size;
            assert!(used <= bound, "{}: {used} > {bound}", patterns[index]);
        }
    }

    #[test]
    fn question_topics_match_inside_questions_only() {
        let mut builder = MatcherBuilder::default();
        builder.add_question_topic("empty", 0);
        builder.add_any_question(1);
        builder.add_filler("um");
        let m = builder.build(&Limits::default()).unwrap();
        let text = "um the list is empty. um can it be empty?";
        let scan = m
            .scan(
                text,
                Some(QuestionScan { punctuated: true, ..QuestionScan::default() }),
                &mut ScanBudget::new(&Limits::default()),
            )
            .unwrap();
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
        let scan = m
            .scan(
                text,
                Some(QuestionScan { punctuated: true, ..QuestionScan::default() }),
                &mut ScanBudget::new(&Limits::default()),
            )
            .unwrap();
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
            let scan = m.scan(text, None, &mut ScanBudget::new(&Limits::default())).unwrap();
            assert_eq!((scan.fillers, scan.backchannels), (fillers, backchannels), "{text:?}");
        }
    }
}
