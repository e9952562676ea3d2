"""Shared fixtures: the repository's fixtures folder, the golden manifest and a compiled rubric."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import rubric

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "fixtures"
TRANSCRIPTS = FIXTURES / "transcripts"


def golden_cases() -> List[Dict[str, Any]]:
    """The cases of fixtures/golden/manifest.json (shared with the Rust and JavaScript tests)."""
    manifest = json.loads((FIXTURES / "golden" / "manifest.json").read_text(encoding="utf-8"))
    cases: List[Dict[str, Any]] = manifest["cases"]
    return cases


@pytest.fixture(scope="session")
def coding() -> rubric.Rubric:
    return rubric.Rubric.bundled("coding-round")


@pytest.fixture(scope="session")
def strong_path() -> Path:
    return TRANSCRIPTS / "coding-round" / "strong.json"
