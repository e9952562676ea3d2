//! Text normalisation with an exact map back to the original.
//!
//! Detectors match on a folded copy of each turn (lower case, straight quotes, no apostrophes, ASCII
//! dashes, collapsed white space) so that "Don’t", "don't" and "dont" are one word and "Edge  case"
//! matches "edge case". Evidence must point into what the person said, so every byte of the folded
//! copy remembers the original character it came from.

/// A folded copy of a text and the way back to the original.
///
/// One value can fold many texts in turn ([`Self::refold`]), reusing its buffers: scoring folds
/// every turn of a transcript, and two allocations per turn were a tenth of scoring short turns.
#[derive(Debug, Clone, Default)]
pub struct NormalizedText {
    text: String,
    /// For each byte of `text`: the byte offset in the original of the character it came from.
    origin: Vec<u32>,
    original_len: usize,
}

impl NormalizedText {
    /// Folds `original`. Texts longer than `u32::MAX` bytes are rejected earlier by the limits.
    pub fn new(original: &str) -> Self {
        let mut folded = Self::default();
        folded.refold(original);
        folded
    }

    /// Folds `original` in place of the text folded before.
    pub fn refold(&mut self, original: &str) {
        self.origin.clear();
        self.original_len = original.len();
        if original.is_ascii() {
            self.fold_ascii(original);
        } else {
            self.fold_general(original);
        }
    }

    fn fold_general(&mut self, original: &str) {
        let text = &mut self.text;
        let origin = &mut self.origin;
        text.clear();
        let mut pending_space: Option<(u32, char)> = None;
        for (offset, c) in original.char_indices() {
            let offset = offset as u32;
            if c.is_whitespace() {
                // A run of white space becomes one character: a newline if the run has one (lines
                // end sentences), else a space. It is emitted when the next visible character comes,
                // so trailing white space disappears.
                let folded = if is_line_break(c) { '\n' } else { ' ' };
                pending_space = match pending_space {
                    Some((start, '\n')) => Some((start, '\n')),
                    Some((start, _)) => Some((start, folded)),
                    None => Some((offset, folded)),
                };
                continue;
            }
            if is_apostrophe(c) {
                continue;
            }
            if let Some((start, space)) = pending_space.take() {
                if !text.is_empty() {
                    push(text, origin, space, start);
                }
            }
            if c.is_ascii() {
                push(text, origin, c.to_ascii_lowercase(), offset);
            } else if let Some(folded) = fold_punctuation(c) {
                push(text, origin, folded, offset);
            } else {
                for lower in c.to_lowercase() {
                    push(text, origin, lower, offset);
                }
            }
        }
    }

    /// The same folding for ASCII text, a byte at a time (most transcripts are ASCII, and this
    /// path costs a fraction of the general one). Both buffers are sized for the whole text first
    /// and written by index, which costs half as much per byte as pushing.
    fn fold_ascii(&mut self, original: &str) {
        let bytes = original.as_bytes();
        let mut text: Vec<u8> = std::mem::take(&mut self.text).into_bytes();
        text.clear();
        text.resize(bytes.len(), 0);
        let origin = &mut self.origin;
        origin.resize(bytes.len(), 0);
        let mut len = 0;
        let mut pending_space: Option<(u32, u8)> = None;
        for (offset, &byte) in bytes.iter().enumerate() {
            let offset = offset as u32;
            match byte {
                b'\n' | b'\r' => {
                    pending_space = Some(pending_space.map_or((offset, b'\n'), |(start, _)| (start, b'\n')));
                }
                b' ' | b'\t' | b'\x0B' | b'\x0C' => {
                    pending_space = Some(pending_space.unwrap_or((offset, b' ')));
                }
                b'\'' | b'`' => {}
                _ => {
                    // A folded text is never longer than its ASCII original: each byte makes at
                    // most one byte, and a pending space stands for at least one dropped byte.
                    if let Some((start, space)) = pending_space.take() {
                        if len > 0 {
                            text[len] = space;
                            origin[len] = start;
                            len += 1;
                        }
                    }
                    text[len] = byte.to_ascii_lowercase();
                    origin[len] = offset;
                    len += 1;
                }
            }
        }
        text.truncate(len);
        origin.truncate(len);
        self.text = String::from_utf8(text).expect("ASCII in, ASCII out");
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The original byte range for the folded byte range `start..end` (both on char boundaries of
    /// the folded text, `start < end`). The result always lies on char boundaries of the original
    /// and covers every original character that contributed to the range.
    pub fn original_range(&self, start: usize, end: usize, original: &str) -> (usize, usize) {
        debug_assert!(start < end && end <= self.text.len());
        let original_start = self.origin[start] as usize;
        let last = self.origin[end - 1] as usize;
        let last_len = original[last..].chars().next().map_or(0, char::len_utf8);
        (original_start, (last + last_len).min(self.original_len))
    }
}

fn push(text: &mut String, origin: &mut Vec<u32>, c: char, from: u32) {
    text.push(c);
    origin.extend(std::iter::repeat_n(from, c.len_utf8()));
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}')
}

/// Apostrophes are dropped entirely so that contractions match with or without them.
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´' | '′')
}

