// The bad-input suite in JavaScript: every case of fixtures/bad/manifest.json gives exactly the
// error (kind, path, line, column, message) or exactly the scorecard the Rust runner
// (crates/rubric-core/tests/bad_inputs.rs) pins, in both builds. Inputs go in as the file's bytes
// (a Uint8Array), as Rust and Python read them, so invalid UTF-8 reaches the engine unreplaced.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

import { fixturesDir, forEachBuild } from "./builds.mjs";

const badDir = path.join(fixturesDir, "bad");
const cases = JSON.parse(readFileSync(path.join(badDir, "manifest.json"), "utf8")).cases;
const bytesOf = (relative) => new Uint8Array(readFileSync(path.join(badDir, relative)));
const textOf = (relative) => readFileSync(path.join(badDir, relative), "utf8");

// The mini rubric's regex detector line, which the rubric generators replace.
const REGEX_LINE = "              - regex: '\\d+ ?%'\n";

/** Builds a generated input as the Rust runner does (see fixtures/bad/README.md). */
function generate(spec) {
  const mini = textOf("rubrics/mini.yaml");
  switch (spec.kind) {
    case "single_turn": {
      const prefix = "Can I assume a big input? ";
      const unit = "we measure the latency again and ";
      const repeats = Math.floor((spec.bytes - prefix.length) / unit.length) + 1;
      const body = (prefix + unit.repeat(repeats)).slice(0, spec.bytes);
      return (
        '{"id": "single-turn", "turns": [\n' +
        '{"role": "interviewer", "start": 0, "end": 4, "text": "Tell me about the migration."},\n' +
        `{"role": "candidate", "start": 5, "end": 600, "text": "${body}"}\n` +
        "]}\n"
      );
    }
    case "turns": {
      const parts = ['{"id": "many-turns", "turns": [\n'];
      for (let i = 0; i < spec.count; i++) {
        const [role, said] =
          i % 2 === 0
            ? ["interviewer", "Go on."]
            : i % 20000 === 1
              ? ["candidate", "Can I assume it is sorted?"]
              : ["candidate", "I measured it again."];
        const separator = i + 1 === spec.count ? "\n" : ",\n";
        parts.push(`{"role": "${role}", "start": ${2 * i}, "end": ${2 * i + 1}, "text": "${said}"}${separator}`);
      }
      parts.push("]}\n");
      return parts.join("");
    }
    case "regex_detectors": {
      let lines = "";
      for (let i = 0; i < spec.count; i++) lines += `              - regex: 'code${i}x'\n`;
      return mini.replace(REGEX_LINE, lines);
    }
    case "regex_alternation": {
      const terms = Array.from({ length: spec.count }, (_, i) => `term${i}`).join("|");
      return mini.replace(REGEX_LINE, `              - regex: '\\b(?:${terms})\\b'\n`);
    }
    case "regex_repeated":
      return mini.replace(REGEX_LINE, `              - regex: '${spec.pattern}'\n`.repeat(spec.count));
    case "rubric_padding":
      return `${mini}#${"x".repeat(spec.bytes - Buffer.byteLength(mini) - 2)}\n`;
    default:
      throw new Error(`unknown generator ${spec.kind}`);
  }
}

const encode = (text) => new TextEncoder().encode(text);
const inputBytes = (c) => (c.generate ? encode(generate(c.generate)) : bytesOf(c.file));

function loadRubric(api, c) {
  if (c.input === "rubric") return new api.Rubric(inputBytes(c));
  return c.rubric.endsWith(".yaml") ? new api.Rubric(bytesOf(c.rubric)) : api.Rubric.bundled(c.rubric);
}

const transcriptBytes = (c) => (c.input === "rubric" ? bytesOf(c.transcript) : inputBytes(c));

/** { error: {kind, path, line, column}, message } or { scorecard }. */
function outcome(api, c) {
  try {
    const options = {};
    if (c.format) options.format = c.format;
    if (c.speakers) options.speakers = c.speakers;
    return { scorecard: loadRubric(api, c).score(transcriptBytes(c), options) };
  } catch (error) {
    if (error.name !== "RubricError" && error.name !== "TranscriptError") throw error;
    const { kind, path, line, column } = error;
    return { error: { kind, path, line, column }, message: error.errors[0].message };
  }
}

function evidenceItems(value, out = []) {
  if (Array.isArray(value)) {
    for (const child of value) evidenceItems(child, out);
  } else if (value !== null && typeof value === "object") {
    if ("span" in value && "turn" in value && "behavior" in value) out.push(value);
    for (const child of Object.values(value)) evidenceItems(child, out);
  }
  return out;
}

const signature = (card) =>
  evidenceItems(card).map((e) => JSON.stringify([e.behavior, e.turn, e.detector, e.negated_by]));

/** For native JSON inputs: the text at every span, in UTF-16 units, is the evidence text. */
function checkSpans(c, card) {
  let document;
  try {
    document = JSON.parse(new TextDecoder().decode(transcriptBytes(c)));
  } catch {
    return;
  }
  if (!Array.isArray(document?.turns)) return;
  for (const item of evidenceItems(card)) {
    const [start, end] = item.span.utf16;
    assert.equal(document.turns[item.turn].text.slice(start, end), item.text, `${c.name}: ${item.span.utf16}`);
  }
}

forEachBuild((api) => {
  test("the manifest covers the issue", () => {
    assert.ok(cases.length >= 40);
    assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
  });

  const scorecards = new Map();
  for (const c of cases) {
    test(`bad input: ${c.name}`, () => {
      const result = outcome(api, c);
      if (c.expect.error) {
        assert.ok(result.error, `expected an error, got a scorecard`);
        const { kind, path, line, column, message_contains } = c.expect.error;
        assert.deepStrictEqual(result.error, { kind, path, line, column }, result.message);
        assert.ok(result.message.includes(message_contains), `${result.message} lacks ${message_contains}`);
      } else {
        assert.ok(result.scorecard, `expected a scorecard, got ${JSON.stringify(result)}`);
        assert.deepStrictEqual(result.scorecard, JSON.parse(textOf(c.expect.scorecard)));
        checkSpans(c, result.scorecard);
        scorecards.set(c.name, result.scorecard);
      }
    });
  }

  for (const c of cases.filter((c) => c.same_evidence_as)) {
    test(`same evidence: ${c.name} and ${c.same_evidence_as}`, () => {
      const [self, other] = [c.name, c.same_evidence_as].map(
        (name) => scorecards.get(name) ?? outcome(api, cases.find((x) => x.name === name)).scorecard,
      );
      assert.ok(self && other);
      assert.ok(signature(self).length > 0);
      assert.deepStrictEqual(signature(self), signature(other));
    });
  }
});
