"""The dict forms of the engine's results, as TypedDicts: scorecards (`Scorecard.to_dict()`) and
the practice loop's session records, trends and plans; and of one input, the annotations given
to `Rubric.score` (`AnnotationDict`).

These mirror the Rust types in ``rubric_core::scorecard``, ``rubric_core::metrics``,
``rubric_core::history``, ``rubric_core::trends`` and ``rubric_core::planner`` field for field;
their JSON is the contract shared by the CLI, Python and JavaScript.
"""

from __future__ import annotations

import datetime
from typing import Dict, List, Literal, Optional, Sequence, TypedDict, Union

Role = Literal["candidate", "interviewer", "observer"]
Round = Literal["recruiter_screen", "coding", "system_design", "behavioral", "code_review"]
NodeStatus = Literal["scored", "evidence_against", "insufficient_evidence", "not_measurable"]
BehaviorStatus = Literal[
    "demonstrated", "partial", "not_observed", "contradicted", "not_measurable", "not_applicable"
]
RedFlagStatus = Literal["triggered", "clear", "not_measurable", "not_applicable"]
FeedbackKind = Literal["missing", "partial", "contradicted", "red_flag"]
DetectorKind = Literal["phrase", "lexicon", "regex", "question", "external"]
AnnotationStatus = Literal["counted", "not_counted", "unverified"]


class LimitsDict(TypedDict, total=False):
    """Upper bounds on what the engine accepts (``rubric_core::Limits``). `default_limits()` returns
    every one; ``limits=`` takes any subset, and the others keep their defaults."""

    max_rubric_bytes: int
    max_criteria: int
    """Behaviors plus red flags."""
    max_phrases: int
    """Phrases after lexicons are expanded."""
    max_regexes: int
    max_regex_size: int
    """Compiled size of one regex, in bytes."""
    max_regex_repetition: int
    """Times counted repetitions may repeat a part of one regex, multiplied through nesting."""
    max_regex_total_size: int
    """Compiled sizes of all regexes of a rubric together, in bytes."""
    max_regex_fallback_work: int
    """Regex search by NFA simulation in one scoring, in KiB of regex times KiB of text."""
    max_matches: int
    """Detector matches in one scoring."""
    max_transcript_bytes: int
    max_turns: int
    max_turn_bytes: int
    """Bytes of text in one turn."""
    max_events: int
    max_segments: int
    max_annotations: int
    """Annotations on one transcript: its own and those given beside it (``annotations=``)."""


class RubricInfoDict(TypedDict):
    id: str
    version: str
    title: str


class TranscriptInfoDict(TypedDict):
    id: Optional[str]
    title: Optional[str]
    turns: int
    timed: bool
    complete: bool
    """Known to run to its end: only then is a minimum that was not reached evidence against."""
    times_estimated: bool
    """Untimed: time windows were read from positions estimated from the words spoken before each turn (200 a minute)."""
    inferred_events: List[InferredEventDict]
    role_inference: Optional[RoleInferenceDict]
    """How the speakers' roles were inferred (``infer_roles=True``), or None."""
    annotations: List[AnnotationUseDict]
    """What became of each annotation, the transcript's own first, then those given beside it."""


class AnnotationUseDict(TypedDict):
    """One annotation and what it did: ``counted`` as evidence, ``not_counted`` (verified, but its
    behavior does not take it; `reason` says why) or ``unverified`` (its quote is not in its turn;
    kept with ``keep_unverified=True``, never counted)."""

    annotation: str
    """Where it was written: ``annotations[i]`` in the transcript, ``given_annotations[i]`` for
    ``annotations=``."""
    behavior: str
    source: str
    turn: int
    confidence: Optional[float]
    quote: Optional[str]
    status: AnnotationStatus
    reason: Optional[str]


class InferredRoleDict(TypedDict):
    speaker: str
    role: Role
    turns: int
    turns_ending_in_a_question: int
    words: int
    first_turn: int


class RoleInferenceDict(TypedDict):
    rule: str
    speakers: List[InferredRoleDict]