fn fold_punctuation(c: char) -> Option<char> {
    Some(match c {
        '“' | '”' | '„' | '″' | '«' | '»' => '"',
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => '-',
        '…' => '.',
        _ => return None,
    })
}

/// A letter or digit in any script, or a combining mark: what a word is made of, and what a word
/// boundary separates. A combining mark belongs to the letter before it; were it a boundary, the
/// phrase "measure" would match the first seven letters of "measuré" written with a combining
/// accent (U+0301), and the evidence would cut the accent off its letter.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The general-purpose combining mark blocks (most script-specific marks are already alphabetic).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Folds a rubric phrase the way turn text is folded, trimmed.
pub fn normalize_phrase(phrase: &str) -> String {
    NormalizedText::new(phrase.trim()).text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(s: &str) -> String {
        NormalizedText::new(s).as_str().to_string()
    }

    #[test]
    fn folds_case_quotes_apostrophes_dashes_and_space() {
        let table = [
            ("Don’t", "dont"),
            ("I'M  SURE", "im sure"),
            ("a – b — c", "a - b - c"),
            ("“Quoted”", "\"quoted\""),
            ("  lead and trail  ", "lead and trail"),
            ("one\r\n\n two", "one\ntwo"),
            ("tab\tand\u{a0}nbsp", "tab and nbsp"),
            ("Zoë ÉCOLE", "zoë école"),
            ("wait…", "wait."),
        ];
        for (input, expected) in table {
            assert_eq!(folded(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn the_ascii_path_folds_like_the_general_path() {
        let table = ["Don't  STOP\r\n\n here", "  lead\ttrail\x0B\x0C ", "it's `quoted` ok", "", " ", "\n\nx"];
        for input in table {
            let mut general = NormalizedText { original_len: input.len(), ..NormalizedText::default() };
            general.fold_general(input);
            let mut ascii = NormalizedText { original_len: input.len(), ..NormalizedText::default() };
            ascii.fold_ascii(input);
            assert_eq!(ascii.as_str(), general.as_str(), "{input:?}");
            assert_eq!(ascii.origin, general.origin, "{input:?}");
        }
    }

    #[test]
    fn refolding_leaves_nothing_of_the_previous_text() {
        let mut reused = NormalizedText::new("A much longer first text, with Ünicode");
        for input in ["short", "Ünï", "", "Don’t  stop", "x"] {
            reused.refold(input);
            let fresh = NormalizedText::new(input);
            assert_eq!(reused.as_str(), fresh.as_str(), "{input:?}");
            assert_eq!(reused.origin, fresh.origin, "{input:?}");
            assert_eq!(reused.original_len, input.len());
        }
    }

    #[test]
    fn maps_every_range_back_to_the_original_characters() {
        let original = "  Can’t  İstanbul 😀 Ok";
        let norm = NormalizedText::new(original);
        let text = norm.as_str();
        assert_eq!(text, "cant i̇stanbul 😀 ok");
        let find = |needle: &str| {
            let start = text.find(needle).unwrap();
            norm.original_range(start, start + needle.len(), original)
        };
        let slice = |(s, e): (usize, usize)| &original[s..e];
        assert_eq!(slice(find("cant")), "Can’t");
        assert_eq!(slice(find("😀")), "😀");
        assert_eq!(slice(find("ok")), "Ok");
        // "i" is half of the two-character lower case of "İ": the whole original character is covered.
        assert_eq!(slice(find("i")), "İ");
    }
}
