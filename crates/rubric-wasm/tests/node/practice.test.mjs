// The practice loop (parseHistory, sessionLine, trends, plan, renderReport) gives what the CLI
// gives for the same inputs: `rubric history add` / `history show --format json` / `plan --format
// json` / `report --out`, run from target/debug/rubric (built here with `cargo build -p rubric-cli`).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";

import { fixture, fixturesDir, forEachBuild, repoDir, thrown } from "./builds.mjs";

execFileSync("cargo", ["build", "--quiet", "-p", "rubric-cli"], { cwd: repoDir, stdio: "inherit" });
const targetDir = process.env.CARGO_TARGET_DIR
  ? path.resolve(repoDir, process.env.CARGO_TARGET_DIR)
  : path.join(repoDir, "target");
const rubricBin = path.join(targetDir, "debug", process.platform === "win32" ? "rubric.exe" : "rubric");
const cli = (...args) => execFileSync(rubricBin, args, { cwd: repoDir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

const tmp = mkdtempSync(path.join(os.tmpdir(), "rubric-wasm-practice-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

const bankPath = path.join(repoDir, "question-banks/starter.yaml");
const bankYaml = readFileSync(bankPath, "utf8");
const transcriptPath = (name) => path.join(fixturesDir, "transcripts", name);

// The sessions: [transcript, rubric, candidate, date, questions].
const SESSIONS = [
  ["coding-round/weak.json", "coding-round", "Ann", "2026-01-05", ["two-sum"]],
  ["coding-round/strong.json", "coding-round", "Ann", "2026-01-12", []],
  ["system-design/weak.json", "system-design", "Ann", "2026-01-13", []],
  ["behavioral-star/strong.json", "behavioral-star", "Bo", "2026-01-14", []],
  ["system-design/strong.json", "system-design", "Ann", "2026-01-20", []],
];

const historyPath = path.join(tmp, "history.jsonl");
for (const [file, rubric, candidate, date, questions] of SESSIONS) {
  const extra = questions.flatMap((q) => ["--question", q]);
  cli("history", "add", historyPath, transcriptPath(file), "--rubric", rubric, "--candidate", candidate, "--date", date, ...extra);
}
const cliHistory = readFileSync(historyPath, "utf8");

// A copy with a damaged line, to check problems are reported the same way.
const damagedPath = path.join(tmp, "damaged.jsonl");
writeFileSync(damagedPath, cliHistory);
appendFileSync(damagedPath, '{"format": 1, "candidate": "Ann"\nnot json at all\n');
const damagedHistory = readFileSync(damagedPath, "utf8");

// A history of one candidate.
const soloPath = path.join(tmp, "solo.jsonl");
cli("history", "add", soloPath, transcriptPath("behavioral-star/weak.json"), "--rubric", "behavioral-star", "--candidate", "Bo", "--date", "2026-01-02");
cli("history", "add", soloPath, transcriptPath("behavioral-star/strong.json"), "--rubric", "behavioral-star", "--candidate", "Bo", "--date", "2026-01-09");
const soloHistory = readFileSync(soloPath, "utf8");

const cliJson = (...args) => JSON.parse(cli(...args));

forEachBuild((api) => {
  const { Rubric, parseHistory, sessionLine, trends, plan, renderReport } = api;

  test("sessionLine gives, byte for byte, the lines `rubric history add` appends", () => {
    let text = "";
    for (const [file, rubric, candidate, date, questions] of SESSIONS) {
      const line = sessionLine(Rubric.bundled(rubric), fixture(`transcripts/${file}`), { candidate, date, questions });
      assert.ok(line.endsWith("\n"));
      assert.equal(line.indexOf("\n"), line.length - 1);
      text += line;
    }
    assert.equal(text, cliHistory);
  });

  test("parseHistory returns the records and the damaged lines, as plain objects", () => {
    const history = parseHistory(damagedHistory);
    assert.equal(history.records.length, SESSIONS.length);
    assert.deepEqual(
      history.records.map((r) => [r.line, r.record.candidate, r.record.date, r.record.rubric.id]),
      SESSIONS.map(([, rubric, candidate, date], i) => [i + 1, candidate, date, rubric]),
    );
    assert.ok(history.records[0].record.questions.includes("two-sum"));
    assert.equal(history.records[0].record.round, "coding");
    assert.deepEqual(history.problems, cliJson("history", "show", damagedPath, "--format", "json").problems);
    assert.deepEqual(history.problems.map((p) => p.line), [SESSIONS.length + 1, SESSIONS.length + 2]);
    assert.deepEqual(parseHistory(""), { records: [], problems: [] });
    assert.deepStrictEqual(JSON.parse(JSON.stringify(history)), history);
  });

  test("trends deep-equals `rubric history show --format json` (defaults and options)", () => {
    const shown = cliJson("history", "show", historyPath, "--candidate", "Ann", "--format", "json");
    assert.deepEqual(trends(cliHistory, { candidate: "Ann" }), shown.trends[0]);
    const tuned = cliJson("history", "show", historyPath, "--candidate", "Ann", "--window", "2", "--weakest", "5", "--format", "json");
    const js = trends(damagedHistory, { candidate: "Ann", window: 2, weakest: 5 });
    assert.deepEqual(js, tuned.trends[0]);
    // One candidate only: the candidate may be left out.
    assert.deepEqual(trends(soloHistory), cliJson("history", "show", soloPath, "--format", "json").trends[0]);
  });

  test("plan deep-equals `rubric plan --format json` for the same seed, count, rounds and dates", () => {
    const cases = [
      [{ candidate: "Ann", seed: 7 }, ["--seed", "7"]],
      [{ candidate: "Ann", seed: 3, count: 6, rounds: ["coding"] }, ["--seed", "3", "--count", "6", "--round", "coding"]],
      [
        { candidate: "Ann", seed: 11, count: 12, until: "2026-02-01", start: "2026-01-21" },
        ["--seed", "11", "--count", "12", "--until", "2026-02-01", "--from", "2026-01-21"],
      ],
      [{ candidate: "Newcomer", seed: 1, count: 5 }, ["--seed", "1", "--count", "5"]],
    ];
    for (const [options, args] of cases) {
      const expected = cliJson("plan", "--history", historyPath, "--bank", bankPath, "--candidate", options.candidate, "--format", "json", ...args);
      const got = plan(cliHistory, bankYaml, options);
      assert.deepEqual(got, expected, JSON.stringify(options));
      assert.deepEqual(plan(cliHistory, bankYaml, options), got, "deterministic");
    }
    const first = plan("", bankYaml, { candidate: "Ann", seed: 5n, count: 4 });
    assert.equal(first.questions.length, 4);
    assert.equal(first.schedule, null);
    // Without `start`, the schedule starts today (UTC).
    const today = new Date().toISOString().slice(0, 10);
    const scheduled = plan(cliHistory, bankYaml, { candidate: "Ann", until: today });
    assert.equal(scheduled.schedule[0].date, today);
  });

  test("renderReport returns the HTML `rubric report --out` writes, with and without a history", () => {
    const transcript = transcriptPath("coding-round/strong.json");
    const plain = path.join(tmp, "plain.html");
    cli("report", transcript, "--out", plain);
    const html = renderReport(fixture("transcripts/coding-round/strong.json"), Rubric.bundled("coding-round"));
    assert.equal(html, readFileSync(plain, "utf8"));
    assert.match(html, /^<!DOCTYPE html>/);

    const withHistory = path.join(tmp, "history.html");
    cli("report", transcript, "--rubric", "coding-round", "--history", historyPath, "--candidate", "Ann", "--title", "Ann's progress", "--out", withHistory);
    const rendered = renderReport(fixture("transcripts/coding-round/strong.json"), Rubric.bundled("coding-round"), {
      history: cliHistory,
      candidate: "Ann",
      title: "Ann's progress",
    });
    assert.equal(rendered, readFileSync(withHistory, "utf8"));
    assert.notEqual(rendered, html);
  });

  test("errors are JS Errors with name, kind, path, line and column", () => {
    const coding = Rubric.bundled("coding-round");
    const transcript = fixture("transcripts/coding-round/weak.json");

    const bank = thrown(() => plan("", "questions:\n  - id: x\n    round: coding\n    difficulty: 9\n", { candidate: "Ann" }));
    assert.ok(bank instanceof Error);
    assert.equal(bank.name, "BankError");
    assert.equal(typeof bank.kind, "string");
    assert.ok(bank.errors.length >= 1);
    assert.ok(bank.errors.every((e) => typeof e.path === "string" && "line" in e && "column" in e));

    const syntax = thrown(() => plan("", "questions: [\n", { candidate: "Ann" }));
    assert.equal(syntax.name, "BankError");
    assert.equal(syntax.kind, "syntax");
    assert.equal(typeof syntax.line, "number");
    assert.equal(typeof syntax.column, "number");

    const count = thrown(() => plan("", bankYaml, { candidate: "Ann", count: 0 }));
    assert.equal(count.name, "PlanError");
    assert.equal(count.kind, "invalid_option");
    assert.equal(count.path, "count");
    assert.equal(count.line, null);

    const before = thrown(() => plan("", bankYaml, { candidate: "Ann", until: "2026-01-01", start: "2026-02-01" }));
    assert.equal(before.name, "PlanError");
    assert.equal(before.path, "until");

    const unknown = thrown(() => trends(cliHistory, { candidate: "Zed" }));
    assert.equal(unknown.name, "HistoryError");
    assert.equal(unknown.kind, "invalid_value");
    assert.equal(unknown.path, "options.candidate");
    assert.match(unknown.message, /Ann, Bo/);
    assert.equal(thrown(() => trends(cliHistory)).name, "HistoryError");
    assert.equal(thrown(() => renderReport(transcript, coding, { history: "" })).name, "HistoryError");

    const empty = thrown(() => sessionLine(coding, transcript, { candidate: "  ", date: "2026-01-01" }));
    assert.equal(empty.name, "HistoryError");
    assert.equal(empty.path, "candidate");

    const cases = [
      [() => sessionLine(coding, transcript, { candidate: "Ann", date: "2026-13-01" }), "options.date"],
      [() => sessionLine(coding, transcript, { candidate: "Ann" }), "options.date"],
      [() => sessionLine(coding, transcript, { candidate: "Ann", date: "2026-01-01", round: "chess" }), "options.round"],
      [() => trends(cliHistory, { candidate: "Ann", window: 1 }), "options.window"],
      [() => trends(cliHistory, { candidat: "Ann" }), "options.candidat"],
      [() => plan("", bankYaml, {}), "options.candidate"],
      [() => plan("", bankYaml), "options"],
      [() => sessionLine(coding, transcript), "options"],
      [() => plan("", bankYaml, { candidate: "Ann", rounds: ["coding", "golf"] }), "options.rounds[1]"],
      [() => plan("", bankYaml, { candidate: "Ann", start: "2026-01-01" }), "options.start"],
      [() => renderReport(transcript, coding, { colour: "red" }), "options.colour"],
    ];
    for (const [call, where] of cases) {
      const error = thrown(call);
      assert.equal(error.name, "ArgumentError", where);
      assert.equal(error.kind, "invalid_argument", where);
      assert.equal(error.path, where);
    }

    const bad = thrown(() => sessionLine(coding, "{ not json", { candidate: "Ann", date: "2026-01-01", format: "json" }));
    assert.equal(bad.name, "TranscriptError");
    assert.equal(bad.line, 1);
  });
});
