"""The bad-input suite in Python: every case of fixtures/bad/manifest.json gives exactly the error
(kind, path, line, column, message) or exactly the scorecard the Rust runner
(crates/rubric-core/tests/bad_inputs.rs) pins. fixtures/bad/README.md describes the cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
from conftest import FIXTURES

import rubric

BAD = FIXTURES / "bad"
MANIFEST: Dict[str, Any] = json.loads((BAD / "manifest.json").read_text(encoding="utf-8"))
CASES: List[Dict[str, Any]] = MANIFEST["cases"]

# The mini rubric's regex detector line, which the rubric generators replace.
REGEX_LINE = "              - regex: '\\d+ ?%'\n"


def generate(spec: Dict[str, Any]) -> bytes:
    """Builds a generated input byte for byte as the Rust runner does (see fixtures/bad/README.md)."""
    kind = spec["kind"]
    mini = (BAD / "rubrics" / "mini.yaml").read_text(encoding="utf-8")
    if kind == "single_turn":
        size = spec["bytes"]
        unit = "we measure the latency again and "
        prefix = "Can I assume a big input? "
        body = (prefix + unit * ((size - len(prefix)) // len(unit) + 1))[:size]
        text = (
            '{"id": "single-turn", "turns": [\n'
            '{"role": "interviewer", "start": 0, "end": 4, "text": "Tell me about the migration."},\n'
            f'{{"role": "candidate", "start": 5, "end": 600, "text": "{body}"}}\n'
            "]}\n"
        )
    elif kind == "turns":
        count = spec["count"]
        parts = ['{"id": "many-turns", "turns": [\n']
        for i in range(count):
            if i % 2 == 0:
                role, said = "interviewer", "Go on."
            elif i % 20_000 == 1:
                role, said = "candidate", "Can I assume it is sorted?"
            else:
                role, said = "candidate", "I measured it again."
            separator = "\n" if i + 1 == count else ",\n"
            parts.append(f'{{"role": "{role}", "start": {2 * i}, "end": {2 * i + 1}, "text": "{said}"}}{separator}')
        parts.append("]}\n")
        text = "".join(parts)
    elif kind == "regex_detectors":
        lines = "".join(f"              - regex: 'code{i}x'\n" for i in range(spec["count"]))
        text = mini.replace(REGEX_LINE, lines)
    elif kind == "regex_alternation":
        terms = "|".join(f"term{i}" for i in range(spec["count"]))
        text = mini.replace(REGEX_LINE, f"              - regex: '\\b(?:{terms})\\b'\n")
    elif kind == "regex_repeated":
        text = mini.replace(REGEX_LINE, f"              - regex: '{spec['pattern']}'\n" * spec["count"])
    elif kind == "rubric_padding":
        text = mini + "#" + "x" * (spec["bytes"] - len(mini.encode("utf-8")) - 2) + "\n"
    else:
        raise AssertionError(f"unknown generator {kind}")
    return text.encode("utf-8")


def input_bytes(case: Dict[str, Any]) -> bytes:
    if "generate" in case:
        return generate(case["generate"])
    file: str = case["file"]
    return (BAD / file).read_bytes()


def load_rubric(case: Dict[str, Any]) -> rubric.Rubric:
    if case["input"] == "rubric":
        if "generate" in case:
            return rubric.Rubric.from_yaml(generate(case["generate"]).decode("utf-8"))
        # From the file, so invalid UTF-8 reaches the engine as bytes.
        return rubric.Rubric.from_file(BAD / case["file"])
    name: str = case["rubric"]
    return rubric.Rubric.from_file(BAD / name) if name.endswith(".yaml") else rubric.Rubric.bundled(name)


def transcript_bytes(case: Dict[str, Any]) -> bytes:
    if case["input"] == "rubric":
        transcript: str = case["transcript"]
        return (BAD / transcript).read_bytes()
    return input_bytes(case)


def outcome(case: Dict[str, Any]) -> Tuple[str, Any]:
    """("error", fields) or ("scorecard", dict)."""
    try:
        scorer = load_rubric(case)
        card = scorer.score(
            transcript_bytes(case), format=case.get("format"), speakers=case.get("speakers") or None
        )
    except (rubric.RubricError, rubric.TranscriptError) as error:
        fields = {"kind": error.kind, "path": error.path, "line": error.line, "column": error.column}
        return "error", (fields, error.message)
    return "scorecard", card.to_dict()


def evidence_items(value: Any, out: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    if isinstance(value, dict):
        if "span" in value and "turn" in value and "behavior" in value:
            out.append(value)
        for child in value.values():
            evidence_items(child, out)
    elif isinstance(value, list):
        for child in value:
            evidence_items(child, out)
    return out


def signature(card: Dict[str, Any]) -> List[Tuple[Any, ...]]:
    return [
        (e["behavior"], e["turn"], json.dumps(e["detector"], sort_keys=True), e["negated_by"])
        for e in evidence_items(card, [])
    ]


def check_spans(case: Dict[str, Any], card: Dict[str, Any]) -> None:
    """For native JSON inputs: the text at every span, in code points, is the evidence text."""
    try:
        document = json.loads(transcript_bytes(case).decode("utf-8-sig"))
    except ValueError:
        return
    turns = document.get("turns") if isinstance(document, dict) else None
    if not turns:
        return
    for item in evidence_items(card, []):
        text = turns[item["turn"]]["text"]
        start, end = item["span"]["chars"]
        assert text[start:end] == item["text"], (case["name"], item["span"], item["text"])


def test_the_manifest_covers_the_issue() -> None:
    assert len(CASES) >= 40
    assert len({c["name"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input_gives_its_expected_outcome(case: Dict[str, Any]) -> None:
    kind, result = outcome(case)
    expect = case["expect"]
    if "error" in expect:
        assert kind == "error", "expected an error, got a scorecard"
        fields, message = result
        wanted = {k: expect["error"][k] for k in ("kind", "path", "line", "column")}
        assert fields == wanted, message
        assert expect["error"]["message_contains"] in message
    else:
        assert kind == "scorecard", f"expected a scorecard, got {result}"
        expected = json.loads((BAD / expect["scorecard"]).read_text(encoding="utf-8"))
        assert result == expected
        check_spans(case, result)


def scorecard_of(name: str) -> Optional[Dict[str, Any]]:
    case = next(c for c in CASES if c["name"] == name)
    kind, result = outcome(case)
    return result if kind == "scorecard" else None


@pytest.mark.parametrize(
    "case", [c for c in CASES if "same_evidence_as" in c], ids=lambda c: str(c["name"])
)
def test_quote_variants_give_the_same_evidence(case: Dict[str, Any]) -> None:
    this, that = scorecard_of(case["name"]), scorecard_of(case["same_evidence_as"])
    assert this is not None and that is not None
    assert signature(this) and signature(this) == signature(that)
