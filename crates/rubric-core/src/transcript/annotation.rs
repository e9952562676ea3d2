//! Annotations: evidence for a behavior produced outside the engine (a language-model judge, a
//! human annotator, a classifier), each pointing at what was said in one turn. A quote is checked
//! against that turn's text before it can count anywhere: a quote that is not in the turn (a
//! model's paraphrase or invention) is an error, or, when the caller asks to keep such
//! annotations, is kept as unverified and never counts.

use serde::{Deserialize, Serialize};

use super::located_json::parse;
use crate::error::{TranscriptError, TranscriptErrorKind};
use crate::limits::Limits;
use crate::text::segment::word_ranges;
use crate::text::NormalizedText;
use crate::util::json_position as position;

/// One judgment made elsewhere: this turn shows this behavior, here, says this source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    /// The behavior (or red flag) id in the rubric it is scored with.
    pub behavior: String,
    /// The turn, counted from 0 as evidence counts turns.
    pub turn: usize,
    /// What was said, as the source quotes it. Compared with the turn by words: case, apostrophes,
    /// punctuation, white space and hesitation sounds ([`HESITATIONS`]) do not matter; the
    /// words and their order do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Where in the turn's text, in one unit: UTF-8 `bytes`, code point `chars` (Python) or `utf16`
    /// units (JavaScript). With a quote too, the quote must be the text at the span.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<AnnotationSpan>,
    /// Who made the judgment: `llm:<model>`, `human:<rater>` or any other name.
    pub source: String,
    /// The source's confidence, from 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// The source's reason, shown beside the evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// When the judgment was made, as the source writes it (RFC 3339 is usual); carried, not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
}

/// A half-open range in one of three units; exactly one is given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnotationSpan {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<[usize; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chars: Option<[usize; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utf16: Option<[usize; 2]>,
}

/// What checking an annotation against its turn found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// The annotation points at these bytes of the turn's text.
    Verified { start: usize, end: usize },
    /// Kept on request, but it cannot count: why it could not be verified.
    Unverified(String),
}

/// An annotation as the transcript keeps it: checked, and where it was written.
#[derive(Debug, Clone)]
pub struct CheckedAnnotation {
    pub annotation: Annotation,
    pub verification: Verification,
    /// Its path in what it was read from (`annotations[2]`).
    pub path: String,
    /// 1-based line and column where it was written, when it was read from text.
    pub at: Option<(usize, usize)>,
}

/// Two checked annotations are equal when they say the same thing about the same words: where
/// each was written (its path and place) is not part of it, so a transcript written out as JSON
/// and read back, or given its annotations beside it, equals the original.
impl PartialEq for CheckedAnnotation {
    fn eq(&self, other: &Self) -> bool {
        self.annotation == other.annotation && self.verification == other.verification
    }
}

impl CheckedAnnotation {
    /// The verified byte range in the turn's text.
    pub fn bytes(&self) -> Option<(usize, usize)> {
        match self.verification {
            Verification::Verified { start, end } => Some((start, end)),
            Verification::Unverified(_) => None,
        }
    }

    /// An error about this annotation's `field`, located where it was written.
    pub(crate) fn error(&self, kind: TranscriptErrorKind, field: &str, message: String) -> TranscriptError {
        let mut error = TranscriptError::new(kind, format!("{}.{field}", self.path), message);
        if let Some((line, column)) = self.at {
            error.line = Some(line);
            error.column = Some(column);
        }
        error
    }
}

/// Checks `annotations` against the turns' texts (`turns`). Each is named `{list}[i]`; `at` says where each was
/// written, if known. An annotation whose quote cannot be verified is an `unverified_quote` error
/// unless `keep_unverified`; every other problem is always an error. An error comes with the
/// index of its annotation and no line: the caller locates it, by its path in the text it read or
/// at the annotation's place.
pub(crate) fn check_all(
    annotations: Vec<Annotation>,
    turns: &[&str],
    at: &[(usize, usize)],
    keep_unverified: bool,
    list: &str,
) -> Result<Vec<CheckedAnnotation>, Box<(usize, TranscriptError)>> {
    let mut folded_turn = NormalizedText::default();
    let mut folded_quote = NormalizedText::default();
    annotations
        .into_iter()
        .enumerate()
        .map(|(i, annotation)| {
            let path = format!("{list}[{i}]");
            let verification =
                check(&annotation, &path, turns, &mut folded_turn, &mut folded_quote).map_err(|e| Box::new((i, e)))?;
            if let Verification::Unverified(why) = &verification {
                if !keep_unverified {
                    let field = if annotation.quote.is_some() { "quote" } else { "span" };
                    let error = TranscriptError::new(
                        TranscriptErrorKind::UnverifiedQuote,
                        format!("{path}.{field}"),
                        why.clone(),
                    );
                    return Err(Box::new((i, error)));
                }
            }
            Ok(CheckedAnnotation { annotation, verification, path, at: at.get(i).copied() })
        })
        .collect()
}

