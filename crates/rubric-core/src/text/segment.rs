//! Sentences, clauses and words in folded text.
//!
//! Sentences end at `.`, `!` or `?` followed by white space (so "3.5" and "o(n.log n)" stay whole),
//! and at line breaks. Clauses, the scope of a negation, also end at `,`, `;`, `:`, brackets and the
//! conjunctions that NegEx uses as terminators.

use std::ops::Range;

use super::normalize::is_word_char;

/// The largest character boundary of `text` at or before byte `at` (`at` past the end gives the
/// end): where a cut at a byte budget may fall. (`str::floor_char_boundary` is newer than the
/// minimum supported Rust.)
pub fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Byte ranges of the sentences of folded `text`, trimmed of white space, never empty.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end_here = match c {
            '\n' => Some(i),
            '.' | '!' | '?' => {
                // Swallow runs like "?!" and "...", then end if white space or the end follows.
                let mut end = i + 1;
                while let Some(&(j, next)) = chars.peek() {
                    if matches!(next, '.' | '!' | '?' | '"' | ')') {
                        end = j + 1;
                        chars.next();
                    } else {
                        break;
                    }
                }
                match chars.peek() {
                    None => Some(end),
                    Some(&(_, next)) if next.is_whitespace() || c == '?' => Some(end),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(end) = end_here {
            push_trimmed(text, start..end, &mut out);
            start = if c == '\n' { i + 1 } else { end };
        }
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let piece = &text[range.clone()];
    let trimmed_start = piece.len() - piece.trim_start().len();
    let trimmed_end = piece.trim_end().len();
    if trimmed_end > trimmed_start {
        out.push(range.start + trimmed_start..range.start + trimmed_end);
    }
}

/// Words that end a clause: NegEx's terminators, and the conjunctions that start a new clause in
/// speech without commas ("i didnt know that so let me ask about duplicates").
const TERMINATOR_WORDS: &[&str] = &[
    "but", "however", "although", "though", "except", "yet", "whereas", "so", "because", "cause", "since", "then",
    "which", "while", "instead",
];

/// Subjects that, after "and" or "or", open a new clause ("i didnt test it and we handled
/// duplicates"); any other word after them continues the same clause, so a negation reaches both
/// objects of "not empty arrays or duplicates".
const CLAUSE_SUBJECTS: &[&str] = &["i", "we", "you", "he", "she", "they", "it", "lets", "im", "were", "theyre", "ill"];

fn opens_new_clause(conjunction: &str, next: Option<&&str>) -> bool {
    matches!(conjunction, "and" | "or") && next.is_some_and(|w| CLAUSE_SUBJECTS.contains(w))
}

/// Whether `c` ends a clause.
pub fn is_clause_break(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ',' | ';' | ':' | '(' | ')' | '\n' | '"')
}

pub fn is_terminator_word(word: &str) -> bool {
    TERMINATOR_WORDS.contains(&word)
}

/// How far (in bytes) the word scans around a mention look. A scope is a few words; the bound keeps
/// the cost per mention constant even in a megabyte of text without a space or a clause break.
const SCAN_LIMIT: usize = 1024;

/// Up to `limit` words before byte `at` in the same clause, nearest last.
pub fn words_before(text: &str, at: usize, limit: usize) -> Vec<&str> {
    let mut words = Vec::new();
    let mut end = at;
    let mut floor = at.saturating_sub(SCAN_LIMIT);
    while !text.is_char_boundary(floor) {
        floor += 1;
    }
    let mut iter = text[floor..at].char_indices().rev().map(|(i, c)| (i + floor, c)).peekable();
    while words.len() < limit {
        // Skip separators; stop at a clause break.
        loop {
            match iter.peek() {
                Some(&(_, c)) if is_clause_break(c) => return finish(words),
                Some(&(i, c)) if !is_word_char(c) => {
                    end = i;
                    iter.next();
                }
                Some(_) => break,
                None => return finish(words),
            }
        }
        let mut start = end;
        while let Some(&(i, c)) = iter.peek() {
            if is_word_char(c) {
                start = i;
                iter.next();
            } else {
                break;
            }
        }
        let word = &text[start..end];
        if is_terminator_word(word) || opens_new_clause(word, words.last()) {
            break;
        }
        words.push(word);
        end = start;
    }
    finish(words)
}

fn finish(mut words: Vec<&str>) -> Vec<&str> {
    words.reverse();
    words
}

/// Up to `limit` words after byte `at` in the same clause, nearest first.
pub fn words_after(text: &str, at: usize, limit: usize) -> Vec<&str> {
    let mut words = Vec::new();
    let rest = &text[at..floor_char_boundary(text, at + SCAN_LIMIT)];
    let mut iter = rest.char_indices().peekable();
    while words.len() < limit {
        loop {
            match iter.peek() {
                Some(&(_, c)) if is_clause_break(c) => return words,
                Some(&(_, c)) if !is_word_char(c) => {
                    iter.next();
                }
                Some(_) => break,
                None => return words,
            }
        }
        let start = iter.peek().map_or(rest.len(), |&(i, _)| i);
        let mut end = start;
        while let Some(&(i, c)) = iter.peek() {
            if is_word_char(c) {
                end = i + c.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        let word = &rest[start..end];
        if is_terminator_word(word) {
            break;
        }
        if matches!(word, "and" | "or") {
            // Only a new subject after it ends the clause; peek at the next word to know.
            let next_start = rest[end..].find(is_word_char).map(|i| end + i);
            let next = next_start.map(|i| {
                let tail = &rest[i..];
                &tail[..tail.find(|c: char| !is_word_char(c)).unwrap_or(tail.len())]
            });
            let between_is_space = next_start.is_some_and(|i| !rest[end..i].chars().any(is_clause_break));
            if between_is_space && opens_new_clause(word, next.as_ref()) {
                break;
            }
        }
        words.push(word);
    }
    words
}

/// Which bytes are ASCII letters and digits, as a table: one load per byte, where the range tests
/// of `is_ascii_alphanumeric` cost several instructions.
static ASCII_WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).is_ascii_alphanumeric();
        byte += 1;
    }
    table
};

