"""pandas helpers for notebooks: scorecards as tidy DataFrames.

pandas is an optional dependency (``pip install pandas``); it is imported when a helper is called,
so ``import rubric`` works without it.

>>> from rubric.dataframe import scorecards_to_frame, evidence_to_frame   # doctest: +SKIP
>>> frame = scorecards_to_frame(rubric.score_many(paths))                 # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Union

from ._results import BatchResult, Scorecard

if TYPE_CHECKING:
    import pandas

__all__ = ["EVIDENCE_COLUMNS", "SCORE_COLUMNS", "evidence_to_frame", "scorecards_to_frame"]

SCORE_COLUMNS = (
    "transcript",
    "rubric",
    "rubric_version",
    "competency",
    "subcompetency",
    "title",
    "weight",
    "score",
    "scaled",
    "level",
    "label",
    "status",
    "evidence_for",
    "evidence_against",
)
"""Columns of `scorecards_to_frame`, in order."""

EVIDENCE_COLUMNS = (
    "transcript",
    "rubric",
    "source",
    "competency",
    "subcompetency",
    "criterion",
    "stance",
    "detector",
    "turn",
    "speaker",
    "role",
    "char_start",
    "char_end",
    "text",
    "start",
    "end",
    "negated_by",
)
"""Columns of `evidence_to_frame`, in order."""

Cards = Union[BatchResult, Iterable[Scorecard]]


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as error:
        raise ImportError(
            "rubric.dataframe needs pandas, which is not installed: "
            "pip install pandas (or pip install 'rubric-py[pandas]')"
        ) from error
    return pandas


def _labelled(cards: Cards, ids: Optional[Sequence[str]]) -> List[tuple[str, Scorecard]]:
    """(transcript label, scorecard) pairs. A `BatchResult`'s failed inputs are skipped; labels
    are `ids[i]`, else the transcript's id, else its position in `cards`."""
    items: List[Any] = list(cards)
    if ids is not None and len(ids) != len(items):
        raise ValueError(f"got {len(ids)} ids for {len(items)} scorecards")
    pairs = []
    for index, card in enumerate(items):
        if not isinstance(card, Scorecard):
            if isinstance(cards, BatchResult):
                continue
            raise TypeError(f"cards[{index}]: expected a Scorecard, not {type(card).__name__}")
        label = ids[index] if ids is not None else card.transcript.id
        pairs.append((label if label is not None else str(index), card))
    return pairs


def scorecards_to_frame(cards: Cards, ids: Optional[Sequence[str]] = None) -> pandas.DataFrame:
    """One row per transcript and sub-competency (see `SCORE_COLUMNS`): scores on 0..1 and on the
    rubric's scale, level and label, status, and the counts of evidence for and against.

    `cards` is an iterable of `Scorecard` or a `BatchResult` (whose failures are left out).
    The ``transcript`` column is `ids[i]` when given, else the transcript's id, else the
    scorecard's position. Missing scores are NaN; ``level`` is a nullable integer column.
    """
    pd = _pandas()
    rows: List[Dict[str, Any]] = []
    for label, card in _labelled(cards, ids):
        for competency in card.competencies:
            for sub in competency.subcompetencies:
                rows.append(
                    {
                        "transcript": label,
                        "rubric": card.rubric.id,
                        "rubric_version": card.rubric.version,
                        "competency": competency.id,
                        "subcompetency": sub.id,
                        "title": sub.title,
                        "weight": sub.weight,
                        "score": sub.score,
                        "scaled": sub.scaled,
                        "level": sub.level,
                        "label": sub.label,
                        "status": sub.status,
                        "evidence_for": sub.evidence_for,
                        "evidence_against": sub.evidence_against,
                    }
                )
    frame: pandas.DataFrame = pd.DataFrame(rows, columns=list(SCORE_COLUMNS))
    typed: pandas.DataFrame = frame.astype(
        {
            "weight": "float64",
            "score": "float64",
            "scaled": "float64",
            "level": "Int64",
            "evidence_for": "int64",
            "evidence_against": "int64",
        }
    )
    return typed


def evidence_to_frame(cards: Cards, ids: Optional[Sequence[str]] = None) -> pandas.DataFrame:
    """One row per piece of evidence (see `EVIDENCE_COLUMNS`).

    ``source`` is ``"behavior"`` or ``"red_flag"``; ``criterion`` the behavior or red flag id;
    ``stance`` is relative to the criterion: ``"for"``, or ``"against"`` for a negated mention of a behavior.
    ``char_start``/``char_end`` index the turn's text as a Python str; ``start``/``end`` are the
    turn's times in seconds (NaN when untimed). Red flag rows have no competency.
    """
    pd = _pandas()
    rows: List[Dict[str, Any]] = []

    def add(label: str, card: Scorecard, source: str, competency: Optional[str],
            subcompetency: Optional[str], stance: str, evidence: Iterable[Any]) -> None:
        for item in evidence:
            rows.append(
                {
                    "transcript": label,
                    "rubric": card.rubric.id,
                    "source": source,
                    "competency": competency,
                    "subcompetency": subcompetency,
                    "criterion": item.behavior,
                    "stance": stance,
                    "detector": item.detector.kind,
                    "turn": item.turn,
                    "speaker": item.speaker,
                    "role": item.role,
                    "char_start": item.span.chars[0],
                    "char_end": item.span.chars[1],
                    "text": item.text,
                    "start": item.start,
                    "end": item.end,
                    "negated_by": item.negated_by,
                }
            )

    for label, card in _labelled(cards, ids):
        for competency in card.competencies:
            for sub in competency.subcompetencies:
                for behavior in sub.behaviors:
                    add(label, card, "behavior", competency.id, sub.id, "for", behavior.evidence)
                    add(label, card, "behavior", competency.id, sub.id, "against", behavior.against)
        for flag in card.red_flags:
            add(label, card, "red_flag", None, None, "for", flag.evidence)
    frame: pandas.DataFrame = pd.DataFrame(rows, columns=list(EVIDENCE_COLUMNS))
    typed: pandas.DataFrame = frame.astype(
        {"turn": "int64", "char_start": "int64", "char_end": "int64", "start": "float64", "end": "float64"}
    )
    return typed
