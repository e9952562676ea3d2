// Limits: every size the engine accepts is bounded, `options.limits` sets the bounds, and going over
// one is an error that names the limit and the actual size. Same names and messages as in Rust and
// Python.
import assert from "node:assert/strict";
import { test } from "node:test";

import { fixture, forEachBuild, thrown } from "./builds.mjs";

const REGEX_YAML = `id: regexes
version: "1"
title: Regex rubric
scale:
  levels:
    - { level: 1, label: Low, from: 0.0, to: 0.5 }
    - { level: 2, label: High, from: 0.5, to: 1.0 }
competencies:
  - id: comp
    title: Competency
    subcompetencies:
      - id: sub
        title: Sub
        behaviors:
          - id: words
            title: Long words
            feedback: Use longer words.
            detectors:
              - regex: '\\w{50}'
              - regex: 'complexit(y|ies)'
`;

/** `Limits::default()` as the Rust test suite writes it (crates/rubric-core/tests/api.rs). */
const golden = JSON.parse(fixture("golden/limits.json"));
const text = fixture("transcripts/coding-round/strong.json");
const turns = JSON.parse(text).turns;
const bytes = (s) => new TextEncoder().encode(s).length;

function reportedSize(message) {
  return Number(message.match(/\d+/)[0]);
}

forEachBuild((api) => {
  const { Rubric, defaultLimits } = api;

  test("the default limits are the Rust defaults", () => {
    assert.deepEqual(defaultLimits(), golden);
    assert.deepEqual(Object.keys(defaultLimits()), Object.keys(golden), "declaration order");
    assert.deepEqual(Rubric.bundled("coding-round").limits, golden);
    assert.deepEqual(Rubric.bundled("coding-round", { limits: { max_turns: 7 } }).limits, { ...golden, max_turns: 7 });
    assert.deepEqual(new Rubric(REGEX_YAML, { limits: {} }).limits, golden);
    assert.deepEqual(new Rubric(REGEX_YAML, {}).limits, golden);
  });

  test("lowered transcript limits name the limit and the size; raising allows", () => {
    const index = turns.findIndex((t) => bytes(t.text) > 10);
    const cases = [
      ["max_transcript_bytes", 100, "", `the transcript is ${bytes(text)} bytes, over the limit of 100 bytes (max_transcript_bytes)`],
      ["max_turns", 3, "turns", `${turns.length} turns exceed the limit of 3 (max_turns)`],
      ["max_turn_bytes", 10, `turns[${index}].text`, `the text is ${bytes(turns[index].text)} bytes, over the limit of 10 bytes (max_turn_bytes)`],
    ];
    const expected = Rubric.bundled("coding-round").score(text);
    for (const [name, value, path, message] of cases) {
      const lowered = Rubric.bundled("coding-round", { limits: { [name]: value } });
      for (const input of [text, new TextEncoder().encode(text)]) {
        const error = thrown(() => lowered.score(input));
        assert.equal(error.name, "TranscriptError", name);
        assert.deepEqual([error.kind, error.path, error.errors[0].message], ["limit_exceeded", path, message], name);
      }
      // An object is scored as the JSON it serialises to, whose size is not the file's.
      const error = thrown(() => lowered.score(JSON.parse(text)));
      assert.deepEqual([error.kind, error.path], ["limit_exceeded", path], name);
      assert.ok(error.message.endsWith(`(${name})`), error.message);
      const enough = name === "max_turn_bytes" ? Math.max(...turns.map((t) => bytes(t.text))) : reportedSize(message);
      assert.deepEqual(Rubric.bundled("coding-round", { limits: { [name]: enough } }).score(text), expected, name);
    }
  });

  test("scoring past max_matches is refused at the turn", () => {
    const error = thrown(() => Rubric.bundled("coding-round", { limits: { max_matches: 1 } }).score(text));
    assert.equal(error.name, "TranscriptError");
    assert.equal(error.kind, "limit_exceeded");
    assert.match(error.path, /^turns\[\d+\]\.text$/);
    assert.equal(
      error.errors[0].message,
      "this turn takes the matches of the rubric's detectors in the transcript past the limit of 1 (max_matches)",
    );
    assert.deepEqual(
      Rubric.bundled("coding-round", { limits: { max_matches: 100000 } }).score(text),
      Rubric.bundled("coding-round").score(text),
    );
  });

  test("lowered rubric limits name the limit and the size; raising allows", () => {
    const cases = [
      ["max_rubric_bytes", 100, (o) => new Rubric(REGEX_YAML, o), new RegExp(`^the rubric is ${bytes(REGEX_YAML)} bytes, over the limit of 100 bytes \\(max_rubric_bytes\\)$`)],
      ["max_criteria", 1, (o) => Rubric.bundled("coding-round", o), /^\d+ behaviors and red flags exceed the limit of 1 \(max_criteria\)$/],
      ["max_phrases", 1, (o) => Rubric.bundled("coding-round", o), /^\d+ phrases exceed the limit of 1 \(max_phrases\)$/],
      ["max_regexes", 1, (o) => new Rubric(REGEX_YAML, o), /^2 regex detectors exceed the limit of 1 \(max_regexes\)$/],
      ["max_regex_size", 100, (o) => new Rubric(REGEX_YAML, o), /^the compiled regex takes \d+ bytes, over the limit of 100 bytes \(max_regex_size\)$/],
      ["max_regex_repetition", 10, (o) => new Rubric(REGEX_YAML, o), /^the counted repetition `\{50\}` repeats a part of the regex 50 times, over the limit of 10 \(max_regex_repetition\)$/],
      ["max_regex_total_size", 100, (o) => new Rubric(REGEX_YAML, o), /^the compiled regex takes (\d+) bytes, which brings the rubric's regexes to \1 bytes, over the limit of 100 bytes for all regexes together \(max_regex_total_size\)$/],
    ];
    for (const [name, value, build, pattern] of cases) {
      const error = thrown(() => build({ limits: { [name]: value } }));
      assert.equal(error.name, "RubricError", name);
      assert.equal(error.kind, "limit_exceeded", name);
      assert.match(error.errors[0].message, pattern);
      const size = reportedSize(error.errors[0].message);
      assert.ok(size > value, name);
      // The size reported is what it takes; the total must also hold the second, smaller regex.
      const raised = name === "max_regex_total_size" ? size * 2 : size;
      assert.equal(build({ limits: { [name]: raised } }).limits[name], raised, name);
    }
  });

  test("bad limits are ArgumentErrors naming the option", () => {
    let error = thrown(() => Rubric.bundled("coding-round", { limits: { max_turn: 5 } }));
    assert.equal(error.name, "ArgumentError");
    assert.equal(error.path, "options.limits.max_turn");
    assert.match(error.message, /unknown limit `max_turn`; did you mean `max_turns`\?/);
    for (const value of [-1, 2.5, NaN, Infinity, "5", null, true, 2 ** 40]) {
      error = thrown(() => new Rubric(REGEX_YAML, { limits: { max_turns: value } }));
      assert.equal(error.name, "ArgumentError", String(value));
      assert.equal(error.path, "options.limits.max_turns");
      assert.match(error.message, /expected an integer from 0 to 4294967295/);
    }
    error = thrown(() => Rubric.bundled("coding-round", { limits: [1] }));
    assert.equal(error.path, "options.limits");
    error = thrown(() => Rubric.bundled("coding-round", { limit: {} }));
    assert.equal(error.path, "options.limit");
  });
});
