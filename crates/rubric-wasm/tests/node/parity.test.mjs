// Every golden case scores, in JavaScript, to exactly the scorecard the Rust tests pin in
// fixtures/golden/ (compared as parsed JSON, deep and strict: same keys, same values, null for null).
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";

import { fixture, forEachBuild, manifest } from "./builds.mjs";

const cases = manifest();

forEachBuild((api) => {
  test("the manifest has cases", () => assert.ok(cases.length >= 14));

  for (const c of cases) {
    test(`${c.transcript} with ${c.rubric} equals ${c.golden}`, () => {
      const rubric = api.Rubric.bundled(c.rubric);
      const card = rubric.score(fixture(c.transcript), {
        speakers: c.speakers,
        fileName: path.basename(c.transcript),
      });
      assert.deepStrictEqual(card, JSON.parse(fixture(c.golden)));
    });
  }

  test("a transcript passed as an object scores the same as its JSON text", () => {
    for (const c of cases.filter((c) => c.transcript.endsWith(".json"))) {
      const rubric = api.Rubric.bundled(c.rubric);
      const text = fixture(c.transcript);
      const fromObject = rubric.score(JSON.parse(text), { speakers: c.speakers });
      assert.deepStrictEqual(fromObject, JSON.parse(fixture(c.golden)), c.transcript);
    }
  });
});
