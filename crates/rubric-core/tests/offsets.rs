//! The text at every reported span is the text reported, in all three units (bytes, code points,
//! UTF-16), for every fixture and for text full of non-ASCII and astral-plane characters.

mod common;

use rubric_core::scorecard::{Evidence, Scorecard};
use rubric_core::{Rubric, Transcript};

fn all_evidence(card: &Scorecard) -> impl Iterator<Item = &Evidence> {
    card.behaviors()
        .flat_map(|b| b.evidence.iter().chain(&b.against))
        .chain(card.red_flags.iter().flat_map(|f| &f.evidence))
}

fn check_spans(transcript: &Transcript, card: &Scorecard) -> usize {
    let mut checked = 0;
    for evidence in all_evidence(card) {
        let text = &transcript.turns()[evidence.turn].text;
        let [bs, be] = evidence.span.bytes;
        assert_eq!(&text[bs..be], evidence.text, "byte span of {evidence:?}");
        let [cs, ce] = evidence.span.chars;
        let by_chars: String = text.chars().skip(cs).take(ce - cs).collect();
        assert_eq!(by_chars, evidence.text, "char span of {evidence:?}");
        let [us, ue] = evidence.span.utf16;
        let units: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(String::from_utf16(&units[us..ue]).unwrap(), evidence.text, "utf16 span of {evidence:?}");
        assert!(!evidence.text.is_empty());
        checked += 1;
    }
    checked
}

#[test]
fn every_fixture_span_slices_to_its_text() {
    let mut total = 0;
    for case in common::cases() {
        let (transcript, card) = case.score();
        total += check_spans(&transcript, &card);
    }
    assert!(total > 200, "only {total} evidence items checked");
}

#[test]
fn spans_survive_emoji_accents_and_curly_quotes() {
    let rubric = Rubric::from_yaml(
        r#"
id: unicode
version: "1"
title: Unicode
scale:
  levels:
    - { level: 1, label: Low, from: 0, to: 0.5 }
    - { level: 2, label: High, from: 0.5, to: 1 }
competencies:
  - id: c
    title: C
    subcompetencies:
      - id: s
        title: S
        behaviors:
          - id: assume
            title: Assumes
            feedback: Assume.
            detectors: [{ phrases: ["I'll assume", "edge case", "café"] }]
          - id: ask
            title: Asks
            feedback: Ask.
            detectors: [{ question: {} }]
          - id: bigo
            title: Big O
            feedback: Say it.
            detectors: [{ regex: 'o\(n( log n)?\)' }]
"#,
    )
    .unwrap();
    let text = "😀 İstanbul: I’ll assume the “edge case” — café 😀 is O(N log n)… Can I assume the 🎉 list is sorted";
    let transcript =
        Transcript::from_json(&serde_json::json!({"turns": [{"role": "candidate", "text": text}]}).to_string())
            .unwrap();
    let card = rubric.score(&transcript).unwrap();
    let texts: Vec<&str> = all_evidence(&card).map(|e| e.text.as_str()).collect();
    assert!(texts.contains(&"edge case"), "{texts:?}");
    assert!(texts.contains(&"café"), "{texts:?}");
    assert!(texts.contains(&"O(N log n)"), "{texts:?}");
    assert!(texts.contains(&"Can I assume the 🎉 list is sorted"), "{texts:?}");
    // After "İ", whose lower case is two characters, and with the curly apostrophe dropped.
    assert!(texts.contains(&"I’ll assume"), "{texts:?}");
    assert_eq!(check_spans(&transcript, &card), texts.len());
}
