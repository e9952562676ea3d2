//! Question detection that works with and without a trailing `?`.
//!
//! Speech-to-text output rarely has question marks, so a sentence is a question when it ends in `?`,
//! when it (or one of its comma-separated clauses) opens like a question — an auxiliary or modal
//! followed by a subject ("can i assume ...", "is the input sorted"), or a wh-word followed by what
//! makes it a question ("what should happen if ...", "how many ...", "whats the range") — or when it
//! ends in a confirmation tag (", right", ", correct"). Leading fillers ("so", "okay", "um") are
//! skipped. "what ill do is ..." is a statement: a wh-word followed by a subject does not count.

use super::segment::words;

const LEADING_FILLERS: &[&str] = &[
    "so", "okay", "ok", "and", "but", "um", "uh", "umm", "uhm", "er", "erm", "well", "alright", "right", "then",
    "also", "just", "hmm", "oh", "yeah", "yes", "now", "sorry", "actually", "like", "quick", "question", "one", "hey",
    "cool", "great", "got", "it", "sure", "first", "second", "another",
];

const AUXILIARIES: &[&str] = &[
    "can", "could", "should", "would", "will", "shall", "may", "might", "must", "do", "does", "did", "is", "are",
    "was", "were", "am", "have", "has", "had", "cant", "couldnt", "shouldnt", "wouldnt", "wont", "dont", "doesnt",
    "didnt", "isnt", "arent", "wasnt", "werent", "havent", "hasnt",
];

const SUBJECTS: &[&str] = &[
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

const WH_WORDS: &[&str] = &["what", "how", "which", "where", "when", "why", "who", "whom", "whose"];

/// Words after a wh-word that make it a question rather than a relative clause.
const WH_FOLLOWERS: &[&str] = &[
    "is", "are", "was", "were", "do", "does", "did", "should", "would", "could", "can", "will", "shall", "might", "if",
    "about", "kind", "sort", "type", "types", "happens", "happened", "many", "much", "big", "large", "long", "often",
    "fast", "far", "small", "exactly", "else", "range", "size", "format", "sorts", "kinds", "isnt", "arent", "dont",
    "doesnt", "shouldnt", "wouldnt", "cant", "range", "order", "scale", "part",
];

/// Contracted wh-words ("what's" folds to "whats") are questions whatever follows.
const WH_CONTRACTIONS: &[&str] = &["whats", "hows", "wheres", "whos", "whens", "whys", "whatre", "whatll"];

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

/// Whether the folded `sentence` is a question.
pub fn is_question(sentence: &str) -> bool {
    let trimmed = sentence.trim_end_matches(|c: char| c.is_whitespace() || c == '"' || c == ')');
    if trimmed.ends_with('?') {
        return true;
    }
    if ends_with_confirmation_tag(trimmed) {
        return true;
    }
    trimmed.split([',', ';', ':']).any(clause_opens_like_question)
}

/// Only the first words of a clause decide whether it opens like a question.
const OPENING_WORDS: usize = 16;

fn clause_opens_like_question(clause: &str) -> bool {
    let mut buffer = [""; OPENING_WORDS];
    let mut len = 0;
    for word in words(clause).take(OPENING_WORDS) {
        buffer[len] = word;
        len += 1;
    }
    let all = &buffer[..len];
    let mut skipped = 0;
    while skipped < all.len() && LEADING_FILLERS.contains(&all[skipped]) {
        // "so can i", "okay what if": stop skipping once a real opener is found, because "one"
        // and "it" are fillers only in "got it" / "one question".
        if opens_question(&all[skipped..]) {
            return true;
        }
        skipped += 1;
    }
    opens_question(&all[skipped..])
}

fn opens_question(words: &[&str]) -> bool {
    let (Some(&first), second) = (words.first(), words.get(1).copied()) else {
        return false;
    };
    if ASKING_OPENERS.iter().any(|opener| words.starts_with(opener)) {
        return true;
    }
    if WH_CONTRACTIONS.contains(&first) {
        return true;
    }
    let Some(second) = second else {
        return false;
    };
    if AUXILIARIES.contains(&first) {
        return SUBJECTS.contains(&second);
    }
    WH_WORDS.contains(&first) && WH_FOLLOWERS.contains(&second)
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
    fn recognises_questions_with_and_without_question_marks() {
        let table = [
            ("can i assume the input fits in memory", true),
            ("what should happen if the list is empty", true),
            ("so um is the array sorted", true),
            ("okay and how many elements can there be", true),
            ("whats the range of values", true),
            ("the input is sorted, right", true),
            ("i was wondering if duplicates are allowed", true),
            ("should we handle negative numbers", true),
            ("doesnt that break for empty input", true),
            ("got it, do we care about memory", true),
            ("is this ok?", true),
            ("what ill do is sort the array", false),
            ("i can assume the input fits", false),
            ("how i would approach it is with a heap", false),
            ("thats right", false),
            ("the array is sorted", false),
            ("", false),
            ("so", false),
        ];
        for (sentence, expected) in table {
            assert_eq!(is_question(sentence), expected, "sentence {sentence:?}");
        }
    }
}
