"""Type stubs for the Rust extension module (crates/rubric-py/src/lib.rs)."""

import os
from typing import (
    Any,
    Dict,
    Iterable,
    List,
    Literal,
    Mapping,
    Optional,
    Protocol,
    Sequence,
    Tuple,
    Union,
    final,
    overload,
)

from ._practice import (
    CorruptLine,
    Plan,
    Question,
    Session,
    SessionRecord,
    StoredRecord,
    Trends,
)
from ._results import BatchResult, Scorecard
from ._types import DateInput, LimitsDict, Role, Round

__version__: str
DEFAULT_RUBRIC: str

Format = Literal["json", "text", "vtt", "srt", "utterances", "deepgram", "aws", "whisper", "rev"]
"""A transcript format; detected from the content (and a file's extension) when not given."""

TranscriptInput = Union[Mapping[str, Any], str, bytes, "os.PathLike[str]"]
"""A transcript: a dict in the native JSON model; a str holding JSON, text, WebVTT, SubRip or
speech-to-text JSON (utterances, Deepgram, AWS Transcribe, Whisper, Rev.ai), or, when it is one
line naming an existing file, that file's path; bytes (UTF-8); or an ``os.PathLike``
(``pathlib.Path``), always a path."""

class DataFrameLike(Protocol):
    """A pandas DataFrame (what `annotations=` reads of one), without importing pandas."""

    @property
    def columns(self) -> Any: ...
    def isna(self) -> Any: ...

AnnotationsInput = Union[Iterable[Mapping[str, Any]], DataFrameLike, str, "os.PathLike[str]"]
"""Annotations given beside a transcript (see `rubric.AnnotationDict`): a list of dicts; a pandas
DataFrame with one row per annotation (a missing value, NaN or None, leaves that key out); a str
holding a JSON array or JSON Lines; or an ``os.PathLike`` path to such a file."""

@final
class Rubric:
    """A validated, compiled rubric. Immutable: share it between threads, pickle it to processes."""

    @classmethod
    def from_yaml(cls, text: str, limits: Optional[Mapping[str, int]] = None) -> Rubric:
        """Parses, validates and compiles a YAML rubric. Raises `RubricError`.

        `limits` replaces some of the default limits (see `default_limits()`) for this rubric and
        every transcript it scores: ``{"max_turns": 5000}``. Over a limit, the error's ``kind`` is
        ``"limit_exceeded"`` and its message names the limit and the actual size. An unknown limit
        name raises `ValueError` (naming the closest one), a value that is not an int >= 0
        `ValueError`, a `limits` that is not a mapping `TypeError`."""

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"], limits: Optional[Mapping[str, int]] = None) -> Rubric:
        """Reads and compiles a YAML rubric file. Raises `RubricError` (``kind == "not_found"`` when
        the file cannot be read). `limits` as in `from_yaml`."""

    @classmethod
    def bundled(cls, name: str, limits: Optional[Mapping[str, int]] = None) -> Rubric:
        """A rubric shipped with the library. Raises `RubricError` (``kind == "not_found"``).
        `limits` as in `from_yaml`."""

    @staticmethod
    def list_bundled() -> List[str]:
        """Ids of the bundled rubrics."""

    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def round(self) -> Optional[Round]:
        """The round the rubric is written for, if it names one."""
    @property
    def source(self) -> str:
        """The YAML the rubric was compiled from."""
    @property
    def limits(self) -> LimitsDict:
        """Every limit this rubric was compiled with and checks transcripts against."""

    def score(
        self,
        transcript: TranscriptInput,
        *,
        format: Optional[Format] = None,
        speakers: Optional[Mapping[str, str]] = None,
        unlabelled_role: Optional[Role] = None,
        infer_roles: bool = False,
        complete: bool = False,
        annotations: Optional[AnnotationsInput] = None,
        keep_unverified: bool = False,
    ) -> Scorecard:
        """Scores one transcript. `speakers` maps speaker names or labels to roles
        (``{"A": "interviewer", "B": "candidate"}``); `unlabelled_role` gives speech without any
        speaker label (captions) one role; `infer_roles` infers the roles of a two-person
        conversation (stated in ``card.transcript.role_inference``); `complete` says the
        transcript runs to the end, so a minimum not reached is evidence against.

        `annotations` adds evidence judged elsewhere (a language model, a human rater) to the
        transcript's own annotations, named ``given_annotations[i]`` (see `AnnotationsInput`);
        what became of each is in ``card.transcript.annotations``. A quote that is not in its turn
        raises `TranscriptError` (``kind == "unverified_quote"``), unless `keep_unverified`, which
        keeps it (for these and the transcript's own annotations) as ``"unverified"``, never
        counted. An error in a list or DataFrame is located at ``line`` = its position, from 1.

        Raises `TranscriptError`; `ValueError` for an unknown `format` or role; `TypeError` for an
        input that is not a transcript or annotations."""

    def score_many(
        self,
        transcripts: Iterable[TranscriptInput],
        *,
        format: Optional[Format] = None,
        speakers: Optional[Mapping[str, str]] = None,
        threads: Optional[int] = None,
        unlabelled_role: Optional[Role] = None,
        infer_roles: bool = False,
        complete: bool = False,
        keep_unverified: bool = False,
    ) -> BatchResult:
        """Scores many transcripts on `threads` threads (default: every core) without the GIL.
        Results are in input order; an input that fails is reported in the `BatchResult` as its
        error and does not stop the others. `keep_unverified` applies to each transcript's own
        annotations (annotations given beside a transcript name its turns: give them to
        `score`)."""

    def _panic_while_scoring_for_tests(
        self, transcript: TranscriptInput, *, speakers: Optional[Mapping[str, str]] = None
    ) -> Scorecard: ...
    def __reduce__(self) -> Tuple[Any, ...]: ...
    def __copy__(self) -> Rubric: ...
    def __deepcopy__(self, memo: Any) -> Rubric: ...

