"""Rubrics are picklable and safe to share across threads."""

from __future__ import annotations

import copy
import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, List

import pytest
from conftest import ROOT, TRANSCRIPTS
from test_api import MINI_YAML

import rubric


@pytest.mark.parametrize(
    "make",
    [
        lambda: rubric.Rubric.bundled("system-design"),
        lambda: rubric.Rubric.from_yaml(MINI_YAML),
        lambda: rubric.Rubric.from_file(ROOT / "rubrics" / "code-review.yaml"),
    ],
    ids=["bundled", "from_yaml", "from_file"],
)
def test_rubrics_pickle_and_score_the_same(make: Callable[[], rubric.Rubric], strong_path: Path) -> None:
    original = make()
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        restored = pickle.loads(pickle.dumps(original, protocol=protocol))
        assert type(restored) is rubric.Rubric
        assert (restored.id, restored.version, restored.source) == (original.id, original.version, original.source)
        assert restored.score(strong_path) == original.score(strong_path)


def test_bundled_rubrics_pickle_by_name() -> None:
    data = pickle.dumps(rubric.Rubric.bundled("coding-round"))
    assert b"coding-round" in data and len(data) < 200


def test_copies_are_the_same_immutable_object() -> None:
    original = rubric.Rubric.bundled("coding-round")
    assert copy.copy(original) is original
    assert copy.deepcopy(original) is original
    with pytest.raises(AttributeError):
        original.id = "other"  # type: ignore[misc]


def test_one_rubric_shared_by_many_threads() -> None:
    shared = rubric.Rubric.bundled("coding-round")
    paths = sorted((TRANSCRIPTS / "coding-round").glob("*.json")) * 8
    expected = [shared.score(p) for p in paths]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results: List[rubric.Scorecard] = list(pool.map(shared.score, paths))
        batches = list(pool.map(lambda _: shared.score_many(paths, threads=2), range(4)))
    assert results == expected
    for batch in batches:
        assert batch.scorecards == expected
