"""Type stubs for the Rust extension module (crates/rubric-py/src/lib.rs)."""

import os
from typing import Any, Iterable, List, Literal, Mapping, Optional, Tuple, Union, final

from ._results import BatchResult, Scorecard

__version__: str
DEFAULT_RUBRIC: str

Format = Literal["json", "text", "vtt", "utterances"]
"""A transcript format; detected from the content (and a file's extension) when not given."""

TranscriptInput = Union[Mapping[str, Any], str, bytes, "os.PathLike[str]"]
"""A transcript: a dict in the native JSON model; a str holding JSON, text, WebVTT or utterances
JSON, or, when it is one line naming an existing file, that file's path; bytes (UTF-8); or an
``os.PathLike`` (``pathlib.Path``), always a path."""

@final
class Rubric:
    """A validated, compiled rubric. Immutable: share it between threads, pickle it to processes."""

    @classmethod
    def from_yaml(cls, text: str) -> Rubric:
        """Parses, validates and compiles a YAML rubric. Raises `RubricError`."""

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"]) -> Rubric:
        """Reads and compiles a YAML rubric file. Raises `RubricError` (``kind == "not_found"`` when
        the file cannot be read)."""

    @classmethod
    def bundled(cls, name: str) -> Rubric:
        """A rubric shipped with the library. Raises `RubricError` (``kind == "not_found"``)."""

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
    def source(self) -> str:
        """The YAML the rubric was compiled from."""

    def score(
        self,
        transcript: TranscriptInput,
        *,
        format: Optional[Format] = None,
        speakers: Optional[Mapping[str, str]] = None,
    ) -> Scorecard:
        """Scores one transcript. `speakers` maps speaker names or labels to roles
        (``{"A": "interviewer", "B": "candidate"}``). Raises `TranscriptError`; `ValueError` for
        an unknown `format` or role; `TypeError` for an input that is not a transcript."""

    def score_many(
        self,
        transcripts: Iterable[TranscriptInput],
        *,
        format: Optional[Format] = None,
        speakers: Optional[Mapping[str, str]] = None,
        threads: Optional[int] = None,
    ) -> BatchResult:
        """Scores many transcripts on `threads` threads (default: every core) without the GIL.
        Results are in input order; an input that fails is reported in the `BatchResult` as its
        error and does not stop the others."""

    def __reduce__(self) -> Tuple[Any, ...]: ...
    def __copy__(self) -> Rubric: ...
    def __deepcopy__(self, memo: Any) -> Rubric: ...

def bundled_rubrics() -> List[str]:
    """Ids of the bundled rubrics (the same as `Rubric.list_bundled()`)."""

def _engine_panic_for_tests(message: str) -> Exception: ...
