"""Scorecards with attribute access, and the result of a batch.

A `Scorecard` is a read-only view of the engine's JSON scorecard: ``card.overall.score``,
``card.competencies[0].subcompetencies[0].behaviors[0].evidence[0].text``. Nested objects are
views too (`Evidence`, `Span`, ...); lists are tuples. ``to_dict()`` and ``to_json()`` give the
same content as the Rust scorecard, number for number.
"""

from __future__ import annotations

import copy
import json
import keyword
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Dict,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
    cast,
    overload,
)

from ._errors import EngineError, TranscriptError
from ._rubric import format_score
from ._types import (
    AnnotationStatus,
    BehaviorStatus,
    DetectorKind,
    FeedbackKind,
    NodeStatus,
    RedFlagStatus,
    Role,
    Round,
    ScorecardDict,
)


def _freeze(value: Any) -> Any:
    """Lists become tuples (recursively) so a view cannot be changed through what it returns."""
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return {k: _freeze(v) for k, v in value.items()}
    return value


_N = TypeVar("_N", bound="_Node")
_D = TypeVar("_D", bound="_Document")


class _Node:
    """A read-only view of one JSON object of the scorecard.

    Subclasses declare their fields as annotations (for type checkers and readers); `_children`
    names the fields that hold nested objects and the view class to wrap them in.
    """

    __slots__ = ("_raw", "_cache")
    _children: ClassVar[Mapping[str, type[_Node]]] = {}
    _defaults: ClassVar[Mapping[str, Any]] = {}
    """Values of fields the JSON leaves out when they are empty."""
    _raw: Any
    _cache: Dict[str, Any]

    def __init__(self, data: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_raw", data)
        object.__setattr__(self, "_cache", {})

    @classmethod
    def _from_json(cls: type[_N], text: str) -> _N:
        return cls(json.loads(text))

    @classmethod
    def _many(cls: type[_N], text: str) -> Tuple[_N, ...]:
        """Views of the items of a JSON array."""
        return tuple(cls(item) for item in json.loads(text))

    def _data(self) -> Mapping[str, Any]:
        return cast(Mapping[str, Any], self._raw)

    if not TYPE_CHECKING:  # Type checkers see the declared fields only, so typos are caught.

        def __getattr__(self, name: str) -> Any:
            if name.startswith("__") or name in _Node.__slots__:
                raise AttributeError(name)
            # `from` is a keyword: `level.from_` reads the field "from".
            key = name[:-1] if name.endswith("_") and keyword.iskeyword(name[:-1]) else name
            cache = self._cache
            if key in cache:
                return cache[key]
            data = self._data()
            if key not in data:
                if key in self._defaults:
                    return self._defaults[key]
                raise AttributeError(f"{type(self).__name__!r} has no field {name!r}")
            value = data[key]
            child = self._children.get(key)
            if value is None:
                result = None
            elif child is None:
                result = _freeze(value)
            elif isinstance(value, list):
                result = tuple(child(v) for v in value)
            else:
                result = child(value)
            cache[key] = result
            return result

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | set(self._data()))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Node):
            return NotImplemented
        return type(self) is type(other) and self._data() == other._data()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        data = self._data()
        shown = [f"{k}={data[k]!r}" for k in ("id", "score", "status", "text") if k in data]
        if data.get("low_confidence"):
            shown.append("low_confidence=True")
        return f"{type(self).__name__}({', '.join(shown) or repr(dict(data))})"

    def to_dict(self) -> Dict[str, Any]:
        """A deep copy of this object as plain dicts and lists (the JSON form)."""
        return copy.deepcopy(dict(self._data()))

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), (self.to_dict(),))


