//! NegEx-style negation scope for mentions in folded text.
//!
//! A mention is negated when a cue ("didnt", "no need", "without") stands within a few words before
//! it in the same clause, or a post-cue ("not needed") follows it in the same clause. Pseudo-negations
//! ("not sure", "dont know") contain a cue word but negate nothing. Cues are word sequences in folded
//! form, so apostrophes and case never matter.

use std::collections::HashSet;

use foldhash::fast::FixedState;

use super::normalize::normalize_phrase;
use super::segment::{words, words_after, words_before};

const PRE_CUES: &[&str] = &[
    "not",
    "no",
    "never",
    "dont",
    "didnt",
    "doesnt",
    "isnt",
    "arent",
    "wasnt",
    "werent",
    "wont",
    "cant",
    "cannot",
    "couldnt",
    "shouldnt",
    "wouldnt",
    "havent",
    "hasnt",
    "hadnt",
    "without",
    "skip",
    "skipped",
    "skipping",
    "neither",
    "nor",
    "forgot",
    "no need",
    "not going to",
    "wont bother",
];

const POST_CUES: &[&str] = &[
    "not needed",
    "not necessary",
    "isnt needed",
    "isnt necessary",
    "wasnt needed",
    "doesnt matter",
    "is unnecessary",
    "are unnecessary",
    "arent needed",
    "arent necessary",
];

/// Phrases with a cue word that negate nothing after them: hedges ("not sure"), formulas ("no
/// problem") and quantifiers, where the negation bounds a number rather than denying the thing
/// ("no single element reaches seven" is about the single-element case; "no more than ten
/// duplicates" allows duplicates).
const PSEUDO_NEGATIONS: &[&str] = &[
    "not sure",
    "no problem",
    "not only",
    "not just",
    "no worries",
    "dont know",
    "no doubt",
    "not bad",
    "no matter",
    "no single",
    "no more than",
    "no less than",
    "no fewer than",
    "not more than",
    "not less than",
    "no longer than",
    "no bigger than",
    "no larger than",
    "no smaller than",
    "nothing else but",
    "nothing but",
    "not necessarily",
];

/// The compiled negation settings of one rubric.
#[derive(Debug, Clone)]
pub struct NegationRules {
    window: usize,
    pre_cues: Vec<Vec<String>>,
    post_cues: Vec<Vec<String>>,
    pseudo: Vec<Vec<String>>,
    /// Every word that starts a cue or a post-cue: most mentions have none of these nearby, and
    /// then no cue needs to be compared at all. Hashed (foldhash, fixed seed): every word around
    /// every mention is looked up here, and a binary search over the ~35 words cost a dozen string
    /// comparisons per lookup.
    cue_starts: HashSet<String, FixedState>,
}

