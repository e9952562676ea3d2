"""Shared fixtures: the repository's fixtures folder, the golden manifest and a compiled rubric."""

from __future__ import annotations

import json
import os
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


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `rubric` CLI binary, for cross-checks against the Python functions. scripts/test-python.sh
    builds it and sets RUBRIC_CLI; without that variable, target/debug/rubric is used if present."""
    named = os.environ.get("RUBRIC_CLI")
    path = Path(named) if named else ROOT / "target" / "debug" / "rubric"
    if not path.is_file():
        # A missing binary fails the cross-checks rather than skipping them: a skipped test would
        # let the suite pass without comparing anything.
        if named:
            pytest.fail(f"RUBRIC_CLI={named} does not exist")
        pytest.fail("the rubric CLI is not built: run `cargo build -p rubric-cli` (scripts/test-python.sh does)")
    return path