class _Document(_Node):
    """A view of a whole JSON document made by the engine (a scorecard, a trend report, a plan):
    it keeps the engine's JSON text and parses it on first use, so ``to_json()`` is exactly what
    the engine (and the CLI's ``--format json``) wrote."""

    __slots__ = ("_json",)
    _json: Optional[str]

    def __init__(self, data: Mapping[str, Any]) -> None:
        """A view of the document's dict form (as `to_dict()` returns it)."""
        super().__init__(copy.deepcopy(dict(data)))
        object.__setattr__(self, "_json", None)

    @classmethod
    def from_json(cls: type[_D], text: str) -> _D:
        """A view of the document's JSON form (as `to_json()` or the CLI's ``--format json``
        write it)."""
        document = cls._from_json(text)
        document._data()  # Parse now, so malformed JSON fails here.
        return document

    @classmethod
    def _from_json(cls: type[_D], text: str) -> _D:
        document = cls.__new__(cls)
        object.__setattr__(document, "_raw", None)
        object.__setattr__(document, "_cache", {})
        object.__setattr__(document, "_json", text)
        return document

    def _data(self) -> Mapping[str, Any]:
        raw = self._raw
        if raw is None:
            raw = json.loads(cast(str, self._json))
            object.__setattr__(self, "_raw", raw)
        return cast(Mapping[str, Any], raw)

    def to_dict(self) -> Dict[str, Any]:
        """The document as plain dicts and lists: equal to the engine's JSON parsed with
        `json.loads` (a fresh copy each call)."""
        if self._json is not None:
            return cast(Dict[str, Any], json.loads(self._json))
        return copy.deepcopy(dict(self._data()))

    def to_json(self, indent: Optional[int] = None) -> str:
        """The JSON form. Without `indent`, the exact compact JSON the Rust engine wrote; with it,
        the same content indented (``indent=2`` is the layout of the CLI's ``--format json``)."""
        if indent is None and self._json is not None:
            return self._json
        separators = (",", ": ") if indent is not None else (",", ":")
        return json.dumps(self._data(), indent=indent, ensure_ascii=False, separators=separators)

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self).from_json, (self.to_json(),))


class RubricInfo(_Node):
    __slots__ = ()
    id: str
    version: str
    title: str


class ScaleLevel(_Node):
    __slots__ = ()
    level: int
    label: str
    from_: float
    """The field ``from`` (a Python keyword)."""
    to: float


class OverallScore(_Node):
    __slots__ = ()
    score: Optional[float]
    scaled: Optional[float]
    level: Optional[int]
    label: Optional[str]
    status: NodeStatus
    coverage: float
    """The share of the weight below this node that could be measured (0-1)."""
    low_confidence: bool
    """The level rests on under half of the weight."""
    explain: str


class Ignored(_Node):
    __slots__ = ()
    speaker: int
    round: int
    window: int
    order: int


class MetricReading(_Node):
    __slots__ = ()
    name: str
    value: Optional[float]
    min: Optional[float]
    max: Optional[float]


class Span(_Node):
    """Half-open ``(start, end)`` ranges into the turn's text in three units. ``chars`` are Python
    ``str`` indices: ``turn_text[slice(*span.chars)] == evidence.text``."""

    __slots__ = ()
    bytes: Tuple[int, int]
    chars: Tuple[int, int]
    utf16: Tuple[int, int]


class QuestionWhy(_Node):
    """Why a sentence was taken as a question: ``by`` is ``"question_mark"`` or ``"model"``."""

    __slots__ = ()
    by: str
    probability: Optional[float]
    cues: Tuple[str, ...]


class ExternalWhy(_Node):
    """Where a piece of external evidence came from: the annotation (``annotation`` is its path,
    ``annotations[2]`` in the transcript or ``given_annotations[0]`` for ``annotations=``) and
    what its source said."""

    __slots__ = ()
    source: str
    confidence: Optional[float]
    rationale: Optional[str]
    timestamp: Optional[str]
    annotation: str


class DetectorInfo(_Node):
    __slots__ = ()
    _children = {"question": QuestionWhy, "external": ExternalWhy}
    kind: DetectorKind
    path: str
    phrase: Optional[str]
    lexicon: Optional[str]
    regex: Optional[str]
    question: Optional[QuestionWhy]
    external: Optional[ExternalWhy]
    """The annotation this evidence came from (``kind == "external"``), or None."""