fn split(phrases: impl IntoIterator<Item = impl AsRef<str>>) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = phrases
        .into_iter()
        .map(|p| words(&normalize_phrase(p.as_ref())).map(str::to_string).collect::<Vec<_>>())
        .filter(|w| !w.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

impl NegationRules {
    /// The most words a negation reaches. The clause usually ends it first: at punctuation, at a
    /// terminator ("but", "so", "because") or at "and"/"or" before a new subject.
    pub const DEFAULT_WINDOW: usize = 8;

    /// The built-in cues plus the rubric's own.
    pub fn new(window: usize, extra_pre: &[String], extra_post: &[String]) -> Self {
        let pre_cues = split(PRE_CUES.iter().copied().map(str::to_string).chain(extra_pre.iter().cloned()));
        let post_cues = split(POST_CUES.iter().copied().map(str::to_string).chain(extra_post.iter().cloned()));
        let cue_starts = pre_cues.iter().chain(&post_cues).map(|cue| cue[0].clone()).collect();
        Self { window, pre_cues, post_cues, pseudo: split(PSEUDO_NEGATIONS), cue_starts }
    }

    /// Whether any word of folded `text` starts a cue or a post-cue. When none does, no mention in
    /// the text can be negated, and [`Self::negation_cue`] would return `None` for every one of
    /// them: most turns of real conversation have no cue word, so one pass over the turn saves a
    /// scope scan per mention.
    pub fn has_cue_word(&self, text: &str) -> bool {
        words(text).any(|w| self.cue_starts.contains(w))
    }

    /// The cue that negates the mention at `start..end` of folded `text`, if any.
    pub fn negation_cue(&self, text: &str, start: usize, end: usize) -> Option<String> {
        let before = words_before(text, start, self.window + 2);
        let after = words_after(text, end, self.window);
        let starts_cue = |w: &&str| self.cue_starts.contains(*w);
        if !before.iter().chain(&after).any(starts_cue) {
            return None;
        }
        // The scope is `window` words; the two extra words let a multi-word cue or a pseudo-negation
        // that starts just outside the window be seen whole.
        let scope_start = before.len().saturating_sub(self.window);
        // Nearest cue first: it is the one that governs the mention.
        for (i, word) in before.iter().enumerate().skip(scope_start).rev() {
            if !starts_cue(word) {
                continue;
            }
            // Cues are sorted, so those starting with this word are one run. The longest cue wins,
            // so "no need to" is reported rather than "no".
            let first = self.pre_cues.partition_point(|cue| cue[0].as_str() < *word);
            let longest = self.pre_cues[first..]
                .iter()
                .take_while(|cue| cue[0] == *word)
                .filter(|cue| matches_at(&before, i, cue))
                .max_by_key(|cue| cue.len());
            if let Some(cue) = longest {
                let pseudo = self.pseudo.iter().any(|p| (0..p.len()).any(|k| i >= k && matches_at(&before, i - k, p)))
                    || self.pseudo.iter().any(|p| matches_at_or_beyond(&before, i, p, text, start));
                if !pseudo {
                    return Some(cue.join(" "));
                }
            }
        }
        for (i, word) in after.iter().enumerate() {
            if !starts_cue(word) {
                continue;
            }
            if let Some(cue) = self.post_cues.iter().find(|cue| matches_at(&after, i, cue)) {
                return Some(cue.join(" "));
            }
        }
        None
    }
}

fn matches_at(words: &[&str], at: usize, phrase: &[String]) -> bool {
    words.len() >= at + phrase.len() && phrase.iter().zip(&words[at..]).all(|(p, w)| p == w)
}

/// A pseudo-negation that begins at `at` and runs into the mention itself ("not sure" where the
/// mention is "sure ..."): checked against the words from `at` to the mention's first word.
fn matches_at_or_beyond(before: &[&str], at: usize, pseudo: &[String], text: &str, start: usize) -> bool {
    let mut sequence: Vec<&str> = before[at..].to_vec();
    sequence.extend(words(&text[start..]).take(pseudo.len()));
    matches_at(&sequence, 0, pseudo)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(text: &str, mention: &str) -> Option<String> {
        let rules = NegationRules::new(NegationRules::DEFAULT_WINDOW, &[], &[]);
        let start = text.find(mention).unwrap();
        rules.negation_cue(text, start, start + mention.len())
    }

    #[test]
    fn finds_negation_cues_in_scope() {
        let table = [
            ("i didnt consider edge cases", "edge cases", Some("didnt")),
            ("no need to think about tradeoffs", "tradeoffs", Some("no need")),
            ("we can do it without a hash map", "hash map", Some("without")),
            ("edge cases are not needed here", "edge cases", Some("not needed")),
            ("i considered edge cases", "edge cases", None),
            ("i didnt, i considered edge cases", "edge cases", None),
            ("i didnt like it but i tested edge cases", "edge cases", None),
            ("im not sure but edge cases matter", "edge cases", None),
            ("im not sure about edge cases", "edge cases", None),
            ("i dont know if edge cases matter", "edge cases", None),
            ("never in a million years would i skip edge cases", "edge cases", Some("skip")),
            ("not one two three four five six seven eight edge cases", "edge cases", None),
            ("not one two three four five six seven edge cases", "edge cases", Some("not")),
            // Quantifiers bound a number; they do not deny the thing.
            ("and no single element reaches seven", "single element", None),
            ("no more than ten duplicates", "duplicates", None),
            ("not only empty arrays but duplicates", "empty arrays", None),
            ("there is nothing else but duplicates", "duplicates", None),
            // Coordination carries the negation to every object of the clause ...
            ("im not going to consider empty arrays or duplicates", "empty arrays", Some("not going to")),
            ("im not going to consider empty arrays or duplicates", "duplicates", Some("not going to")),
            ("i didnt handle empty arrays and duplicates", "duplicates", Some("didnt")),
            // ... and a new clause ends it, with or without a comma.
            ("i didnt know that, so let me ask about duplicates", "duplicates", None),
            ("i didnt know that so let me ask about duplicates", "duplicates", None),
            ("i didnt test it and we handled duplicates", "duplicates", None),
            ("it wasnt sorted because duplicates", "duplicates", None),
        ];
        for (text, mention, expected) in table {
            assert_eq!(cue(text, mention).as_deref(), expected, "text {text:?}");
        }
    }

    #[test]
    fn texts_without_a_cue_word_can_negate_nothing() {
        let rules = NegationRules::new(NegationRules::DEFAULT_WINDOW, &[], &["was skipped".to_string()]);
        assert!(rules.has_cue_word("i didnt consider edge cases"));
        assert!(rules.has_cue_word("testing was skipped"));
        assert!(!rules.has_cue_word("i considered edge cases nothing else"), "cue words are whole words");
        for (text, mention) in [("i considered edge cases", "edge cases"), ("nobody knows edge cases", "edge cases")] {
            assert!(!rules.has_cue_word(text));
            let at = text.find(mention).unwrap();
            assert_eq!(rules.negation_cue(text, at, at + mention.len()), None, "{text:?}");
        }
    }

    #[test]
    fn rubric_cues_are_folded_and_added() {
        let rules = NegationRules::new(3, &["Forgot To".to_string()], &["was skipped".to_string()]);
        let text = "i forgot to mention complexity and testing was skipped";
        let at = text.find("complexity").unwrap();
        assert_eq!(rules.negation_cue(text, at, at + 10).as_deref(), Some("forgot to"));
        let at = text.find("testing").unwrap();
        assert_eq!(rules.negation_cue(text, at, at + 7).as_deref(), Some("was skipped"));
    }
}
