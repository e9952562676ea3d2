"""The binding's evidence is exactly what an independent pure-Python reference finds: every
behavior's word-bounded phrases and regex matches in candidate turns, overlaps merged leftmost
then longest, in code points of the original text. The reference (benches/peers/mentions.py, a
port of `reference_mentions` in benches/src/lib.rs) is also what the peer benchmark holds every
peer to, so this test keeps that comparison honest.

The corpus cases read target/bench-data/, which `make test-rust` writes (`python3
benches/make_data.py --no-corpus`) before the Python tests run; a missing file fails the test."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, Set

import pytest
from conftest import ROOT

import rubric

sys.path.insert(0, str(ROOT / "benches" / "peers"))
from mentions import Mention, Patterns, engine_mentions, fold, reference_mentions  # noqa: E402

BENCH_DATA = ROOT / "target" / "bench-data"


def bench_file(name: str) -> Path:
    path = BENCH_DATA / name
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `python3 benches/make_data.py --no-corpus` (make test-rust does)")
    return path


@pytest.mark.parametrize(("behaviors", "size"), [(200, "5k"), (500, "5k"), (200, "50k")])
def test_evidence_equals_the_reference_on_corpus_text(behaviors: int, size: str) -> None:
    scorer = rubric.Rubric.from_file(bench_file(f"rubric-{behaviors}.yaml"))
    patterns = Patterns.load(bench_file(f"patterns-{behaviors}.json"))
    transcript = json.loads(bench_file(f"transcript-{size}.json").read_text(encoding="utf-8"))
    expected = reference_mentions(patterns, transcript)
    ours = engine_mentions(scorer.score(transcript).to_dict())
    assert len(expected) > 100, "the corpus text should hold many mentions, or the comparison says little"
    assert ours == expected


# Two behaviors whose phrases overlap each other and words around them; one regex.
RUBRIC = """
id: reference-check
version: "1"
title: Reference check
scale:
  levels:
    - { level: 1, label: Low, from: 0, to: 0.5 }
    - { level: 2, label: High, from: 0.5, to: 1 }
competencies:
  - id: c0
    title: C
    subcompetencies:
      - id: c0s0
        title: S
        behaviors:
          - id: b0
            title: Edge cases
            feedback: Name edge cases.
            scoring: { mode: count, target: 3 }
            detectors:
              - phrases: ["edge case", "Edge Cases", "don't know"]
          - id: b1
            title: Complexity
            feedback: State the complexity.
            scoring: { mode: count, target: 3 }
            detectors:
              - phrases: ["hash map"]
              - regex: '\\bO\\(n\\) time'
"""
PATTERNS = Patterns([["edge case", "Edge Cases", "don't know"], ["hash map"]], [None, r"\bO\(n\) time"])
CANDIDATE = (
    "😀 Edge  Cases — EDGE CASE… I don’t know; edge-case? knowledge-edge casework. Zoë’s hash map is O(N) time 🚀."
)


def span(text: str, needle: str, behavior: int, turn: int = 1) -> Mention:
    start = text.index(needle)
    return (behavior, turn, start, start + len(needle))


def test_reference_and_evidence_on_folded_non_ascii_text() -> None:
    transcript: Dict[str, Any] = {
        "turns": [
            {"role": "interviewer", "start": 0, "end": 5, "text": "Any edge cases? Use a hash map."},
            {"role": "candidate", "start": 6, "end": 30, "text": CANDIDATE},
        ]
    }
    # Written out by hand: the longer of two overlapping phrases wins; case, doubled spaces and
    # the curly apostrophe fold away; "edge-case" and "casework" are not the phrase; the
    # interviewer's turn does not count; offsets are code points (the emoji is one).
    expected: Set[Mention] = {
        span(CANDIDATE, "Edge  Cases", 0),
        span(CANDIDATE, "EDGE CASE", 0),
        span(CANDIDATE, "don’t know", 0),
        span(CANDIDATE, "hash map", 1),
        span(CANDIDATE, "O(N) time", 1),
    }
    assert reference_mentions(PATTERNS, transcript) == expected
    assert engine_mentions(rubric.Rubric.from_yaml(RUBRIC).score(transcript).to_dict()) == expected


@pytest.mark.parametrize(
    ("original", "folded"),
    [
        ("Don’t", "dont"),
        ("I'M  SURE", "im sure"),
        ("a – b — c", "a - b - c"),
        ("“Quoted”", '"quoted"'),
        ("  lead and trail  ", "lead and trail"),
        ("one\r\n\n two", "one\ntwo"),
        ("tab\tand\u00a0nbsp", "tab and nbsp"),
        ("Zoë ÉCOLE", "zoë école"),
        ("wait…", "wait."),
    ],
)
def test_reference_folds_like_the_engine(original: str, folded: str) -> None:
    # The same table as the engine's own folding test (crates/rubric-core/src/text/normalize.rs).
    text, origin = fold(original)
    assert text == folded
    assert len(origin) == len(text) and all(0 <= i < len(original) for i in origin)
