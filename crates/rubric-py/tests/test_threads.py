"""Rubrics are picklable and safe to share across threads."""

from __future__ import annotations

import copy
import json
import pickle
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
from conftest import FIXTURES, ROOT, TRANSCRIPTS, golden_cases
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


# Every golden fixture: (shared rubric, path, speakers, golden dict). One compiled rubric per
# rubric id, shared by every thread.
Work = List[Tuple[rubric.Rubric, Path, Optional[Dict[str, str]], Dict[str, Any]]]
THREADS = 8
MIN_ROUNDS = 2
RUN_FOR = 3.0  # seconds; the threads stop after MIN_ROUNDS rounds once this has passed


def golden_work() -> Work:
    shared: Dict[str, rubric.Rubric] = {}
    work: Work = []
    for case in golden_cases():
        scorer = shared.setdefault(case["rubric"], rubric.Rubric.bundled(case["rubric"]))
        golden = json.loads((FIXTURES / case["golden"]).read_text(encoding="utf-8"))
        work.append((scorer, FIXTURES / case["transcript"], case["speakers"] or None, golden))
    return work


def run_threads(body: Callable[[int, int], int]) -> int:
    """Runs `body(thread, round)` on THREADS threads for at least MIN_ROUNDS rounds each and until
    RUN_FOR seconds have passed; returns how many scorecards were checked. A failure in any thread
    fails the test."""
    deadline = time.monotonic() + RUN_FOR
    counts = [0] * THREADS
    failures: List[BaseException] = []

    def worker(thread: int) -> None:
        try:
            round_ = 0
            while round_ < MIN_ROUNDS or time.monotonic() < deadline:
                counts[thread] += body(thread, round_)
                round_ += 1
        except BaseException as error:  # noqa: BLE001 - re-raised in the main thread below
            failures.append(error)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return sum(counts)


def test_every_golden_fixture_from_8_threads_with_score() -> None:
    work = golden_work()
    assert len(work) >= 10

    def body(thread: int, round_: int) -> int:
        for i in range(len(work)):
            scorer, path, speakers, golden = work[(i + thread + round_) % len(work)]
            assert scorer.score(path, speakers=speakers).to_dict() == golden, (thread, round_, path)
        return len(work)

    assert run_threads(body) >= THREADS * MIN_ROUNDS * len(work)


def test_every_golden_fixture_from_8_threads_with_score_many() -> None:
    """Python threads each call score_many (itself on 8 threads) on the shared rubrics."""
    groups: Dict[Tuple[int, str], Work] = {}
    for item in golden_work():
        groups.setdefault((id(item[0]), json.dumps(item[2])), []).append(item)
    batches = list(groups.values())

    def body(thread: int, round_: int) -> int:
        checked = 0
        for group in batches[thread % len(batches) :] + batches[: thread % len(batches)]:
            scorer, _, speakers, _ = group[0]
            # Repeated and rotated, so the batch is longer than the thread count and not sorted.
            items = (group[round_ % len(group) :] + group[: round_ % len(group)]) * 3
            batch = scorer.score_many([item[1] for item in items], speakers=speakers, threads=8)
            assert len(batch) == len(items) and batch.ok, (thread, round_)
            assert [card.to_dict() for card in batch.raise_on_error()] == [item[3] for item in items], (thread, round_)
            checked += len(items)
        return checked

    assert run_threads(body) >= THREADS * MIN_ROUNDS * 3 * len(golden_work())
