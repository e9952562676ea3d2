//! Hedges: words by which a speaker weakens their own commitment to what they say.
//!
//! The cue classes follow the CoNLL-2010 uncertainty work and LIWC's `tentat`: first-person
//! ignorance ("i dont know", "not sure"), epistemic verbs ("i think", "i guess", "it seems"),
//! modal possibility ("might be", "could be"), adverbs ("maybe", "probably", "kind of" softening a
//! claim) and approximators ("roughly", "about 10", "or something").
//!
//! Look-alikes are kept out:
//! - "kind of" / "sort of" after a determiner or wh-word is a type ("what kind of input", "this sort
//!   of problem"), not a softener;
//! - "i think", "i believe", "i would say" with a reason in the same sentence ("i think we should use
//!   a heap because it gives log n inserts") is a committed, reasoned claim;
//! - "about", "around" and "like" hedge only before a quantity ("about 10 ms", "like ten days"),
//!   not as "talk about" or "it's like a tree";
//! - requests and suggestions ("could you", "we might want to") contain no listed cue.
//!
//! Text is folded (lower case, no apostrophes), as detectors see it.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use foldhash::fast::FixedState;

use crate::text::segment::{sentences, word_ranges};

/// What kind of hedge a cue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HedgeClass {
    /// "i dont know", "not sure", "no idea".
    Ignorance,
    /// "i think", "i guess", "it seems".
    EpistemicVerb,
    /// "might be", "could be".
    Modal,
    /// "maybe", "probably", "kind of".
    Adverb,
    /// "or something", "roughly", "sort of like".
    Approximator,
    /// An approximator before a quantity: "about 10 ms", "roughly a few hundred". An estimate is a
    /// hedge in the words, but it commits to a number, so it never makes an answer vague.
    Estimate,
}

const CUES: &[(&str, HedgeClass)] = &[
    ("i dont know", HedgeClass::Ignorance),
    ("i dont really know", HedgeClass::Ignorance),
    ("i do not know", HedgeClass::Ignorance),
    ("dont know", HedgeClass::Ignorance),
    ("dunno", HedgeClass::Ignorance),
    ("not sure", HedgeClass::Ignorance),
    ("not really sure", HedgeClass::Ignorance),
    ("not certain", HedgeClass::Ignorance),
    ("no idea", HedgeClass::Ignorance),
    ("i dont remember", HedgeClass::Ignorance),
    ("i cant remember", HedgeClass::Ignorance),
    ("i forget", HedgeClass::Ignorance),
    ("i cant tell", HedgeClass::Ignorance),
    ("hard to say", HedgeClass::Ignorance),
    ("i think", HedgeClass::EpistemicVerb),
    ("i dont think", HedgeClass::EpistemicVerb),
    ("i guess", HedgeClass::EpistemicVerb),
    ("i suppose", HedgeClass::EpistemicVerb),
    ("i believe", HedgeClass::EpistemicVerb),
    ("i imagine", HedgeClass::EpistemicVerb),
    ("i feel like", HedgeClass::EpistemicVerb),
    ("i would say", HedgeClass::EpistemicVerb),
    ("id say", HedgeClass::EpistemicVerb),
    ("i would guess", HedgeClass::EpistemicVerb),
    ("id guess", HedgeClass::EpistemicVerb),
    ("im guessing", HedgeClass::EpistemicVerb),
    ("my guess", HedgeClass::EpistemicVerb),
    ("i reckon", HedgeClass::EpistemicVerb),
    ("i hope", HedgeClass::EpistemicVerb),
    ("it seems", HedgeClass::EpistemicVerb),
    ("seems", HedgeClass::EpistemicVerb),
    ("i have a feeling", HedgeClass::EpistemicVerb),
    ("it looks like", HedgeClass::EpistemicVerb),
    ("my understanding", HedgeClass::EpistemicVerb),
    ("might be", HedgeClass::Modal),
    ("might have", HedgeClass::Modal),
    ("might not", HedgeClass::Modal),
    ("may be", HedgeClass::Modal),
    ("may have", HedgeClass::Modal),
    ("could be", HedgeClass::Modal),
    ("could have been", HedgeClass::Modal),
    ("should be fine", HedgeClass::Modal),
    ("should work", HedgeClass::Modal),
    ("maybe", HedgeClass::Adverb),
    ("probably", HedgeClass::Adverb),
    ("perhaps", HedgeClass::Adverb),
    ("possibly", HedgeClass::Adverb),
    ("presumably", HedgeClass::Adverb),
    ("apparently", HedgeClass::Adverb),
    ("likely", HedgeClass::Adverb),
    ("somewhat", HedgeClass::Adverb),
    ("more or less", HedgeClass::Adverb),
    ("in a way", HedgeClass::Adverb),
    ("kind of", HedgeClass::Adverb),
    ("sort of", HedgeClass::Adverb),
    ("kinda", HedgeClass::Adverb),
    ("sorta", HedgeClass::Adverb),
    ("roughly", HedgeClass::Approximator),
    ("approximately", HedgeClass::Approximator),
    ("or something", HedgeClass::Approximator),
    ("or whatever", HedgeClass::Approximator),
    ("or so", HedgeClass::Approximator),
    ("things like that", HedgeClass::Approximator),
    ("stuff like that", HedgeClass::Approximator),
    ("a little bit", HedgeClass::Adverb),
    ("like", HedgeClass::Approximator),
    ("and stuff", HedgeClass::Approximator),
    ("something like", HedgeClass::Approximator),
    ("about", HedgeClass::Approximator),
    ("around", HedgeClass::Approximator),
];

