//! The features of one sentence that the question model weighs.
//!
//! Every feature is a kind and a few words ("b2" + "can i": the sentence begins "can i"). Features are
//! hashed (FNV-1a) into the model's weight table, so nothing is stored per feature name and unseen
//! words cost nothing. The same code extracts features for training (`crates/rubric-validity`) and for
//! scoring, so the two can never drift apart.
//!
//! What the sentence is made of, after folding (lower case, no apostrophes):
//! - its first one to three words, and again after leading discourse words ("so", "okay", "um",
//!   "i mean");
//! - its last one or two words ("..., right", "or not");
//! - every distinct word and word pair, its length, and whether it has a false start ("wa- wasnt");
//! - the hand-written cue of [`super::rules`], if any;
//! - the turn around it: whether it ends the speaker's turn and how the other speaker's reply begins
//!   ("yeah", "no", "well"), the turn cue that the research on meeting speech found most useful;
//!   otherwise the first word the same speaker says next ("or");
//! - the last two words of what was said just before, and whether another speaker said them (an
//!   answer follows another speaker's question).
//!
//! Punctuation is never a feature: the model is for text whose `?` cannot be trusted.

use crate::text::segment::word_ranges;
use crate::text::{is_word_char, WordSet};

use super::rules::find_cue;

/// What the conversation around a sentence says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuestionContext<'a> {
    /// The sentence is the last of its turn and another speaker talks next.
    pub ends_turn: bool,
    /// The first folded word of that next speaker's turn, when `ends_turn`.
    pub reply: Option<&'a str>,
    /// The first folded word of what the same speaker says next, when not `ends_turn`: a question
    /// is seldom followed by more of the same speaker's talk, and when it is, by "or".
    pub next: Option<&'a str>,
    /// The folded sentence said just before (at least its last words), by whoever said it.
    pub previous: Option<&'a str>,
    /// The sentence opens its turn: `previous`, if any, is another speaker's. An answer follows
    /// another speaker's question; a question often follows the same speaker's statement.
    pub opens_turn: bool,
}

/// Words that open a sentence without deciding what it is.
const DISCOURSE_LIST: &[&str] = &[
    "so", "okay", "ok", "and", "but", "um", "uh", "umm", "uhm", "er", "erm", "well", "alright", "oh", "yeah", "yes",
    "now", "hmm", "like", "then", "also", "actually", "anyway",
];
static DISCOURSE_WORDS: WordSet = WordSet::new(DISCOURSE_LIST);

/// Two-word discourse markers skipped like [`DISCOURSE_LIST`].
const DISCOURSE_PAIRS: &[[&str; 2]] = &[["i", "mean"], ["you", "know"]];

/// Reply openers kept as themselves; any other first word of a reply is "other".
const REPLY_WORDS: &[&str] = &[
    "yes", "yeah", "yep", "no", "nope", "nah", "sure", "right", "okay", "ok", "uhhuh", "mmhmm", "um", "uh", "well",
    "i", "it", "so", "think",
];

