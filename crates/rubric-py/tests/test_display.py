"""Scores read the same in Python as in the CLI, the report and the page: the wording is the core's
(``rubric_core::display``), checked against the table the Rust tests write."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

from conftest import FIXTURES

import rubric


def golden() -> Dict[str, Any]:
    table: Dict[str, Any] = json.loads((FIXTURES / "golden" / "display.json").read_text(encoding="utf-8"))
    return table


def test_the_format_functions_word_scores_as_the_core_does() -> None:
    table = golden()
    assert len(table["scores"]) >= 5 and len(table["percents"]) >= 5 and len(table["points"]) >= 5
    for case in table["scores"]:
        assert rubric.format_score(case["score"], case["level"], case["label"], case["top"]) == case["text"], case
    for case in table["percents"]:
        assert rubric.format_percent(case["score"]) == case["text"], case
    for case in table["points"]:
        assert rubric.format_points(case["change"]) == case["text"], case
    for case in table["metrics"]:
        assert rubric.format_metric_value(case["name"], case["value"]) == case["text"], case


def test_a_scorecard_repr_shows_the_overall_score_in_those_words(strong_path: Path) -> None:
    card = rubric.Rubric.bundled("coding-round").score(strong_path)
    overall = card.overall
    assert overall.score is not None and overall.level is not None
    shown = rubric.format_score(overall.score, overall.level, overall.label, card.scale[-1].level)
    assert shown.startswith(rubric.format_percent(overall.score) + f", level {overall.level} of 4")
    assert f"overall={shown!r}, score={overall.score!r}" in repr(card)
