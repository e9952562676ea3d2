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
    if column is not None:
        return f"{text} (column {column})"
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
    suggestion: Optional[str]
    """The name probably meant, where one is close (a misspelt field, limit, behavior, rubric or
    round); the message already says it in words."""

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        path: str = "",
        line: Optional[int] = None,
        column: Optional[int] = None,
        suggestion: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.path = path
        self.line = line
        self.column = column
        self.suggestion = suggestion

    def __str__(self) -> str:
        return _located(self.path, self.line, self.column, self.message)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, kind={self.kind!r}, path={self.path!r}, "
            f"line={self.line!r}, column={self.column!r})"
        )

    def _fields(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "suggestion": self.suggestion,
        }

    def __reduce__(self) -> Tuple[Any, ...]:
        return (_restore, (type(self), self.message, self._fields()))


def _restore(cls: type[_LocatedError], message: str, fields: dict[str, Any]) -> _LocatedError:
    return cls(message, **fields)


class _LocatedErrorList(_LocatedError):
    """A `_LocatedError` that also carries every problem found (validation does not stop at the
    first one): `errors`, each an exception of the same class; ``str()`` lists them all, one per
    line."""

    errors: Tuple[_LocatedError, ...]

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        path: str = "",
        line: Optional[int] = None,
        column: Optional[int] = None,
        suggestion: Optional[str] = None,
        errors: Optional[Sequence[_LocatedError]] = None,
    ) -> None:
        super().__init__(message, kind=kind, path=path, line=line, column=column, suggestion=suggestion)
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


class RubricError(_LocatedErrorList):
    """A rubric that does not parse, validate or compile, or that cannot be found.

    The attributes describe the first problem in document order; `errors` holds every problem found
    (validation does not stop at the first one), each a `RubricError` of its own, and ``str()``
    lists them all, one per line.
    """

    errors: Tuple[RubricError, ...]


class TranscriptError(_LocatedError):
    """A transcript that cannot be read, imported or scored: bad syntax, a schema error, an
    unmapped speaker, a limit exceeded, an unreadable file (``kind == "unknown_format"``)."""


class BankError(_LocatedErrorList):
    """A question bank that does not parse or validate, or that cannot be read.

    Like `RubricError`: the attributes describe the first problem (``kind`` is ``"syntax"``,
    ``"schema"``, ``"invalid_value"``, ``"duplicate_id"``, ``"unknown_reference"``,
    ``"limit_exceeded"`` or ``"not_found"``; ``path`` is like ``questions[3].difficulty``), and
    `errors` holds every problem found.
    """

    errors: Tuple[BankError, ...]


class HistoryError(_LocatedError):
    """A session that cannot be recorded, or a candidate the history has no sessions for.

    ``kind`` is ``"syntax"`` or ``"schema"`` (a stored record that is not JSON or not a record),
    ``"invalid_value"`` (an empty candidate name, an invalid date or round, an unknown
    candidate), ``"mismatch"`` (a transcript that is not the one the scorecard was made from) or
    ``"unsupported_format"``; ``path`` names the argument or field (``"date"``, ``"candidate"``).
    Unreadable lines of a history file do not raise: they are listed in `History.problems`.
    """


class PlanError(_LocatedError):
    """A plan that cannot be made because an option is out of range (``kind ==
    "invalid_option"``; ``path`` names it: ``"count"``, ``"seed"``, ``"until"``, ``"rounds[0]"``,
    ...). A bank too small for the mix is not an error: see `Plan.unfilled`."""


class EngineError(RuntimeError):
    """A bug in the scoring engine (a Rust panic), reported instead of crashing the interpreter.

    The rubric that was scoring stays usable; in `Rubric.score_many` only the affected input fails.
    """


__all__ = ["BankError", "EngineError", "HistoryError", "PlanError", "RubricError", "TranscriptError"]