/// Receives features with their [`feature_hash`]; the model sums their weights, the explanation
/// names them.
pub trait FeatureSink {
    fn feature(&mut self, kind: &'static str, parts: &[&str], hash: u64);
}

fn emit(sink: &mut impl FeatureSink, kind: &'static str, parts: &[&str]) {
    sink.feature(kind, parts, feature_hash(kind, parts));
}

/// At most this many words of a sentence are read: a sentence is a few dozen words, but a turn of
/// unpunctuated speech-to-text is one "sentence" of any length, and what decides a question is at
/// its ends. The first and last words are always read.
pub const MAX_WORDS: usize = 256;

/// Emits the features of the folded `sentence` in its `context`.
pub fn extract(sentence: &str, context: QuestionContext<'_>, sink: &mut impl FeatureSink) {
    let (words, false_start) = clean_words(sentence);
    emit(sink, "bias", &[]);
    emit(sink, "len", &[length_bucket(words.len())]);
    if false_start {
        emit(sink, "frag", &[]);
    }
    for (n, kind) in [(1, "b1"), (2, "b2"), (3, "b3")] {
        if words.len() >= n {
            emit(sink, kind, &words[..n]);
        }
    }
    let content = skip_discourse(&words);
    if content.len() < words.len() && !content.is_empty() {
        emit(sink, "skipped", &[]);
    }
    for (n, kind) in [(1, "s1"), (2, "s2"), (3, "s3")] {
        if content.len() >= n {
            emit(sink, kind, &content[..n]);
        }
    }
    if let Some(last) = words.last() {
        emit(sink, "e1", &[last]);
    }
    if words.len() >= 2 {
        emit(sink, "e2", &words[words.len() - 2..]);
    }
    // Each distinct word and pair counts once. They are told apart by their 64-bit hashes, which
    // sort as integers: sorting the strings was a fifth of the extraction.
    let mut distinct: Vec<(u64, [&str; 2])> = words.iter().map(|w| (feature_hash("u", &[w]), [*w, ""])).collect();
    distinct.extend(words.windows(2).map(|w| (feature_hash("bg", &[w[0], w[1]]), [w[0], w[1]])));
    let unigrams = words.len();
    distinct[..unigrams].sort_unstable_by_key(|(hash, _)| *hash);
    distinct[unigrams..].sort_unstable_by_key(|(hash, _)| *hash);
    for (i, (hash, parts)) in distinct.iter().enumerate() {
        let first_of_its_run = i == 0 || i == unigrams || distinct[i - 1].0 != *hash;
        if first_of_its_run {
            let (kind, parts): (&'static str, &[&str]) = if i < unigrams { ("u", &parts[..1]) } else { ("bg", parts) };
            sink.feature(kind, parts, *hash);
        }
    }
    if let Some(cue) = find_cue(sentence) {
        emit(sink, "cue", &[cue.name()]);
    }
    if context.ends_turn {
        emit(sink, "last", &[]);
        let reply = reply_class(context.reply);
        emit(sink, "reply", &[reply]);
        if (1..=3).contains(&words.len()) {
            emit(sink, "short", &[words[words.len() - 1], reply]);
        }
    } else {
        emit(sink, "next", &[context.next.unwrap_or("none")]);
    }
    emit_previous(context, sink);
}

/// The end of the sentence before, told apart by whose it was ("other speaker said \"right\"").
fn emit_previous(context: QuestionContext<'_>, sink: &mut impl FeatureSink) {
    let whose = if context.opens_turn { "other" } else { "same" };
    emit(sink, "turn", &[whose]);
    let previous = context.previous.map(|text| clean_words(tail_of(text)).0).unwrap_or_default();
    match previous.as_slice() {
        [] => emit(sink, "p1", &[whose, "none"]),
        [.., last] => emit(sink, "p1", &[whose, last]),
    }
    match previous.as_slice() {
        [] => emit(sink, "p2", &[whose, "none"]),
        [only] => emit(sink, "p2", &[whose, only]),
        [.., a, b] => emit(sink, "p2", &[whose, a, b]),
    }
}

/// The words of a folded sentence without false starts ("wa-" before "wasnt") or immediate
/// repetitions ("the the"), and whether there was a false start. A word directly followed by `-`
/// and then no word character is a fragment; "x-ray" is two words, neither a fragment.
fn clean_words(sentence: &str) -> (Vec<&str>, bool) {
    let mut words: Vec<&str> = Vec::new();
    let mut false_start = false;
    for range in word_ranges(sentence) {
        let word = &sentence[range.clone()];
        let mut following = sentence[range.end..].chars();
        if following.next() == Some('-') && !following.next().is_some_and(is_word_char) {
            false_start = true;
            continue;
        }
        if words.last() == Some(&word) {
            continue;
        }
        if words.len() < MAX_WORDS {
            words.push(word);
        } else {
            // Keep the last word current so that the ending features see the real ending.
            *words.last_mut().expect("MAX_WORDS > 0") = word;
        }
    }
    (words, false_start)
}

fn skip_discourse<'w, 'a>(mut words: &'w [&'a str]) -> &'w [&'a str] {
    loop {
        if let Some(pair) = DISCOURSE_PAIRS.iter().find(|pair| words.starts_with(&pair[..])) {
            words = &words[pair.len()..];
        } else if words.first().is_some_and(|w| DISCOURSE_WORDS.contains(w)) {
            words = &words[1..];
        } else {
            return words;
        }
    }
}

