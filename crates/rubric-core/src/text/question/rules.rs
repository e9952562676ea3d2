//! Hand-written question cues: how a clause opens ("can i assume", "what should", "i was
//! wondering") and how a sentence ends (", right"). They were the whole detector once; now they are
//! features of the trained model (see [`super::features`]), which weighs them against everything
//! else in the sentence, and they name the cue in the evidence.
//!
//! A clause opens like a question with an auxiliary or modal followed by a subject ("can i assume
//! ...", "is the input sorted"), or a wh-word followed by what makes it a question ("what should
//! happen if ...", "how many ...", "whats the range"). Leading fillers ("so", "okay", "um") are
//! skipped. "what ill do is ..." is a statement: a wh-word followed by a subject does not count.

use crate::text::segment::words;
use crate::text::WordSet;

/// A hand-written cue found in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// An auxiliary or modal before a subject: "can i", "is the".
    AuxiliarySubject,
    /// A wh-word followed by what makes it a question: "what should", "how many".
    WhQuestion,
    /// "whats", "hows": a contracted wh-word.
    WhContraction,
    /// "i was wondering", "just to confirm".
    AskingOpener,
    /// ", right" / ", is that correct" at the end.
    ConfirmationTag,
}

impl Cue {
    /// The name used in model features and in evidence.
    pub fn name(self) -> &'static str {
        match self {
            Self::AuxiliarySubject => "auxiliary before a subject",
            Self::WhQuestion => "wh-question opener",
            Self::WhContraction => "contracted wh-word",
            Self::AskingOpener => "asking phrase",
            Self::ConfirmationTag => "confirmation tag",
        }
    }
}

const LEADING_FILLERS_LIST: &[&str] = &[
    "so", "okay", "ok", "and", "but", "um", "uh", "umm", "uhm", "er", "erm", "well", "alright", "right", "then",
    "also", "just", "hmm", "oh", "yeah", "yes", "now", "sorry", "actually", "like", "quick", "question", "one", "hey",
    "cool", "great", "got", "it", "sure", "first", "second", "another",
];
static LEADING_FILLERS: WordSet = WordSet::new(LEADING_FILLERS_LIST);

const AUXILIARIES_LIST: &[&str] = &[
    "can", "could", "should", "would", "will", "shall", "may", "might", "must", "do", "does", "did", "is", "are",
    "was", "were", "am", "have", "has", "had", "cant", "couldnt", "shouldnt", "wouldnt", "wont", "dont", "doesnt",
    "didnt", "isnt", "arent", "wasnt", "werent", "havent", "hasnt",
];
static AUXILIARIES: WordSet = WordSet::new(AUXILIARIES_LIST);

const SUBJECTS_LIST: &[&str] = &[
    "i",
    "we",
    "you",
    "it",
    "they",
    "he",
    "she",
    "this",
    "that",
    "there",
    "the",
    "a",
    "an",
    "these",
    "those",
    "my",
    "our",
    "your",
    "its",
    "their",
    "each",
    "every",
    "any",
    "all",
    "some",
    "input",
    "inputs",
    "everything",
];
static SUBJECTS: WordSet = WordSet::new(SUBJECTS_LIST);

const WH_WORDS_LIST: &[&str] = &["what", "how", "which", "where", "when", "why", "who", "whom", "whose"];
static WH_WORDS: WordSet = WordSet::new(WH_WORDS_LIST);

/// Words after a wh-word that make it a question rather than a relative clause.
const WH_FOLLOWERS_LIST: &[&str] = &[
    "is", "are", "was", "were", "do", "does", "did", "should", "would", "could", "can", "will", "shall", "might", "if",
    "about", "kind", "sort", "type", "types", "happens", "happened", "many", "much", "big", "large", "long", "often",
    "fast", "far", "small", "exactly", "else", "range", "size", "format", "sorts", "kinds", "isnt", "arent", "dont",
    "doesnt", "shouldnt", "wouldnt", "cant", "range", "order", "scale", "part",
];
static WH_FOLLOWERS: WordSet = WordSet::new(WH_FOLLOWERS_LIST);

/// Contracted wh-words ("what's" folds to "whats") are questions whatever follows.
const WH_CONTRACTIONS_LIST: &[&str] = &["whats", "hows", "wheres", "whos", "whens", "whys", "whatre", "whatll"];
static WH_CONTRACTIONS: WordSet = WordSet::new(WH_CONTRACTIONS_LIST);

/// Phrases that turn a clause into a request for information.
const ASKING_OPENERS: &[&[&str]] = &[
    &["i", "was", "wondering"],
    &["im", "wondering"],
    &["i", "wonder"],
    &["any", "idea"],
    &["any", "constraints"],
    &["just", "to", "confirm"],
    &["just", "to", "clarify"],
    &["to", "clarify"],
    &["let", "me", "ask"],
    &["can", "you", "tell", "me"],
];

