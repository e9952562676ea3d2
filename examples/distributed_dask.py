"""Score a corpus of transcripts on a Dask cluster, and check the results equal ``score_many``'s.

One machine scores thousands of transcripts with ``Rubric.score_many`` (every core, the GIL
released). Beyond one machine, split the corpus into partitions and let Dask run ``score_many`` on
each partition in worker processes: a ``Rubric`` pickles (as its YAML or bundled name) and is
broadcast to every worker once; a ``Scorecard`` and a ``TranscriptError`` pickle back.

Run it from the repository root, with the wheel and ``distributed`` installed (every worker needs
the wheel too)::

    pip install distributed
    python examples/distributed_dask.py                      # the bundled fixtures, 2 local workers
    python examples/distributed_dask.py --workers 4 --rubric coding-round corpus/*.vtt --speaker A=interviewer

To use a real cluster, pass ``--scheduler tcp://HOST:8786`` instead of starting a local one; the
transcript paths must then be readable from every worker (shared storage), or send the texts
themselves (``str``/``bytes``) instead of paths.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Union

from distributed import Client, LocalCluster

from rubric import BatchItem, Rubric, Scorecard, TranscriptError

Transcript = Union[str, Path]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "transcripts"
# The fixtures in speech-to-text and WebVTT form name speakers without roles.
FIXTURE_SPEAKERS = {"A": "interviewer", "B": "candidate", "Dana": "interviewer", "Sam": "candidate"}


def score_with_dask(
    client: Client,
    rubric: Rubric,
    transcripts: Sequence[Transcript],
    *,
    speakers: Optional[Dict[str, str]] = None,
    partition_size: int = 4,
) -> List[BatchItem]:
    """Scores `transcripts` on the cluster behind `client`; results in input order, each a
    `Scorecard` or the `TranscriptError` its input failed with (exactly like ``score_many``).

    Each task is ``Rubric.score_many`` on one partition, with one thread (Dask already runs one
    task per worker thread). The task function is the package's own method, so workers need the
    wheel installed and nothing from this file.
    """
    shared = client.scatter(rubric, broadcast=True)  # Pickled once, sent to every worker.
    partitions = [list(transcripts[i : i + partition_size]) for i in range(0, len(transcripts), partition_size)]
    futures = client.map(Rubric.score_many, [shared] * len(partitions), partitions, speakers=speakers, threads=1)
    return [item for batch in client.gather(futures) for item in batch]


def same_results(a: Sequence[BatchItem], b: Sequence[BatchItem]) -> bool:
    """True when two result lists agree item by item: equal scorecards, or errors with the same
    kind, location and message."""

    def key(item: BatchItem) -> object:
        if isinstance(item, Scorecard):
            return item.to_dict()
        if isinstance(item, TranscriptError):
            return (item.kind, item.path, item.line, item.column, item.message)
        return (type(item).__name__, str(item))

    return len(a) == len(b) and all(key(x) == key(y) for x, y in zip(a, b))


def local_cluster(workers: int) -> LocalCluster:
    """A cluster of worker processes on this machine, quiet and without the web dashboard."""
    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("transcripts", nargs="*", type=Path, help="transcript files (default: the fixtures)")
    parser.add_argument("--rubric", default="coding-round", help="bundled rubric name or YAML file")
    parser.add_argument("--speaker", action="append", default=[], metavar="NAME=ROLE")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    args = parser.parse_args(argv)

    rubric = Rubric.from_file(args.rubric) if Path(args.rubric).is_file() else Rubric.bundled(args.rubric)
    transcripts: List[Transcript] = list(args.transcripts) or sorted(FIXTURES.rglob("*.*"))
    speakers = dict(s.split("=", 1) for s in args.speaker) if args.speaker else FIXTURE_SPEAKERS

    if args.scheduler:
        with Client(args.scheduler) as client:
            distributed = score_with_dask(client, rubric, transcripts, speakers=speakers)
    else:
        with local_cluster(args.workers) as cluster, Client(cluster) as client:
            distributed = score_with_dask(client, rubric, transcripts, speakers=speakers)
    local = rubric.score_many(transcripts, speakers=speakers)

    for path, item in zip(transcripts, distributed):
        if isinstance(item, Scorecard):
            print(f"{item.overall.score!s:>7} level {item.overall.level} {item.overall.label:<12} {path}")
        else:
            print(f"{'failed':>7} {item}  {path}")
    agree = same_results(distributed, local)
    print(f"{len(distributed)} transcripts; the Dask results {'equal' if agree else 'DIFFER FROM'} score_many's")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