class Evidence(_Node):
    __slots__ = ()
    _children = {"detector": DetectorInfo, "span": Span}
    behavior: str
    path: str
    detector: DetectorInfo
    turn: int
    speaker: str
    role: Role
    span: Span
    text: str
    start: Optional[float]
    end: Optional[float]
    segment: Optional[str]
    round: Optional[Round]
    negated_by: Optional[str]



class InferredEvent(_Node):
    """An event read from what was said, standing in for a real event of its type."""

    __slots__ = ()
    _children = {"evidence": Evidence}
    type: str
    time: float
    """The start of the turn it was said in (estimated on an untimed transcript)."""
    time_estimated: bool
    evidence: Evidence


class InferredRole(_Node):
    __slots__ = ()
    speaker: str
    role: Role
    turns: int
    turns_ending_in_a_question: int
    words: int
    first_turn: int


class RoleInference(_Node):
    """How the speakers' roles were inferred (``infer_roles=True``): the rule, in words, and what
    it found for each speaker."""

    __slots__ = ()
    _children = {"speakers": InferredRole}
    rule: str
    speakers: Tuple[InferredRole, ...]


class AnnotationUse(_Node):
    """One annotation and what it did: ``status`` is ``"counted"``, ``"not_counted"`` (``reason``
    says why) or ``"unverified"`` (its quote is not in its turn; never counted)."""

    __slots__ = ()
    annotation: str
    """Its path: ``annotations[i]`` in the transcript, ``given_annotations[i]`` for ``annotations=``."""
    behavior: str
    source: str
    turn: int
    confidence: Optional[float]
    quote: Optional[str]
    status: AnnotationStatus
    reason: Optional[str]


class TranscriptInfo(_Node):
    __slots__ = ()
    _children = {
        "inferred_events": InferredEvent,
        "role_inference": RoleInference,
        "annotations": AnnotationUse,
    }
    id: Optional[str]
    title: Optional[str]
    turns: int
    timed: bool
    complete: bool
    """Known to run to its end: only then is a minimum that was not reached evidence against."""
    times_estimated: bool
    """Untimed: time windows were read from positions estimated from the words spoken before each turn (200 a minute)."""
    inferred_events: Tuple[InferredEvent, ...]
    role_inference: Optional[RoleInference]
    annotations: Tuple[AnnotationUse, ...]
    """What became of each annotation, the transcript's own first, then those given beside it."""


class BehaviorResult(_Node):
    __slots__ = ()
    _children = {"metric": MetricReading, "evidence": Evidence, "against": Evidence, "ignored": Ignored}
    id: str
    title: str
    path: str
    weight: float
    status: BehaviorStatus
    score: Optional[float]
    count: int
    target: Optional[int]
    metric: Optional[MetricReading]
    reason: Optional[str]
    explain: str
    evidence: Tuple[Evidence, ...]
    against: Tuple[Evidence, ...]
    evidence_omitted: int
    """Counted mentions beyond the first 100 listed in `evidence`; `count` is the full number."""
    against_omitted: int
    """Negated mentions beyond the first 100 listed in `against`."""
    ignored: Ignored


class SubcompetencyScore(_Node):
    __slots__ = ()
    _children = {"behaviors": BehaviorResult}
    id: str
    title: str
    path: str
    weight: float
    score: Optional[float]
    scaled: Optional[float]
    level: Optional[int]
    label: Optional[str]
    anchor: Optional[str]
    status: NodeStatus
    coverage: float
    low_confidence: bool
    evidence_for: int
    evidence_against: int
    explain: str
    behaviors: Tuple[BehaviorResult, ...]
    red_flags: Tuple[str, ...]
    depth: bool
    """The rubric marks it ``depth: true``: it counts towards technical depth in the practice loop."""


class CompetencyScore(_Node):
    __slots__ = ()
    _children = {"subcompetencies": SubcompetencyScore}
    id: str
    title: str
    path: str
    weight: float
    score: Optional[float]
    scaled: Optional[float]
    level: Optional[int]
    label: Optional[str]
    status: NodeStatus
    coverage: float
    low_confidence: bool
    explain: str
    subcompetencies: Tuple[SubcompetencyScore, ...]


