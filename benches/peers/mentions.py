"""The mentions the engine reports for the generated benchmark rubrics, computed without it.

A Python port of `benches/src/lib.rs` (`reference_mentions`, `engine_mentions`) plus the engine's
text folding (`rubric_core::text::NormalizedText`), so that Python code can check the Python
binding's scorecards (crates/rubric-py/tests/test_reference.py) and hold every peer of
benches/peers/compare.py to the same mention set.

A mention is (behavior index, turn index, start, end): a half-open range of code points (Python
``str`` indices) in the turn's original text, the unit of the binding's ``span["chars"]``.

Differences from the Rust definitions, none of which the benchmark corpus (ASCII) reaches:
- word characters are ``str.isalnum()``; Rust's ``char::is_alphanumeric`` also counts combining
  marks with the Unicode Alphabetic property (e.g. Devanagari vowel signs);
- regexes run on Python's ``re`` with ``ASCII | IGNORECASE``: the same ASCII ``\\b \\w \\d \\s`` as
  the engine's compiled form, but no case folding of non-ASCII letters written in a pattern, and
  only syntax both engines share.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

Mention = Tuple[int, int, int, int]

# Rust's `char::is_whitespace` (the Unicode White_Space property); `str.isspace` differs (it also
# counts the separators U+001C..U+001F).
WHITESPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
LINE_BREAKS = frozenset("\n\r\u2028\u2029\x85")
APOSTROPHES = frozenset("'\u2019\u2018\u02bc`\u00b4\u2032")
PUNCTUATION = {
    **dict.fromkeys("\u201c\u201d\u201e\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    "\u2026": ".",
}
REGEX_FLAGS = re.ASCII | re.IGNORECASE


def fold(original: str) -> Tuple[str, List[int]]:
    """The folded text of a turn and, for each of its code points, the index of the original code
    point it came from: lower case, straight quotes, no apostrophes, ASCII dashes, each run of white
    space one space (or one newline if the run has a line break), none at either end."""
    out: List[str] = []
    origin: List[int] = []
    pending: Optional[Tuple[int, str]] = None
    for index, c in enumerate(original):
        if c in WHITESPACE:
            space = "\n" if c in LINE_BREAKS else " "
            if pending is None:
                pending = (index, space)
            elif pending[1] != "\n":
                pending = (pending[0], space)
            continue
        if c in APOSTROPHES:
            continue
        if pending is not None:
            if out:
                out.append(pending[1])
                origin.append(pending[0])
            pending = None
        folded = PUNCTUATION.get(c) or c.lower()
        out.extend(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


def fold_phrase(phrase: str) -> str:
    """A rubric phrase folded like turn text (`rubric_core::text::normalize_phrase`)."""
    ws = "".join(WHITESPACE)
    return fold(phrase.strip(ws))[0].strip(ws)


def is_word_char(c: str) -> bool:
    return c.isalnum()


def word_bounded(text: str, start: int, end: int) -> bool:
    """No letter or digit right before `start` or right at `end`."""
    return (start == 0 or not is_word_char(text[start - 1])) and (end == len(text) or not is_word_char(text[end]))


def merge(hits: Iterable[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """Overlapping hits of one behavior in one turn, merged as the engine merges them: leftmost
    first, the longest of those starting together, then the next hit that starts after it ends."""
    kept: List[Tuple[int, int]] = []
    last_end = 0
    for start, end in sorted(hits, key=lambda h: (h[0], -h[1])):
        if start >= last_end:
            kept.append((start, end))
            last_end = end
    return kept


def original_range(origin: Sequence[int], start: int, end: int) -> Tuple[int, int]:
    """The original code-point range that the folded range `start..end` (non-empty) came from."""
    return origin[start], origin[end - 1] + 1


class Patterns:
    """The phrases (per behavior) and the regex (per behavior, or None) of a generated rubric, as
    `benches/make_data.py` writes them to patterns-N.json."""

    def __init__(self, phrases: List[List[str]], regexes: List[Optional[str]]) -> None:
        self.phrases = phrases
        self.regexes = regexes

    @classmethod
    def load(cls, path: Path) -> Patterns:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["phrases"], data["regexes"])

    def compiled_regexes(self) -> List[Optional[re.Pattern[str]]]:
        return [None if r is None else re.compile(r, REGEX_FLAGS) for r in self.regexes]


def candidate_turns(transcript: Mapping[str, Any]) -> List[Tuple[int, str]]:
    """(turn index, text) of the candidate's turns: the only turns these rubrics' detectors count."""
    return [(i, t["text"]) for i, t in enumerate(transcript["turns"]) if t.get("role") == "candidate"]


def reference_mentions(patterns: Patterns, transcript: Mapping[str, Any]) -> Set[Mention]:
    """Every behavior's word-bounded phrase occurrences (overlapping) and regex matches in each
    candidate turn's folded text, merged per behavior and mapped back to the original text."""
    regexes = patterns.compiled_regexes()
    phrases = [[fold_phrase(p) for p in mine] for mine in patterns.phrases]
    out: Set[Mention] = set()
    for turn, original in candidate_turns(transcript):
        text, origin = fold(original)
        for behavior, needles in enumerate(phrases):
            hits: List[Tuple[int, int]] = []
            for needle in needles:
                start = text.find(needle) if needle else -1
                while start >= 0:
                    end = start + len(needle)
                    if word_bounded(text, start, end):
                        hits.append((start, end))
                    start = text.find(needle, start + 1)
            regex = regexes[behavior]
            if regex is not None:
                hits.extend(m.span() for m in regex.finditer(text))
            for start, end in merge(hits):
                out.add((behavior, turn, *original_range(origin, start, end)))
    return out


def engine_mentions(card: Mapping[str, Any]) -> Set[Mention]:
    """What a scorecard (``Scorecard.to_dict()``) reports for a generated rubric (behavior ids are
    ``b<index>``): every counted or negated piece of evidence, in code points."""
    out: Set[Mention] = set()
    for competency in card["competencies"]:
        for sub in competency["subcompetencies"]:
            for behavior in sub["behaviors"]:
                index = int(behavior["id"].lstrip("b"))
                for item in (*behavior["evidence"], *behavior["against"]):
                    start, end = item["span"]["chars"]
                    out.add((index, item["turn"], start, end))
    return out


def describe_differences(ours: Set[Mention], theirs: Set[Mention], limit: int = 3) -> Dict[str, Any]:
    """Counts (and a few examples) of mentions only one side reports."""
    only_ours = sorted(ours - theirs)
    only_theirs = sorted(theirs - ours)
    return {
        "equal": len(ours & theirs),
        "only_ours": len(only_ours),
        "only_theirs": len(only_theirs),
        "examples_only_ours": only_ours[:limit],
        "examples_only_theirs": only_theirs[:limit],
    }