# `type` is a builtin's name, kept as the JSON key; declared in the functional form for symmetry
# with the other keyword-named keys.
InferredEventDict = TypedDict(
    "InferredEventDict",
    {"type": str, "time": float, "time_estimated": bool, "evidence": "EvidenceDict"},
)


# `from` is a keyword, so this one is declared in the functional form.
ScaleLevelDict = TypedDict(
    "ScaleLevelDict", {"level": int, "label": str, "from": float, "to": float}
)


class OverallScoreDict(TypedDict):
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


class IgnoredDict(TypedDict):
    speaker: int
    round: int
    window: int
    order: int


class MetricReadingDict(TypedDict):
    name: str
    value: Optional[float]
    min: Optional[float]
    max: Optional[float]


class SpanDict(TypedDict):
    """Half-open ranges into the turn's text: UTF-8 bytes, code points (Python ``str`` indices)
    and UTF-16 code units (JavaScript)."""

    bytes: List[int]
    chars: List[int]
    utf16: List[int]


class DetectorInfoDict(TypedDict):
    kind: DetectorKind
    path: str
    phrase: Optional[str]
    lexicon: Optional[str]
    regex: Optional[str]
    question: Optional["QuestionWhyDict"]
    external: Optional["ExternalWhyDict"]


class ExternalWhyDict(TypedDict):
    """Where a piece of external evidence came from (``external`` detectors): the annotation."""

    source: str
    """``llm:<model>``, ``human:<rater>`` or whatever the annotation says."""
    confidence: Optional[float]
    rationale: Optional[str]
    timestamp: Optional[str]
    annotation: str
    """The annotation's path: ``annotations[2]``, ``given_annotations[0]``."""


class QuestionWhyDict(TypedDict):
    """Why a question detector took a sentence as a question: ``question_mark`` (it ends with
    ``?`` in a transcript that uses them) or ``model`` (the trained question model, with its
    probability and strongest features)."""

    by: Literal["question_mark", "model"]
    probability: Optional[float]
    cues: List[str]


class EvidenceDict(TypedDict):
    behavior: str
    path: str
    detector: DetectorInfoDict
    turn: int
    speaker: str
    role: Role
    span: SpanDict
    text: str
    start: Optional[float]
    end: Optional[float]
    segment: Optional[str]
    round: Optional[Round]
    negated_by: Optional[str]


class BehaviorResultDict(TypedDict):
    id: str
    title: str
    path: str
    weight: float
    status: BehaviorStatus
    score: Optional[float]
    count: int
    target: Optional[int]
    metric: Optional[MetricReadingDict]
    reason: Optional[str]
    explain: str
    evidence: List[EvidenceDict]
    against: List[EvidenceDict]
    evidence_omitted: int
    """Counted mentions beyond the first 100 listed in `evidence`; `count` is the full number."""
    against_omitted: int
    """Negated mentions beyond the first 100 listed in `against`."""
    ignored: IgnoredDict


class SubcompetencyScoreDict(TypedDict):
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
    behaviors: List[BehaviorResultDict]
    red_flags: List[str]
    depth: bool
    """The rubric marks it ``depth: true``: it counts towards technical depth in the practice loop."""


class CompetencyScoreDict(TypedDict):
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
    subcompetencies: List[SubcompetencyScoreDict]


class RedFlagResultDict(TypedDict):
    id: str
    title: str
    path: str
    applies_to: str
    penalty: float
    status: RedFlagStatus
    count: int
    min_count: int
    metric: Optional[MetricReadingDict]
    reason: Optional[str]
    explain: str
    evidence: List[EvidenceDict]
    evidence_omitted: int
    """Counted mentions beyond the first 100 listed in `evidence`; `count` is the full number."""
    ignored: IgnoredDict


class FeedbackItemDict(TypedDict):
    rank: int
    kind: FeedbackKind
    id: str
    title: str
    competency: Optional[str]
    subcompetency: Optional[str]
    text: str
    gain: float


