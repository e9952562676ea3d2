//! Text processing on one turn: folding with an offset map, sentences and clauses, question
//! detection and negation scope.

pub mod hedge;
pub mod negation;
pub mod normalize;
pub mod question;
pub mod segment;
pub mod span;

pub use negation::NegationRules;
pub use normalize::{is_word_char, normalize_phrase, NormalizedText};
pub use span::Span;

/// A fixed list of folded words, looked up by hash (foldhash, fixed seed) once first used: the
/// question cues and features look up several such lists for every word of every sentence.
#[derive(Debug)]
pub struct WordSet {
    words: &'static [&'static str],
    set: std::sync::OnceLock<std::collections::HashSet<&'static str, foldhash::fast::FixedState>>,
}

impl WordSet {
    pub const fn new(words: &'static [&'static str]) -> Self {
        Self { words, set: std::sync::OnceLock::new() }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.set.get_or_init(|| self.words.iter().copied().collect()).contains(word)
    }
}