class RedFlagResult(_Node):
    __slots__ = ()
    _children = {"metric": MetricReading, "evidence": Evidence, "ignored": Ignored}
    id: str
    title: str
    path: str
    applies_to: str
    penalty: float
    status: RedFlagStatus
    count: int
    min_count: int
    metric: Optional[MetricReading]
    reason: Optional[str]
    explain: str
    evidence: Tuple[Evidence, ...]
    evidence_omitted: int
    """Counted mentions beyond the first 100 listed in `evidence`; `count` is the full number."""
    ignored: Ignored


class FeedbackItem(_Node):
    __slots__ = ()
    rank: int
    kind: FeedbackKind
    id: str
    title: str
    competency: Optional[str]
    subcompetency: Optional[str]
    text: str
    gain: float


class SpeakerMetrics(_Node):
    __slots__ = ()
    speaker: str
    role: Role
    turns: int
    words: int
    talk_seconds: Optional[float]
    words_per_minute: Optional[float]


class Answer(_Node):
    __slots__ = ()
    first_turn: int
    last_turn: int
    words: int
    start: Optional[float]
    seconds: Optional[float]


class Monologue(_Node):
    __slots__ = ()
    speaker: str
    role: Role
    first_turn: int
    last_turn: int
    words: int
    seconds: Optional[float]


class Silence(_Node):
    __slots__ = ()
    after_turn: int
    start: float
    seconds: float


class HedgeMention(_Node):
    """One hedge cue in a candidate turn. ``class_`` reads the JSON field ``class``
    (``"ignorance"``, ``"epistemic_verb"``, ``"modal"``, ``"adverb"``, ``"approximator"``,
    ``"estimate"``)."""

    __slots__ = ()
    _children = {"span": Span}
    turn: int
    cue: str
    class_: str
    span: Span
    text: str


class VagueAnswer(_Node):
    """An answer (a run of candidate turns) with more hedges than specifics; ``why`` says so."""

    __slots__ = ()
    _children = {"hedges": HedgeMention}
    first_turn: int
    last_turn: int
    words: int
    hedges: Tuple[HedgeMention, ...]
    specifics: int
    why: str


class SegmentOverrun(_Node):
    __slots__ = ()
    segment: str
    seconds: float
    time_limit: float


class Metrics(_Node):
    __slots__ = ()
    _children = {
        "speakers": SpeakerMetrics,
        "answers_over_limit": Answer,
        "longest_monologue": Monologue,
        "silences": Silence,
        "segments_over_limit": SegmentOverrun,
        "vague_answers": VagueAnswer,
    }
    timed: bool
    turns: int
    duration_seconds: Optional[float]
    speakers: Tuple[SpeakerMetrics, ...]
    candidate_words: int
    interviewer_words: int
    candidate_word_share: Optional[float]
    candidate_talk_ratio: Optional[float]
    candidate_words_per_minute: Optional[float]
    answers: int
    mean_words_per_answer: Optional[float]
    max_words_per_answer: int
    longest_answer_seconds: Optional[float]
    answer_time_limit_seconds: float
    answers_over_limit: Optional[Tuple[Answer, ...]]
    longest_monologue: Optional[Monologue]
    silence_threshold_seconds: float
    longest_silence_seconds: Optional[float]
    silences: Optional[Tuple[Silence, ...]]
    candidate_questions: int
    filler_count: int
    filler_rate: Optional[float]
    backchannel_count: int
    hedge_count: int
    hedge_rate: Optional[float]
    vague_answers: Tuple[VagueAnswer, ...]
    vague_answer_share: Optional[float]
    segments_over_limit: Optional[Tuple[SegmentOverrun, ...]]
    time_to_first: Dict[str, float]
    """Event type -> seconds from the start of the interview to its first occurrence."""