class SpeakerMetricsDict(TypedDict):
    speaker: str
    role: Role
    turns: int
    words: int
    talk_seconds: Optional[float]
    words_per_minute: Optional[float]


class AnswerDict(TypedDict):
    first_turn: int
    last_turn: int
    words: int
    start: Optional[float]
    seconds: Optional[float]


class MonologueDict(TypedDict):
    speaker: str
    role: Role
    first_turn: int
    last_turn: int
    words: int
    seconds: Optional[float]


class SilenceDict(TypedDict):
    after_turn: int
    start: float
    seconds: float


HedgeClass = Literal["ignorance", "epistemic_verb", "modal", "adverb", "approximator", "estimate"]


# One hedge cue in a candidate turn ("i guess", "kind of", "about 10"); `class` is a keyword, so
# the functional form.
HedgeMentionDict = TypedDict(
    "HedgeMentionDict",
    {"turn": int, "cue": str, "class": HedgeClass, "span": SpanDict, "text": str},
)


class VagueAnswerDict(TypedDict):
    """An answer with more hedges than specifics: the answer to push back on."""

    first_turn: int
    last_turn: int
    words: int
    hedges: List[HedgeMentionDict]
    specifics: int
    why: str


class SegmentOverrunDict(TypedDict):
    segment: str
    seconds: float
    time_limit: float


class MetricsDict(TypedDict):
    timed: bool
    turns: int
    duration_seconds: Optional[float]
    speakers: List[SpeakerMetricsDict]
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
    answers_over_limit: Optional[List[AnswerDict]]
    longest_monologue: Optional[MonologueDict]
    silence_threshold_seconds: float
    longest_silence_seconds: Optional[float]
    silences: Optional[List[SilenceDict]]
    candidate_questions: int
    filler_count: int
    filler_rate: Optional[float]
    backchannel_count: int
    hedge_count: int
    hedge_rate: Optional[float]
    vague_answers: List[VagueAnswerDict]
    vague_answer_share: Optional[float]
    segments_over_limit: Optional[List[SegmentOverrunDict]]
    time_to_first: Dict[str, float]


class AnnotationSpanDict(TypedDict, total=False):
    """A half-open range into the turn's text in exactly one unit: ``chars`` (Python ``str``
    indices), ``bytes`` (UTF-8) or ``utf16`` (JavaScript)."""

    chars: Sequence[int]
    bytes: Sequence[int]
    utf16: Sequence[int]


class _AnnotationRequired(TypedDict):
    behavior: str
    """The behavior or red flag id in the rubric it is scored with."""
    turn: int
    """The turn, counted from 0."""
    source: str
    """Who made the judgment: ``llm:<model>``, ``human:<rater>`` or any other name."""


class AnnotationDict(_AnnotationRequired, total=False):
    """One annotation given to ``Rubric.score(annotations=...)`` (or in a transcript's
    ``annotations`` list): evidence for a behavior judged elsewhere. It needs a `quote`, a `span`
    or both; the quote is checked against the turn by words (case, punctuation and "uh"/"um" do
    not matter)."""

    quote: str
    span: AnnotationSpanDict
    confidence: float
    """From 0 to 1."""
    rationale: str
    timestamp: str
    """When the judgment was made (RFC 3339 is usual); carried, not read."""


class ScorecardDict(TypedDict):
    rubric: RubricInfoDict
    transcript: TranscriptInfoDict
    scale: List[ScaleLevelDict]
    overall: OverallScoreDict
    competencies: List[CompetencyScoreDict]
    red_flags: List[RedFlagResultDict]
    feedback: List[FeedbackItemDict]
    metrics: MetricsDict


# ---------------------------------------------------------------------------------------------
# The practice loop: history, trends, question banks and plans.

DateInput = Union[str, datetime.date]
"""A day: an ISO 8601 ``"YYYY-MM-DD"`` string or a `datetime.date` (not a `datetime.datetime`)."""

VersionStatusName = Literal["current", "other"]
Better = Literal["higher", "lower", "neither"]
Movement = Literal["up", "down", "flat", "unknown"]
Verdict = Literal["improving", "declining", "steady", "unknown"]
Category = Literal["weak_area", "new", "harder"]


