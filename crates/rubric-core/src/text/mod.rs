//! Text processing on one turn: folding with an offset map, sentences and clauses, question
//! detection and negation scope.

pub mod hedge;
pub mod negation;
pub mod normalize;
pub mod question;
pub mod segment;

pub use negation::NegationRules;
pub use normalize::{is_word_char, normalize_phrase, NormalizedText};