// The first words of ASKING_OPENERS are listed again in `opening_cue`; a test checks they agree.
const CONFIRMATION_TAGS: &[&[&str]] = &[
    &["right"],
    &["correct"],
    &["is", "that", "right"],
    &["is", "that", "correct"],
    &["is", "that", "ok"],
    &["is", "that", "okay"],
    &["does", "that", "make", "sense"],
    &["make", "sense"],
    &["yeah"],
];

/// The first hand-written cue in the folded `sentence`, if any: a confirmation tag at its end, else
/// the opener of its first clause (split at `,`, `;`, `:`) that opens like a question.
pub fn find_cue(sentence: &str) -> Option<Cue> {
    let trimmed = sentence.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '"' | ')' | '?' | '.' | '!'));
    if ends_with_confirmation_tag(trimmed) {
        return Some(Cue::ConfirmationTag);
    }
    trimmed.split([',', ';', ':']).find_map(clause_opening_cue)
}

/// Only the first words of a clause decide whether it opens like a question.
const OPENING_WORDS: usize = 16;

fn clause_opening_cue(clause: &str) -> Option<Cue> {
    let mut buffer = [""; OPENING_WORDS];
    let mut len = 0;
    for word in words(clause).take(OPENING_WORDS) {
        buffer[len] = word;
        len += 1;
    }
    let all = &buffer[..len];
    let mut skipped = 0;
    while skipped < all.len() && LEADING_FILLERS.contains(all[skipped]) {
        // "so can i", "okay what if": stop skipping once a real opener is found, because "one"
        // and "it" are fillers only in "got it" / "one question".
        if let Some(cue) = opening_cue(&all[skipped..]) {
            return Some(cue);
        }
        skipped += 1;
    }
    opening_cue(&all[skipped..])
}

fn opening_cue(words: &[&str]) -> Option<Cue> {
    let (&first, second) = (words.first()?, words.get(1).copied());
    // Only a few words start an asking phrase; comparing every phrase at every word was most of
    // this function's cost.
    if matches!(first, "i" | "im" | "any" | "just" | "to" | "let" | "can")
        && ASKING_OPENERS.iter().any(|opener| words.starts_with(opener))
    {
        return Some(Cue::AskingOpener);
    }
    if WH_CONTRACTIONS.contains(first) {
        return Some(Cue::WhContraction);
    }
    let second = second?;
    if AUXILIARIES.contains(first) {
        return SUBJECTS.contains(second).then_some(Cue::AuxiliarySubject);
    }
    (WH_WORDS.contains(first) && WH_FOLLOWERS.contains(second)).then_some(Cue::WhQuestion)
}

fn ends_with_confirmation_tag(sentence: &str) -> bool {
    // The tag must follow a comma: "the input is sorted, right" but not "that's right".
    let Some(comma) = sentence.rfind(',') else {
        return false;
    };
    let tail = &sentence[comma + 1..];
    let count = words(tail).count();
    count > 0 && CONFIRMATION_TAGS.iter().any(|tag| tag.len() == count && words(tail).eq(tag.iter().copied()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asking_phrase_is_found() {
        for opener in ASKING_OPENERS {
            let sentence = opener.join(" ") + " whether it is sorted";
            assert_eq!(find_cue(&sentence), Some(Cue::AskingOpener), "{sentence:?}");
        }
    }

    #[test]
    fn finds_the_cue_that_opens_or_ends_a_question() {
        let table = [
            ("can i assume the input fits in memory", Some(Cue::AuxiliarySubject)),
            ("what should happen if the list is empty", Some(Cue::WhQuestion)),
            ("so um is the array sorted", Some(Cue::AuxiliarySubject)),
            ("okay and how many elements can there be", Some(Cue::WhQuestion)),
            ("whats the range of values", Some(Cue::WhContraction)),
            ("the input is sorted, right", Some(Cue::ConfirmationTag)),
            ("the input is sorted, right?", Some(Cue::ConfirmationTag)),
            ("i was wondering if duplicates are allowed", Some(Cue::AskingOpener)),
            ("doesnt that break for empty input", Some(Cue::AuxiliarySubject)),
            ("got it, do we care about memory", Some(Cue::AuxiliarySubject)),
            ("what ill do is sort the array", None),
            ("i can assume the input fits", None),
            ("how i would approach it is with a heap", None),
            ("thats right", None),
            ("the array is sorted", None),
            ("", None),
            ("so", None),
        ];
        for (sentence, expected) in table {
            assert_eq!(find_cue(sentence), expected, "sentence {sentence:?}");
        }
    }
}
