"""`rubric.calibrate`: the engine against human raters. The agreement figures must equal reference
implementations on the same data: scikit-learn's `cohen_kappa_score` (plain and quadratic) and
`f1_score`, SciPy's `spearmanr`, and the `krippendorff` package."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any, Dict, List, Optional

import krippendorff
import numpy as np
import pytest
from conftest import FIXTURES
from scipy.stats import spearmanr  # type: ignore[import-untyped]
from sklearn.metrics import cohen_kappa_score, f1_score  # type: ignore[import-untyped]

import rubric

VALUES = ["present", "absent", "against"]


def scorecards() -> Dict[str, rubric.Scorecard]:
    coding = rubric.Rubric.bundled("coding-round")
    paths = {
        "coding-round-strong": FIXTURES / "transcripts/coding-round/strong.json",
        "coding-round-weak": FIXTURES / "transcripts/coding-round/weak.json",
        "two-sum": FIXTURES / "transcripts/formats/two-sum.json",
    }
    return {id: coding.score(path) for id, path in paths.items()}


def test_the_bundled_example_gives_the_documented_figures() -> None:
    result = rubric.calibrate(scorecards(), FIXTURES / "calibration/coding-round-labels.csv")
    assert (result["transcripts"], result["raters"], result["labels_used"]) == (3, ["ann", "bo"], 48)
    assert [(e["line"], e["column"]) for e in result["label_errors"]] == [(50, None), (51, 40)]
    behavior = {b["id"]: b for b in result["behaviors"]}["states_assumptions"]
    assert (behavior["precision"], behavior["recall"], behavior["f1"], behavior["kappa"]) == (0.5, 1.0, 0.6667, 0.0)
    assert [(d["transcript"], d["behavior"]) for d in result["disagreements"]] == [
        ("two-sum", "checks_in_with_interviewer"),
        ("coding-round-weak", "states_assumptions"),
    ]
    # The whole result is the golden file the Rust tests write (and JavaScript reads).
    golden = json.loads((FIXTURES / "golden/calibration/coding-round.json").read_text(encoding="utf-8"))
    assert result == golden
    # The labels' text works as well as their path, and the same seed gives the same intervals.
    text = (FIXTURES / "calibration/coding-round-labels.csv").read_text(encoding="utf-8")
    assert rubric.calibrate(scorecards(), text) == result


def engine_word(status: str) -> str:
    return {"demonstrated": "present", "partial": "present", "not_observed": "absent", "contradicted": "against"}.get(
        status, "not_measurable"
    )


def majority(votes: List[str]) -> Optional[str]:
    counts = {v: votes.count(v) for v in VALUES}
    top = max(counts.values())
    winners = [v for v in VALUES if counts[v] == top]
    return winners[0] if len(winners) == 1 else None


def close(actual: Optional[float], expected: float) -> None:
    assert actual is not None and not math.isnan(expected)
    assert actual == pytest.approx(expected, abs=1e-4)


def test_agreement_figures_equal_the_reference_implementations() -> None:
    cards = scorecards()
    base = list(cards.values())
    # Twelve items: the three scorecards under four ids each, so the raters' labels vary per item.
    items = {f"item-{i:02d}": base[i % 3] for i in range(12)}
    behaviors = [b.id for b in base[0].behaviors()][:8]
    nodes = ["overall", "problem_understanding", "solution_design", "test_design"]
    raters = ["r1", "r2", "r3"]
    rng = random.Random(11)
    rows = ["transcript,rater,node,value"]
    given: Dict[Any, Dict[str, Any]] = {}
    for item in items:
        for node in behaviors + nodes:
            for rater in raters:
                if rng.random() < 0.15:
                    continue  # a missing label
                value: Any = rng.choice(VALUES) if node in behaviors else rng.randint(1, 4)
                given.setdefault((item, node), {})[rater] = value
                rows.append(f"{item},{rater},{node},{value}")
    result = rubric.calibrate(items, "\n".join(rows) + "\n", bootstrap=0)
    assert result["labels_used"] == len(rows) - 1 and not result["label_errors"]
    checked = 0
    for figures in result["behaviors"]:
        node = figures["id"]
        engine, consensus = [], []
        for item, card in items.items():
            votes = list(given.get((item, node), {}).values())
            found = majority(votes) if votes else None
            status = engine_word(next(b for b in card.behaviors() if b.id == node).status)
            if found is not None and status != "not_measurable":
                engine.append(status)
                consensus.append(found)
        if len(set(engine)) > 1 or len(set(consensus)) > 1:
            close(figures["kappa"], cohen_kappa_score(engine, consensus, labels=VALUES))
            checked += 1
        if "present" in engine or "present" in consensus:
            truth = [c == "present" for c in consensus]
            said = [e == "present" for e in engine]
            close(figures["f1"], f1_score(truth, said, zero_division=0))
        # Between raters: a rater x item matrix, NaN where a label is missing.
        data = np.array(
            [
                [VALUES.index(given.get((item, node), {}).get(r, "")) if r in given.get((item, node), {}) else np.nan for item in items]
                for r in raters
            ],
            dtype=float,
        )
        close(figures["raters_alpha"], krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    assert checked >= 4, "kappa compared on too few behaviors"
    scale = [level.level for level in base[0].scale]
    for figures in result["nodes"]:
        node = figures["id"]
        engine_levels, consensus_levels, engine_scores, rater_means = [], [], [], []
        for item, card in items.items():
            levels = list(given.get((item, node), {}).values())
            if not levels:
                continue
            if node == "overall":
                score, level = card.overall.score, card.overall.level
            else:
                every: List[Any] = [n for c in card.competencies for n in [c, *c.subcompetencies]]
                scored = next((n for n in every if n.id == node), None)
                assert scored is not None
                score, level = scored.score, scored.level
            if score is None or level is None:
                continue
            mean = sum(levels) / len(levels)
            engine_levels.append(level)
            consensus_levels.append(math.floor(mean + 0.5))
            engine_scores.append(score)
            rater_means.append(mean)
        assert figures["items"] == len(engine_levels)
        close(figures["quadratic_kappa"], cohen_kappa_score(engine_levels, consensus_levels, labels=scale, weights="quadratic"))
        rho = spearmanr(engine_scores, rater_means).statistic
        if figures["spearman"] is None:
            assert math.isnan(rho)
        else:
            close(figures["spearman"], rho)
        data = np.array(
            [[given.get((item, node), {}).get(r, np.nan) for item in items] for r in raters], dtype=float
        )
        close(figures["raters_alpha"], krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal"))


def test_bad_arguments_are_type_errors(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="mapping of transcript id"):
        rubric.calibrate([1, 2], "transcript,rater,node,value\n")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected a Scorecard"):
        rubric.calibrate({"x": {"not": "a scorecard"}}, "transcript,rater,node,value\n")  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="No such file|not found|os error"):
        rubric.calibrate(scorecards(), tmp_path / "missing.csv")
