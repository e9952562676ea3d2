//! Question detection that works with and without a trailing `?`.
//!
//! Speech-to-text output often has no reliable `?`, and spoken questions are often not shaped like
//! written ones ("so you want the indices, right", "or is it sorted", "what year are you looking
//! for"). So the transcript decides how a question is found:
//! - a transcript that uses `?` anywhere is trusted to use it: a sentence is a question when it ends
//!   with `?` (on meeting speech the question mark alone had precision 0.87 and recall 1.00, which
//!   no reading of the words comes close to);
//! - in a transcript without any `?`, a small trained model ([`model`]) reads each sentence's words
//!   ([`features`]) and the turn around it, and says how likely it is a question.
//!
//! Either way the evidence says why: the question mark, or the model's probability with the
//! features that weighed most. `VALIDITY.md` has the measured precision and recall.

pub mod features;
pub mod model;
pub mod rules;

pub use features::{reply_word, QuestionContext};
pub use model::{ModelError, ModelErrorKind, QuestionModel};

/// Why a sentence was taken as a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detection {
    /// It ends with `?` in a transcript that uses question marks.
    QuestionMark,
    /// The model scored it at or above its threshold; the score is in weight units.
    Model { score: i32 },
}

/// Whether the folded `sentence` is a question. `punctuated`: the transcript uses `?` anywhere.
pub fn detect(sentence: &str, context: QuestionContext<'_>, punctuated: bool) -> Option<Detection> {
    if punctuated {
        return ends_with_question_mark(sentence).then_some(Detection::QuestionMark);
    }
    let model = QuestionModel::bundled();
    let score = model.score(sentence, context);
    (score >= model.threshold()).then_some(Detection::Model { score })
}

/// Whether a sentence ends with `?`, before closing quotes and brackets.
pub fn ends_with_question_mark(sentence: &str) -> bool {
    sentence.trim_end_matches(|c: char| c.is_whitespace() || c == '"' || c == ')').ends_with('?')
}

/// Whether a transcript's text uses question marks at all.
pub fn uses_question_marks<'a>(texts: impl IntoIterator<Item = &'a str>) -> bool {
    texts.into_iter().any(|t| t.contains('?'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuated_transcripts_trust_the_question_mark() {
        let none = QuestionContext::default();
        assert_eq!(detect("is it sorted?", none, true), Some(Detection::QuestionMark));
        assert_eq!(detect("(is it sorted?)", none, true), Some(Detection::QuestionMark));
        assert_eq!(detect("can i assume the input fits", none, true), None);
        assert!(uses_question_marks(["a.", "b?"]));
        assert!(!uses_question_marks(["a.", "b"]));
    }

    #[test]
    fn unpunctuated_speech_is_read_by_the_model() {
        let none = QuestionContext::default();
        let table = [
            ("can i assume the input fits in memory", true),
            ("what should happen if the list is empty", true),
            ("do you want the indices or the values", true),
            ("are you looking for the indices", true),
            ("how many elements can there be", true),
            ("i will sort the array first", false),
            ("the array is sorted", false),
            ("yeah that makes sense", false),
            ("it was a while ago so i dont remember", false),
            ("which is part of why its used", false),
        ];
        for (sentence, expected) in table {
            assert_eq!(detect(sentence, none, false).is_some(), expected, "{sentence:?}");
        }
    }
}
