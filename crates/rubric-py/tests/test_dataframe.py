"""DataFrame helpers: one tidy row per transcript and sub-competency, and one per evidence item."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List

import pandas as pd
import pytest
from conftest import TRANSCRIPTS

import rubric
from rubric.dataframe import EVIDENCE_COLUMNS, SCORE_COLUMNS, evidence_to_frame, scorecards_to_frame


@pytest.fixture(scope="module")
def paths() -> List[Path]:
    return sorted((TRANSCRIPTS / "coding-round").glob("*.json")) + [TRANSCRIPTS / "formats" / "two-sum.txt"]


@pytest.fixture(scope="module")
def batch(paths: List[Path]) -> rubric.BatchResult:
    return rubric.Rubric.bundled("coding-round").score_many(paths)


def test_scores_frame_has_one_row_per_transcript_and_subcompetency(batch: rubric.BatchResult) -> None:
    frame = scorecards_to_frame(batch)
    assert tuple(frame.columns) == SCORE_COLUMNS
    rows = sum(len(c.subcompetencies) for card in batch.scorecards for c in card.competencies)
    assert len(frame) == rows
    # Labels: the transcript id, else the position (the text fixture has no id).
    assert list(frame["transcript"].unique()) == ["coding-round-strong", "coding-round-weak", "2"]
    assert str(frame["score"].dtype) == "float64"
    assert str(frame["level"].dtype) == "Int64"
    first = batch.scorecards[0]
    sub = first.competencies[0].subcompetencies[0]
    row = frame.iloc[0]
    assert (row["rubric"], row["rubric_version"]) == ("coding-round", first.rubric.version)
    assert (row["competency"], row["subcompetency"], row["title"]) == (first.competencies[0].id, sub.id, sub.title)
    assert (row["score"], row["level"], row["label"], row["status"]) == (sub.score, sub.level, sub.label, sub.status)
    assert (row["evidence_for"], row["evidence_against"]) == (sub.evidence_for, sub.evidence_against)
    means = frame.groupby("transcript", sort=False)["score"].mean()
    assert means["coding-round-strong"] > means["coding-round-weak"]


def test_ids_name_the_transcripts_and_failures_are_skipped(paths: List[Path]) -> None:
    scorer = rubric.Rubric.bundled("coding-round")
    with_failure = scorer.score_many([paths[0], "   ", paths[1]])
    frame = scorecards_to_frame(with_failure)
    assert set(frame["transcript"]) == {"coding-round-strong", "coding-round-weak"}
    named = scorecards_to_frame(with_failure.scorecards, ids=["a", "b"])
    assert list(named["transcript"].unique()) == ["a", "b"]
    with pytest.raises(ValueError, match="2 ids for 1"):
        scorecards_to_frame(with_failure.scorecards[:1], ids=["a", "b"])
    with pytest.raises(TypeError, match="expected a Scorecard"):
        scorecards_to_frame([with_failure[1]])  # type: ignore[list-item]


def test_missing_scores_are_nan(batch: rubric.BatchResult) -> None:
    text_card = batch.scorecards[2]  # Untimed: time-based behaviors are not measurable.
    frame = scorecards_to_frame([text_card])
    missing = [s.score is None for c in text_card.competencies for s in c.subcompetencies]
    assert frame["score"].isna().tolist() == missing


def test_evidence_frame_has_one_row_per_evidence_item(batch: rubric.BatchResult, paths: List[Path]) -> None:
    frame = evidence_to_frame(batch)
    assert tuple(frame.columns) == EVIDENCE_COLUMNS
    expected = 0
    for card in batch.scorecards:
        expected += sum(len(b.evidence) + len(b.against) for b in card.behaviors())
        expected += sum(len(f.evidence) for f in card.red_flags)
    assert len(frame) == expected
    assert set(frame["stance"]) == {"for", "against"}
    assert set(frame["source"]) == {"behavior", "red_flag"}
    flags = frame[frame["source"] == "red_flag"]
    assert flags["competency"].isna().all()
    against = frame[frame["stance"] == "against"]
    assert against["negated_by"].notna().all()
    # Offsets index the turn text as a Python str.
    import json

    turns = json.loads(paths[0].read_text(encoding="utf-8"))["turns"]
    strong = frame[frame["transcript"] == "coding-round-strong"]
    for row in strong.itertuples():
        assert turns[row.turn]["text"][row.char_start : row.char_end] == row.text


def test_a_clear_message_without_pandas(batch: rubric.BatchResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        scorecards_to_frame(batch)
    with pytest.raises(ImportError, match="pip install pandas"):
        evidence_to_frame(batch)


def test_frames_are_ordinary_pandas(batch: rubric.BatchResult) -> None:
    frame = scorecards_to_frame(batch)
    pivot = frame.pivot(index="subcompetency", columns="transcript", values="score")
    assert isinstance(pivot, pd.DataFrame)
    assert pivot.shape[1] == 3
