"""Annotations given to `Rubric.score` beside a transcript (``annotations=``), written as the JSON
Lines text the engine reads (``rubric_core::transcript::read_annotations``).

The engine checks everything about an annotation; this module only turns Python values into JSON.
A list or DataFrame is written one annotation per line, so an error's ``line`` is the position of
the annotation in the list (or the DataFrame's row), counted from 1.
"""

from __future__ import annotations

import datetime
import json
import math
import os
from typing import Any, Dict, Iterable, List, Mapping


def _is_missing(value: Any) -> bool:
    """None and NaN: what pandas puts in an optional column where a row has no value."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _whole_floats_as_ints(value: Any) -> Any:
    """pandas turns an integer column with a missing value into floats (``turn`` 5 becomes 5.0);
    the engine reads a turn as an integer, and 5.0 means 5."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _json_default(value: Any) -> Any:
    """Values `json.dumps` cannot write: dates and times (a ``timestamp`` column that pandas or
    the caller parsed) as ISO 8601 text, and NumPy scalars as the Python number they hold."""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if type(value).__module__ == "numpy" and callable(getattr(value, "item", None)):
        return value.item()
    raise TypeError(f"a value of type {type(value).__name__} cannot be written as JSON")


def _frame_rows(frame: Any) -> List[Dict[str, Any]]:
    """A DataFrame's rows as dicts, without the cells pandas marks missing (NaN, None, NA, NaT),
    found with the frame's own `isna` so that pandas is never imported here."""
    rows: List[Dict[str, Any]] = frame.to_dict("records")
    missing: List[Dict[str, bool]] = frame.isna().to_dict("records")
    return [{key: value for key, value in row.items() if not gone[key]} for row, gone in zip(rows, missing)]


def _is_frame(value: Any) -> bool:
    return all(hasattr(value, name) for name in ("to_dict", "isna", "columns"))


def _rows(value: Any) -> Iterable[Any]:
    if _is_frame(value):
        return _frame_rows(value)
    if isinstance(value, (Mapping, bytes, bytearray)) or not hasattr(value, "__iter__"):
        raise TypeError(
            "annotations: expected a list of annotation dicts, a pandas DataFrame (one row per "
            "annotation), JSON or JSON Lines text (str) or an os.PathLike path to such a file, "
            f"not {type(value).__name__}"
        )
    rows: Iterable[Any] = value
    return rows


def annotations_text(value: Any) -> str:
    """`value` (see `Rubric.score`'s ``annotations=``) as JSON or JSON Lines text. A str is that
    text already; an `os.PathLike` is read as UTF-8."""
    if isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        with open(os.fspath(value), encoding="utf-8") as file:
            return file.read()
    lines = []
    for index, row in enumerate(_rows(value)):
        if not isinstance(row, Mapping):
            raise TypeError(f"annotations[{index}]: expected a dict, not {type(row).__name__}")
        present = {key: _whole_floats_as_ints(item) for key, item in row.items() if not _is_missing(item)}
        try:
            # One line per annotation: `json.dumps` escapes line breaks inside strings.
            lines.append(json.dumps(present, ensure_ascii=False, allow_nan=False, default=_json_default))
        except (TypeError, ValueError) as error:  # A value JSON has no form for (infinity, an object).
            raise type(error)(f"annotations[{index}]: {error}") from None
    return "\n".join(lines)