/// A cue split into words, as listed, and its class.
type SplitCue = (Vec<&'static str>, &'static str, HedgeClass);

/// [`CUES`] by their first word (foldhash, fixed seed): every word of every candidate turn is
/// looked up, and common words ("i", "it", "a", "like") start cues.
fn cues_by_first_word() -> &'static HashMap<&'static str, Vec<SplitCue>, FixedState> {
    static MAP: OnceLock<HashMap<&'static str, Vec<SplitCue>, FixedState>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: HashMap<&'static str, Vec<SplitCue>, FixedState> = HashMap::default();
        for &(cue, class) in CUES {
            let parts: Vec<&'static str> = cue.split(' ').collect();
            map.entry(parts[0]).or_default().push((parts, cue, class));
        }
        map
    })
}

/// Before "kind of" / "sort of", these make it a type: "what kind of input".
const TYPE_DETERMINERS: &[&str] = &[
    "what",
    "which",
    "the",
    "a",
    "this",
    "that",
    "some",
    "any",
    "every",
    "each",
    "same",
    "different",
    "one",
    "other",
    "these",
    "those",
    "no",
    "all",
    "many",
    "whats",
    "certain",
    "particular",
    "new",
    "another",
    "weird",
    "special",
];

/// Epistemic verbs that a reason in the same sentence turns into a committed claim.
const REASONED: &[&str] = &["i think", "i believe", "i would say", "id say", "i feel like"];

/// Words that give a reason.
const REASON_WORDS: &[&[&str]] = &[
    &["because"],
    &["since"],
    &["cause"],
    &["so", "that"],
    &["which", "gives"],
    &["which", "means"],
    &["given", "that"],
    &["that", "way"],
];

/// Quantity words after "about", "around" and "like" ("like ten days").
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen",
    "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million", "billion", "half", "a", "a few", "few",
    "couple",
];

/// One hedge cue in folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hedge {
    /// Byte range of the cue in the folded text.
    pub range: Range<usize>,
    /// The cue as listed ("i dont know").
    pub cue: &'static str,
    pub class: HedgeClass,
}

/// The hedges of folded `text`, in order, never overlapping (the longest cue at a place wins).
pub fn find_hedges(text: &str) -> Vec<Hedge> {
    find_hedges_in(text, &sentences(text))
}

