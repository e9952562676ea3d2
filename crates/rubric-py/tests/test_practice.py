"""The practice loop: history, trends, question banks, plans and reports.

The cross-checks run the `rubric` CLI (the `cli` fixture) on the same inputs: `append_session`
writes the bytes `rubric history add` writes, `trends` equals `rubric history show --format json`,
`plan` equals `rubric plan --format json` and `render_report` equals the file `rubric report`
writes.
"""

from __future__ import annotations

import copy
import datetime
import json
import pickle
import subprocess
import typing
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import pytest
from conftest import ROOT, TRANSCRIPTS

import rubric
from rubric import _practice, _results, _types

STARTER = ROOT / "question-banks" / "starter.yaml"
WEAK = TRANSCRIPTS / "coding-round" / "weak.json"
STRONG = TRANSCRIPTS / "coding-round" / "strong.json"
DESIGN_WEAK = TRANSCRIPTS / "system-design" / "weak.json"

# candidate, date, transcript, rubric, extra question ids
SESSIONS: List[Tuple[str, str, Path, str, List[str]]] = [
    ("Zoë", "2024-05-01", WEAK, "coding-round", []),
    ("Zoë", "2024-05-20", DESIGN_WEAK, "system-design", []),
    ("Zoë", "2024-06-01", STRONG, "coding-round", ["two-sum"]),
    ("Kyle", "2024-06-02", WEAK, "coding-round", []),
]


