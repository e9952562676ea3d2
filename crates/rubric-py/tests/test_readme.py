"""The README's Python snippets run, in order, from the repository root (as a reader would)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List

import pytest
from conftest import ROOT

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> List[str]:
    return re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.S | re.M)


def test_the_readme_has_python_snippets() -> None:
    assert len(python_blocks()) >= 8


def test_the_readme_snippets_run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    namespace: Dict[str, Any] = {"__name__": "__readme__"}
    for number, block in enumerate(python_blocks(), start=1):
        try:
            exec(compile(block, f"README.md python block {number}", "exec"), namespace)
        except Exception as error:  # pragma: no cover - the message says which block failed
            raise AssertionError(f"README python block {number} failed: {error!r}\n{block}") from error
    printed = capsys.readouterr().out
    assert "coding-round" in printed
    assert "BatchResult(3 inputs, 2 scored, 1 failed)" in printed
    assert "<History 2 records of 1 candidate, 0 unreadable lines>" in printed
    assert "{'weak_area': 4, 'new': 4, 'harder': 2}" in printed
    assert "line 3 skipped: " in printed
    assert "given_annotations[0] considers_alternatives human:ann counted" in printed
    assert "unverified_quote given_annotations[7].quote 8" in printed