PathInput = Union[str, "os.PathLike[str]"]

@final
class History:
    """Scored sessions, as read from a history file (JSON Lines, one `SessionRecord` per line)
    or built in Python, with the lines that could not be read.

    Reading never loses good data: an unreadable line is listed in `problems` with its number and
    the reason, and every other line is kept. `add` adds a session in memory; `append_session`
    writes one to a file. Safe to share between threads; every operation releases the GIL."""

    def __init__(self, records: Optional[Iterable[SessionRecord]] = None) -> None:
        """A history of `records`, numbered 1, 2, ... in order (empty without). Raises
        `HistoryError` for a record that does not validate."""

    @classmethod
    def parse(cls, text: Union[str, bytes]) -> History:
        """Reads JSON Lines text (bytes as UTF-8, invalid sequences replaced). Never raises for
        the content: unreadable lines go to `problems`."""

    @classmethod
    def load(cls, path: PathInput) -> History:
        """Reads a history file. Raises `OSError` (`FileNotFoundError` when it does not exist:
        a missing file is not an empty history)."""

    @property
    def records(self) -> Tuple[StoredRecord, ...]:
        """Every readable record with its line number, in file order (then added records)."""

    @property
    def problems(self) -> Tuple[CorruptLine, ...]:
        """Every line that could not be read, with its number and the reason."""

    def candidates(self) -> List[str]:
        """Candidate names, sorted, each once."""

    def sessions(
        self, candidate: str, *, current_versions: Optional[Mapping[str, str]] = None
    ) -> Tuple[Session, ...]:
        """One candidate's sessions, oldest first (by date, then line), each marked with whether
        it was scored with the current version of its rubric: the bundled rubric's version, the
        version given in `current_versions` (rubric id -> version), or else the latest version in
        the history."""

    @overload
    def add(self, record: SessionRecord) -> SessionRecord: ...
    @overload
    def add(
        self,
        record: Scorecard,
        *,
        candidate: str,
        date: DateInput,
        round: Optional[Round] = None,
        questions: Optional[Sequence[str]] = None,
        transcript: Optional[TranscriptInput] = None,
        format: Optional[Format] = None,
        speakers: Optional[Mapping[str, str]] = None,
    ) -> SessionRecord:
        """Adds a session (in memory) and returns its record: a `SessionRecord`, or a
        `Scorecard` with the arguments of `SessionRecord.create`. Raises `HistoryError`."""

    def __len__(self) -> int:
        """The number of records."""

    def __reduce__(self) -> Tuple[Any, ...]: ...

@final
class QuestionBank:
    """A validated question bank: questions with an id, a round, a difficulty from 1 to 5, a
    prompt and the sub-competencies they exercise. Immutable; pickles as its YAML."""

    @classmethod
    def from_yaml(cls, text: str) -> QuestionBank:
        """Parses and validates a YAML bank. Raises `BankError` (every problem, located)."""

    @classmethod
    def from_file(cls, path: PathInput) -> QuestionBank:
        """Reads and validates a YAML bank file, e.g. ``question-banks/starter.yaml``. Raises
        `BankError` (``kind == "not_found"`` when the file cannot be read)."""

    @property
    def title(self) -> Optional[str]: ...
    @property
    def source(self) -> str:
        """The YAML the bank was read from."""
    @property
    def questions(self) -> Tuple[Question, ...]:
        """Every question, in bank order."""

    def question(self, id: str) -> Optional[Question]:
        """The question with this id, if the bank has one."""

    def check_subcompetencies(self, rubrics: Optional[Iterable[Rubric]] = None) -> None:
        """Checks that every sub-competency a question names exists in a rubric of its round
        (default: the bundled rubrics). Raises `BankError` (``kind == "unknown_reference"``)."""

    def __len__(self) -> int: ...
    def __reduce__(self) -> Tuple[Any, ...]: ...
    def __copy__(self) -> QuestionBank: ...
    def __deepcopy__(self, memo: Any) -> QuestionBank: ...

