"""Exceptions raised by the scoring engine, with structured fields.

The extension module raises these classes; they are defined here, in Python, so they can be
subclassed, pickled and documented like any Python exception.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Tuple


def _located(path: str, line: Optional[int], column: Optional[int], message: str) -> str:
    """The engine's one-line form: ``path: message (line L, column C)``."""
    text = f"{path}: {message}" if path else message
    if line is not None and column is not None:
        return f"{text} (line {line}, column {column})"
    if line is not None:
        return f"{text} (line {line})"
    return text


class _LocatedError(ValueError):
    """Shared fields of `RubricError` and `TranscriptError`."""

    kind: str
    """What went wrong, as a snake_case name (``"schema"``, ``"invalid_regex"``, ...)."""
    path: str
    """The path inside the document (``competencies[1].behaviors[0]``, ``turns[3].end``); ``""``
    for the document as a whole."""
    line: Optional[int]
    """1-based line, where known."""
    column: Optional[int]
    """1-based column, where known."""
    message: str
    """What was expected, without the location."""

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        path: str = "",
        line: Optional[int] = None,
        column: Optional[int] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return _located(self.path, self.line, self.column, self.message)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, kind={self.kind!r}, path={self.path!r}, "
            f"line={self.line!r}, column={self.column!r})"
        )

    def _fields(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "line": self.line, "column": self.column}

    def __reduce__(self) -> Tuple[Any, ...]:
        return (_restore, (type(self), self.message, self._fields()))


def _restore(cls: type[_LocatedError], message: str, fields: dict[str, Any]) -> _LocatedError:
    return cls(message, **fields)


class RubricError(_LocatedError):
    """A rubric that does not parse, validate or compile, or that cannot be found.

    The attributes describe the first problem in document order; `errors` holds every problem found
    (validation does not stop at the first one), each a `RubricError` of its own, and ``str()``
    lists them all, one per line.
    """

    errors: Tuple[RubricError, ...]

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        path: str = "",
        line: Optional[int] = None,
        column: Optional[int] = None,
        errors: Optional[Sequence[RubricError]] = None,
    ) -> None:
        super().__init__(message, kind=kind, path=path, line=line, column=column)
        self.errors = tuple(errors) if errors else (self,)

    def __str__(self) -> str:
        return "\n".join(
            _located(e.path, e.line, e.column, e.message) for e in self.errors
        )

    def _fields(self) -> dict[str, Any]:
        fields = super()._fields()
        if len(self.errors) > 1 or self.errors[0] is not self:
            fields["errors"] = list(self.errors)
        return fields


class TranscriptError(_LocatedError):
    """A transcript that cannot be read, imported or scored: bad syntax, a schema error, an
    unmapped speaker, a limit exceeded, an unreadable file (``kind == "unknown_format"``)."""


class EngineError(RuntimeError):
    """A bug in the scoring engine (a Rust panic), reported instead of crashing the interpreter.

    The rubric that was scoring stays usable; in `Rubric.score_many` only the affected input fails.
    """


__all__ = ["EngineError", "RubricError", "TranscriptError"]
