"""Read-only views of the practice loop's results: session records, trends, questions and plans.

Like `Scorecard`, each is a view of the JSON the Rust engine produced (the same JSON the CLI
prints with ``--format json``): attribute access follows it (``trends.rounds[0].overall.latest``),
lists are tuples, dates are ``"YYYY-MM-DD"`` strings, and ``to_dict()`` / ``to_json()`` return it
whole. `History` and `QuestionBank` themselves live in the extension module (`rubric._rubric`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Iterable, Mapping, Optional, Tuple, cast

from . import _rubric
from ._results import Scorecard, _Document, _Node
from ._types import (
    Better,
    Category,
    DateInput,
    Movement,
    PlanDict,
    Round,
    SessionRecordDict,
    TrendsDict,
    Verdict,
    VersionStatusName,
)

if TYPE_CHECKING:
    from ._rubric import Format, TranscriptInput


class RubricKey(_Node):
    """The rubric id and version a score is tied to."""

    __slots__ = ()
    id: str
    version: str

    def __repr__(self) -> str:
        return f"RubricKey(id={self.id!r}, version={self.version!r})"


class Specificity(_Node):
    """How concrete the candidate's answers were: numbers, named technologies and concrete
    outcomes, per 100 candidate words (the word lists are in ``rubric_core::specificity``)."""

    __slots__ = ()
    candidate_words: int
    numbers: int
    technologies: int
    outcomes: int
    per_100_words: Optional[float]
    answers: int
    answers_with_specifics: int
    named_technologies: Tuple[str, ...]


class SessionRecord(_Document):
    """One scored session: one line of a history file, keyed by candidate, date, round and rubric
    id + version."""

    __slots__ = ()
    _children = {"rubric": RubricKey, "specificity": Specificity, "scorecard": Scorecard}
    _defaults = {"questions": (), "specificity": None}
    format: int
    """The version of the history format the record was written in."""
    candidate: str
    date: str
    """The day of the session, ``"YYYY-MM-DD"``."""
    round: Round
    rubric: RubricKey
    questions: Tuple[str, ...]
    """Ids of the questions asked (question-bank ids), so a plan does not offer them as new."""
    specificity: Optional[Specificity]
    """Measured from the transcript when the session was recorded with one."""
    scorecard: Scorecard

    @classmethod
    def create(
        cls,
        scorecard: Scorecard,
        *,
        candidate: str,
        date: DateInput,
        round: Optional[Round] = None,
        questions: Iterable[str] = (),
        transcript: Optional[TranscriptInput] = None,
        format: Optional[Format] = None,
        speakers: Optional[Mapping[str, str]] = None,
    ) -> SessionRecord:
        """A record of a scored session, as ``rubric history add`` makes it (without storing it:
        see `History.add` and `append_session`).

        `round` defaults to the round of the bundled rubric the scorecard was made with (pass it
        for other rubrics: ``rubric.round``). `transcript`, the transcript that was scored, adds
        the specificity measurement and its segments' question ids; `questions` adds more ids.
        Raises `HistoryError` (an empty candidate, an invalid date or round, a transcript with
        another number of turns than the scorecard's) or `TranscriptError`.
        """
        line = _rubric._session_record(
            scorecard,
            candidate=candidate,
            date=date,
            round=round,
            questions=list(questions),
            transcript=transcript,
            format=format,
            speakers=speakers,
        )
        return cls._from_json(line)

    def to_dict(self) -> SessionRecordDict:  # type: ignore[override]  # A SessionRecordDict is a dict.
        """The record as plain dicts and lists (its line of the history file, parsed)."""
        return cast(SessionRecordDict, super().to_dict())

    def to_json(self, indent: Optional[int] = None) -> str:
        """The record's JSON: without `indent`, its line of the history file (no newline)."""
        return super().to_json(indent)

    def __repr__(self) -> str:
        return (
            f"SessionRecord(candidate={self.candidate!r}, date={self.date!r}, round={self.round!r}, "
            f"rubric={self.rubric.id!r}, version={self.rubric.version!r}, "
            f"score={self.scorecard.overall.score!r})"
        )


class StoredRecord(_Node):
    """A record and the line of the history it was read from (its position, for records given in
    Python)."""

    __slots__ = ()
    _children = {"record": SessionRecord}
    line: int
    record: SessionRecord

    def __repr__(self) -> str:
        return f"StoredRecord(line={self.line!r}, record={self.record!r})"


class CorruptLine(_Node):
    """A line of a history file that could not be read, and why; the other lines are kept."""

    __slots__ = ()
    line: int
    """1-based line number."""
    reason: str

    def __repr__(self) -> str:
        return f"CorruptLine(line={self.line!r}, reason={self.reason!r})"


class VersionStatus(_Node):
    """Whether a session was scored with the current version of its rubric."""

    __slots__ = ()
    _defaults = {"current": None}
    status: VersionStatusName
    current: Optional[str]
    """The current version, when this session used another one (``status == "other"``)."""


class Session(_Node):
    """One of a candidate's sessions, marked with its rubric version status: sessions scored with
    another version stay in the history but are left out of trends, levels and weak areas."""

    __slots__ = ()
    _children = {"version": VersionStatus, "record": SessionRecord}
    line: int
    version: VersionStatus
    record: SessionRecord

    @property
    def is_current(self) -> bool:
        """True when the session was scored with the current version of its rubric."""
        return self.version.status == "current"

    def __repr__(self) -> str:
        return f"Session(line={self.line!r}, version={self.version.status!r}, record={self.record!r})"


class Point(_Node):
    """One session's value of a tracked quantity."""

    __slots__ = ()
    date: str
    line: int
    """The history line of the session."""
    value: Optional[float]
    """None when not measurable in that session."""


class Trend(_Node):
    """How one quantity moved over a series of sessions (oldest first)."""

    __slots__ = ()
    _children = {"points": Point}
    better: Better
    points: Tuple[Point, ...]
    measured: int
    """Sessions where the quantity was measured."""
    first: Optional[float]
    previous: Optional[float]
    latest: Optional[float]
    best: Optional[float]
    change_since_first: Optional[float]
    change_since_previous: Optional[float]
    slope: Optional[float]
    """Least-squares slope per session over the last `slope_sessions` measured sessions."""
    slope_sessions: int
    moved: Movement
    verdict: Verdict

    def __repr__(self) -> str:
        return (
            f"Trend(latest={self.latest!r}, change_since_previous={self.change_since_previous!r}, "
            f"slope={self.slope!r}, verdict={self.verdict!r})"
        )


class NodeTrend(_Node):
    """A competency or sub-competency over time."""

    __slots__ = ()
    _children = {"trend": Trend}
    id: str
    title: str
    competency: Optional[str]
    """The competency a sub-competency belongs to (None for competencies)."""
    trend: Trend

    def __repr__(self) -> str:
        return f"NodeTrend(id={self.id!r}, trend={self.trend!r})"


class Dimensions(_Node):
    """The tracked dimensions of one series: technical depth, words per answer, time to the first
    working solution and specificity of examples."""

    __slots__ = ()
    _children = {
        "technical_depth": Trend,
        "words_per_answer": Trend,
        "time_to_first_solution_seconds": Trend,
        "specificity_per_100_words": Trend,
    }
    technical_depth: Trend
    technical_depth_subcompetencies: Tuple[str, ...]
    words_per_answer: Trend
    time_to_first_solution_seconds: Trend
    specificity_per_100_words: Trend


class RoundTrend(_Node):
    """One round (and rubric) over time."""

    __slots__ = ()
    _children = {
        "rubric": RubricKey,
        "overall": Trend,
        "competencies": NodeTrend,
        "subcompetencies": NodeTrend,
        "dimensions": Dimensions,
    }
    round: Round
    rubric: RubricKey
    rubric_title: str
    sessions: int
    first_date: str
    latest_date: str
    overall: Trend
    competencies: Tuple[NodeTrend, ...]
    subcompetencies: Tuple[NodeTrend, ...]
    dimensions: Dimensions

    def __repr__(self) -> str:
        return (
            f"RoundTrend(round={self.round!r}, rubric={self.rubric.id!r}, sessions={self.sessions!r}, "
            f"overall={self.overall!r})"
        )


class WeakArea(_Node):
    """A sub-competency below full marks in its latest session."""

    __slots__ = ()
    round: Round
    rubric: str
    competency: str
    subcompetency: str
    title: str
    latest: float
    change_since_previous: Optional[float]
    slope: Optional[float]
    verdict: Verdict

    def __repr__(self) -> str:
        return f"WeakArea(round={self.round!r}, subcompetency={self.subcompetency!r}, latest={self.latest!r})"


class SetAside(_Node):
    """A session left out of trends (scored with another rubric version)."""

    __slots__ = ()
    _children = {"rubric": RubricKey}
    line: int
    date: str
    round: Round
    rubric: RubricKey
    reason: str


class Trends(_Document):
    """A candidate's trends: per round and rubric, each competency, sub-competency and tracked
    dimension over time, the weakest areas, and the sessions left out. `to_dict()` equals the
    candidate's object in ``rubric history show --format json``."""

    __slots__ = ()
    _children = {"rounds": RoundTrend, "weakest": WeakArea, "set_aside": SetAside}
    candidate: str
    sessions: int
    """Sessions used (scored with current rubric versions)."""
    rounds: Tuple[RoundTrend, ...]
    weakest: Tuple[WeakArea, ...]
    """Sub-competencies below full marks in their latest session, lowest first."""
    set_aside: Tuple[SetAside, ...]

    def round(self, round: Round) -> Optional[RoundTrend]:
        """The series of a round (the first, if several rubrics were used in it)."""
        return next((r for r in self.rounds if r.round == round), None)

    def to_dict(self) -> TrendsDict:  # type: ignore[override]  # A TrendsDict is a dict.
        return cast(TrendsDict, super().to_dict())

    def __repr__(self) -> str:
        rounds = [r.round for r in self.rounds]
        return f"Trends(candidate={self.candidate!r}, sessions={self.sessions!r}, rounds={rounds!r})"


class Question(_Node):
    """One question of a bank."""

    __slots__ = ()
    id: str
    round: Round
    difficulty: int
    """1 (easiest) to 5 (hardest)."""
    prompt: str
    subcompetencies: Tuple[str, ...]

    def __repr__(self) -> str:
        return f"Question(id={self.id!r}, round={self.round!r}, difficulty={self.difficulty!r})"


class RoundLevel(_Node):
    """The difficulty a round is planned at, and why."""

    __slots__ = ()
    round: Round
    difficulty: int
    basis: str


class PlannedQuestion(_Node):
    """One question of a plan, with why it was chosen."""

    __slots__ = ()
    position: int
    """1-based position in the plan."""
    id: str
    round: Round
    difficulty: int
    prompt: str
    category: Category
    subcompetencies: Tuple[str, ...]
    targets: Tuple[str, ...]
    """The weak areas it targets (weak-area questions only)."""
    seen_before: bool
    reason: str

    def __repr__(self) -> str:
        return (
            f"PlannedQuestion(position={self.position!r}, id={self.id!r}, category={self.category!r}, "
            f"difficulty={self.difficulty!r})"
        )


class Unfilled(_Node):
    """A share of the mix the bank could not fill (it is not padded with other questions)."""

    __slots__ = ()
    category: Category
    wanted: int
    filled: int
    reason: str


class Day(_Node):
    """One day of a schedule."""

    __slots__ = ()
    date: str
    questions: Tuple[str, ...]
    """Question ids for the day, in plan order."""
    focus: Tuple[str, ...]
    note: Optional[str]


class Plan(_Document):
    """The next session's questions: 40% weak areas, 40% new questions at the current level, 20%
    harder, each with why it was chosen. `to_dict()` equals ``rubric plan --format json``."""

    __slots__ = ()
    _children = {
        "levels": RoundLevel,
        "weak_areas": WeakArea,
        "questions": PlannedQuestion,
        "unfilled": Unfilled,
        "schedule": Day,
    }
    candidate: str
    seed: int
    requested: int
    mix: Dict[Category, int]
    """Questions aimed for in each category."""
    levels: Tuple[RoundLevel, ...]
    weak_areas: Tuple[WeakArea, ...]
    questions: Tuple[PlannedQuestion, ...]
    unfilled: Tuple[Unfilled, ...]
    schedule: Optional[Tuple[Day, ...]]
    """The questions spread over the days up to the target date, weak areas first."""
    notes: Tuple[str, ...]

    def count(self, category: Category) -> int:
        """How many questions of `category` the plan has."""
        return sum(1 for q in self.questions if q.category == category)

    def to_dict(self) -> PlanDict:  # type: ignore[override]  # A PlanDict is a dict.
        return cast(PlanDict, super().to_dict())

    def __repr__(self) -> str:
        return (
            f"Plan(candidate={self.candidate!r}, seed={self.seed!r}, questions={len(self.questions)}, "
            f"requested={self.requested!r}, unfilled={len(self.unfilled)})"
        )

