"""Cross-language test: for every fixture the Python scorecard equals the Rust golden file."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

import pytest
from conftest import FIXTURES, golden_cases

import rubric

CASES = golden_cases()


def case_id(case: Dict[str, Any]) -> str:
    return str(case["golden"])


def test_the_manifest_has_cases() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_scorecard_dict_equals_golden_json(case: Dict[str, Any]) -> None:
    scorer = rubric.Rubric.bundled(case["rubric"])
    card = scorer.score(FIXTURES / case["transcript"], speakers=case["speakers"] or None)
    golden_text = (FIXTURES / case["golden"]).read_text(encoding="utf-8")
    assert card.to_dict() == json.loads(golden_text)
    # The indented JSON is the golden file's layout, byte for byte.
    assert card.to_json(indent=2) + "\n" == golden_text


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_input_form_gives_the_golden_scorecard(case: Dict[str, Any]) -> None:
    """A path, the file's text, its bytes and (for native JSON) a dict all score the same."""
    scorer = rubric.Rubric.bundled(case["rubric"])
    path = FIXTURES / case["transcript"]
    speakers = case["speakers"] or None
    golden = json.loads((FIXTURES / case["golden"]).read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    forms: Dict[str, Any] = {"str path": str(path), "text": text, "bytes": path.read_bytes()}
    if path.suffix == ".json" and '"turns"' in text:
        forms["dict"] = json.loads(text)
    for name, form in forms.items():
        assert scorer.score(form, speakers=speakers).to_dict() == golden, name


def test_a_batch_of_every_fixture_equals_the_golden_files() -> None:
    by_rubric: Dict[Tuple[str, str], List[Dict[str, Any]]] = {}
    for case in CASES:
        by_rubric.setdefault((case["rubric"], json.dumps(case["speakers"])), []).append(case)
    for (name, speakers), cases in by_rubric.items():
        batch = rubric.Rubric.bundled(name).score_many(
            [FIXTURES / c["transcript"] for c in cases], speakers=json.loads(speakers) or None
        )
        assert batch.ok
        for card, case in zip(batch.scorecards, cases):
            assert card.to_dict() == json.loads((FIXTURES / case["golden"]).read_text(encoding="utf-8"))
