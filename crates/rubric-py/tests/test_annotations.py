"""External evidence given beside a transcript (``Rubric.score(annotations=...)``): every form
(list of dicts, DataFrame, JSON Lines, JSON array, path) gives the scorecard the Rust golden file
pins for the same annotations written inside the transcript, and every problem is a located
`TranscriptError`."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Dict, List

import pandas as pd
import pytest
from conftest import FIXTURES, TRANSCRIPTS

import rubric

WEAK = TRANSCRIPTS / "coding-round" / "weak.json"
JSON_LINES = FIXTURES / "annotations" / "coding-round-weak.jsonl"
EMBEDDED_GOLDEN = FIXTURES / "golden" / "annotated" / "coding-round-weak.json"
BAD = FIXTURES / "bad"


def annotation_rows() -> List[Dict[str, Any]]:
    """The 7 annotations of the JSON Lines fixture, as dicts (a fresh copy each call)."""
    return [json.loads(line) for line in JSON_LINES.read_text(encoding="utf-8").splitlines() if line.strip()]


def expected_scorecard() -> Dict[str, Any]:
    """The golden scorecard of the transcript with the same 7 annotations written inside it, as
    weak.json given them beside it must score: annotation paths say ``given_annotations[i]``, and
    the transcript is weak.json (its own id and title)."""
    text = EMBEDDED_GOLDEN.read_text(encoding="utf-8").replace('"annotations[', '"given_annotations[')
    expected: Dict[str, Any] = json.loads(text)
    weak = json.loads(WEAK.read_text(encoding="utf-8"))
    expected["transcript"]["id"] = weak["id"]
    expected["transcript"]["title"] = weak["title"]
    return expected


def test_every_form_of_the_annotations_gives_the_embedded_golden_scorecard(coding: rubric.Rubric) -> None:
    forms: Dict[str, Any] = {
        "list of dicts": annotation_rows(),
        "tuple of dicts": tuple(annotation_rows()),
        "DataFrame": pd.DataFrame(annotation_rows()),
        "JSON Lines text": JSON_LINES.read_text(encoding="utf-8"),
        "JSON array text": json.dumps(annotation_rows(), indent=2),
        "path": JSON_LINES,
    }
    expected = expected_scorecard()
    for name, annotations in forms.items():
        assert coding.score(WEAK, annotations=annotations).to_dict() == expected, name


def test_the_statuses_and_provenance_of_the_given_annotations(coding: rubric.Rubric) -> None:
    card = coding.score(WEAK, annotations=annotation_rows())
    uses = card.transcript.annotations
    assert [use.annotation for use in uses] == [f"given_annotations[{i}]" for i in range(7)]
    assert [use.status for use in uses] == [
        "counted", "not_counted", "counted", "not_counted", "not_counted", "not_counted", "not_counted"
    ]
    behavior = card.behavior("considers_alternatives")
    assert behavior is not None
    external = [e.detector.external for e in behavior.evidence if e.detector.kind == "external"]
    assert [(x.annotation, x.source, x.confidence) for x in external if x is not None] == [
        ("given_annotations[0]", "human:ann", 0.9),
        ("given_annotations[2]", "human:bo", 0.8),
    ]
    # Without annotations the same transcript has no external evidence at all.
    plain = coding.score(WEAK)
    assert plain.transcript.annotations == ()
    assert all(e.detector.external is None for b in plain.behaviors() for e in b.evidence)


def invented(rows: List[Dict[str, Any]], index: int) -> List[Dict[str, Any]]:
    """`rows` with annotation `index` quoting what its turn never said (and no span)."""
    rows[index].pop("span", None)
    rows[index]["quote"] = "I would use a hash map"
    return rows


def test_an_invented_quote_is_a_located_unverified_quote_error(coding: rubric.Rubric) -> None:
    with pytest.raises(rubric.TranscriptError) as raised:
        coding.score(WEAK, annotations=invented(annotation_rows(), 2))
    error = raised.value
    assert (error.kind, error.path, error.line, error.column) == (
        "unverified_quote", "given_annotations[2].quote", 3, 1
    )
    assert '"I would use a hash map" is not in turn 15' in error.message
    assert error.message.endswith("with keep_unverified=True")

    # In text, the line is the line of that text: here after two blank lines.
    lines = [json.dumps(row) for row in invented(annotation_rows(), 2)]
    text = "\n\n" + "\n".join(lines)
    with pytest.raises(rubric.TranscriptError) as raised:
        coding.score(WEAK, annotations=text)
    assert (raised.value.path, raised.value.line) == ("given_annotations[2].quote", 5)


def test_with_keep_unverified_an_invented_quote_is_kept_and_counts_nowhere(coding: rubric.Rubric) -> None:
    card = coding.score(WEAK, annotations=invented(annotation_rows(), 2), keep_unverified=True)
    use = card.transcript.annotations[2]
    assert (use.annotation, use.status, use.quote) == ("given_annotations[2]", "unverified", "I would use a hash map")
    assert use.reason is not None and "is not in turn 15" in use.reason
    cited = [
        e.detector.external.annotation
        for e in [*(e for b in card.behaviors() for e in (*b.evidence, *b.against)),
                  *(e for f in card.red_flags for e in f.evidence)]
        if e.detector.external is not None
    ]
    assert cited == ["given_annotations[0]"]
    # The evidence it stood for in the golden scorecard is gone, and nothing else changed there.
    verified = coding.score(WEAK, annotations=annotation_rows())
    with_it, without = verified.behavior("considers_alternatives"), card.behavior("considers_alternatives")
    assert with_it is not None and without is not None
    assert without.count == with_it.count - 1


def test_keep_unverified_applies_to_a_transcripts_own_annotations_in_a_batch() -> None:
    mini = rubric.Rubric.from_file(BAD / "rubrics" / "mini.yaml")
    path = BAD / "transcripts" / "annotation-hallucinated-quote.json"
    refused = mini.score_many([path])[0]
    assert isinstance(refused, rubric.TranscriptError)
    assert (refused.kind, refused.path) == ("unverified_quote", "annotations[1].quote")
    assert refused.message.endswith("with keep_unverified=True")
    kept = mini.score_many([path], keep_unverified=True)[0]
    assert isinstance(kept, rubric.Scorecard)
    assert kept.transcript.annotations[1].status == "unverified"
    assert kept == mini.score(path, keep_unverified=True)


def test_an_unknown_behavior_is_an_invalid_reference_with_the_closest_id(coding: rubric.Rubric) -> None:
    rows = annotation_rows()
    rows[1]["behavior"] = "considers_alternative"
    with pytest.raises(rubric.TranscriptError) as raised:
        coding.score(WEAK, annotations=rows)
    error = raised.value
    assert (error.kind, error.path, error.line) == ("invalid_reference", "given_annotations[1].behavior", 2)
    assert 'did you mean "considers_alternatives"?' in error.message
    assert error.suggestion == "considers_alternatives"

    # In a JSON array, the line where the annotation's object starts.
    text = json.dumps(rows, indent=2)
    start = [number for number, line in enumerate(text.splitlines(), start=1) if line == "  {"][1]
    with pytest.raises(rubric.TranscriptError) as raised:
        coding.score(WEAK, annotations=text)
    assert (raised.value.path, raised.value.line, raised.value.column) == ("given_annotations[1].behavior", start, 3)


def test_errors_while_reading_the_annotations_name_the_given_annotations(coding: rubric.Rubric) -> None:
    lines = JSON_LINES.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace('"quote"', '"qoute"')
    with pytest.raises(rubric.TranscriptError) as raised:
        coding.score(WEAK, annotations="\n".join(lines))
    error = raised.value
    assert (error.kind, error.path, error.line) == ("schema", "given_annotations[3].qoute", 4)
    assert "did you mean `quote`?" in error.message
    assert error.suggestion == "quote"

    rows = annotation_rows()
    rows[0]["confidence"] = 1.5
    with pytest.raises(rubric.TranscriptError) as raised:
        coding.score(WEAK, annotations=rows)
    assert (raised.value.kind, raised.value.path, raised.value.line) == (
        "schema", "given_annotations[0].confidence", 1
    )


def test_a_str_naming_a_file_is_text_and_the_error_says_to_pass_a_path(coding: rubric.Rubric) -> None:
    with pytest.raises(rubric.TranscriptError) as raised:
        coding.score(WEAK, annotations=str(JSON_LINES))
    error = raised.value
    assert (error.kind, error.path, error.line) == ("syntax", "given_annotations[0]", 1)
    assert "pass a pathlib.Path to read a file" in error.message
    assert "read as transcript text" not in error.message


def test_a_frame_with_missing_values_leaves_those_keys_out(coding: rubric.Rubric) -> None:
    frame = pd.DataFrame(annotation_rows())
    # Only the 3rd annotation has a span, and two have no rationale: pandas filled in NaN.
    assert math.isnan(frame.loc[0, "span"]) and math.isnan(frame.loc[3, "rationale"])
    frame.loc[0, "confidence"] = float("nan")
    frame["turn"] = frame["turn"].astype("float64")  # As pandas makes it when a turn is missing.
    frame.loc[2, "rationale"] = None
    card = coding.score(WEAK, annotations=frame)
    first = card.transcript.annotations[0]
    assert first.confidence is None
    assert (first.turn, first.status) == (5, "not_counted")
    assert first.reason is not None and "gives none" in first.reason
    behavior = card.behavior("considers_alternatives")
    assert behavior is not None
    external = [e.detector.external for e in behavior.evidence if e.detector.external is not None]
    assert [(x.annotation, x.rationale) for x in external] == [("given_annotations[2]", None)]

    rows = annotation_rows()
    del rows[0]["confidence"]
    del rows[2]["rationale"]
    assert card == coding.score(WEAK, annotations=rows)


def test_nullable_and_datetime_columns(coding: rubric.Rubric) -> None:
    frame = pd.DataFrame(annotation_rows())
    frame["turn"] = frame["turn"].astype("Int64")
    frame["timestamp"] = pd.to_datetime(frame["timestamp"])
    card = coding.score(WEAK, annotations=frame)
    behavior = card.behavior("considers_alternatives")
    assert behavior is not None
    stamps = [e.detector.external.timestamp for e in behavior.evidence if e.detector.external is not None]
    # Only the first annotation has a timestamp; NaT in the others leaves it out.
    assert stamps == ["2026-11-30T10:12:00+00:00", None]


def test_no_annotations_is_the_plain_scorecard(coding: rubric.Rubric) -> None:
    plain = coding.score(WEAK)
    nothing: List[Any] = [[], "", pd.DataFrame(), None]
    for empty in nothing:
        assert coding.score(WEAK, annotations=empty) == plain, repr(empty)


def test_annotations_that_are_not_annotations_raise_type_errors(coding: rubric.Rubric) -> None:
    with pytest.raises(TypeError, match="annotations: expected a list of annotation dicts"):
        coding.score(WEAK, annotations=42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not dict"):
        coding.score(WEAK, annotations=annotation_rows()[0])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not bytes"):
        coding.score(WEAK, annotations=JSON_LINES.read_bytes())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"annotations\[1\]: expected a dict, not int"):
        coding.score(WEAK, annotations=[annotation_rows()[0], 7])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^annotations\[0\]: a value of type object cannot be written as JSON$"):
        coding.score(WEAK, annotations=[{**annotation_rows()[0], "rationale": object()}])
    with pytest.raises(ValueError, match=r"^annotations\[1\]: Out of range float"):
        coding.score(WEAK, annotations=[annotation_rows()[0], {**annotation_rows()[1], "confidence": math.inf}])
    with pytest.raises(TypeError):
        coding.score_many([WEAK], annotations=annotation_rows())  # type: ignore[call-arg]


def test_an_annotation_typed_dict_is_accepted_by_the_type_checker(coding: rubric.Rubric) -> None:
    given: List[rubric.AnnotationDict] = [
        {"behavior": "considers_alternatives", "turn": 15, "span": {"chars": [72, 103]}, "source": "human:bo"},
    ]
    card = coding.score(WEAK, annotations=given)
    assert card.transcript.annotations[0].status == "not_counted"