def run_cli(cli: Path, *args: str) -> str:
    result = subprocess.run([str(cli), *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    return result.stdout


def cli_history(cli: Path, path: Path) -> Path:
    for candidate, date, transcript, name, questions in SESSIONS:
        extra = [arg for q in questions for arg in ("--question", q)]
        run_cli(cli, "history", "add", str(path), "--candidate", candidate, "--date", date, str(transcript),
                "--rubric", name, *extra)
    return path


def python_history(path: Path) -> Path:
    for candidate, date, transcript, name, questions in SESSIONS:
        card = rubric.Rubric.bundled(name).score(transcript)
        rubric.append_session(path, card, candidate=candidate, date=date, transcript=transcript, questions=questions)
    return path


def older_version(line: str) -> str:
    """A history line as if scored with version 0.9.0 of its rubric."""
    return line.replace('"version":"1.0.0"', '"version":"0.9.0"')


@pytest.fixture(scope="module")
def history_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four sessions, then a session scored with an older rubric version, a line that is not
    JSON, a blank line and a record cut short by a crash."""
    path = python_history(tmp_path_factory.mktemp("history") / "history.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    old = older_version(lines[0]).replace("2024-05-01", "2024-04-01")
    path.write_text("\n".join([*lines, old, "{not json", "", lines[1][: len(lines[1]) // 2]]), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def history(history_file: Path) -> rubric.History:
    return rubric.History.load(history_file)


@pytest.fixture(scope="module")
def bank() -> rubric.QuestionBank:
    return rubric.QuestionBank.from_file(STARTER)


# --- Cross-checks with the CLI ------------------------------------------------------------------


def test_append_session_writes_what_history_add_writes(cli: Path, tmp_path: Path) -> None:
    from_cli = cli_history(cli, tmp_path / "cli.jsonl").read_bytes()
    from_python = python_history(tmp_path / "python.jsonl").read_bytes()
    assert from_python == from_cli
    assert len(from_python.splitlines()) == len(SESSIONS)


@pytest.mark.parametrize(
    "options", [{}, {"window": 2, "weakest": 5}, {"candidate": "Zoë"}], ids=["defaults", "window-weakest", "candidate"]
)
def test_trends_equal_history_show_json(
    cli: Path, history_file: Path, history: rubric.History, options: Dict[str, Any]
) -> None:
    args = ["history", "show", str(history_file), "--format", "json"]
    for key, value in options.items():
        args += [f"--{key}", str(value)]
    expected = json.loads(run_cli(cli, *args))
    kwargs = {k: v for k, v in options.items() if k != "candidate"}
    candidates = [options["candidate"]] if "candidate" in options else history.candidates()
    actual = {
        "problems": [problem.to_dict() for problem in history.problems],
        "trends": [rubric.trends(history, name, **kwargs).to_dict() for name in candidates],
    }
    assert actual == expected
    assert len(expected["problems"]) == 2 and len(expected["trends"]) == len(candidates)


PLAN_CASES: List[Tuple[str, Dict[str, Any], List[str]]] = [
    ("seed 0", {"candidate": "Zoë"}, ["--candidate", "Zoë"]),
    ("seed 7", {"candidate": "Zoë", "seed": 7}, ["--candidate", "Zoë", "--seed", "7"]),
    ("seed 2**64-1", {"candidate": "Zoë", "seed": 2**64 - 1}, ["--candidate", "Zoë", "--seed", str(2**64 - 1)]),
    ("count 5", {"candidate": "Kyle", "seed": 3, "count": 5}, ["--candidate", "Kyle", "--seed", "3", "--count", "5"]),
    (
        "rounds",
        {"candidate": "Zoë", "seed": 11, "rounds": ["coding", "behavioral"], "count": 12},
        ["--candidate", "Zoë", "--seed", "11", "--round", "coding", "--round", "behavioral", "--count", "12"],
    ),
    (
        "schedule",
        {"candidate": "Zoë", "seed": 5, "until": "2024-07-10", "start": datetime.date(2024, 7, 1)},
        ["--candidate", "Zoë", "--seed", "5", "--until", "2024-07-10", "--from", "2024-07-01"],
    ),
    ("new candidate", {"candidate": "Nobody", "seed": 9}, ["--candidate", "Nobody", "--seed", "9"]),
]


@pytest.mark.parametrize("kwargs, args", [c[1:] for c in PLAN_CASES], ids=[c[0] for c in PLAN_CASES])
def test_plan_equals_cli_plan_json(
    cli: Path,
    history_file: Path,
    history: rubric.History,
    bank: rubric.QuestionBank,
    kwargs: Dict[str, Any],
    args: List[str],
) -> None:
    expected = json.loads(
        run_cli(cli, "plan", "--history", str(history_file), "--bank", str(STARTER), "--format", "json", *args)
    )
    assert rubric.plan(history, bank, **kwargs).to_dict() == expected


def test_plan_without_history_equals_cli_plan_with_an_empty_file(
    cli: Path, tmp_path: Path, bank: rubric.QuestionBank
) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    for seed in (0, 1, 42):
        expected = json.loads(run_cli(cli, "plan", "--history", str(empty), "--bank", str(STARTER), "--candidate",
                                      "Ada", "--seed", str(seed), "--format", "json"))
        assert rubric.plan(None, bank, candidate="Ada", seed=seed).to_dict() == expected
        assert rubric.plan(rubric.History.load(empty), bank, candidate="Ada", seed=seed).to_dict() == expected


@pytest.mark.parametrize("with_history", [False, True], ids=["scorecard-only", "with-history"])
def test_render_report_equals_cli_report(
    cli: Path, tmp_path: Path, history_file: Path, history: rubric.History, with_history: bool
) -> None:
    out = tmp_path / "report.html"
    args = ["report", str(STRONG), "--rubric", "coding-round", "--out", str(out), "--title", "Mock <round> & co"]
    if with_history:
        args += ["--history", str(history_file), "--candidate", "Zoë"]
    run_cli(cli, *args)
    coding = rubric.Rubric.bundled("coding-round")
    kwargs: Dict[str, Any] = {"history": history, "candidate": "Zoë"} if with_history else {}
    html = rubric.render_report(STRONG, coding, title="Mock <round> & co", **kwargs)
    assert html == out.read_text(encoding="utf-8")
    # The scorecard, if already scored, gives the same page.
    assert rubric.render_report(STRONG, scorecard=coding.score(STRONG), title="Mock <round> & co", **kwargs) == html


# --- History ------------------------------------------------------------------------------------


def test_a_history_keeps_good_lines_and_reports_corrupt_ones(history: rubric.History) -> None:
    assert len(history) == len(history.records) == 5
    assert [stored.line for stored in history.records] == [1, 2, 3, 4, 5]
    assert [(p.line, p.reason[:16]) for p in history.problems] == [(6, "key must be a st"), (8, "EOF while parsin")]
    assert isinstance(history.problems[0], rubric.CorruptLine)
    assert history.candidates() == ["Kyle", "Zoë"]
    first = history.records[0].record
    assert isinstance(first, rubric.SessionRecord)
    assert (first.candidate, first.date, first.round, first.rubric.id, first.rubric.version) == (
        "Zoë", "2024-05-01", "coding", "coding-round", "1.0.0"
    )
    assert first.questions == ("min-size-subarray-sum",)  # from the transcript's segments
    assert first.specificity is not None and first.specificity.candidate_words > 0
    assert history.records[2].record.questions == ("min-size-subarray-sum", "two-sum")
    assert first.scorecard == rubric.Rubric.bundled("coding-round").score(WEAK)
    assert "5 records of 2 candidates, 2 unreadable lines" in repr(history)


def test_parse_reads_text_and_bytes(history_file: Path) -> None:
    data = history_file.read_bytes()
    assert rubric.History.parse(data).records == rubric.History.load(history_file).records
    assert rubric.History.parse(data.decode("utf-8")).problems == rubric.History.load(history_file).problems
    damaged = rubric.History.parse(data.splitlines()[0] + b"\n\xff\xfe{\n")
    assert len(damaged) == 1 and [p.line for p in damaged.problems] == [2]
    assert len(rubric.History.parse("")) == 0 and rubric.History.parse("\n\n").problems == ()


def test_load_raises_os_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as info:
        rubric.History.load(tmp_path / "missing.jsonl")
    assert info.value.filename == str(tmp_path / "missing.jsonl")
    with pytest.raises(IsADirectoryError):
        rubric.History.load(tmp_path)
    with pytest.raises(FileNotFoundError):
        rubric.append_session(tmp_path / "no" / "dir.jsonl", rubric.History.parse("").add(
            rubric.Rubric.bundled("coding-round").score(WEAK), candidate="Ada", date="2024-01-01"))


def test_other_rubric_versions_are_kept_and_marked(history: rubric.History) -> None:
    sessions = history.sessions("Zoë")
    assert [(s.line, s.record.date, s.is_current) for s in sessions] == [
        (5, "2024-04-01", False),
        (1, "2024-05-01", True),
        (2, "2024-05-20", True),
        (3, "2024-06-01", True),
    ]
    assert (sessions[0].version.status, sessions[0].version.current) == ("other", "1.0.0")
    assert (sessions[1].version.status, sessions[1].version.current) == ("current", None)
    zoe = rubric.trends(history, "Zoë")
    assert zoe.sessions == 3
    assert [(s.line, s.rubric.version) for s in zoe.set_aside] == [(5, "0.9.0")]
    assert "trends use v1.0.0" in zoe.set_aside[0].reason
    # Declaring 0.9.0 current turns the marks around.
    old = history.sessions("Zoë", current_versions={"coding-round": "0.9.0"})
    assert [s.is_current for s in old] == [True, False, True, False]
    assert rubric.trends(history, "Zoë", current_versions={"coding-round": "0.9.0"}).sessions == 2


def test_add_builds_records_like_history_add(tmp_path: Path) -> None:
    coding = rubric.Rubric.bundled("coding-round")
    history = rubric.History()
    record = history.add(coding.score(WEAK), candidate=" Zoë ", date=datetime.date(2024, 5, 1), transcript=WEAK,
                         questions=["two-sum", "two-sum", " "])
    assert (record.candidate, record.date, record.round) == ("Zoë", "2024-05-01", "coding")
    assert record.questions == ("min-size-subarray-sum", "two-sum")
    assert record.specificity is not None and record.specificity.per_100_words is not None
    # Without the transcript there is no specificity (and the JSON leaves the field out).
    bare = history.add(coding.score(STRONG), candidate="Zoë", date="2024-06-01")
    assert bare.specificity is None and bare.questions == ()
    assert "specificity" not in bare.to_dict() and "questions" not in json.loads(bare.to_json())
    # A record made first, then added.
    made = rubric.SessionRecord.create(coding.score(STRONG), candidate="Kyle", date="2024-06-02", round="coding")
    assert history.add(made) == made
    assert [(s.line, s.record.candidate) for s in history.records] == [(1, "Zoë"), (2, "Zoë"), (3, "Kyle")]
    assert len(history) == 3 and history.candidates() == ["Kyle", "Zoë"]
    # A history built from records numbers them in order; one parsed from text continues the file.
    assert [s.line for s in rubric.History([made, record]).records] == [1, 2]
    parsed = rubric.History.parse(record.to_json() + "\n{oops\n")
    assert parsed.add(made) == made and [s.line for s in parsed.records] == [1, 3]
    # What a file holds reads back as the same records.
    path = tmp_path / "h.jsonl"
    for stored in history.records:
        rubric.append_session(path, stored.record)
    assert rubric.History.load(path).records == history.records


def test_the_round_comes_from_the_bundled_rubric_or_must_be_given() -> None:
    design = rubric.Rubric.bundled("system-design")
    assert rubric.SessionRecord.create(design.score(DESIGN_WEAK), candidate="A", date="2024-01-01").round == (
        "system_design"
    )
    custom = rubric.Rubric.from_yaml(rubric.Rubric.bundled("coding-round").source.replace(
        "id: coding-round", "id: my-coding"))
    card = custom.score(WEAK)
    with pytest.raises(rubric.HistoryError) as info:
        rubric.SessionRecord.create(card, candidate="A", date="2024-01-01")
    assert (info.value.kind, info.value.path) == ("invalid_value", "round")
    assert "pass round=" in info.value.message
    assert custom.round == "coding"
    assert rubric.SessionRecord.create(card, candidate="A", date="2024-01-01", round=custom.round).round == "coding"


RECORD_ERRORS: List[Tuple[str, Dict[str, Any], str, str, str]] = [
    ("empty candidate", {"candidate": "  "}, "invalid_value", "candidate", "the candidate name is empty"),
    ("bad date", {"date": "2024-02-30"}, "invalid_value", "date", "day 30 is outside 01..29"),
    ("not a date", {"date": "May 1"}, "invalid_value", "date", "expected an ISO 8601 calendar date"),
    ("bad round", {"round": "codng"}, "invalid_value", "round", 'unknown round "codng"; rounds: recruiter_screen'),
    ("other transcript", {"transcript": STRONG}, "mismatch", "transcript", "the transcript has 43 turns"),
]


@pytest.mark.parametrize(
    "change, kind, path, fragment", [c[1:] for c in RECORD_ERRORS], ids=[c[0] for c in RECORD_ERRORS]
)
def test_record_errors_are_history_errors(change: Dict[str, Any], kind: str, path: str, fragment: str) -> None:
    card = rubric.Rubric.bundled("coding-round").score(WEAK)
    kwargs: Dict[str, Any] = {"candidate": "Ada", "date": "2024-05-01", **change}
    history = rubric.History()
    attempts: List[Callable[[], object]] = [
        lambda: history.add(card, **kwargs),
        lambda: rubric.SessionRecord.create(card, **kwargs),
    ]
    for attempt in attempts:
        with pytest.raises(rubric.HistoryError) as info:
            attempt()
        error = info.value
        assert isinstance(error, ValueError)
        assert (error.kind, error.path) == (kind, path)
        assert fragment in error.message and str(error).startswith(f"{path}: ")
    assert len(history) == 0


def test_wrong_argument_types_raise_type_errors(tmp_path: Path) -> None:
    card = rubric.Rubric.bundled("coding-round").score(WEAK)
    record = rubric.SessionRecord.create(card, candidate="Ada", date="2024-05-01")
    history = rubric.History()
    calls: List[Callable[[], object]] = [
        lambda: history.add(card, candidate="Ada", date=datetime.datetime(2024, 5, 1, 12)),  # a datetime, not a date
        lambda: history.add(card, candidate="Ada", date=20240501),  # type: ignore[call-overload]
        lambda: history.add(card, candidate="Ada"),  # type: ignore[call-overload]  # no date
        lambda: history.add(card.to_dict()),  # type: ignore[call-overload]
        lambda: history.add(record, candidate="Bob"),  # type: ignore[call-overload]  # a record is complete
        lambda: history.add(card, candidate="Ada", date="2024-05-01", speakers={"A": "candidate"}),  # no transcript
        lambda: rubric.History("{}"),  # type: ignore[arg-type]  # text belongs to History.parse
        lambda: rubric.History([card]),  # type: ignore[list-item]
        lambda: rubric.History.parse(tmp_path),  # type: ignore[arg-type]
        lambda: rubric.append_session(tmp_path / "h.jsonl", "not a record"),  # type: ignore[call-overload]
        lambda: rubric.trends("not a history"),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(TypeError):
            call()
    assert not (tmp_path / "h.jsonl").exists()


# --- Trends -------------------------------------------------------------------------------------


def test_trends_are_typed_views(history: rubric.History) -> None:
    zoe = rubric.trends(history, "Zoë")
    assert isinstance(zoe, rubric.Trends) and zoe.candidate == "Zoë"
    coding = zoe.round("coding")
    assert coding is not None and zoe.round("behavioral") is None
    assert isinstance(coding, rubric.RoundTrend)
    assert (coding.sessions, coding.first_date, coding.latest_date) == (2, "2024-05-01", "2024-06-01")
    overall = coding.overall
    assert isinstance(overall, rubric.Trend) and overall.verdict == "improving" and overall.better == "higher"
    assert overall.latest is not None and overall.first is not None and overall.change_since_first is not None
    assert overall.change_since_first == pytest.approx(overall.latest - overall.first, abs=1e-4)
    assert [p.date for p in overall.points] == ["2024-05-01", "2024-06-01"]
    assert all(isinstance(n, rubric.NodeTrend) for n in coding.subcompetencies)
    assert {n.competency for n in coding.subcompetencies} == {c.id for c in coding.competencies}
    dims = coding.dimensions
    assert isinstance(dims, rubric.Dimensions)
    assert dims.technical_depth_subcompetencies == ("solution_design", "complexity_analysis", "verification_debugging")
    assert dims.words_per_answer.better == "neither" and dims.time_to_first_solution_seconds.better == "lower"
    assert dims.specificity_per_100_words.measured == 2
    assert 0 < len(zoe.weakest) <= 3 and all(isinstance(w, rubric.WeakArea) for w in zoe.weakest)
    assert [w.latest for w in zoe.weakest] == sorted(w.latest for w in zoe.weakest)
    assert all(w.latest < 1.0 for w in zoe.weakest)
    # The dict and JSON forms, copies and pickles.
    assert rubric.Trends.from_json(zoe.to_json()) == zoe
    assert json.loads(zoe.to_json(indent=2)) == zoe.to_dict()
    assert rubric.Trends(zoe.to_dict()) == zoe
    assert pickle.loads(pickle.dumps(zoe)) == zoe and copy.deepcopy(zoe) == zoe
    assert pickle.loads(pickle.dumps(coding.overall)) == coding.overall
    with pytest.raises(AttributeError):
        zoe.candidate = "Someone else"
    # Only one candidate: it may be left out.
    kyle_only = rubric.History([s.record for s in history.records if s.record.candidate == "Kyle"])
    alone, kyle = rubric.trends(kyle_only), rubric.trends(history, "Kyle")
    assert (alone.candidate, alone.sessions, alone.weakest) == (kyle.candidate, kyle.sessions, kyle.weakest)
    assert rubric.trends(history, "Kyle", weakest=0).weakest == ()


@pytest.mark.parametrize(
    "candidate, fragment",
    [(None, "several candidates; pick one with candidate=: Kyle, Zoë"), ("Ada", 'no sessions for "Ada"; candidates')],
)
def test_trends_need_a_known_candidate(history: rubric.History, candidate: Optional[str], fragment: str) -> None:
    with pytest.raises(rubric.HistoryError) as info:
        rubric.trends(history, candidate)
    assert (info.value.kind, info.value.path) == ("invalid_value", "candidate")
    assert fragment in info.value.message
    with pytest.raises(rubric.HistoryError, match="the history has no sessions"):
        rubric.trends(rubric.History())


def test_trend_options_are_checked(history: rubric.History) -> None:
    with pytest.raises(ValueError, match="window must be at least 2"):
        rubric.trends(history, "Zoë", window=1)
    with pytest.raises(ValueError, match="weakest must be at least 0"):
        rubric.trends(history, "Zoë", weakest=-1)


# --- Question banks -----------------------------------------------------------------------------


def test_the_starter_bank(bank: rubric.QuestionBank) -> None:
    assert len(bank) == len(bank.questions) == 87
    assert bank.title
    question = bank.questions[0]
    assert isinstance(question, rubric.Question)
    assert bank.question(question.id) == question and bank.question("no-such-question") is None
    rounds = {"coding", "system_design", "behavioral", "code_review", "recruiter_screen"}
    assert {q.round for q in bank.questions} == rounds
    assert {q.difficulty for q in bank.questions} == {1, 2, 3, 4, 5}
    bank.check_subcompetencies()
    bank.check_subcompetencies([rubric.Rubric.bundled("coding-round")])
    assert bank.source == STARTER.read_text(encoding="utf-8")
    assert rubric.QuestionBank.from_yaml(bank.source).questions == bank.questions
    restored = pickle.loads(pickle.dumps(bank))
    assert restored.questions == bank.questions and copy.deepcopy(bank) is bank
    assert "87 questions" in repr(bank)


BANK = """\
questions:
  - id: a
    round: coding
    difficulty: 7
    prompt: Sort it.
    subcompetencies: [solution_design]
  - id: a
    round: coding
    difficulty: 2
    prompt: ''
    subcompetencies: [solution_desgn]
"""


TYPO = """\
questions:
  - id: a
    round: coding
    difficulty: 1
    prompt: Sort it.
    subcompetencies: [solution_design]
  - id: b
    round: coding
    difficulty: 2
    prompt: Merge.
    subcompetencies: [solution_desgn]
"""


def test_bank_errors_are_located_and_all_reported(tmp_path: Path) -> None:
    with pytest.raises(rubric.BankError) as info:
        rubric.QuestionBank.from_yaml(BANK)
    error = info.value
    assert isinstance(error, ValueError)
    assert (error.kind, error.path, error.line, error.column) == ("invalid_value", "questions[0].difficulty", 4, 17)
    assert [(e.kind, e.path) for e in error.errors] == [
        ("invalid_value", "questions[0].difficulty"),
        ("duplicate_id", "questions[1].id"),
        ("invalid_value", "questions[1].prompt"),
    ]
    first_line = "questions[0].difficulty: difficulty 7 must be between 1 and 5 (line 4, column 17)"
    assert str(error).splitlines()[0] == first_line
    restored = pickle.loads(pickle.dumps(error))
    assert isinstance(restored, rubric.BankError) and str(restored) == str(error)

    with pytest.raises(rubric.BankError) as info:
        rubric.QuestionBank.from_yaml("questions:\n  - id: a\n    round: coding\n    difficulty: two\n")
    assert (info.value.kind, info.value.path, info.value.line) == ("schema", "questions[0].difficulty", 4)

    typo = rubric.QuestionBank.from_yaml(TYPO)
    with pytest.raises(rubric.BankError) as info:
        typo.check_subcompetencies()
    where = (info.value.kind, info.value.path, info.value.line)
    assert where == ("unknown_reference", "questions[1].subcompetencies[0]", 11)
    assert 'did you mean "solution_design"?' in info.value.message
    typo.check_subcompetencies([rubric.Rubric.bundled("system-design")])  # no coding rubric: not checked

    with pytest.raises(rubric.BankError) as info:
        rubric.QuestionBank.from_file(tmp_path / "missing.yaml")
    assert info.value.kind == "not_found" and "cannot read question bank file" in info.value.message


# --- Plans --------------------------------------------------------------------------------------


def test_a_plan_mixes_weak_new_and_harder_questions(history: rubric.History, bank: rubric.QuestionBank) -> None:
    plan = rubric.plan(history, bank, candidate="Zoë", seed=7)
    assert isinstance(plan, rubric.Plan)
    assert plan.mix == {"weak_area": 4, "new": 4, "harder": 2} and plan.requested == 10
    ids = [q.id for q in plan.questions]
    assert len(ids) == len(set(ids)), "no question twice"
    assert [q.position for q in plan.questions] == list(range(1, len(ids) + 1))
    assert all(isinstance(q, rubric.PlannedQuestion) and q.reason for q in plan.questions)
    for category in ("weak_area", "new", "harder"):
        assert plan.count(category) + sum(u.wanted - u.filled for u in plan.unfilled if u.category == category) == (
            plan.mix[category]
        )
    weak = [q for q in plan.questions if q.category == "weak_area"]
    assert weak and all(q.targets for q in weak)
    assert {t for q in weak for t in q.targets} <= {w.subcompetency for w in plan.weak_areas}
    asked = {q for s in history.records for q in s.record.questions}
    assert not any(q.id in asked for q in plan.questions if q.category != "weak_area")
    assert {lvl.round for lvl in plan.levels} == {"coding", "system_design"}
    # The same seed gives the same plan; another seed may break ties differently.
    assert rubric.plan(history, bank, candidate="Zoë", seed=7) == plan
    assert pickle.loads(pickle.dumps(plan)) == plan and rubric.Plan.from_json(plan.to_json()) == plan


def test_a_first_plan_and_a_small_bank(bank: rubric.QuestionBank) -> None:
    first = rubric.plan(None, bank, candidate="Ada", seed=1, count=5, rounds=["coding"])
    assert first.mix == {"weak_area": 2, "new": 2, "harder": 1}
    assert len(first.questions) == 5 and first.weak_areas == () and first.unfilled == ()
    assert any("no sessions for Ada yet" in note for note in first.notes)
    assert [lvl.difficulty for lvl in first.levels] == [2]
    small = rubric.QuestionBank.from_yaml(
        "questions:\n  - {id: q1, round: coding, difficulty: 2, prompt: Sort., subcompetencies: [solution_design]}\n"
    )
    plan = rubric.plan(rubric.History(), small, candidate="Ada", count=10)
    assert len(plan.questions) == 1
    assert plan.questions[0].id == "q1"
    assert {u.category for u in plan.unfilled} == {"weak_area", "new", "harder"}
    assert all(u.reason and u.filled < u.wanted for u in plan.unfilled)


def test_a_schedule_front_loads_weak_areas(history: rubric.History, bank: rubric.QuestionBank) -> None:
    plan = rubric.plan(history, bank, candidate="Zoë", seed=2, until="2024-07-05", start="2024-07-01")
    assert plan.schedule is not None
    assert [day.date for day in plan.schedule] == [f"2024-07-0{d}" for d in range(1, 6)]
    assert all(isinstance(day, rubric.Day) for day in plan.schedule)
    order = [q for day in plan.schedule for q in day.questions]
    assert sorted(order) == sorted(q.id for q in plan.questions)
    categories = {q.id: q.category for q in plan.questions}
    assert categories[plan.schedule[0].questions[0]] == "weak_area"
    assert rubric.plan(history, bank, candidate="Zoë").schedule is None
    # The default first day is today (UTC).
    today = datetime.datetime.now(datetime.timezone.utc).date()
    default = rubric.plan(history, bank, candidate="Zoë", until=today + datetime.timedelta(days=2)).schedule
    tomorrow = today + datetime.timedelta(days=1)  # in case the day changed in between
    assert default is not None and default[0].date in {today.isoformat(), tomorrow.isoformat()}


PLAN_ERRORS: List[Tuple[str, Dict[str, Any], str, str]] = [
    ("count 0", {"count": 0}, "count", "count must be between 1 and 1000, not 0"),
    ("count -3", {"count": -3}, "count", "not -3"),
    ("count 1001", {"count": 1001}, "count", "not 1001"),
    ("negative seed", {"seed": -1}, "seed", "seed must be an integer from 0 to 2**64 - 1"),
    ("huge seed", {"seed": 2**64}, "seed", "seed must be an integer"),
    ("until before start", {"until": "2024-01-01", "start": "2024-02-01"}, "until", "is before the start date"),
    ("long schedule", {"until": "2026-01-01", "start": "2024-01-01"}, "until", "a schedule covers at most 366 days"),
    ("start without until", {"start": "2024-02-01"}, "start", "give until="),
    ("bad until", {"until": "2024-13-01"}, "until", "month 13 is outside 01..12"),
    ("bad round", {"rounds": ["coding", "codng"]}, "rounds[1]", 'unknown round "codng"'),
    ("empty candidate", {"candidate": " "}, "candidate", "the candidate name is empty"),
    ("start difficulty", {"start_difficulty": 6}, "start_difficulty", "between 1 and 5"),
    ("weak areas", {"weak_areas": -1}, "weak_areas", "at least 0"),
]


@pytest.mark.parametrize("change, path, fragment", [c[1:] for c in PLAN_ERRORS], ids=[c[0] for c in PLAN_ERRORS])
def test_plan_options_are_checked(
    history: rubric.History, bank: rubric.QuestionBank, change: Dict[str, Any], path: str, fragment: str
) -> None:
    kwargs: Dict[str, Any] = {"candidate": "Zoë", **change}
    with pytest.raises(rubric.PlanError) as info:
        rubric.plan(history, bank, **kwargs)
    error = info.value
    assert isinstance(error, ValueError)
    assert (error.kind, error.path) == ("invalid_option", path)
    assert fragment in error.message
    assert repr(pickle.loads(pickle.dumps(error))) == repr(error)


# --- Reports ------------------------------------------------------------------------------------


def test_a_report_is_one_self_contained_page(history: rubric.History) -> None:
    coding = rubric.Rubric.bundled("coding-round")
    html = rubric.render_report(STRONG, coding, history=history, candidate="Zoë", title="<Zoë's> report")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "&lt;Zoë&#39;s&gt; report" in html and "<Zoë's>" not in html
    assert "<svg" in html and "Progress over" in html
    for external in ("<script", "<link", "http://", "https://"):
        assert external not in html
    plain = rubric.render_report(STRONG)  # the default bundled rubric
    assert "Progress over" not in plain and plain == rubric.render_report(STRONG, coding)
    text = "Interviewer: Merge these intervals.\nCandidate: Can I assume the input isn't sorted?"
    assert "Merge these intervals." in rubric.render_report(text)


def test_report_errors(history: rubric.History) -> None:
    coding = rubric.Rubric.bundled("coding-round")
    card = coding.score(WEAK)
    with pytest.raises(TypeError, match="pass a scorecard as scorecard="):
        rubric.render_report(WEAK, card)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not both"):
        rubric.render_report(WEAK, coding, scorecard=card)
    with pytest.raises(ValueError, match="made from a transcript with 38 turns; this one has 43"):
        rubric.render_report(STRONG, scorecard=card)
    with pytest.raises(rubric.HistoryError, match="several candidates"):
        rubric.render_report(WEAK, history=history)
    with pytest.raises(rubric.HistoryError, match='no sessions for "Ada"'):
        rubric.render_report(WEAK, history=history, candidate="Ada")
    with pytest.raises(rubric.TranscriptError) as info:
        rubric.render_report('{"turns": [{"role": "host", "text": "Hi"}]}')
    assert info.value.kind == "unknown_role"


# --- Types, threads, pickles ----------------------------------------------------------------------


def _check_keys(td: Any, data: Any, where: str) -> None:
    """`data` has every required key of the TypedDict `td`, no key it does not declare, and its
    nested TypedDicts match recursively."""
    if not typing.is_typeddict(td):
        return
    assert isinstance(data, dict), where
    required, optional = set(td.__required_keys__), set(td.__optional_keys__)
    assert required <= set(data) <= required | optional, f"{where}: {td.__name__} {sorted(data)}"
    hints = typing.get_type_hints(td)
    for key, value in data.items():
        for hint in (hints[key], *typing.get_args(hints[key])):
            for candidate in (hint, *typing.get_args(hint)):
                if typing.is_typeddict(candidate):
                    items = value if isinstance(value, list) else [value] if value is not None else []
                    for i, item in enumerate(items):
                        _check_keys(candidate, item, f"{where}.{key}[{i}]")


def _check_view(cls: type, data: Mapping[str, Any], where: str, seen: set[str]) -> None:
    """The view class declares the keys of `data` (the ones left out are in `_defaults`), and its
    children match recursively."""
    fields = {name for name in cls.__annotations__ if not name.startswith("_")}
    defaults: Mapping[str, Any] = getattr(cls, "_defaults")
    assert set(data) <= fields and fields - set(data) <= set(defaults), f"{where}: {cls.__name__} {sorted(data)}"
    seen.add(cls.__name__)
    children: Mapping[str, type] = getattr(cls, "_children")
    for key, child in children.items():
        value = data.get(key)
        if value is not None and child is not rubric.Scorecard:
            for i, item in enumerate(value if isinstance(value, list) else [value]):
                _check_view(child, item, f"{where}.{key}[{i}]", seen)


PRACTICE_VIEWS = {
    name for name, c in vars(_practice).items() if isinstance(c, type) and issubclass(c, _results._Node)
} - {"_Node", "_Document", "Scorecard"}


def test_views_and_typed_dicts_match_the_json(history: rubric.History, bank: rubric.QuestionBank) -> None:
    zoe = rubric.trends(history, "Zoë")
    plan = rubric.plan(history, bank, candidate="Zoë", until="2024-07-03", start="2024-07-01")
    first = rubric.plan(None, bank, candidate="Ada", count=30)
    small = rubric.plan(None, rubric.QuestionBank.from_yaml(TYPO), candidate="Ada")
    sessions = history.sessions("Zoë")
    documents: List[Tuple[type, Any, Any]] = [
        (rubric.Trends, rubric.TrendsDict, zoe.to_dict()),
        (rubric.Plan, rubric.PlanDict, plan.to_dict()),
        (rubric.Plan, rubric.PlanDict, first.to_dict()),
        (rubric.Plan, rubric.PlanDict, small.to_dict()),
    ]
    documents += [(rubric.StoredRecord, _types.StoredRecordDict, s.to_dict()) for s in history.records]
    documents += [(rubric.Session, _types.SessionDict, s.to_dict()) for s in sessions]
    documents += [(rubric.CorruptLine, _types.CorruptLineDict, p.to_dict()) for p in history.problems]
    documents += [(rubric.Question, _types.QuestionDict, q.to_dict()) for q in bank.questions[:3]]
    card = rubric.Rubric.bundled("coding-round").score(WEAK)
    bare = rubric.SessionRecord.create(card, candidate="A", date="2024-01-01")
    documents.append((rubric.SessionRecord, rubric.SessionRecordDict, bare.to_dict()))
    seen: set[str] = set()
    for view, typed_dict, data in documents:
        _check_view(view, data, view.__name__, seen)
        _check_keys(typed_dict, data, typed_dict.__name__)
    assert PRACTICE_VIEWS <= seen, PRACTICE_VIEWS - seen


def test_practice_names_are_exported() -> None:
    for name in PRACTICE_VIEWS | {"History", "QuestionBank", "trends", "plan", "render_report", "append_session",
                                  "HistoryError", "BankError", "PlanError"}:
        assert name in rubric.__all__ and hasattr(rubric, name), name


def test_histories_pickle_and_copy(history: rubric.History) -> None:
    restored = pickle.loads(pickle.dumps(history))
    assert restored.records == history.records and restored.problems == history.problems
    copied = copy.copy(history)
    copied.add(history.records[0].record)
    assert len(copied) == len(history) + 1
    assert copied.records[-1].line == 9  # after the 8 lines of the file


def test_threads_share_histories_and_banks(history_file: Path, bank: rubric.QuestionBank) -> None:
    history = rubric.History.load(history_file)
    expected_trends = rubric.trends(history, "Zoë")
    expected_plans = [rubric.plan(history, bank, candidate="Zoë", seed=seed) for seed in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        trends = list(pool.map(lambda _: rubric.trends(history, "Zoë"), range(8)))
        plans = list(pool.map(lambda seed: rubric.plan(history, bank, candidate="Zoë", seed=seed), range(8)))
    assert trends == [expected_trends] * 8 and plans == expected_plans
    # Concurrent additions: every record is kept, each on its own line.
    record = history.records[0].record
    shared = rubric.History()

    def add(_: int) -> Sequence[int]:
        shared.add(record)
        return [s.line for s in shared.records]

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(add, range(20)))
    assert [s.line for s in shared.records] == list(range(1, 21))
