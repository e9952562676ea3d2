"""score_many: the same results as one by one, in input order, failures reported per input, the
GIL released."""

from __future__ import annotations

import json
import pickle
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest
from conftest import TRANSCRIPTS

import rubric

SPEAKERS = {
    "A": "interviewer",
    "B": "candidate",
    "Dana": "interviewer",
    "Sam": "candidate",
    "0": "interviewer",
    "1": "candidate",
    "spk_0": "interviewer",
    "spk_1": "candidate",
    "SPEAKER_00": "interviewer",
    "SPEAKER_01": "candidate",
}


def corpus() -> List[Path]:
    return sorted(p for p in TRANSCRIPTS.rglob("*") if p.is_file() and p.suffix != ".md")


@pytest.mark.parametrize("threads", [None, 1, 2, 3, 64])
def test_batch_equals_one_by_one_in_input_order(coding: rubric.Rubric, threads: Any) -> None:
    paths = corpus()
    paths = paths + paths[::-1]  # Repeats, so the order is not simply sorted.
    # The captions of the real-shaped fixtures name their speakers only: their roles are inferred.
    batch = coding.score_many(paths, speakers=SPEAKERS, threads=threads, infer_roles=True)
    assert len(batch) == len(paths)
    assert batch.ok and not batch.errors
    for path, card in zip(paths, batch):
        assert card == coding.score(path, speakers=SPEAKERS, infer_roles=True), path


def test_failures_are_reported_without_losing_the_others(coding: rubric.Rubric, strong_path: Path) -> None:
    inputs: List[Any] = [
        strong_path,
        "Interviewer: Hi.\nAlice: Hello.",  # unmapped speaker
        {"turns": []},  # empty
        Path("/no/such/file.json"),  # unreadable
        strong_path.read_text(encoding="utf-8"),
        b"\xff\xfe not utf-8",
    ]
    batch = coding.score_many(inputs)
    assert len(batch) == 6
    assert not batch.ok
    assert sorted(batch.errors) == [1, 2, 3, 5]
    assert [e.kind for e in batch.errors.values() if isinstance(e, rubric.TranscriptError)] == [
        "unmapped_speaker",
        "empty",
        "unknown_format",
        "syntax",
    ]
    assert isinstance(batch[0], rubric.Scorecard) and batch[0] == batch[4]
    assert batch.scorecards == [batch[0], batch[4]]
    # Each error is the one scoring that input alone raises.
    for index, error in batch.errors.items():
        with pytest.raises(rubric.TranscriptError) as info:
            coding.score(inputs[index])
        assert repr(info.value) == repr(error)
    with pytest.raises(rubric.TranscriptError):
        batch.raise_on_error()
    assert repr(batch) == "BatchResult(6 inputs, 2 scored, 4 failed)"


@pytest.mark.parametrize("threads", [1, 3, 8])
def test_bad_inputs_among_many_good_ones_lose_and_reorder_nothing(strong_path: Path, threads: int) -> None:
    """Good transcripts, each with its own id, interleaved with bad JSON, invalid UTF-8, an unknown
    speaker and an over-limit turn: one error per bad input, at its index; every good one scored,
    in order (checked by the count and by each scorecard's transcript id)."""
    limited = rubric.Rubric.bundled("coding-round", limits={"max_turn_bytes": 5_000})
    document = json.loads(strong_path.read_text(encoding="utf-8"))
    assert all(len(turn["text"].encode()) <= 5_000 for turn in document["turns"])

    def good(n: int) -> Any:
        copy = {**document, "id": f"good-{n}"}
        # Every form of input: dict, str, bytes.
        return [copy, json.dumps(copy), json.dumps(copy).encode()][n % 3]

    over = {**document, "turns": document["turns"] + [{"role": "candidate", "text": "x" * 6_000}]}
    bad: Dict[str, Tuple[Any, str]] = {
        "bad json": ('{"turns": [', "syntax"),
        "invalid utf-8": (b'{"turns": [{"role": "candidate", "text": "caf\xe9"}]}', "syntax"),
        "unknown speaker": ("Interviewer: Hi.\nAlice: Hello.", "unmapped_speaker"),
        "over a limit": (over, "limit_exceeded"),
    }
    inputs: List[Any] = []
    expected: Dict[int, str] = {}  # index -> good id or bad kind
    for n in range(24):
        inputs.append(good(n))
        expected[len(inputs) - 1] = f"good-{n}"
        if n % 6 == 5:
            for value, kind in bad.values():
                inputs.append(value)
                expected[len(inputs) - 1] = kind
    batch = limited.score_many(inputs, threads=threads)
    assert len(batch) == len(inputs) == 24 + 4 * len(bad)
    assert len(batch.scorecards) == 24 and len(batch.errors) == 4 * len(bad)
    for index, item in enumerate(batch):
        if isinstance(item, rubric.Scorecard):
            assert item.transcript.id == expected[index], index
        else:
            assert isinstance(item, rubric.TranscriptError), (index, item)
            assert item.kind == expected[index], (index, item)
    assert [card.transcript.id for card in batch.scorecards] == [f"good-{n}" for n in range(24)]
    over_errors = [
        e for e in batch.errors.values() if isinstance(e, rubric.TranscriptError) and e.kind == "limit_exceeded"
    ]
    assert {(e.path, e.message) for e in over_errors} == {
        (
            f"turns[{len(document['turns'])}].text",
            "the text is 6000 bytes, over the limit of 5000 bytes (max_turn_bytes)",
        )
    }