fn length_bucket(words: usize) -> &'static str {
    const EXACT: [&str; 9] = ["0", "1", "2", "3", "4", "5", "6", "7", "8"];
    match words {
        0..=8 => EXACT[words],
        9..=12 => "9-12",
        13..=20 => "13-20",
        _ => "21+",
    }
}

fn reply_class(reply: Option<&str>) -> &'static str {
    match reply {
        None => "none",
        Some(word) => REPLY_WORDS.iter().find(|w| **w == word).copied().unwrap_or("other"),
    }
}

/// The first folded word of a turn's original text, for [`QuestionContext::reply`]: only its start is
/// folded, so this costs the same for a turn of any length.
pub fn reply_word(turn_text: &str) -> Option<String> {
    let head = &turn_text.as_bytes()[..turn_text.len().min(64)];
    if head.is_ascii() && !head.iter().any(|&b| b == b'\'' || b == b'`') {
        // ASCII without apostrophes folds to lower case alone (the general path below is the
        // reference; a test checks the two agree).
        let start = head.iter().position(u8::is_ascii_alphanumeric)?;
        let len = head[start..].iter().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(head.len() - start);
        return Some(turn_text[start..start + len].to_ascii_lowercase());
    }
    let end = crate::text::segment::floor_char_boundary(turn_text, 64);
    let folded = crate::text::normalize_phrase(&turn_text[..end]);
    crate::text::segment::words(&folded).next().map(str::to_string)
}

/// The folded end of a turn's original text, for [`QuestionContext::previous`] of the next turn's
/// first sentence: only its [`tail_of`] is folded, so this costs the same for a turn of any length.
pub fn tail_text(turn_text: &str) -> String {
    let tail = tail_of(turn_text);
    if tail.is_ascii() && !tail.contains(['\'', '`']) {
        // The same words as the general folding (which also joins white space and quotes), as a
        // test checks; the features read words only.
        return tail.to_ascii_lowercase();
    }
    crate::text::normalize_phrase(tail)
}

/// How much of the text before a sentence the features read: its last two words.
pub const TAIL_BYTES: usize = 64;

/// The last [`TAIL_BYTES`] of `text`, less the word that limit cuts, so the words left are whole.
fn tail_of(text: &str) -> &str {
    let mut start = text.len().saturating_sub(TAIL_BYTES);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let tail = &text[start..];
    if start == 0 {
        return tail;
    }
    tail.trim_start_matches(|c: char| is_word_char(c) || c == '\'' || c == '\u{2019}')
}

