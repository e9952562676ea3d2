"""The public API: loading rubrics, every transcript input form, the scorecard object."""

from __future__ import annotations

import collections
import copy
import functools
import json
import keyword
import pickle
import re
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any, Dict, List, Mapping, Set, Tuple

import pytest
from conftest import FIXTURES, ROOT, TRANSCRIPTS, golden_cases

import rubric
from rubric import _results

MINI_YAML = """\
id: mini
version: "2.0"
title: Mini rubric
scale:
  levels:
    - { level: 1, label: Not yet, from: 0.0, to: 0.5 }
    - { level: 2, label: Yes, from: 0.5, to: 1.0 }
competencies:
  - id: clarity
    title: Clarity
    subcompetencies:
      - id: questions
        title: Asks questions
        behaviors:
          - id: asks_about_input
            title: Asks about the input
            detectors:
              - question: { about: [input, empty] }
            feedback: Ask about the input before you code.
"""

SHORT = "Interviewer: Merge these intervals.\nCandidate: Can I assume the input isn't empty?"


# --- Loading ---------------------------------------------------------------------------------


def test_bundled_rubrics_are_listed_and_load() -> None:
    names = rubric.bundled_rubrics()
    assert names == rubric.Rubric.list_bundled()
    assert {"coding-round", "system-design", "behavioral-star", "code-review", "recruiter-screen"} <= set(names)
    assert rubric.DEFAULT_RUBRIC in names
    for name in names:
        loaded = rubric.Rubric.bundled(name)
        assert loaded.id == name
        assert loaded.version and loaded.title
        assert loaded.source == (ROOT / "rubrics" / f"{name}.yaml").read_text(encoding="utf-8")


def test_from_yaml_and_properties() -> None:
    mini = rubric.Rubric.from_yaml(MINI_YAML)
    assert (mini.id, mini.version, mini.title) == ("mini", "2.0", "Mini rubric")
    assert mini.source == MINI_YAML
    assert repr(mini) == "<Rubric id='mini' version='2.0'>"
    card = mini.score(SHORT)
    assert card.rubric.id == "mini"
    assert card.competencies[0].subcompetencies[0].behaviors[0].id == "asks_about_input"


@pytest.mark.parametrize("as_path", [str, Path], ids=["str", "Path"])
def test_from_file_equals_bundled(as_path: Any, strong_path: Path) -> None:
    from_file = rubric.Rubric.from_file(as_path(ROOT / "rubrics" / "coding-round.yaml"))
    bundled = rubric.Rubric.bundled("coding-round")
    assert from_file.score(strong_path) == bundled.score(strong_path)


def test_version_is_exported() -> None:
    assert rubric.__version__.count(".") == 2


def test_importing_rubric_does_not_import_pandas() -> None:
    code = "import sys, rubric, rubric.dataframe; assert 'pandas' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_public_name_exists() -> None:
    for name in rubric.__all__:
        assert hasattr(rubric, name), name


# --- Transcript inputs -----------------------------------------------------------------------


def test_inputs_dict_json_text_bytes_path_all_work(coding: rubric.Rubric, strong_path: Path) -> None:
    text = strong_path.read_text(encoding="utf-8")
    expected = coding.score(strong_path)
    assert coding.score(str(strong_path)) == expected
    assert coding.score(text) == expected
    assert coding.score(text.encode("utf-8")) == expected
    assert coding.score(json.loads(text)) == expected
    # A Mapping that is not a dict.
    assert coding.score(collections.OrderedDict(json.loads(text))) == expected


def test_text_format_is_detected_and_can_be_forced(coding: rubric.Rubric) -> None:
    card = coding.score(SHORT)
    assert card.transcript.turns == 2
    assert not card.transcript.timed
    assert coding.score(SHORT, format="text") == card
    with pytest.raises(rubric.TranscriptError) as info:
        coding.score(SHORT, format="json")
    assert info.value.kind == "syntax"


