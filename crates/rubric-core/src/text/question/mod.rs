//! Question detection that works with and without a trailing `?`.
//!
//! Speech-to-text output often has no reliable `?`, and spoken questions are often not shaped like
//! written ones ("so you want the indices, right", "or is it sorted", "what year are you looking
//! for"). So the transcript decides how a question is found:
//! - a transcript that uses `?` anywhere is trusted to use it: a sentence is a question when it ends
//!   with `?` (on meeting speech the question mark alone had precision 0.87 and recall 1.00, which
//!   no reading of the words comes close to);
//! - in a transcript without any `?`, a small trained model ([`model`]) reads each sentence's words
//!   ([`features`]) and what was said around it ([`sentence_context`]), and says how likely it is a
//!   question.
//!
//! Either way the evidence says why: the question mark, or the model's probability with the
//! features that weighed most. `VALIDITY.md` has the measured precision and recall.

pub mod features;
pub mod model;
pub mod rules;

pub use features::{reply_word, tail_text, QuestionContext};
pub use model::{ModelError, ModelErrorKind, QuestionModel};

/// Why a sentence was taken as a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detection {
    /// It ends with `?` in a transcript that uses question marks.
    QuestionMark,
    /// The model scored it at or above its threshold; the score is in weight units.
    Model { score: i32 },
}

/// What the engine knows of the turns around a turn, the same for each of its sentences.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TurnContext<'a> {
    /// Another speaker talks next, or nobody does.
    pub ends_turn: bool,
    /// The first folded word of the next turn: the reply when `ends_turn`, else the same
    /// speaker's next words.
    pub next_word: Option<&'a str>,
    /// The folded end of the previous turn ([`tail_text`]), if any.
    pub previous: Option<&'a str>,
    /// That previous turn is another speaker's (or there is none).
    pub previous_is_other: bool,
}

impl<'a> TurnContext<'a> {
    /// The context of a sentence that is the whole turn: what the turns around it say. The
    /// corpus measurement reads each tagged segment this way.
    pub fn alone(self) -> QuestionContext<'a> {
        QuestionContext {
            ends_turn: self.ends_turn,
            reply: self.next_word.filter(|_| self.ends_turn),
            next: self.next_word.filter(|_| !self.ends_turn),
            previous: self.previous,
            opens_turn: self.previous_is_other,
        }
    }
}

/// The context of sentence `index` of the folded turn `text`, whose sentences are `sentences`:
/// the turn's own neighbours ([`TurnContext::alone`]), where a sentence of the same turn is not
/// nearer. The scan and the explanation of a question both read it here, so they weigh the same
/// features.
pub fn sentence_context<'a>(
    text: &'a str,
    sentences: &[std::ops::Range<usize>],
    index: usize,
    turn: TurnContext<'a>,
) -> QuestionContext<'a> {
    let mut context = turn.alone();
    if let Some(after) = sentences.get(index + 1) {
        context.ends_turn = false;
        context.reply = None;
        context.next = crate::text::segment::words(&text[after.clone()]).next();
    }
    if let Some(before) = index.checked_sub(1) {
        context.previous = Some(&text[sentences[before].clone()]);
        context.opens_turn = false;
    }
    context
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
    fn each_sentence_reads_its_neighbours_and_the_turn_reads_the_turns_around_it() {
        let text = "okay. is it sorted. or not";
        let sentences = crate::text::segment::sentences(text);
        assert_eq!(sentences.len(), 3);
        let turn = TurnContext {
            ends_turn: true,
            next_word: Some("yeah"),
            previous: Some("we sort it"),
            previous_is_other: true,
        };
        let first = sentence_context(text, &sentences, 0, turn);
        assert_eq!(
            (first.previous, first.opens_turn, first.next, first.ends_turn),
            (Some("we sort it"), true, Some("is"), false)
        );
        let middle = sentence_context(text, &sentences, 1, turn);
        assert_eq!((middle.previous, middle.opens_turn, middle.next), (Some("okay."), false, Some("or")));
        let last = sentence_context(text, &sentences, 2, turn);
        assert_eq!((last.ends_turn, last.reply, last.next), (true, Some("yeah"), None));
        let one = crate::text::segment::sentences("right");
        let alone = sentence_context("right", &one, 0, turn);
        assert_eq!(alone, turn.alone(), "a one-sentence turn reads the turns around it alone");
        assert_eq!(
            (alone.reply, alone.next, alone.previous, alone.opens_turn),
            (Some("yeah"), None, Some("we sort it"), true)
        );
        let continued = sentence_context(text, &sentences, 2, TurnContext { ends_turn: false, ..turn });
        assert_eq!((continued.ends_turn, continued.reply, continued.next), (false, None, Some("yeah")));
    }

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
