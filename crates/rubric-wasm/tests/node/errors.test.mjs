// Errors are JS Errors carrying kind, path, line and column (and every problem in `errors`).
import assert from "node:assert/strict";
import { test } from "node:test";

import { fixture, forEachBuild, thrown } from "./builds.mjs";

const MINIMAL = `id: mini
version: "1.0"
title: Mini
scale:
  levels:
    - { level: 1, label: Low, from: 0.0, to: 0.5 }
    - { level: 2, label: High, from: 0.5, to: 1.0 }
competencies:
  - id: problem_solving
    title: Problem solving
    subcompetencies:
      - id: clarification
        title: Clarification
        behaviors:
          - id: asks
            title: Asks questions
            detectors:
              - phrases: ["can i assume"]
            feedback: Ask.
`;

/** Replaces `from` (which must occur) in the minimal rubric. */
function broken(from, to) {
  assert.ok(MINIMAL.includes(from), from);
  return MINIMAL.replace(from, to);
}

// name, YAML, expected kind, path, line, column (null: not checked)
const RUBRIC_CASES = [
  ["YAML syntax", broken("title: Mini", "title: Mini: more"), "syntax", "", 3, 12],
  ["tab indentation", broken("title: Mini", "title: Mini\n\tbad: 1"), "syntax", "", 4, 1],
  ["unknown key", broken("    title: Problem solving", "    title: Problem solving\n    wieght: 2"), "schema", "competencies[0].wieght", 11, 5],
  ["wrong type", broken('version: "1.0"', "version: [1]"), "schema", "version", 2, 10],
  ["invalid regex", broken('phrases: ["can i assume"]', "regex: '(unclosed'"), "invalid_regex", "competencies[0].subcompetencies[0].behaviors[0].detectors[0].regex", 18, 24],
  ["band gap", broken("from: 0.5, to: 1.0", "from: 0.6, to: 1.0"), "invalid_levels", "scale.levels[1].from", 7, 38],
  ["negative weight", broken("title: Clarification", "title: Clarification\n        weight: -1"), "invalid_weight", "competencies[0].subcompetencies[0].weight", 14, 17],
];

