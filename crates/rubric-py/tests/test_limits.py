"""Limits: every size the engine accepts is bounded, the embedding application sets the bounds
with ``limits=``, and going over one is an error that names the limit and the actual size."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple, cast

import pytest
from conftest import FIXTURES

import rubric

REGEX_YAML = """\
id: regexes
version: "1"
title: Regex rubric
scale:
  levels:
    - { level: 1, label: Low, from: 0.0, to: 0.5 }
    - { level: 2, label: High, from: 0.5, to: 1.0 }
competencies:
  - id: comp
    title: Competency
    subcompetencies:
      - id: sub
        title: Sub
        behaviors:
          - id: words
            title: Long words
            feedback: Use longer words.
            detectors:
              - regex: '\\w{50}'
              - regex: 'complexit(y|ies)'
"""


def golden_limits() -> Dict[str, int]:
    """`Limits::default()` as the Rust test suite writes it (crates/rubric-core/tests/api.rs)."""
    limits: Dict[str, int] = json.loads((FIXTURES / "golden" / "limits.json").read_text(encoding="utf-8"))
    return limits


def strong_turns(strong_path: Path) -> List[Dict[str, Any]]:
    turns: List[Dict[str, Any]] = json.loads(strong_path.read_text(encoding="utf-8"))["turns"]
    return turns


# --- Defaults ----------------------------------------------------------------------------------


def test_default_limits_are_the_rust_defaults() -> None:
    defaults = rubric.default_limits()
    assert defaults == golden_limits()
    assert list(defaults) == list(golden_limits()), "declaration order"
    assert rubric.Rubric.bundled("coding-round").limits == defaults
    # A fresh dict each time: changing one does not change the defaults.
    defaults["max_turns"] = 1
    assert rubric.default_limits() == golden_limits()


def test_given_limits_replace_only_those_defaults() -> None:
    loaded = rubric.Rubric.bundled("coding-round", limits={"max_turns": 7, "max_events": 0})
    assert loaded.limits == {**golden_limits(), "max_turns": 7, "max_events": 0}
    assert rubric.Rubric.bundled("coding-round", limits={}).limits == golden_limits()
    assert rubric.Rubric.bundled("coding-round", limits=None).limits == golden_limits()


# --- Transcript limits: score and score_many ---------------------------------------------------


def transcript_cases(strong_path: Path) -> List[Tuple[str, int, str, str]]:
    """(limit, lowered value, path, expected message), from the fixture's real sizes."""
    size = len(strong_path.read_bytes())
    turns = strong_turns(strong_path)
    index, long_turn = next((i, t) for i, t in enumerate(turns) if len(t["text"].encode()) > 10)
    turn_bytes = len(long_turn["text"].encode())
    return [
        (
            "max_transcript_bytes",
            100,
            "",
            f"the transcript is {size} bytes, over the limit of 100 bytes (max_transcript_bytes)",
        ),
        ("max_turns", 3, "turns", f"{len(turns)} turns exceed the limit of 3 (max_turns)"),
        (
            "max_turn_bytes",
            10,
            f"turns[{index}].text",
            f"the text is {turn_bytes} bytes, over the limit of 10 bytes (max_turn_bytes)",
        ),
    ]


def test_lowered_transcript_limits_name_the_limit_and_the_size(strong_path: Path) -> None:
    for name, value, path, message in transcript_cases(strong_path):
        lowered = rubric.Rubric.bundled("coding-round", limits={name: value})
        for transcript in (strong_path, strong_path.read_text(encoding="utf-8"), strong_path.read_bytes()):
            with pytest.raises(rubric.TranscriptError) as info:
                lowered.score(transcript)
            assert (info.value.kind, info.value.path, info.value.message) == ("limit_exceeded", path, message), name
        batch = lowered.score_many([strong_path, strong_path], threads=2)
        assert sorted(batch.errors) == [0, 1]
        assert all(isinstance(e, rubric.TranscriptError) and e.message == message for e in batch.errors.values())


def test_raised_transcript_limits_allow_the_same_input(strong_path: Path) -> None:
    expected = rubric.Rubric.bundled("coding-round").score(strong_path)
    longest_turn = max(len(turn["text"].encode()) for turn in strong_turns(strong_path))
    for name, _, _, message in transcript_cases(strong_path):
        # The size the message reports; for turns, that of the first turn over the limit, so the
        # longest turn is what it takes.
        actual = longest_turn if name == "max_turn_bytes" else reported_size(message)
        exact = rubric.Rubric.bundled("coding-round", limits={name: actual})
        assert exact.score(strong_path) == expected, name
        assert exact.score_many([strong_path]).scorecards == [expected]


def test_scoring_past_max_matches_is_refused_at_the_turn(strong_path: Path) -> None:
    lowered = rubric.Rubric.bundled("coding-round", limits={"max_matches": 1})
    with pytest.raises(rubric.TranscriptError) as info:
        lowered.score(strong_path)
    assert info.value.kind == "limit_exceeded"
    assert re.fullmatch(r"turns\[\d+\]\.text", info.value.path), info.value.path
    assert info.value.message == (
        "this turn takes the matches of the rubric's detectors in the transcript past the limit of 1 (max_matches)"
    )
    assert rubric.Rubric.bundled("coding-round", limits={"max_matches": 100_000}).score(strong_path) == (
        rubric.Rubric.bundled("coding-round").score(strong_path)
    )