def test_batch_result_is_a_sequence_and_pickles(coding: rubric.Rubric, strong_path: Path) -> None:
    batch = coding.score_many([strong_path, "   "])
    assert list(batch[0:1]) == [batch[0]]
    assert batch[-1] is batch[1]
    copy = pickle.loads(pickle.dumps(batch))
    assert copy[0] == batch[0]
    assert repr(copy[1]) == repr(batch[1])
    assert coding.score_many([strong_path]).raise_on_error() == [batch[0]]


def test_any_iterable_and_empty_batches(coding: rubric.Rubric, strong_path: Path) -> None:
    def generate() -> Iterator[Path]:
        yield strong_path
        yield strong_path

    assert len(coding.score_many(generate())) == 2
    empty = coding.score_many([])
    assert len(empty) == 0 and empty.ok


def test_argument_errors_raise_at_once(coding: rubric.Rubric, strong_path: Path) -> None:
    with pytest.raises(TypeError, match="score_many takes an iterable"):
        coding.score_many(str(strong_path))
    with pytest.raises(TypeError, match=r"transcripts\[1\]"):
        coding.score_many([strong_path, 3.5])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="threads"):
        coding.score_many([strong_path], threads=0)
    with pytest.raises(ValueError, match="unknown transcript format"):
        coding.score_many([strong_path], format="pdf")  # type: ignore[arg-type]


def _ran_alongside(call: Callable[[], object]) -> bool:
    """Whether another Python thread ran during the middle half of `call`: never, if `call`
    holds the GIL throughout."""
    ticks: List[float] = []
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.0005)

    thread = threading.Thread(target=spin)
    thread.start()
    time.sleep(0.02)
    start = time.perf_counter()
    call()
    end = time.perf_counter()
    stop.set()
    thread.join()
    assert end - start > 0.02, "the call is too short to measure"
    quarter = (end - start) / 4
    return any(start + quarter < t < end - quarter for t in ticks)


def test_the_gil_check_detects_a_call_that_holds_the_gil() -> None:
    assert not _ran_alongside(lambda: sum(range(5_000_000)))


def test_score_many_releases_the_gil(coding: rubric.Rubric, strong_path: Path) -> None:
    # Enough transcripts that the call lasts well past the 20 ms the check needs (60 took 18 ms).
    text = strong_path.read_text(encoding="utf-8")
    assert _ran_alongside(lambda: coding.score_many([text] * 400, threads=2))


def test_score_releases_the_gil(coding: rubric.Rubric, strong_path: Path) -> None:
    # One long transcript (the fixture's turns 160 times, untimed), so one call takes a while.
    turns = json.loads(strong_path.read_text(encoding="utf-8"))["turns"]
    long = {"turns": [{"role": t["role"], "text": t["text"]} for t in turns] * 160}
    assert _ran_alongside(lambda: coding.score(long))
