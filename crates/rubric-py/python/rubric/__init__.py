"""Deterministic, explainable scoring of interview transcripts against YAML rubrics.

>>> import rubric
>>> coding = rubric.Rubric.bundled("coding-round")
>>> card = coding.score("Interviewer: Sort this list.\\nCandidate: Can the input be empty?")
>>> card.rubric.id
'coding-round'

The engine is Rust (`rubric-core`, the same one the CLI and the browser use); this package
re-exports its private extension module `rubric._rubric` with Python types around it:
`Scorecard` (attribute access, ``to_dict()``, ``to_json()``), `BatchResult`, and the exceptions
`RubricError`, `TranscriptError` and `EngineError`. DataFrame helpers are in `rubric.dataframe`
(needs pandas).
"""

from ._errors import EngineError, RubricError, TranscriptError
from ._results import (
    Answer,
    BatchItem,
    BatchResult,
    BehaviorResult,
    CompetencyScore,
    DetectorInfo,
    Evidence,
    FeedbackItem,
    Ignored,
    MetricReading,
    Metrics,
    Monologue,
    OverallScore,
    RedFlagResult,
    RubricInfo,
    ScaleLevel,
    Scorecard,
    SegmentOverrun,
    Silence,
    Span,
    SpeakerMetrics,
    SubcompetencyScore,
    TranscriptInfo,
)
from ._rubric import DEFAULT_RUBRIC, Rubric, __version__, bundled_rubrics
from ._types import ScorecardDict

__all__ = [
    "DEFAULT_RUBRIC",
    "Answer",
    "BatchItem",
    "BatchResult",
    "BehaviorResult",
    "CompetencyScore",
    "DetectorInfo",
    "EngineError",
    "Evidence",
    "FeedbackItem",
    "Ignored",
    "MetricReading",
    "Metrics",
    "Monologue",
    "OverallScore",
    "RedFlagResult",
    "Rubric",
    "RubricError",
    "RubricInfo",
    "ScaleLevel",
    "Scorecard",
    "ScorecardDict",
    "SegmentOverrun",
    "Silence",
    "Span",
    "SpeakerMetrics",
    "SubcompetencyScore",
    "TranscriptError",
    "TranscriptInfo",
    "__version__",
    "bundled_rubrics",
]