class RubricKeyDict(TypedDict):
    id: str
    version: str


class SpecificityDict(TypedDict):
    candidate_words: int
    numbers: int
    technologies: int
    outcomes: int
    per_100_words: Optional[float]
    answers: int
    answers_with_specifics: int
    named_technologies: List[str]


class _SessionRecordRequired(TypedDict):
    format: int
    candidate: str
    date: str
    round: Round
    rubric: RubricKeyDict
    scorecard: ScorecardDict


class SessionRecordDict(_SessionRecordRequired, total=False):
    """One line of a history file. ``questions`` and ``specificity`` are left out when empty."""

    questions: List[str]
    specificity: SpecificityDict


class StoredRecordDict(TypedDict):
    line: int
    record: SessionRecordDict


class CorruptLineDict(TypedDict):
    line: int
    reason: str


class _VersionStatusRequired(TypedDict):
    status: VersionStatusName


class VersionStatusDict(_VersionStatusRequired, total=False):
    """``{"status": "current"}`` or ``{"status": "other", "current": "1.0.0"}``."""

    current: str


class SessionDict(TypedDict):
    line: int
    version: VersionStatusDict
    record: SessionRecordDict


class PointDict(TypedDict):
    date: str
    line: int
    value: Optional[float]


class TrendDict(TypedDict):
    better: Better
    points: List[PointDict]
    measured: int
    first: Optional[float]
    previous: Optional[float]
    latest: Optional[float]
    best: Optional[float]
    change_since_first: Optional[float]
    change_since_previous: Optional[float]
    slope: Optional[float]
    slope_sessions: int
    moved: Movement
    verdict: Verdict


class NodeTrendDict(TypedDict):
    id: str
    title: str
    competency: Optional[str]
    trend: TrendDict


class DimensionsDict(TypedDict):
    technical_depth: TrendDict
    technical_depth_subcompetencies: List[str]
    words_per_answer: TrendDict
    time_to_first_solution_seconds: TrendDict
    specificity_per_100_words: TrendDict


class RoundTrendDict(TypedDict):
    round: Round
    rubric: RubricKeyDict
    rubric_title: str
    sessions: int
    first_date: str
    latest_date: str
    overall: TrendDict
    competencies: List[NodeTrendDict]
    subcompetencies: List[NodeTrendDict]
    dimensions: DimensionsDict


class WeakAreaDict(TypedDict):
    round: Round
    rubric: str
    competency: str
    subcompetency: str
    title: str
    latest: float
    change_since_previous: Optional[float]
    slope: Optional[float]
    verdict: Verdict


class SetAsideDict(TypedDict):
    line: int
    date: str
    round: Round
    rubric: RubricKeyDict
    reason: str


class TrendsDict(TypedDict):
    candidate: str
    sessions: int
    rounds: List[RoundTrendDict]
    weakest: List[WeakAreaDict]
    set_aside: List[SetAsideDict]


class QuestionDict(TypedDict):
    id: str
    round: Round
    difficulty: int
    prompt: str
    subcompetencies: List[str]


class RoundLevelDict(TypedDict):
    round: Round
    difficulty: int
    basis: str


class PlannedQuestionDict(TypedDict):
    position: int
    id: str
    round: Round
    difficulty: int
    prompt: str
    category: Category
    subcompetencies: List[str]
    targets: List[str]
    seen_before: bool
    reason: str


class UnfilledDict(TypedDict):
    category: Category
    wanted: int
    filled: int
    reason: str


class DayDict(TypedDict):
    date: str
    questions: List[str]
    focus: List[str]
    note: Optional[str]


class PlanDict(TypedDict):
    candidate: str
    seed: int
    requested: int
    mix: Dict[Category, int]
    levels: List[RoundLevelDict]
    weak_areas: List[WeakAreaDict]
    questions: List[PlannedQuestionDict]
    unfilled: List[UnfilledDict]
    schedule: Optional[List[DayDict]]
    notes: List[str]