fn check(
    annotation: &Annotation,
    path: &str,
    turns: &[&str],
    folded_turn: &mut NormalizedText,
    folded_quote: &mut NormalizedText,
) -> Result<Verification, TranscriptError> {
    use TranscriptErrorKind as Kind;
    let error = |kind, field: &str, message: String| TranscriptError::new(kind, format!("{path}.{field}"), message);
    if annotation.behavior.trim().is_empty() {
        return Err(error(Kind::Schema, "behavior", "the behavior id is empty".into()));
    }
    if annotation.source.trim().is_empty() {
        return Err(error(
            Kind::Schema,
            "source",
            "the source is empty; name who made the judgment (llm:<model>, human:<rater>)".into(),
        ));
    }
    if let Some(confidence) = annotation.confidence {
        if !(0.0..=1.0).contains(&confidence) {
            return Err(error(
                Kind::Schema,
                "confidence",
                format!("expected a confidence from 0 to 1, found {confidence}"),
            ));
        }
    }
    let Some(&text) = turns.get(annotation.turn) else {
        return Err(error(
            Kind::InvalidReference,
            "turn",
            format!(
                "turn {} does not exist (the transcript has {} turns, counted from 0)",
                annotation.turn,
                turns.len()
            ),
        ));
    };
    let span = match &annotation.span {
        Some(span) => Some(span_bytes(span, text).map_err(|message| error(Kind::InvalidReference, "span", message))?),
        None => None,
    };
    let Some(quote) = &annotation.quote else {
        let (start, end) = span
            .ok_or_else(|| TranscriptError::new(Kind::Schema, path, "an annotation needs a quote, a span or both"))?;
        return Ok(Verification::Verified { start, end });
    };
    folded_quote.refold(quote);
    let quote_words = Words::of(folded_quote.as_str());
    if quote_words.joined.is_empty() {
        return Err(error(Kind::Schema, "quote", "the quote has no words (hesitations such as \"uh\" aside)".into()));
    }
    let shown = shorten(quote);
    let turn_number = annotation.turn;
    if let Some((start, end)) = span {
        folded_turn.refold(&text[start..end]);
        return Ok(if Words::of(folded_turn.as_str()).joined == quote_words.joined {
            Verification::Verified { start, end }
        } else {
            Verification::Unverified(format!(
                "the quote \"{shown}\" is not the text at the span, \"{}\" (compared by words, ignoring case and punctuation)",
                shorten(&text[start..end])
            ))
        });
    }
    folded_turn.refold(text);
    Ok(match Words::of(folded_turn.as_str()).find(&quote_words) {
        Some((start, end)) => {
            let (start, end) = folded_turn.original_range(start, end, text);
            Verification::Verified { start, end }
        }
        None => Verification::Unverified(format!(
            "the quote \"{shown}\" is not in turn {turn_number} (compared by words, ignoring case and punctuation)"
        )),
    })
}

/// Sounds of hesitation that a quote may leave out ("uh", "um"): transcribers and judges drop
/// them when quoting, and they carry no content of their own. Words that can carry content
/// ("like", "you know") must be quoted.
pub const HESITATIONS: [&str; 9] = ["uh", "um", "uhm", "umm", "er", "erm", "ah", "hmm", "mm"];

/// The words of a folded text but its hesitations, joined by single spaces, and where each word
/// is in that text.
struct Words {
    joined: String,
    /// Per word: (start in `joined`, range in the folded text).
    places: Vec<(usize, std::ops::Range<usize>)>,
}

impl Words {
    fn of(folded: &str) -> Self {
        let mut joined = String::with_capacity(folded.len());
        let mut places = Vec::new();
        for range in word_ranges(folded) {
            if HESITATIONS.contains(&&folded[range.clone()]) {
                continue;
            }
            if !joined.is_empty() {
                joined.push(' ');
            }
            places.push((joined.len(), range.clone()));
            joined.push_str(&folded[range]);
        }
        Self { joined, places }
    }