/// FNV-1a over a feature's kind and parts, with separators so that ("b2", "a b") and ("b1", "a b")
/// differ. Stable across platforms and versions: the shipped weights depend on it.
pub fn feature_hash(kind: &str, parts: &[&str]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut hash = OFFSET;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
    };
    eat(kind.as_bytes());
    for part in parts {
        eat(&[0x1f]);
        eat(part.as_bytes());
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Names(Vec<String>);

    impl FeatureSink for Names {
        fn feature(&mut self, kind: &'static str, parts: &[&str], _hash: u64) {
            self.0.push(format!("{kind}:{}", parts.join(" ")));
        }
    }

    fn names(sentence: &str, context: QuestionContext<'_>) -> Vec<String> {
        let mut sink = Names::default();
        extract(sentence, context, &mut sink);
        sink.0
    }

    #[test]
    fn false_starts_and_repeats_are_dropped_from_the_words() {
        assert_eq!(
            clean_words("wa- wasnt there supposed to be a link"),
            (vec!["wasnt", "there", "supposed", "to", "be", "a", "link"], true)
        );
        assert_eq!(clean_words("the - the x-ray"), (vec!["the", "x", "ray"], false));
        assert_eq!(clean_words("so so is it"), (vec!["so", "is", "it"], false));
    }

    #[test]
    fn openings_are_read_before_and_after_discourse_words() {
        let features = names("so um i mean can we sort it", QuestionContext::default());
        for expected in
            ["b1:so", "b2:so um", "s1:can", "s2:can we", "s3:can we sort", "e1:it", "e2:sort it", "skipped:"]
        {
            assert!(features.iter().any(|f| f == expected), "{expected} in {features:?}");
        }
        let cued = names("so um can we sort it", QuestionContext::default());
        assert!(cued.iter().any(|f| f == "cue:auxiliary before a subject"), "{cued:?}");
        assert!(!features.iter().any(|f| f.starts_with("last")), "no turn context given");
    }

    #[test]
    fn the_reply_is_a_feature_only_at_the_end_of_a_turn() {
        let at_end = names("right", QuestionContext { ends_turn: true, reply: Some("yeah"), ..Default::default() });
        assert!(at_end.contains(&"reply:yeah".to_string()), "{at_end:?}");
        assert!(at_end.contains(&"short:right yeah".to_string()), "{at_end:?}");
        let other = names("right", QuestionContext { ends_turn: true, reply: Some("banana"), ..Default::default() });
        assert!(other.contains(&"reply:other".to_string()), "{other:?}");
    }

    #[test]
    fn the_sentence_before_is_read_by_whose_it_was() {
        let after_other = QuestionContext { previous: Some("so is it sorted"), opens_turn: true, ..Default::default() };
        let features = names("yeah", after_other);
        for expected in ["turn:other", "p1:other sorted", "p2:other it sorted", "next:none"] {
            assert!(features.iter().any(|f| f == expected), "{expected} in {features:?}");
        }
        let own = names("or is it", QuestionContext { previous: Some("uh-"), next: Some("or"), ..Default::default() });
        for expected in ["turn:same", "p1:same none", "p2:same none", "next:or"] {
            assert!(own.iter().any(|f| f == expected), "{expected} in {own:?}");
        }
        let reply = names("right", QuestionContext { ends_turn: true, reply: Some("yeah"), ..Default::default() });
        assert!(!reply.iter().any(|f| f.starts_with("next:")), "the reply stands for what comes next: {reply:?}");
    }

    #[test]
    fn the_tail_of_a_turn_is_its_last_whole_words_folded() {
        assert_eq!(tail_text("Is it SORTED?"), "is it sorted?");
        let long = format!("{} Don’t know, Sorted", "abcdefgh".repeat(20));
        let tail = tail_text(&long);
        assert!(tail.ends_with("dont know, sorted"), "{tail:?}");
        assert!(!tail.contains("gh"), "the cut word is dropped: {tail:?}");
        assert!(tail_text(&"é".repeat(100)).len() <= TAIL_BYTES, "cut on a char boundary");
        for text in ["Is it, like -- SORTED or NOT", "so  \"we\"   sort\tit", "wa- wasnt it", "x".repeat(90).as_str()] {
            let words = |t: &str| crate::text::segment::words(t).map(str::to_string).collect::<Vec<_>>();
            assert_eq!(words(&tail_text(text)), words(&crate::text::normalize_phrase(tail_of(text))), "{text:?}");
        }
    }

    #[test]
    fn very_long_sentences_keep_their_real_ending() {
        let long = "alpha beta ".repeat(500) + "right";
        let (words, _) = clean_words(&long);
        assert_eq!(words.len(), MAX_WORDS);
        assert_eq!(words.last(), Some(&"right"));
    }

    #[test]
    fn the_ascii_reply_path_folds_like_the_general_one() {
        for text in ["Yeah, sure.", "  OK so", "42 is it", "uh-huh", "Mm-hmm yes", "-- right", "x".repeat(80).as_str()]
        {
            let general = crate::text::segment::words(&crate::text::normalize_phrase(&text[..text.len().min(64)]))
                .next()
                .map(str::to_string);
            assert_eq!(reply_word(text), general, "{text:?}");
        }
    }

    #[test]
    fn reply_words_are_folded_from_the_start_of_the_turn() {
        assert_eq!(reply_word("Yeah, it can be empty."), Some("yeah".to_string()));
        assert_eq!(reply_word("  Don’t worry"), Some("dont".to_string()));
        assert_eq!(reply_word("…"), None);
        let long = "é".repeat(100);
        assert!(reply_word(&long).is_some(), "cut on a char boundary");
    }

    #[test]
    fn the_hash_separates_kinds_and_parts() {
        assert_ne!(feature_hash("b2", &["a b"]), feature_hash("b1", &["a b"]));
        assert_ne!(feature_hash("b2", &["a", "b"]), feature_hash("b2", &["ab"]));
        // Pinned: the shipped weights were trained with this exact function.
        assert_eq!(feature_hash("bias", &[]), 0xdeb2_3f9b_d0a8_49a4);
    }
}