forEachBuild((api) => {
  const { Rubric } = api;

  test("the minimal rubric is valid", () => {
    assert.equal(new Rubric(MINIMAL).id, "mini");
  });

  for (const [name, yaml, kind, path, line, column] of RUBRIC_CASES) {
    test(`rubric error: ${name}`, () => {
      const error = thrown(() => new Rubric(yaml));
      assert.ok(error instanceof Error);
      assert.equal(error.name, "RubricError");
      assert.equal(error.kind, kind, error.message);
      if (path !== null) assert.equal(error.path, path, error.message);
      if (line !== null) assert.equal(error.line, line, error.message);
      if (column !== null) assert.equal(error.column, column, error.message);
      assert.equal(typeof error.line, "number", "rubric errors from YAML are located");
      assert.equal(typeof error.column, "number");
      assert.ok(error.message.includes(`line ${error.line}`), error.message);
      assert.ok(Array.isArray(error.errors) && error.errors.length >= 1);
      assert.deepEqual(
        { kind: error.errors[0].kind, path: error.errors[0].path, line: error.errors[0].line, column: error.errors[0].column },
        { kind: error.kind, path: error.path, line: error.line, column: error.column },
      );
      assert.ok(typeof error.stack === "string");
    });
  }

  test("every structural mistake is reported in one run", () => {
    const error = thrown(() => new Rubric(fixture("bad/rubrics/structure-five-mistakes.yaml")));
    const behaviors = "competencies[0].subcompetencies[0].behaviors";
    assert.deepEqual(
      error.errors.map((e) => [e.kind, e.path, e.line]),
      [
        ["schema", `${behaviors}[0].detectors[0].phrase`, 20],
        ["schema", `${behaviors}[1].type`, 23],
        ["schema", `${behaviors}[2]`, 27],
        ["schema", `${behaviors}[3].weight`, 33],
        ["schema", `${behaviors}[3].feedbak`, 34],
      ],
    );
  });

  test("validation reports every problem, each located", () => {
    const yaml = broken("id: asks", "id: clarification").replace("title: Clarification", "title: Clarification\n        weight: -1");
    const error = thrown(() => new Rubric(yaml));
    assert.deepEqual(
      error.errors.map((e) => [e.kind, e.path, e.line, e.column]),
      [
        ["duplicate_id", "competencies[0].subcompetencies[0].behaviors[0].id", 16, 17],
        ["invalid_weight", "competencies[0].subcompetencies[0].weight", 14, 17],
      ],
    );
    for (const detail of error.errors) {
      assert.deepEqual(Object.keys(detail), ["kind", "path", "line", "column", "message", "suggestion"]);
      assert.equal(typeof detail.message, "string");
      assert.equal(detail.suggestion, null);
    }
    assert.match(error.message, /and \d+ more/);
  });

  test("an unknown bundled rubric is not_found and lists the bundled ones", () => {
    for (const call of [() => Rubric.bundled("nope"), () => Rubric.bundledSource("nope")]) {
      const error = thrown(call);
      assert.equal(error.name, "RubricError");
      assert.equal(error.kind, "not_found");
      assert.equal(error.line, null);
      assert.match(error.message, /coding-round/);
      assert.equal(error.suggestion, null);
    }
  });

  test("a close name is given as the error's suggestion, on the error and in its details", () => {
    const error = thrown(() => Rubric.bundled("coding-rond"));
    assert.equal(error.suggestion, "coding-round");
    assert.equal(error.errors[0].suggestion, "coding-round");
    const misspelt = thrown(() => Rubric.bundled("coding-round").score('{"turns": [{"role": "candidate", "txt": "hi"}]}'));
    assert.equal(misspelt.name, "TranscriptError");
    assert.equal(misspelt.suggestion, "text");
    assert.match(misspelt.message, /did you mean `text`\?/);
  });

  // name, transcript, options, expected kind, path, line, column
  const TRANSCRIPT_CASES = [
    ["JSON syntax", '{"turns": [', undefined, "syntax", "turns", 1, 11],
    ["unknown role", '{"turns": [\n  {"role": "host", "text": "hi"}\n]}', undefined, "unknown_role", "turns[0].role", 2, 17],
    ["end before start", '{"turns": [{"role": "candidate", "start": 5, "end": 1, "text": "hi"}]}', undefined, "invalid_time", "turns[0].end", null, null],
    ["unknown field", '{"turns": [{"role": "candidate", "txt": "hi"}]}', undefined, "schema", "turns[0].txt", 1, 38],
    ["unmapped speaker", "Interviewer: Hello\nAlice: Hi", undefined, "unmapped_speaker", "", 2, null],
    ["empty", "   \n", undefined, "empty", "", null, null],
    ["utterances without mapping", '{"utterances": [{"speaker": "A", "start": 0, "end": 1000, "text": "hi"}]}', undefined, "unmapped_speaker", null, null, null],
  ];

  for (const [name, input, options, kind, path, line, column] of TRANSCRIPT_CASES) {
    test(`transcript error: ${name}`, () => {
      const rubric = Rubric.bundled("coding-round");
      for (const call of [() => rubric.score(input, options), () => api.importTranscript(input, options)]) {
        const error = thrown(call);
        assert.ok(error instanceof Error);
        assert.equal(error.name, "TranscriptError");
        assert.equal(error.kind, kind, error.message);
        if (path !== null) assert.equal(error.path, path, error.message);
        if (line !== null) assert.equal(error.line, line, error.message);
        if (column !== null) assert.equal(error.column, column, error.message);
        assert.ok("line" in error && "column" in error);
        assert.equal(error.errors.length, 1);
      }
    });
  }

  test("transcript objects: same kind and path, no line or column (they would point into our JSON)", () => {
    const rubric = Rubric.bundled("coding-round");
    const error = thrown(() => rubric.score({ turns: [{ role: "host", text: "hi" }] }));
    assert.equal(error.kind, "unknown_role");
    assert.equal(error.path, "turns[0].role");
    assert.equal(error.line, null);
    assert.equal(error.column, null);
  });

  // name, call, expected path
  const ARGUMENT_CASES = [
    ["misspelt option", (r) => r.score("Candidate: hi", { speaker: { A: "candidate" } }), "options.speaker"],
    ["unknown format", (r) => r.score("Candidate: hi", { format: "docx" }), "options.format"],
    ["unknown role", (r) => r.score("Candidate: hi", { speakers: { A: "host" } }), "options.speakers.A"],
    ["speakers not strings", (r) => r.score("Candidate: hi", { speakers: { A: 1 } }), "options"],
    ["transcript a number", (r) => r.score(42), "transcript"],
    ["transcript undefined", (r) => r.score(undefined), "transcript"],
    ["transcript with a cycle", (r) => { const t = { turns: [] }; t.self = t; return r.score(t); }, "transcript"],
  ];

  for (const [name, call, path] of ARGUMENT_CASES) {
    test(`argument error: ${name}`, () => {
      const error = thrown(() => call(Rubric.bundled("coding-round")));
      assert.ok(error instanceof Error);
      assert.equal(error.name, "ArgumentError", error.message);
      assert.equal(error.kind, "invalid_argument");
      assert.equal(error.path, path);
      assert.equal(error.line, null);
    });
  }
});