# --- Rubric limits -----------------------------------------------------------------------------


def reported_size(message: str) -> int:
    return int(re.findall(r"\d+", message)[0])


RUBRIC_CASES: List[Tuple[str, int, Callable[[Dict[str, int]], rubric.Rubric], str]] = [
    (
        "max_rubric_bytes",
        100,
        lambda limits: rubric.Rubric.from_yaml(REGEX_YAML, limits=limits),
        rf"^the rubric is {len(REGEX_YAML.encode())} bytes, over the limit of 100 bytes \(max_rubric_bytes\)$",
    ),
    (
        "max_criteria",
        1,
        lambda limits: rubric.Rubric.bundled("coding-round", limits=limits),
        r"^\d+ behaviors and red flags exceed the limit of 1 \(max_criteria\)$",
    ),
    (
        "max_phrases",
        1,
        lambda limits: rubric.Rubric.bundled("coding-round", limits=limits),
        r"^\d+ phrases exceed the limit of 1 \(max_phrases\)$",
    ),
    (
        "max_regexes",
        1,
        lambda limits: rubric.Rubric.from_yaml(REGEX_YAML, limits=limits),
        r"^2 regex detectors exceed the limit of 1 \(max_regexes\)$",
    ),
    (
        "max_regex_size",
        100,
        lambda limits: rubric.Rubric.from_yaml(REGEX_YAML, limits=limits),
        r"^the compiled regex takes \d+ bytes, over the limit of 100 bytes \(max_regex_size\)$",
    ),
    (
        "max_regex_repetition",
        10,
        lambda limits: rubric.Rubric.from_yaml(REGEX_YAML, limits=limits),
        r"^the counted repetition `\{50\}` repeats a part of the regex 50 times, over the limit of 10 "
        r"\(max_regex_repetition\)$",
    ),
    (
        "max_regex_total_size",
        100,
        lambda limits: rubric.Rubric.from_yaml(REGEX_YAML, limits=limits),
        r"^the compiled regex takes (\d+) bytes, which brings the rubric's regexes to \1 bytes, over the limit "
        r"of 100 bytes for all regexes together \(max_regex_total_size\)$",
    ),
]


@pytest.mark.parametrize("case", RUBRIC_CASES, ids=[case[0] for case in RUBRIC_CASES])
def test_lowered_rubric_limits_name_the_limit_and_the_size_and_raising_allows(
    case: Tuple[str, int, Callable[[Dict[str, int]], rubric.Rubric], str],
) -> None:
    name, value, build, pattern = case
    with pytest.raises(rubric.RubricError) as info:
        build({name: value})
    assert info.value.kind == "limit_exceeded"
    assert re.match(pattern, info.value.message), info.value.message
    size = reported_size(info.value.message)
    assert size > value
    # The size reported is what it takes: a limit of exactly that compiles. (The total must also hold
    # the second regex, which is smaller than the first.)
    raised = size * 2 if name == "max_regex_total_size" else size
    assert cast(Dict[str, int], build({name: raised}).limits)[name] == raised
    if name.startswith("max_regex_"):
        assert info.value.path == "competencies[0].subcompetencies[0].behaviors[0].detectors[0].regex"


# --- Bad limits --------------------------------------------------------------------------------


def test_an_unknown_limit_name_suggests_the_closest() -> None:
    with pytest.raises(ValueError, match=r"unknown limit `max_turn`; did you mean `max_turns`\?") as info:
        rubric.Rubric.bundled("coding-round", limits={"max_turn": 5})
    assert "max_transcript_bytes" in str(info.value), "lists the limits"
    with pytest.raises(ValueError, match="unknown limit `turns`") as info:
        rubric.Rubric.from_yaml(REGEX_YAML, limits={"turns": 5})
    assert "did you mean" not in str(info.value)


@pytest.mark.parametrize("value", [-1, True, "5", 1.5, None, 2**70])
def test_a_limit_must_be_a_non_negative_int(value: Any) -> None:
    with pytest.raises(ValueError, match=r"limits\['max_turns'\]: expected a non-negative int"):
        rubric.Rubric.bundled("coding-round", limits={"max_turns": value})


def test_limits_must_be_a_mapping_of_str() -> None:
    with pytest.raises(TypeError, match="limits: expected a dict"):
        rubric.Rubric.bundled("coding-round", limits=[("max_turns", 1)])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="limit name must be a str"):
        rubric.Rubric.bundled("coding-round", limits={1: 1})  # type: ignore[dict-item]


def test_limits_survive_pickling(strong_path: Path) -> None:
    for original in (
        rubric.Rubric.bundled("coding-round", limits={"max_turns": 3}),
        rubric.Rubric.from_yaml(REGEX_YAML, limits={"max_turns": 3}),
    ):
        copy = pickle.loads(pickle.dumps(original))
        assert copy.limits == original.limits
        with pytest.raises(rubric.TranscriptError, match=r"\(max_turns\)"):
            copy.score(strong_path)
    # Default limits are left out of the pickle, which stays small.
    assert len(pickle.dumps(rubric.Rubric.bundled("coding-round"))) < 200