def test_relative_str_path_is_read_as_a_file(
    coding: rubric.Rubric, strong_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert coding.score("fixtures/transcripts/coding-round/strong.json") == coding.score(strong_path)


def test_speakers_map_labels_to_roles(coding: rubric.Rubric) -> None:
    path = TRANSCRIPTS / "formats" / "two-sum.utterances.json"
    with pytest.raises(rubric.TranscriptError) as info:
        coding.score(path)
    assert info.value.kind == "unmapped_speaker"
    card = coding.score(path, speakers={"A": "interviewer", "B": "candidate"})
    assert card.transcript.turns == 5


def test_real_shaped_transcripts_say_what_they_stood_on(coding: rubric.Rubric) -> None:
    # Untimed and event-less: the coding phase is read from what was said, windows are estimated,
    # and a level resting on under half of its weight says so, in attributes and in repr.
    card = coding.score(
        "Interviewer: Find two numbers that add up to the target.\n"
        "Candidate: can the array be empty\n"
        "Interviewer: No.\n"
        "Candidate: Okay, let me start coding. can I use a hash map\n"
    )
    assert card.transcript.times_estimated and not card.transcript.complete
    (event,) = card.transcript.inferred_events
    assert (event.type, event.evidence.turn, event.evidence.text) == ("code_start", 3, "start coding")
    asks = next(b for b in card.behaviors() if b.id == "asks_clarifying_questions")
    assert asks.count == 1, "only the question before coding starts counts"
    low = [s for c in card.competencies for s in c.subcompetencies if s.low_confidence]
    assert low and all(s.coverage < 0.5 for s in low)
    assert "low_confidence=True" in repr(low[0])
    assert card.to_dict()["transcript"]["inferred_events"][0]["type"] == "code_start"


def test_bad_arguments_raise_python_errors(coding: rubric.Rubric) -> None:
    with pytest.raises(ValueError, match="unknown transcript format"):
        coding.score(SHORT, format="docx")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown role"):
        coding.score(SHORT, speakers={"A": "host"})
    with pytest.raises(TypeError, match="expected a transcript"):
        coding.score(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="JSON serializable"):
        coding.score({"turns": [{"role": "candidate", "text": object()}]})


# --- The scorecard ---------------------------------------------------------------------------


def test_nested_attribute_access(coding: rubric.Rubric, strong_path: Path) -> None:
    card = coding.score(strong_path)
    data = card.to_dict()
    assert card.overall.score == data["overall"]["score"]
    assert card.overall.level == data["overall"]["level"]
    behavior = card.competencies[0].subcompetencies[0].behaviors[0]
    evidence = behavior.evidence[0]
    assert evidence.text == data["competencies"][0]["subcompetencies"][0]["behaviors"][0]["evidence"][0]["text"]
    assert evidence.span.chars == tuple(data["competencies"][0]["subcompetencies"][0]["behaviors"][0]["evidence"][0]["span"]["chars"])
    assert evidence.detector.kind in ("phrase", "lexicon", "regex", "question")
    assert card.scale[0].from_ == data["scale"][0]["from"]
    assert card.metrics.speakers[0].speaker == data["metrics"]["speakers"][0]["speaker"]
    assert isinstance(card.competencies, tuple)
    assert card.behavior(behavior.id) == behavior
    assert card.behavior("no-such-behavior") is None
    assert [b.id for b in card.behaviors()] == [
        b["id"] for c in data["competencies"] for s in c["subcompetencies"] for b in s["behaviors"]
    ]


def test_views_are_read_only_and_unknown_fields_raise(coding: rubric.Rubric, strong_path: Path) -> None:
    card = coding.score(strong_path)
    with pytest.raises(AttributeError):
        card.overall.score = 1.0
    with pytest.raises(AttributeError, match="no field"):
        getattr(card.overall, "scroe")
    # What a view returns cannot change the scorecard.
    card.to_dict()["overall"]["score"] = -1
    assert card.overall.score != -1


def test_to_json_is_the_engine_json(coding: rubric.Rubric, strong_path: Path) -> None:
    card = coding.score(strong_path)
    compact = card.to_json()
    assert json.loads(compact) == card.to_dict()
    assert "\n" not in compact
    assert rubric.Scorecard.from_json(compact) == card
    assert rubric.Scorecard(card.to_dict()) == card
    assert rubric.Scorecard(card.to_dict()).to_dict() == card.to_dict()
    assert repr(card).startswith("Scorecard(rubric='coding-round', transcript='coding-round-strong'")


def test_scorecards_and_views_pickle_and_copy(coding: rubric.Rubric, strong_path: Path) -> None:
    card = coding.score(strong_path)
    assert pickle.loads(pickle.dumps(card)) == card
    assert pickle.loads(pickle.dumps(card)).to_json() == card.to_json()
    assert copy.deepcopy(card) == card
    overall = card.overall
    assert pickle.loads(pickle.dumps(overall)) == overall


VIEW_NAMES = {name for name, c in vars(_results).items() if isinstance(c, type) and issubclass(c, _results._Node)}


@functools.lru_cache(maxsize=None)
def _fields(cls: type) -> Dict[str, str]:
    """Declared fields of a view class (`from_` stands for the keyword `from`)."""
    fields = {}
    for name, annotation in cls.__annotations__.items():
        if name.startswith("_"):
            continue
        key = name[:-1] if name.endswith("_") and keyword.iskeyword(name[:-1]) else name
        fields[key] = str(annotation)
    return fields


def _check_view(cls: type, data: Mapping[str, Any], where: str, seen: Set[str]) -> None:
    """The view class declares exactly the keys of `data`, and its children match recursively."""
    assert set(_fields(cls)) == set(data), f"{where}: {cls.__name__} fields differ from the JSON keys"
    seen.add(cls.__name__)
    children: Mapping[str, type] = getattr(cls, "_children")
    for key, child in children.items():
        value = data[key]
        if value is not None:
            for i, item in enumerate(value if isinstance(value, list) else [value]):
                _check_view(child, item, f"{where}.{key}[{i}]", seen)


def test_view_children_match_their_annotations() -> None:
    for name in VIEW_NAMES:
        cls = getattr(_results, name)
        children: Mapping[str, type] = getattr(cls, "_children")
        for key, annotation in _fields(cls).items():
            child = children.get(key)
            if child is not None:
                assert re.search(rf"\b{child.__name__}\b", annotation), f"{name}.{key}"
            else:
                assert not any(re.search(rf"\b{v}\b", annotation) for v in VIEW_NAMES), f"{name}.{key} needs a child"


@functools.lru_cache(maxsize=None)
def _typed_dict_children(td: Any) -> Tuple[Tuple[str, ...], Dict[str, Any]]:
    """A TypedDict's keys, and the keys that hold (lists of, optional) TypedDicts."""
    hints = typing.get_type_hints(td)
    children = {}
    for key, hint in hints.items():
        for candidate in (hint, *typing.get_args(hint)):
            for t in (candidate, *typing.get_args(candidate)):
                if typing.is_typeddict(t):
                    children[key] = t
    return tuple(hints), children


def _check_typed_dict(td: Any, data: Mapping[str, Any], where: str) -> None:
    keys, children = _typed_dict_children(td)
    assert set(keys) == set(data), f"{where}: {td.__name__} keys differ from the JSON keys"
    for key, child in children.items():
        value = data[key]
        for i, item in enumerate(value if isinstance(value, list) else [value] if value is not None else []):
            _check_typed_dict(child, item, f"{where}.{key}[{i}]")


def test_view_classes_and_typed_dicts_match_every_golden_scorecard() -> None:
    seen: Set[str] = set()
    for case in golden_cases():
        data = json.loads((FIXTURES / case["golden"]).read_text(encoding="utf-8"))
        _check_view(rubric.Scorecard, data, case["golden"], seen)
        _check_typed_dict(rubric.ScorecardDict, data, case["golden"])
    # A segment over its time limit (no fixture has one).
    overrun = rubric.Rubric.bundled("coding-round").score({
        "turns": [
            {"role": "interviewer", "start": 0, "end": 5, "text": "Merge the intervals."},
            {"role": "candidate", "start": 6, "end": 40, "text": "Can I assume the input is sorted?"},
        ],
        "segments": [{"id": "q1", "round": "coding", "start_turn": 0, "time_limit": 10}],
    })
    assert overrun.metrics.segments_over_limit
    _check_view(rubric.Scorecard, overrun.to_dict(), "overrun", seen)
    _check_typed_dict(rubric.ScorecardDict, overrun.to_dict(), "overrun")
    # Roles inferred (no fixture is scored with infer_roles).
    inferred = rubric.Rubric.bundled("coding-round").score(
        "Dana: Sum to the target.\nSam: Can I assume one answer?\nDana: Yes.", infer_roles=True
    )
    assert inferred.transcript.role_inference is not None
    _check_view(rubric.Scorecard, inferred.to_dict(), "inferred roles", seen)
    _check_typed_dict(rubric.ScorecardDict, inferred.to_dict(), "inferred roles")
    # Every view class is exercised by some fixture.
    assert VIEW_NAMES - {"_Node", "_Document"} <= set(seen), VIEW_NAMES - set(seen)


def test_types_of_attribute_values(coding: rubric.Rubric, strong_path: Path) -> None:
    card = coding.score(strong_path)
    checks: List[Tuple[Any, type]] = [
        (card.overall.score, float),
        (card.overall.level, int),
        (card.transcript.timed, bool),
        (card.metrics.time_to_first, dict),
        (card.competencies[0].subcompetencies[0].red_flags, tuple),
    ]
    for value, expected in checks:
        assert isinstance(value, expected), (value, expected)
