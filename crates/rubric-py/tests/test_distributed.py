"""The Dask example (examples/distributed_dask.py) scores a corpus on a cluster of worker
processes, and its results equal score_many's."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Iterator, List, Union

import pytest
from conftest import ROOT, TRANSCRIPTS
from distributed import Client, LocalCluster

import rubric

EXAMPLE = ROOT / "examples" / "distributed_dask.py"


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("distributed_dask_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def example() -> ModuleType:
    return load_example()


@pytest.fixture(scope="module")
def cluster(example: ModuleType) -> Iterator[LocalCluster]:
    with example.local_cluster(2) as local:
        yield local


def test_dask_results_equal_score_many(example: ModuleType, cluster: LocalCluster) -> None:
    scorer = rubric.Rubric.bundled("coding-round")
    corpus: List[Union[str, Path]] = sorted(p for p in TRANSCRIPTS.rglob("*") if p.is_file())
    corpus.insert(3, Path("/no/such/transcript.json"))  # A failure keeps its place.
    corpus.append("Interviewer: Hi.\nCandidate: Can I assume the input is sorted?")
    speakers = example.FIXTURE_SPEAKERS
    with Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        distributed = example.score_with_dask(client, scorer, corpus, speakers=speakers, partition_size=3)
    local = scorer.score_many(corpus, speakers=speakers)
    assert len(distributed) == len(local) == len(corpus)
    assert example.same_results(distributed, local)
    for mine, theirs in zip(distributed, local):
        if isinstance(theirs, rubric.Scorecard):
            assert mine == theirs
        else:
            assert isinstance(mine, rubric.TranscriptError) and repr(mine) == repr(theirs)
    assert isinstance(distributed[3], rubric.TranscriptError)


def test_the_example_script_runs_against_a_scheduler(
    example: ModuleType, cluster: LocalCluster, capsys: pytest.CaptureFixture[str]
) -> None:
    assert example.main(["--scheduler", cluster.scheduler_address]) == 0
    out = capsys.readouterr().out
    assert "the Dask results equal score_many's" in out