/// Number of words (maximal runs of letters and digits) in folded text.
pub fn count_words(text: &str) -> usize {
    if text.is_ascii() {
        // Most turns are ASCII: a byte loop is several times cheaper than decoding chars.
        let mut count = 0;
        let mut in_word = false;
        for &byte in text.as_bytes() {
            let word = ASCII_WORD_BYTES[usize::from(byte)];
            count += usize::from(word && !in_word);
            in_word = word;
        }
        return count;
    }
    words(text).count()
}

/// The words of `text`, in order.
pub fn words(text: &str) -> Words<'_> {
    Words { text, at: 0, ascii: text.is_ascii() }
}

/// The byte ranges of the words of `text`, in order: [`words`] with their places.
pub fn word_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    // Every word is a slice of `text`, so its offset is the distance between the two pointers.
    words(text).map(move |word| {
        let start = word.as_ptr() as usize - text.as_ptr() as usize;
        start..start + word.len()
    })
}

/// The iterator of [`words`]. ASCII text is split byte by byte with a table of word bytes; other
/// text char by char with [`is_word_char`]. Cue and question-opener checks split every turn that
/// has a mention, and decoding chars was most of their cost.
#[derive(Debug, Clone)]
pub struct Words<'a> {
    text: &'a str,
    at: usize,
    ascii: bool,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = &self.text[self.at..];
        let (start, end) = if self.ascii {
            let bytes = rest.as_bytes();
            let start = bytes.iter().position(|&b| ASCII_WORD_BYTES[usize::from(b)])?;
            let len =
                bytes[start..].iter().position(|&b| !ASCII_WORD_BYTES[usize::from(b)]).unwrap_or(bytes.len() - start);
            (start, start + len)
        } else {
            let (start, _) = rest.char_indices().find(|&(_, c)| is_word_char(c))?;
            let end =
                rest[start..].char_indices().find(|&(_, c)| !is_word_char(c)).map_or(rest.len(), |(i, _)| start + i);
            (start, end)
        };
        self.at += end;
        Some(&rest[start..end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_char_boundary_steps_back_into_a_whole_character() {
        let text = "aé😀b"; // bytes: a 0, é 1..3, 😀 3..7, b 7
        assert_eq!([0, 1, 2, 3, 4, 6, 7, 8, 99].map(|at| floor_char_boundary(text, at)), [0, 1, 1, 3, 3, 3, 7, 8, 8]);
    }

    fn sentence_texts(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_sentences_at_end_punctuation_and_lines() {
        let table: &[(&str, &[&str])] = &[
            ("ok. can i assume it fits? yes!", &["ok.", "can i assume it fits?", "yes!"]),
            ("it is o(n).then done", &["it is o(n).then done"]),
            ("pi is 3.14 ok", &["pi is 3.14 ok"]),
            ("really?!  sure...", &["really?!", "sure..."]),
            ("line one\nline two", &["line one", "line two"]),
            ("wait?what", &["wait?", "what"]),
            ("", &[]),
            ("  . ", &["."]),
        ];
        for (input, expected) in table {
            assert_eq!(sentence_texts(input), *expected, "input {input:?}");
        }
    }

    #[test]
    fn words_around_a_position_stop_at_clause_breaks() {
        let text = "well, i didnt really consider edge cases but tests are not needed";
        let at = text.find("edge").unwrap();
        assert_eq!(words_before(text, at, 5), ["i", "didnt", "really", "consider"]);
        assert_eq!(words_before(text, at, 2), ["really", "consider"]);
        let after = text.find("cases").unwrap() + 5;
        assert!(words_after(text, after, 5).is_empty(), "but ends the clause");
        let at = text.find("tests").unwrap() + 5;
        assert_eq!(words_after(text, at, 5), ["are", "not", "needed"]);
    }

    #[test]
    fn counts_words_in_any_script() {
        assert_eq!(count_words("dont stop - 3 times, zoë 東京"), 6);
        assert_eq!(count_words(""), 0);
        // The ASCII byte paths against the definition, char by char.
        let by_char = |text: &str| text.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()).count();
        for ascii in ["dont stop - 3 times, ok", "  a_b c-d e.f  ", "x", "!!", "o(n log n) vs o(1)"] {
            assert_eq!(count_words(ascii), by_char(ascii), "{ascii:?}");
            assert_eq!(words(ascii).count(), by_char(ascii), "{ascii:?}");
        }
        assert_eq!(count_words("a_b c-d"), 4, "underscore and hyphen separate words");
        assert_eq!(words("  a_b, c-d!").collect::<Vec<_>>(), ["a", "b", "c", "d"]);
        assert_eq!(words("zoë 東京 x\u{301}y").collect::<Vec<_>>(), ["zoë", "東京", "x\u{301}y"]);
        assert_eq!(words("").next(), None);
        assert_eq!(words(" ,. ").next(), None);
        assert_eq!(words("a-b c").collect::<Vec<_>>(), ["a", "b", "c"]);
    }
}