class Scorecard(_Document):
    """The result of scoring one transcript: overall, competency, sub-competency and behavior
    scores with levels, evidence spans, explanations, red flags, feedback and conversation
    metrics.

    Attribute access follows the JSON form (``card.overall.score``); `to_dict()` and `to_json()`
    return it whole. The JSON is parsed on first use, so a large batch costs little until read.
    """

    __slots__ = ()
    _children = {
        "rubric": RubricInfo,
        "transcript": TranscriptInfo,
        "scale": ScaleLevel,
        "overall": OverallScore,
        "competencies": CompetencyScore,
        "red_flags": RedFlagResult,
        "feedback": FeedbackItem,
        "metrics": Metrics,
    }
    rubric: RubricInfo
    transcript: TranscriptInfo
    scale: Tuple[ScaleLevel, ...]
    overall: OverallScore
    competencies: Tuple[CompetencyScore, ...]
    red_flags: Tuple[RedFlagResult, ...]
    feedback: Tuple[FeedbackItem, ...]
    """What to work on, most valuable first."""
    metrics: Metrics

    def __init__(self, data: Union[ScorecardDict, Mapping[str, Any]]) -> None:
        """A scorecard from its dict form (as `to_dict()` returns it)."""
        super().__init__(cast(Mapping[str, Any], data))

    def to_dict(self) -> ScorecardDict:  # type: ignore[override]  # A ScorecardDict is a dict.
        """The scorecard as plain dicts and lists: equal to the Rust scorecard's JSON parsed with
        `json.loads` (a fresh copy each call)."""
        return cast(ScorecardDict, super().to_dict())

    def to_json(self, indent: Optional[int] = None) -> str:
        """The JSON form. Without `indent`, the exact compact JSON the Rust engine wrote; with it,
        the same content indented (``indent=2`` is the layout of the CLI and the golden files)."""
        return super().to_json(indent)

    def behaviors(self) -> Iterator[BehaviorResult]:
        """Every behavior result, in rubric order."""
        for competency in self.competencies:
            for sub in competency.subcompetencies:
                yield from sub.behaviors

    def behavior(self, id: str) -> Optional[BehaviorResult]:
        """The behavior result with this id, if the rubric has one."""
        return next((b for b in self.behaviors() if b.id == id), None)

    def __repr__(self) -> str:
        overall = self.overall
        # The words every surface uses (rubric_core::display), then the raw score for code.
        shown = format_score(overall.score, overall.level, overall.label, self.scale[-1].level)
        return (
            f"Scorecard(rubric={self.rubric.id!r}, transcript={self.transcript.id!r}, "
            f"overall={shown!r}, score={overall.score!r}"
            + (", low_confidence=True" if overall.low_confidence else "")
            + ")"
        )


BatchItem = Union[Scorecard, TranscriptError, EngineError]
"""One input's result in a batch: its scorecard, or why it failed."""


class BatchResult(Sequence[BatchItem]):
    """The results of `Rubric.score_many`, in input order: each item is a `Scorecard`, or the
    `TranscriptError` (or, on an engine bug, `EngineError`) that input failed with."""

    __slots__ = ("_items",)

    def __init__(self, items: Sequence[BatchItem]) -> None:
        self._items: Tuple[BatchItem, ...] = tuple(items)

    @overload
    def __getitem__(self, index: int) -> BatchItem: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[BatchItem]: ...

    def __getitem__(self, index: Union[int, slice]) -> Union[BatchItem, Sequence[BatchItem]]:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[BatchItem]:
        return iter(self._items)

    @property
    def ok(self) -> bool:
        """True when every input was scored."""
        return all(isinstance(item, Scorecard) for item in self._items)

    @property
    def scorecards(self) -> List[Scorecard]:
        """The scorecards of the inputs that were scored, in input order (failures left out)."""
        return [item for item in self._items if isinstance(item, Scorecard)]

    @property
    def errors(self) -> Dict[int, Union[TranscriptError, EngineError]]:
        """Input index -> the error it failed with."""
        return {i: item for i, item in enumerate(self._items) if not isinstance(item, Scorecard)}

    def raise_on_error(self) -> List[Scorecard]:
        """Every scorecard, or the first failure raised (`errors` says which input it was)."""
        for error in self.errors.values():
            raise error
        return self.scorecards

    def __repr__(self) -> str:
        failed = len(self.errors)
        return f"BatchResult({len(self._items)} inputs, {len(self._items) - failed} scored, {failed} failed)"