def trends(
    history: History,
    candidate: Optional[str] = None,
    *,
    window: int = 5,
    weakest: int = 3,
    current_versions: Optional[Mapping[str, str]] = None,
) -> Trends:
    """A candidate's trends (`candidate` may be left out when the history has only one): per
    round and rubric, each competency, sub-competency and tracked dimension over time, with the
    slope over the last `window` (>= 2) measured sessions, and the `weakest` weakest areas. The
    same as ``rubric history show --format json`` for that candidate. Sessions scored with another
    rubric version than the current one (see `History.sessions`) are left out and listed in
    `Trends.set_aside`. Raises `HistoryError` for a candidate with no sessions."""

def plan(
    history: Optional[History],
    bank: QuestionBank,
    *,
    candidate: str,
    seed: int = 0,
    count: int = 10,
    rounds: Optional[Sequence[Round]] = None,
    until: Optional[DateInput] = None,
    start: Optional[DateInput] = None,
    weak_areas: int = 3,
    start_difficulty: int = 2,
    current_versions: Optional[Mapping[str, str]] = None,
) -> Plan:
    """The next session's `count` questions for `candidate`: 40% weak areas, 40% new questions at
    the current level, 20% harder; deterministic for a `seed`; no question twice; a share the bank
    cannot fill is listed in `Plan.unfilled`. `rounds` limits the rounds (default: those in the
    candidate's history, or all). `until` spreads the plan over the days from `start` (default:
    today, UTC) to that date, weak areas first. The same as ``rubric plan --format json``. Raises
    `PlanError` for an option out of range."""

def render_report(
    transcript: TranscriptInput,
    rubric: Optional[Rubric] = None,
    *,
    scorecard: Optional[Scorecard] = None,
    history: Optional[History] = None,
    candidate: Optional[str] = None,
    title: Optional[str] = None,
    format: Optional[Format] = None,
    speakers: Optional[Mapping[str, str]] = None,
    current_versions: Optional[Mapping[str, str]] = None,
) -> str:
    """A self-contained HTML report (inline CSS and SVG, no scripts, no network) of the
    transcript scored with `rubric` (default: the default bundled rubric), or with its
    `scorecard` when already scored: the scorecard, a competency chart, evidence, feedback and
    the transcript with the evidence highlighted; with `history`, a trend chart per
    sub-competency and tracked dimension for `candidate` (needed when the history has several).
    The same bytes as ``rubric report``. Raises `TranscriptError`, `HistoryError`."""

@overload
def append_session(path: PathInput, record: SessionRecord) -> SessionRecord: ...
@overload
def append_session(
    path: PathInput,
    record: Scorecard,
    *,
    candidate: str,
    date: DateInput,
    round: Optional[Round] = None,
    questions: Optional[Sequence[str]] = None,
    transcript: Optional[TranscriptInput] = None,
    format: Optional[Format] = None,
    speakers: Optional[Mapping[str, str]] = None,
) -> SessionRecord:
    """Appends a session as one line to a history file (created if missing) and returns its
    record, as ``rubric history add`` does. Lines are only ever appended: a last line cut short
    by a crash is left alone and the new record starts on a fresh line. Raises `HistoryError`,
    `OSError`."""

def _session_record(
    scorecard: Scorecard,
    *,
    candidate: str,
    date: DateInput,
    round: Optional[Round] = None,
    questions: Optional[Sequence[str]] = None,
    transcript: Optional[TranscriptInput] = None,
    format: Optional[Format] = None,
    speakers: Optional[Mapping[str, str]] = None,
) -> str: ...

def bundled_rubrics() -> List[str]:
    """Ids of the bundled rubrics (the same as `Rubric.list_bundled()`)."""

def default_limits() -> LimitsDict:
    """The default limits (``rubric_core::Limits::default()``): every limit name with its value,
    what ``limits=`` starts from."""

def format_score(score: Optional[float], level: Optional[int], label: Optional[str], top: int) -> str:
    """A node's score and level as every surface shows them: ``"93%, level 4 of 4 (Outstanding)"``,
    or ``"not measurable"``. `top` is the scale's top level."""

def format_percent(score: float) -> str:
    """A 0-1 score as a whole percentage, rounded half up: ``"93%"``."""

def format_points(change: float) -> str:
    """A change of a 0-1 score in percentage points: ``"+3.3 points"``, ``"-20 points"``."""

def format_metric_value(name: str, value: float) -> str:
    """A value or bound of metric `name`: durations as ``"28:58"`` or ``"4.08 s"``, other figures
    with at most 3 decimals."""

def calibrate(
    scorecards: Mapping[str, Scorecard],
    labels: Union[str, "os.PathLike[str]"],
    *,
    bootstrap: int = 1000,
    seed: int = 0,
) -> Dict[str, Any]:
    """Compares scorecards (transcript id -> `Scorecard`) with human labels (a path to CSV or JSON
    Lines, or their text): the same JSON as ``rubric calibrate --format json`` (see
    docs/calibration.md)."""

def _engine_panic_for_tests(message: str) -> Exception: ...
def _read_value_for_tests(value: object) -> str: ...