/// [`find_hedges`] with the text's sentences already split (the scan splits them for questions).
pub fn find_hedges_in(text: &str, sentences: &[Range<usize>]) -> Vec<Hedge> {
    let mut found = Vec::new();
    // One buffer for every sentence's words.
    let mut words: Vec<Range<usize>> = Vec::new();
    for sentence in sentences.iter().cloned() {
        words.clear();
        words.extend(word_ranges(&text[sentence.clone()]).map(|w| sentence.start + w.start..sentence.start + w.end));
        let words = &words;
        let word = |i: usize| words.get(i).map(|r| &text[r.clone()]);
        let mut i = 0;
        while i < words.len() {
            // Most words start no cue: one hashed look-up, then only the cues starting with it.
            let Some(candidates) = cues_by_first_word().get(&text[words[i].clone()]) else {
                i += 1;
                continue;
            };
            let longest = candidates
                .iter()
                .filter(|(parts, _, _)| parts.iter().enumerate().all(|(k, part)| word(i + k) == Some(*part)))
                .max_by_key(|(parts, _, _)| parts.len());
            let Some(&(ref parts, cue, class)) = longest else {
                i += 1;
                continue;
            };
            let length = parts.len();
            if is_hedge_here(cue, i, length, &|k| word(k)) {
                let estimate = class == HedgeClass::Approximator && is_quantity_at(i + length, &|k| word(k));
                let class = if estimate { HedgeClass::Estimate } else { class };
                found.push(Hedge { range: words[i].start..words[i + length - 1].end, cue, class });
                i += length;
            } else {
                i += 1;
            }
        }
    }
    found
}

fn is_hedge_here<'a>(cue: &str, at: usize, length: usize, word: &dyn Fn(usize) -> Option<&'a str>) -> bool {
    match cue {
        "kind of" | "sort of" | "kinda" | "sorta" => {
            at == 0 || !word(at - 1).is_some_and(|w| TYPE_DETERMINERS.contains(&w) || w.ends_with("kinds"))
        }
        "about" | "around" | "like" => is_quantity_at(at + 1, word),
        cue if REASONED.contains(&cue) => {
            let mut k = at + length;
            while let Some(w) = word(k) {
                if REASON_WORDS
                    .iter()
                    .any(|reason| reason[0] == w && reason.iter().enumerate().all(|(j, r)| word(k + j) == Some(*r)))
                {
                    return false;
                }
                k += 1;
            }
            true
        }
        _ => true,
    }
}

/// Whether a quantity starts at word `at`: digits, a number word, or "a few" / "a hundred".
fn is_quantity_at<'a>(at: usize, word: &dyn Fn(usize) -> Option<&'a str>) -> bool {
    word(at).is_some_and(|next| {
        next.bytes().any(|b| b.is_ascii_digit())
            || (next != "a" && NUMBER_WORDS.contains(&next))
            || (next == "a" && word(at + 1).is_some_and(|w| matches!(w, "few" | "couple" | "hundred" | "thousand")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues(text: &str) -> Vec<&'static str> {
        find_hedges(text).into_iter().map(|h| h.cue).collect()
    }

    #[test]
    fn finds_hedges_and_keeps_look_alikes_out() {
        let table: &[(&str, &[&str])] = &[
            (
                "i guess it kind of depends, i dont really know, maybe a cache or something",
                &["i guess", "kind of", "i dont really know", "maybe", "or something"],
            ),
            ("i think we should use a heap because it gives o(log n) inserts", &[]),
            ("i think we should use a heap", &["i think"]),
            ("what kind of input do we get", &[]),
            ("this sort of problem is common", &[]),
            ("it takes about 10 ms, around a few hundred requests", &["about", "around"]),
            ("lets talk about the design", &[]),
            ("could you repeat that", &[]),
            ("it might be a race, probably", &["might be", "probably"]),
            ("im not sure", &["not sure"]),
            ("the answer is seven", &[]),
        ];
        for (text, expected) in table {
            assert_eq!(cues(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn every_cue_is_indexed_by_its_first_word() {
        let indexed: usize = cues_by_first_word().values().map(Vec::len).sum();
        assert_eq!(indexed, CUES.len());
    }

    #[test]
    fn spans_cover_the_cue_words() {
        let text = "well, i dont know. maybe";
        let hedges = find_hedges(text);
        let spans: Vec<&str> = hedges.iter().map(|h| &text[h.range.clone()]).collect();
        assert_eq!(spans, ["i dont know", "maybe"]);
        assert_eq!(hedges[0].class, HedgeClass::Ignorance);
        let classes: Vec<HedgeClass> =
            find_hedges("roughly 10k requests, or something").iter().map(|h| h.class).collect();
        assert_eq!(classes, [HedgeClass::Estimate, HedgeClass::Approximator]);
    }
}