    /// The folded range of the first run of words equal to `quote`'s words, whole words only.
    /// One substring search over space-padded texts: linear, however long the turn.
    fn find(&self, quote: &Words) -> Option<(usize, usize)> {
        let haystack = format!(" {} ", self.joined);
        let needle = format!(" {} ", quote.joined);
        let at = haystack.find(&needle)?;
        let first = self.places.partition_point(|(start, _)| *start < at);
        let last = first + quote.places.len() - 1;
        Some((self.places[first].1.start, self.places[last].1.end))
    }
}

/// The span's byte range in `text`, or why it is not a range of it.
fn span_bytes(span: &AnnotationSpan, text: &str) -> Result<(usize, usize), String> {
    let given = [span.bytes, span.chars, span.utf16].iter().filter(|s| s.is_some()).count();
    if given != 1 {
        return Err(format!("a span has exactly one of `bytes`, `chars` or `utf16`; found {given}"));
    }
    let (unit, [start, end]) = match (span.bytes, span.chars, span.utf16) {
        (Some(range), _, _) => ("bytes", range),
        (_, Some(range), _) => ("chars", range),
        (_, _, Some(range)) => ("utf16", range),
        _ => unreachable!("exactly one unit was checked above"),
    };
    if start >= end {
        return Err(format!("the span {unit} [{start}, {end}] is empty; expected start < end"));
    }
    let to_byte = |offset: usize| -> Option<usize> {
        match unit {
            "bytes" => text.is_char_boundary(offset).then_some(offset),
            "chars" => text.char_indices().map(|(i, _)| i).chain([text.len()]).nth(offset),
            _ => {
                let mut units = 0;
                for (i, c) in text.char_indices().chain([(text.len(), '\0')]) {
                    if units == offset {
                        return Some(i);
                    }
                    if units > offset || i == text.len() {
                        return None;
                    }
                    units += c.len_utf16();
                }
                None
            }
        }
    };
    match (to_byte(start), to_byte(end)) {
        (Some(start), Some(end)) => Ok((start, end)),
        _ => Err(format!(
            "the span {unit} [{start}, {end}] is not a range of the turn's text ({} bytes, {} chars, {} utf16 units{})",
            text.len(),
            text.chars().count(),
            text.encode_utf16().count(),
            if unit == "chars" { "" } else { ", ranges end on character boundaries" }
        )),
    }
}

/// A quote as an error message shows it: at most 80 characters.
fn shorten(text: &str) -> String {
    let mut chars = text.chars();
    let short: String = chars.by_ref().take(80).collect();
    if chars.next().is_some() {
        format!("{short}...")
    } else {
        short
    }
}

/// An annotation and the 1-based line and column it was written at.
pub type AnnotationAt = (Annotation, (usize, usize));

/// What annotations given beside a transcript are called in paths: `given_annotations[2].quote`,
/// by [`read_annotations`], [`Transcript::annotate`](super::Transcript::annotate) and scoring alike.
pub const GIVEN_ANNOTATIONS: &str = "given_annotations";

