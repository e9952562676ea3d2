"""Deterministic, explainable scoring of interview transcripts against YAML rubrics.

>>> import rubric
>>> coding = rubric.Rubric.bundled("coding-round")
>>> card = coding.score("Interviewer: Sort this list.\\nCandidate: Can the input be empty?")
>>> card.rubric.id
'coding-round'

The engine is Rust (`rubric-core`, the same one the CLI and the browser use); this package
re-exports its private extension module `rubric._rubric` with Python types around it:
`Scorecard` (attribute access, ``to_dict()``, ``to_json()``), `BatchResult`, and the exceptions
`RubricError`, `TranscriptError` and `EngineError`. Every size the engine accepts is bounded:
`default_limits()` lists the limits, and ``limits=`` on `Rubric.from_yaml`, `Rubric.from_file`
and `Rubric.bundled` changes them. DataFrame helpers are in `rubric.dataframe`
(needs pandas).

The practice loop: `History` (scored sessions in a JSON Lines file), `append_session`,
`trends`, `QuestionBank`, `plan` and `render_report` (HTML), the same operations as the CLI's
``history add``, ``history show``, ``plan`` and ``report``; their errors are `HistoryError`,
`BankError` and `PlanError`.
"""

from ._errors import BankError, EngineError, HistoryError, PlanError, RubricError, TranscriptError
from ._practice import (
    CorruptLine,
    Day,
    Dimensions,
    NodeTrend,
    Plan,
    PlannedQuestion,
    Point,
    Question,
    RoundLevel,
    RoundTrend,
    RubricKey,
    Session,
    SessionRecord,
    SetAside,
    Specificity,
    StoredRecord,
    Trend,
    Trends,
    Unfilled,
    VersionStatus,
    WeakArea,
)
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
    QuestionWhy,
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
from ._rubric import (
    DEFAULT_RUBRIC,
    History,
    QuestionBank,
    Rubric,
    __version__,
    append_session,
    bundled_rubrics,
    default_limits,
    plan,
    render_report,
    trends,
)
from ._types import LimitsDict, PlanDict, ScorecardDict, SessionRecordDict, TrendsDict

__all__ = [
    "DEFAULT_RUBRIC",
    "Answer",
    "BankError",
    "BatchItem",
    "BatchResult",
    "BehaviorResult",
    "CompetencyScore",
    "CorruptLine",
    "Day",
    "DetectorInfo",
    "Dimensions",
    "EngineError",
    "Evidence",
    "FeedbackItem",
    "History",
    "HistoryError",
    "Ignored",
    "LimitsDict",
    "MetricReading",
    "Metrics",
    "Monologue",
    "NodeTrend",
    "OverallScore",
    "Plan",
    "PlanDict",
    "PlanError",
    "PlannedQuestion",
    "Point",
    "Question",
    "QuestionBank",
    "QuestionWhy",
    "RedFlagResult",
    "RoundLevel",
    "RoundTrend",
    "Rubric",
    "RubricError",
    "RubricInfo",
    "RubricKey",
    "ScaleLevel",
    "Scorecard",
    "ScorecardDict",
    "SegmentOverrun",
    "Session",
    "SessionRecord",
    "SessionRecordDict",
    "SetAside",
    "Silence",
    "Span",
    "SpeakerMetrics",
    "Specificity",
    "StoredRecord",
    "SubcompetencyScore",
    "TranscriptError",
    "TranscriptInfo",
    "Trend",
    "Trends",
    "TrendsDict",
    "Unfilled",
    "VersionStatus",
    "WeakArea",
    "__version__",
    "append_session",
    "bundled_rubrics",
    "default_limits",
    "plan",
    "render_report",
    "trends",
]
