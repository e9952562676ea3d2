"""A transcript given as a dict is read straight into the engine, without JSON text: it scores,
and fails, exactly as its `json.dumps` text does, and reads every value as `json.dumps` writes it."""

from __future__ import annotations

import collections
import json
import math
import re
import types
from pathlib import Path
from typing import Any, Dict, List

import pytest
from conftest import FIXTURES, TRANSCRIPTS

import rubric
from rubric import _rubric



def native_documents(folder: Path) -> List[Path]:
    """The JSON files of `folder` that `json.loads` reads as a dict with `turns`."""
    found = []
    for path in sorted(folder.rglob("*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, RecursionError):  # not JSON, or nested past what `json` reads
            continue
        if isinstance(document, dict) and "turns" in document:
            found.append(path)
    return found


NATIVE_FIXTURES = native_documents(TRANSCRIPTS) + native_documents(FIXTURES / "bad" / "transcripts")


def test_there_are_native_fixtures_to_compare() -> None:
    assert len(NATIVE_FIXTURES) >= 40


@pytest.mark.parametrize("path", NATIVE_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_a_dict_scores_as_its_json_text(coding: rubric.Rubric, path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    try:
        expected = coding.score(path)
    except rubric.TranscriptError as error:
        with pytest.raises(rubric.TranscriptError) as info:
            coding.score(document)
        time = value_at(document, error.path) if error.path.endswith((".start", ".end", ".time")) else None
        if isinstance(time, float) and not math.isfinite(time):
            # `1e999` and `NaN` in JSON text are no number serde_json reads; `json.loads` makes
            # them floats, which the engine refuses as times.
            assert (info.value.kind, info.value.path) == ("invalid_time", error.path)
            return
        assert (info.value.kind, info.value.path, info.value.message) == (error.kind, error.path, error.message)
        return
    assert coding.score(document).to_json() == expected.to_json()
    assert coding.score(document, complete=True).to_json() == coding.score(path, complete=True).to_json()


def value_at(document: Any, path: str) -> Any:
    """The value at an error's path (`turns[0].end`)."""
    for part in re.findall(r"[^.\[\]]+", path):
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


def test_lists_as_tuples_and_mappings_other_than_dict_read_alike(coding: rubric.Rubric) -> None:
    turn = {"role": "candidate", "text": "I would use a hash map, O(1) lookups.", "start": 1, "end": 2.5}
    question = {"speaker": "Interviewer", "text": "Why?", "start": 3, "end": 4}
    base = {"turns": [turn, question]}
    expected = coding.score(json.dumps(base)).to_json()
    variants: List[Any] = [
        {"turns": tuple(base["turns"])},
        collections.OrderedDict(base),
        types.MappingProxyType(base),
        {"turns": [collections.OrderedDict(turn), base["turns"][1]]},
        # Keys built at run time: equal text, distinct objects in every dict (the reader caches
        # a key's text by the key object).
        {"".join(["tu", "rns"]): [{"".join([k[:1], k[1:]]): v for k, v in t.items()} for t in base["turns"]]},
    ]
    for variant in variants:
        assert coding.score(variant).to_json() == expected


ERROR_CASES: List[Dict[str, Any]] = [
    {"turns": [{"role": "host", "text": "Hello"}]},
    {"turns": [{"role": "candidate", "txt": "Hello"}]},
    {"turns": [{"role": "candidate", "text": 5}]},
    {"turns": [{"role": "candidate", "text": 5.0}]},
    {"turns": [{"role": "candidate", "text": 2.5e-7}]},
    {"turns": [{"role": "candidate", "text": 1e300}]},
    {"turns": [{"role": "candidate", "text": "x"}], "complete": 0.5},
    {"turns": [{"role": "candidate", "text": True}]},
    {"turns": [{"role": "candidate", "text": None}]},
    {"turns": [{"role": "candidate", "text": ["a"]}]},
    {"turns": [{"role": "candidate", "start": 5, "end": 2, "text": "x"}]},
    {"turns": [{"role": "candidate", "start": -1, "text": "x"}]},
    {"turns": []},
    {"turns": {"role": "candidate"}},
    {"turns": [{"text": "x"}]},
    {"turns": [{"speaker": "Alice", "text": "x"}, {"speaker": "Bob", "text": "y"}, {"speaker": "Cy", "text": "z"}]},
    {"turns": [{"role": "candidate", "text": "x"}], "complete": "yes"},
    {"turns": [{"role": "candidate", "text": "x"}], "events": [{"type": "code_run"}]},
    {"turns": [{"role": "candidate", "text": "x"}], "roles": {"A": "boss"}},
]


@pytest.mark.parametrize("document", ERROR_CASES, ids=lambda d: json.dumps(d)[:60])
def test_a_bad_dict_fails_as_its_json_text_by_path_alone(coding: rubric.Rubric, document: Dict[str, Any]) -> None:
    with pytest.raises(rubric.TranscriptError) as by_text:
        coding.score(json.dumps(document))
    with pytest.raises(rubric.TranscriptError) as by_dict:
        coding.score(document)
    expected = (by_text.value.kind, by_text.value.path, by_text.value.message, by_text.value.suggestion)
    assert (by_dict.value.kind, by_dict.value.path, by_dict.value.message, by_dict.value.suggestion) == expected
    assert (by_dict.value.line, by_dict.value.column) == (None, None)
    batch = coding.score_many([document, document], threads=2)
    assert sorted(batch.errors) == [0, 1]
    assert all(isinstance(e, rubric.TranscriptError) and e.message == by_text.value.message for e in batch.errors.values())


def test_a_time_json_cannot_write_is_an_invalid_time(coding: rubric.Rubric) -> None:
    for bad, shown in ((float("nan"), "NaN"), (float("inf"), "inf"), (float("-inf"), "-inf")):
        with pytest.raises(rubric.TranscriptError) as info:
            coding.score({"turns": [{"role": "candidate", "start": bad, "end": 3.0, "text": "x"}]})
        assert (info.value.kind, info.value.path, info.value.message) == (
            "invalid_time",
            "turns[0].start",
            f"expected a finite number of seconds >= 0, found {shown}",
        )


def test_a_value_json_cannot_write_is_its_type_error_with_the_path(coding: rubric.Rubric) -> None:
    with pytest.raises(TypeError, match=r"^turns\[0\]\.text: Object of type object is not JSON serializable$"):
        coding.score({"turns": [{"role": "candidate", "text": object()}]})
    with pytest.raises(TypeError, match=r"keys must be str, int, float, bool or None, not tuple"):
        coding.score({"turns": [{"role": "candidate", "text": "x", (1, 2): "y"}]})
    good = {"turns": [{"role": "candidate", "text": "x"}]}
    with pytest.raises(TypeError, match=r"^transcripts\[1\]\.turns\[0\]\.start: Object of type complex"):
        coding.score_many([good, {"turns": [{"role": "candidate", "start": 1j, "text": "x"}]}])


def test_a_dict_in_another_format_is_still_written_as_json() -> None:
    utterances = {"utterances": [{"speaker": "A", "start": 0.0, "end": 1.0, "text": "hello there"}]}
    card = rubric.Rubric.bundled("coding-round").score(utterances, speakers={"A": "candidate"})
    assert card.to_json() == rubric.Rubric.bundled("coding-round").score(
        json.dumps(utterances), speakers={"A": "candidate"}
    ).to_json()


def test_the_byte_limit_of_a_dict_is_its_text(strong_path: Path) -> None:
    document = json.loads(strong_path.read_text(encoding="utf-8"))
    text_bytes = sum(
        len(turn["text"].encode()) + len(turn.get("speaker", "").encode()) for turn in document["turns"]
    )
    lowered = rubric.Rubric.bundled("coding-round", limits={"max_transcript_bytes": text_bytes - 1})
    with pytest.raises(rubric.TranscriptError) as info:
        lowered.score(document)
    assert (info.value.kind, info.value.message) == (
        "limit_exceeded",
        f"the transcript's text is {text_bytes} bytes, over the limit of {text_bytes - 1} bytes (max_transcript_bytes)",
    )
    exact = rubric.Rubric.bundled("coding-round", limits={"max_transcript_bytes": text_bytes})
    assert exact.score(document).to_json() == rubric.Rubric.bundled("coding-round").score(document).to_json()


# --- The reader on any value (the schema alone does not reach every case) ---------------------


@pytest.mark.parametrize(
    "value",
    [
        {"a": [1, 2.5, -3, True, False, None, "é\u2019"], "b": {"c": ()}},
        {1: "int key", 2.5: "float key", True: "bool key", None: "none key"},
        [2**63 - 1, 2**64 - 1, -(2**63), 1e300, 0.1, -0.0],
        collections.OrderedDict([("z", 1), ("a", 2)]),
        ("tuple", ["nested", ("deeper",)]),
        "just a string",
    ],
)
def test_the_reader_reads_what_json_dumps_writes(value: Any) -> None:
    assert json.loads(_rubric._read_value_for_tests(value)) == json.loads(json.dumps(value))


class LoudInt(int):
    def __repr__(self) -> str:
        return "loud"


class MutatingList(list):  # type: ignore[type-arg]
    def __iter__(self) -> Any:
        OWNER.clear()
        return super().__iter__()


OWNER: Dict[Any, Any] = {}


def test_the_reader_runs_no_python_code_of_subclasses() -> None:
    # json.dumps calls int.__repr__ itself and reads lists by index; so does the reader.
    assert json.loads(_rubric._read_value_for_tests({LoudInt(7): "x"})) == {"7": "x"}
    OWNER.update({"a": MutatingList([1, 2]), "b": 3})
    assert json.loads(_rubric._read_value_for_tests(OWNER)) == {"a": [1, 2], "b": 3}
    assert OWNER == {"a": [1, 2], "b": 3}


def test_an_int_beyond_64_bits_is_read_as_serde_json_reads_its_digits() -> None:
    assert json.loads(_rubric._read_value_for_tests([2**64 + 1, -(2**63) - 1])) == [float(2**64), float(-(2**63))]


def test_the_reader_refuses_nesting_deeper_than_json_text_may_have() -> None:
    deep: List[Any] = []
    inner = deep
    for _ in range(127):
        inner.append([])
        inner = inner[0]
    assert json.loads(_rubric._read_value_for_tests(deep)) == deep
    inner.append([])
    with pytest.raises(ValueError, match="recursion limit exceeded"):
        _rubric._read_value_for_tests(deep)
    holds_itself: Dict[str, Any] = {}
    holds_itself["self"] = holds_itself
    with pytest.raises(ValueError, match="recursion limit exceeded"):
        _rubric._read_value_for_tests(holds_itself)