/// Reads annotations given apart from a transcript: a JSON array of annotation objects, or JSON
/// Lines (one object per line; blank lines are skipped), of at most `max_transcript_bytes`. Each
/// keeps the line and column it was written at, so that an error found later (a behavior the
/// rubric does not have) says where. Errors name them `given_annotations[i]`.
pub fn read_annotations(input: &str, limits: &Limits) -> Result<Vec<AnnotationAt>, TranscriptError> {
    if input.len() > limits.max_transcript_bytes {
        return Err(TranscriptError::new(
            TranscriptErrorKind::LimitExceeded,
            GIVEN_ANNOTATIONS,
            format!(
                "the annotations are {} bytes, over the limit of {} bytes (max_transcript_bytes)",
                input.len(),
                limits.max_transcript_bytes
            ),
        ));
    }
    let named = |mut error: TranscriptError, index: Option<usize>| {
        let element = index.map(|i| format!("[{i}]")).unwrap_or_default();
        // serde_path_to_error says `?` where the text ended before a key.
        error.path = match error.path.as_str() {
            "" | "?" => format!("{GIVEN_ANNOTATIONS}{element}"),
            path if path.starts_with('[') => format!("{GIVEN_ANNOTATIONS}{path}"),
            path => format!("{GIVEN_ANNOTATIONS}{element}.{path}"),
        };
        error
    };
    if input.trim_start().starts_with('[') {
        let annotations: Vec<Annotation> = parse(input).map_err(|e| named(e, None))?;
        let at = position::locate_elements(input, "");
        return Ok(annotations.into_iter().zip(at.into_iter().chain(std::iter::repeat((1, 1)))).collect());
    }
    let mut read = Vec::new();
    for (number, line) in input.split('\n').enumerate().map(|(i, line)| (i + 1, line)) {
        let indent = line.len() - line.trim_start().len();
        if line.trim().is_empty() {
            continue;
        }
        let index = read.len();
        let annotation: Annotation = parse(line).map_err(|mut error| {
            error.line = Some(number);
            error.column.get_or_insert(indent + 1);
            named(error, Some(index))
        })?;
        read.push((annotation, (number, indent + 1)));
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotation(turn: usize, quote: Option<&str>, span: Option<AnnotationSpan>) -> Annotation {
        Annotation {
            behavior: "asks".into(),
            turn,
            quote: quote.map(str::to_string),
            span,
            source: "llm:test".into(),
            confidence: Some(0.9),
            rationale: None,
            timestamp: None,
        }
    }

    fn verify(text: &str, quote: Option<&str>, span: Option<AnnotationSpan>) -> Result<Verification, TranscriptError> {
        let checked = check_all(vec![annotation(0, quote, span)], &[text], &[], true, "annotations")
            .map_err(|failure| failure.1)?;
        Ok(checked[0].verification.clone())
    }

    #[test]
    fn a_quote_is_found_by_its_words_whatever_the_case_punctuation_and_apostrophes() {
        let text = "So, I’m thinking — could the Array have DUPLICATES? Let's see.";
        let (could, duplicates) = (text.find("could").unwrap(), text.find("DUPLICATES").unwrap());
        assert_eq!(
            verify(text, Some("could the array have duplicates"), None).unwrap(),
            Verification::Verified { start: could, end: duplicates + "DUPLICATES".len() }
        );
        assert_eq!(
            verify(text, Some("I'm thinking... could"), None).unwrap(),
            Verification::Verified { start: text.find("I’m").unwrap(), end: could + "could".len() }
        );
    }

    #[test]
    fn a_quote_may_leave_out_hesitations_but_not_words() {
        let text = "I'll just add nums of j to, uh, the sum, um, each time";
        assert!(matches!(
            verify(text, Some("add nums of j to the sum each time"), None).unwrap(),
            Verification::Verified { .. }
        ));
        assert!(matches!(
            verify(text, Some("add nums of j to the total each time"), None).unwrap(),
            Verification::Unverified(_)
        ));
        assert!(matches!(
            verify(text, Some("add nums of j to the sum"), None).unwrap(),
            Verification::Verified { start: 10, end: 39 }
        ));
    }

    #[test]
    fn a_quote_matches_whole_words_only_and_a_paraphrase_is_unverified() {
        let text = "we scan the list once";
        assert!(matches!(verify(text, Some("can the list"), None).unwrap(), Verification::Unverified(_)));
        assert!(matches!(verify(text, Some("we scan the array once"), None).unwrap(), Verification::Unverified(_)));
        assert!(matches!(verify(text, Some("scan the list once"), None).unwrap(), Verification::Verified { .. }));
    }

    #[test]
    fn an_unverified_quote_is_an_error_unless_kept() {
        let (index, error) = *check_all(
            vec![annotation(0, Some("made up words"), None)],
            &["real words"],
            &[(4, 3)],
            false,
            "annotations",
        )
        .unwrap_err();
        assert_eq!((index, error.kind), (0, TranscriptErrorKind::UnverifiedQuote));
        assert_eq!(error.path, "annotations[0].quote");
        assert!(error.message.contains("\"made up words\" is not in turn 0"), "{error}");
    }

    #[test]
    fn spans_are_read_in_each_unit_and_must_agree_with_the_quote() {
        let text = "aé😀 edge case";
        let bytes = AnnotationSpan { bytes: Some([8, 17]), ..Default::default() };
        let chars = AnnotationSpan { chars: Some([4, 13]), ..Default::default() };
        let utf16 = AnnotationSpan { utf16: Some([5, 14]), ..Default::default() };
        for span in [bytes, chars, utf16] {
            assert_eq!(
                verify(text, Some("Edge case"), Some(span)).unwrap(),
                Verification::Verified { start: 8, end: 17 }
            );
            assert_eq!(verify(text, None, Some(span)).unwrap(), Verification::Verified { start: 8, end: 17 });
        }
        assert!(matches!(verify(text, Some("edge"), Some(bytes)).unwrap(), Verification::Unverified(_)));
        let inside_emoji = AnnotationSpan { utf16: Some([3, 5]), ..Default::default() };
        assert_eq!(verify(text, None, Some(inside_emoji)).unwrap_err().kind, TranscriptErrorKind::InvalidReference);
        let past_end = AnnotationSpan { chars: Some([4, 14]), ..Default::default() };
        assert_eq!(verify(text, None, Some(past_end)).unwrap_err().path, "annotations[0].span");
        let two = AnnotationSpan { bytes: Some([0, 1]), chars: Some([0, 1]), utf16: None };
        assert!(verify(text, None, Some(two)).unwrap_err().message.contains("exactly one"));
    }

    #[test]
    fn malformed_annotations_are_refused_whatever_the_option() {
        let t = ["hello there"];
        let refused = |a: Annotation| check_all(vec![a], &t, &[], true, "annotations").unwrap_err().1;
        assert_eq!(refused(annotation(3, Some("hello"), None)).path, "annotations[0].turn");
        assert_eq!(refused(annotation(0, None, None)).path, "annotations[0]");
        assert_eq!(refused(annotation(0, Some("?!"), None)).path, "annotations[0].quote");
        assert_eq!(
            refused(Annotation { confidence: Some(1.5), ..annotation(0, Some("hello"), None) }).path,
            "annotations[0].confidence"
        );
        assert_eq!(
            refused(Annotation { source: " ".into(), ..annotation(0, Some("hello"), None) }).path,
            "annotations[0].source"
        );
    }

    #[test]
    fn where_an_annotation_was_written_is_not_part_of_what_it_says() {
        let checked =
            |at| check_all(vec![annotation(0, Some("hello"), None)], &["hello there"], &[at], false, "annotations");
        let (a, b) = (checked((1, 1)).unwrap(), checked((20, 5)).unwrap());
        assert_eq!(a, b);
        assert_ne!(a[0].at, b[0].at);
        let other =
            check_all(vec![annotation(0, Some("there"), None)], &["hello there"], &[], false, "annotations").unwrap();
        assert_ne!(a, other);
    }

    #[test]
    fn annotations_are_read_from_json_lines_or_an_array_with_their_places() {
        let lines = "{\"behavior\": \"a\", \"turn\": 0, \"quote\": \"x\", \"source\": \"s\"}\n\n  {\"behavior\": \"b\", \"turn\": 1, \"quote\": \"y\", \"source\": \"s\"}\n";
        let read = read_annotations(lines, &Limits::default()).unwrap();
        assert_eq!(
            read.iter().map(|(a, at)| (a.behavior.as_str(), *at)).collect::<Vec<_>>(),
            [("a", (1, 1)), ("b", (3, 3))]
        );
        let array = "[\n {\"behavior\": \"a\", \"turn\": 0, \"quote\": \"x\", \"source\": \"s\"}]";
        assert_eq!(read_annotations(array, &Limits::default()).unwrap()[0].1, (2, 2));
        let lines = "{\"behavior\": \"a\", \"turn\": 0, \"source\": \"s\"}\n{\"behavior\": \"a\", \"turn\": \"zero\", \"source\": \"s\"}";
        let error = read_annotations(lines, &Limits::default()).unwrap_err();
        assert_eq!((error.path.as_str(), error.line), ("given_annotations[1].turn", Some(2)));
        let error = read_annotations("{\"behavior\": \"a\",", &Limits::default()).unwrap_err();
        assert_eq!(error.path, "given_annotations[0]", "a syntax error names the annotation it is in");
        let error =
            read_annotations("[{\"behavior\": \"a\", \"turn\": 0, \"sorce\": \"s\"}]", &Limits::default()).unwrap_err();
        assert!(error.message.contains("did you mean"), "{error}");
        assert_eq!(error.path, "given_annotations[0].sorce");
        let small = Limits { max_transcript_bytes: 8, ..Limits::default() };
        assert_eq!(read_annotations(lines, &small).unwrap_err().kind, TranscriptErrorKind::LimitExceeded);
    }
}
