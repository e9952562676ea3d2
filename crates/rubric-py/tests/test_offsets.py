"""Evidence spans are Python string indices (code points), on non-ASCII and astral-plane text:
the text at every reported span is the text reported, in all three units."""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest
from conftest import FIXTURES, golden_cases

import rubric

# Each candidate line is full of multi-byte and astral characters before, between and inside the
# phrases the coding-round rubric detects.
CANDIDATE_LINES = [
    ("latin accents", "Zoë here, café owner. Can I assume the input isn't empty? I'll use a hash map, so it's O(n) time."),
    ("emoji", "👋🏽 Hi! 🚀 Can I assume the input 📦 isn't empty? 🤔 I'll use a hash map 🗺️, so it's O(n) time ⏱️."),
    ("zwj emoji", "👩‍💻👨‍👩‍👧 Can I assume the input is sorted? 🏳️‍🌈 Then a hash map gives O(n) time."),
    ("combining marks", "Cafe\u0301 re\u0301sume\u0301: can I assume the input has duplicates? A hash map is O(n) time."),
    ("cjk", "你好，我是候选人。Can I assume the input is sorted? 我会用 a hash map, so it's O(n) time。"),
    ("astral letters", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕥𝕖𝕩𝕥: can I assume the input isn't empty? 𝒽𝒶𝓈𝒽 — a hash map, O(n) time."),
    ("right to left", "مرحبا! Can I assume the input is sorted? שלום — a hash map gives O(n) time."),
]


def _turns(candidate: str) -> Dict[str, Any]:
    return {
        "turns": [
            {"role": "interviewer", "start": 0, "end": 5, "text": "Return two indices that add up to the target 🎯."},
            {"role": "candidate", "start": 6, "end": 30, "text": candidate},
        ]
    }


def _all_evidence(card: rubric.Scorecard) -> List[rubric.Evidence]:
    items = [e for b in card.behaviors() for e in (*b.evidence, *b.against)]
    items += [e for flag in card.red_flags for e in flag.evidence]
    return items


def _check(turn_texts: List[str], card: rubric.Scorecard) -> int:
    checked = 0
    for item in _all_evidence(card):
        text = turn_texts[item.turn]
        start, end = item.span.chars
        assert text[start:end] == item.text, (item.span, item.text)
        b0, b1 = item.span.bytes
        assert text.encode("utf-8")[b0:b1].decode("utf-8") == item.text
        u0, u1 = item.span.utf16
        assert text.encode("utf-16-le")[2 * u0 : 2 * u1].decode("utf-16-le") == item.text
        checked += 1
    return checked


@pytest.mark.parametrize("line", [line for _, line in CANDIDATE_LINES], ids=[name for name, _ in CANDIDATE_LINES])
def test_spans_index_python_strings(coding: rubric.Rubric, line: str) -> None:
    transcript = _turns(line)
    card = coding.score(transcript)
    texts = [t["text"] for t in transcript["turns"]]
    assert _check(texts, card) >= 2, "the line should produce evidence"
    # The candidate turn has characters outside the BMP or multi-byte ones, so the units differ.
    candidate = [e for e in _all_evidence(card) if e.turn == 1]
    assert any(e.span.chars != e.span.bytes for e in candidate)


def test_astral_characters_make_the_three_units_differ(coding: rubric.Rubric) -> None:
    line = "🚀🚀🚀 Okay. Can I assume the input isn't empty?"
    card = coding.score(_turns(line))
    item = next(e for e in _all_evidence(card) if e.turn == 1 and e.span.chars[0] >= 3)
    start = item.span.chars[0]
    assert item.span.utf16[0] == start + 3  # Each rocket is two UTF-16 code units...
    assert item.span.bytes[0] == start + 9  # ...and four UTF-8 bytes.
    assert line[slice(*item.span.chars)] == item.text


def test_every_fixture_span_indexes_its_turn() -> None:
    checked = 0
    for case in golden_cases():
        path = FIXTURES / case["transcript"]
        if path.suffix != ".json" or case["speakers"]:
            continue  # Text and WebVTT turns are rebuilt from lines; the JSON ones are verbatim.
        data = json.loads(path.read_text(encoding="utf-8"))
        card = rubric.Rubric.bundled(case["rubric"]).score(data)
        checked += _check([t["text"] for t in data["turns"]], card)
    assert checked > 100
