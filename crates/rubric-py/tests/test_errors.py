"""Errors: kind, path, line and column for bad rubrics and bad transcripts; panics as exceptions."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any, Dict, Optional

import pytest
from conftest import FIXTURES, golden_cases
from test_api import MINI_YAML

import rubric
from rubric import _rubric

BEHAVIOR = "competencies[0].subcompetencies[0].behaviors[0]"
QUESTION = "              - question: { about: [input, empty] }\n"

# name, rubric YAML, kind, path, line, column, message fragment
RUBRIC_CASES = [
    ("yaml syntax", "id: 'unterminated\n", "syntax", "", 2, 1, "unexpected end of stream"),
    (
        "unknown key",
        MINI_YAML.replace("    title: Clarity\n", "    title: Clarity\n    wieght: 2\n"),
        "schema",
        "competencies[0].wieght",
        11,
        5,
        "did you mean `weight`?",
    ),
    (
        "invalid regex",
        MINI_YAML.replace(QUESTION, "              - regex: '(unclosed'\n"),
        "invalid_regex",
        f"{BEHAVIOR}.detectors[0].regex",
        18,
        24,
        "unclosed group",
    ),
    (
        "duplicate id",
        MINI_YAML.replace("id: asks_about_input", "id: clarity"),
        "duplicate_id",
        f"{BEHAVIOR}.id",
        15,
        17,
        'duplicate id "clarity"',
    ),
    (
        "bad scale",
        MINI_YAML.replace("to: 0.5 }", "to: 0.4 }"),
        "invalid_levels",
        "scale.levels",
        None,
        None,
        "",
    ),
]


@pytest.mark.parametrize(
    "yaml, kind, path, line, column, fragment", [case[1:] for case in RUBRIC_CASES], ids=[c[0] for c in RUBRIC_CASES]
)
def test_rubric_errors_are_located(
    yaml: str, kind: str, path: str, line: Optional[int], column: Optional[int], fragment: str
) -> None:
    with pytest.raises(rubric.RubricError) as info:
        rubric.Rubric.from_yaml(yaml)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.kind == kind
    assert error.path.startswith(path)
    if line is not None:
        assert (error.line, error.column) == (line, column)
    assert fragment in error.message
    assert str(error).startswith(f"{error.path}: {error.message}" if error.path else error.message)
    if error.line is not None:
        assert f"(line {error.line}" in str(error)


def test_every_rubric_problem_is_reported() -> None:
    yaml = MINI_YAML.replace("id: asks_about_input", "id: clarity").replace(
        QUESTION, "              - regex: '(unclosed'\n"
    )
    with pytest.raises(rubric.RubricError) as info:
        rubric.Rubric.from_yaml(yaml)
    error = info.value
    assert [e.kind for e in error.errors] == ["duplicate_id", "invalid_regex"]
    assert error.kind == error.errors[0].kind and error.line == error.errors[0].line
    assert all(isinstance(e, rubric.RubricError) for e in error.errors)
    assert str(error).splitlines()[0] == str(error.errors[0])
    assert len(str(error).splitlines()) > 2  # The regex error spans lines.


def test_every_structural_mistake_is_reported_in_one_run() -> None:
    path = FIXTURES / "bad" / "rubrics" / "structure-five-mistakes.yaml"
    with pytest.raises(rubric.RubricError) as info:
        rubric.Rubric.from_file(path)
    behaviors = "competencies[0].subcompetencies[0].behaviors"
    assert [(e.kind, e.path, e.line) for e in info.value.errors] == [
        ("schema", f"{behaviors}[0].detectors[0].phrase", 20),
        ("schema", f"{behaviors}[1].type", 23),
        ("schema", f"{behaviors}[2]", 27),
        ("schema", f"{behaviors}[3].weight", 33),
        ("schema", f"{behaviors}[3].feedbak", 34),
    ]


def test_missing_rubrics_are_not_found(tmp_path: Path) -> None:
    with pytest.raises(rubric.RubricError) as info:
        rubric.Rubric.bundled("no-such-rubric")
    assert info.value.kind == "not_found"
    assert "coding-round" in info.value.message  # It lists the bundled names.
    with pytest.raises(rubric.RubricError) as info:
        rubric.Rubric.from_file(tmp_path / "missing.yaml")
    assert info.value.kind == "not_found"
    assert (info.value.path, info.value.line, info.value.column) == ("", None, None)


def test_from_file_errors_have_lines(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(MINI_YAML.replace("    title: Clarity\n", "    title: Clarity\n    wieght: 2\n"), encoding="utf-8")
    with pytest.raises(rubric.RubricError) as info:
        rubric.Rubric.from_file(path)
    assert (info.value.kind, info.value.line) == ("schema", 11)


# name, transcript, kind, path, line, column
TRANSCRIPT_CASES: list[tuple[str, Any, str, str, Optional[int], Optional[int]]] = [
    ("json syntax", '{"turns": [\n  {"role": "candidate", "text": "hi"},\n  oops\n]}', "syntax", "turns[1]", 3, 3),
    ("unknown role", '{"turns": [{"role": "host", "text": "Hello"}]}', "unknown_role", "turns[0].role", 1, 26),
    (
        "end before start",
        '{"turns": [\n {"role": "candidate", "start": 5, "end": 2, "text": "x"}\n]}',
        "invalid_time",
        "turns[0].end",
        2,
        43,
    ),
    (
        "turns out of order",
        '{"turns": [\n{"role": "candidate", "start": 5, "end": 6, "text": "a"},\n'
        '{"role": "candidate", "start": 1, "end": 2, "text": "b"}\n]}',
        "order",
        "turns[1].start",
        3,
        None,
    ),
    ("unmapped speaker", "Interviewer: Hi.\nAlice: Hello.", "unmapped_speaker", "", 2, None),
    ("blank", "   \n", "empty", "", None, None),
    ("no turns", {"turns": []}, "empty", "turns", None, None),
    ("invalid utf-8", b'{"turns": [{"role": "candidate", "text": "caf\xe9"}]}', "syntax", "", 1, 46),
    ("missing file", Path("/no/such/transcript.json"), "unknown_format", "", None, None),
]


@pytest.mark.parametrize(
    "transcript, kind, path, line, column", [c[1:] for c in TRANSCRIPT_CASES], ids=[c[0] for c in TRANSCRIPT_CASES]
)
def test_transcript_errors_are_located(
    coding: rubric.Rubric, transcript: Any, kind: str, path: str, line: Optional[int], column: Optional[int]
) -> None:
    with pytest.raises(rubric.TranscriptError) as info:
        coding.score(transcript)
    error = info.value
    assert isinstance(error, ValueError)
    assert (error.kind, error.path) == (kind, path)
    if line is not None:
        assert error.line == line
    if column is not None:
        assert error.column == column
    assert error.message in str(error)


def test_unmapped_speaker_says_how_to_map_it_in_python(coding: rubric.Rubric) -> None:
    with pytest.raises(rubric.TranscriptError) as info:
        coding.score("Interviewer: Hi.\nAlice: Hello.")
    assert 'speakers={"Alice": "candidate"}' in info.value.message
    assert "--speaker" not in info.value.message


def test_every_unmapped_speaker_is_listed_and_roles_can_be_inferred(coding: rubric.Rubric) -> None:
    text = "Dana: Find two numbers that sum to the target.\nSam: Can I assume one answer?\nDana: Yes.\nSam: Then a hash map gives linear time."
    with pytest.raises(rubric.TranscriptError) as info:
        coding.score(text)
    message = info.value.message
    assert message.startswith('speakers "Dana" and "Sam" have no role'), message
    assert 'speakers={"Dana": "candidate", "Sam": "candidate"}' in message
    assert "infer_roles=True" in message
    card = coding.score(text, infer_roles=True)
    inference = card.transcript.role_inference
    assert inference is not None
    assert [(s.speaker, s.role) for s in inference.speakers] == [("Dana", "interviewer"), ("Sam", "candidate")]
    assert inference.rule.endswith('"Dana" speaks first and says fewer words (9 to 12)'), inference.rule
    assert coding.score(text, speakers={"Dana": "interviewer", "Sam": "candidate"}).transcript.role_inference is None


def test_text_lines_read_as_json_say_so_in_python_terms(coding: rubric.Rubric) -> None:
    with pytest.raises(rubric.TranscriptError) as info:
        coding.score("Interviewer: Hello\nCandidate: Hi", format="json")
    assert info.value.kind == "syntax"
    assert "this looks like text lines" in info.value.message
    assert info.value.message.endswith('(format="text")'), info.value.message


def test_unlabelled_speech_and_completeness_are_python_options(coding: rubric.Rubric) -> None:
    with pytest.raises(rubric.TranscriptError) as info:
        coding.score("00:01 hello there\n00:05 can I assume the input is sorted")
    assert info.value.kind == "unlabelled_speech"
    assert 'unlabelled_role="candidate"' in info.value.message
    card = coding.score("00:01 hello there\n00:05 can I assume the input is sorted", unlabelled_role="candidate")
    assert card.transcript.turns == 2 and not card.transcript.complete
    assert coding.score("Candidate: hi", complete=True).transcript.complete
    with pytest.raises(ValueError):
        coding.score("Candidate: hi", unlabelled_role="host")  # type: ignore[arg-type]


def test_a_one_line_str_that_is_no_file_says_it_was_read_as_text(coding: rubric.Rubric) -> None:
    with pytest.raises(rubric.TranscriptError) as info:
        coding.score("interviews/missing.vtt")
    assert "no file of that name exists" in info.value.message
    # Inline JSON is not mistaken for a path.
    with pytest.raises(rubric.TranscriptError) as info:
        coding.score('{"turns": []}')
    assert "no file" not in info.value.message


def test_errors_pickle_with_their_fields() -> None:
    with pytest.raises(rubric.RubricError) as info:
        rubric.Rubric.from_yaml(
            MINI_YAML.replace("id: asks_about_input", "id: clarity").replace(QUESTION, "              - regex: '('\n")
        )
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is rubric.RubricError
    assert (copy.kind, copy.path, copy.line, copy.column, copy.message) == (
        info.value.kind,
        info.value.path,
        info.value.line,
        info.value.column,
        info.value.message,
    )
    assert [e.kind for e in copy.errors] == [e.kind for e in info.value.errors]
    assert str(copy) == str(info.value)

    error = rubric.TranscriptError("end is before start", kind="invalid_time", path="turns[3].end", line=4, column=9)
    copy_t = pickle.loads(pickle.dumps(error))
    assert repr(copy_t) == repr(error)
    assert str(error) == "turns[3].end: end is before start (line 4, column 9)"


def test_a_panic_in_the_engine_is_an_exception_and_the_rubric_stays_usable(
    coding: rubric.Rubric, strong_path: Path
) -> None:
    before = coding.score(strong_path)
    error = _rubric._engine_panic_for_tests("index out of bounds")
    assert isinstance(error, rubric.EngineError)
    assert isinstance(error, RuntimeError)
    assert "index out of bounds" in str(error)
    assert "bug" in str(error)
    assert coding.score(strong_path) == before


@pytest.mark.parametrize("case", golden_cases(), ids=lambda case: str(case["golden"]))
def test_a_panic_while_scoring_leaves_the_same_rubric_scoring_its_golden(case: Dict[str, Any]) -> None:
    """A panic in a real scoring call on a rubric (after the scorecard is built, inside the same
    guard) is an `EngineError` with its message, and that same rubric object then scores the
    fixture exactly as its golden file says, alone and in a batch."""
    scorer = rubric.Rubric.bundled(case["rubric"])
    path = FIXTURES / case["transcript"]
    speakers = case["speakers"] or None
    golden = json.loads((FIXTURES / case["golden"]).read_text(encoding="utf-8"))
    for _ in range(2):
        with pytest.raises(rubric.EngineError, match=r"deliberate panic after scoring \d+ behaviors"):
            scorer._panic_while_scoring_for_tests(path.read_text(encoding="utf-8"), speakers=speakers)
        assert scorer.score(path, speakers=speakers).to_dict() == golden
        batch = scorer.score_many([path, path], speakers=speakers, threads=2)
        assert [card.to_dict() for card in batch.raise_on_error()] == [golden, golden]


def test_every_located_error_carries_the_close_name_as_a_suggestion() -> None:
    yaml = MINI_YAML.replace("    title: Clarity\n", "    title: Clarity\n    wieght: 2\n")
    with pytest.raises(rubric.RubricError) as raised:
        rubric.Rubric.from_yaml(yaml)
    assert (raised.value.path, raised.value.suggestion) == ("competencies[0].wieght", "weight")
    assert raised.value.errors[0].suggestion == "weight"
    with pytest.raises(rubric.RubricError) as raised:
        rubric.Rubric.bundled("coding-rond")
    assert (raised.value.kind, raised.value.suggestion) == ("not_found", "coding-round")
    # Nothing close: no suggestion, and none in the message either.
    with pytest.raises(rubric.RubricError) as raised:
        rubric.Rubric.bundled("zzzzzzzz")
    assert raised.value.suggestion is None and "did you mean" not in raised.value.message
    # A suggestion survives pickling with the other fields.
    with pytest.raises(rubric.TranscriptError) as misspelt:
        rubric.Rubric.bundled("coding-round").score('{"turns": [{"role": "candidate", "txt": "Hi"}]}')
    assert misspelt.value.suggestion == "text"
    copy = pickle.loads(pickle.dumps(misspelt.value))
    assert (copy.kind, copy.suggestion, str(copy)) == ("schema", "text", str(misspelt.value))
