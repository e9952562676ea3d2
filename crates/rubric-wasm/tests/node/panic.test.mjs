// A panic (a bug) reaches JavaScript as an Error, and the module keeps working: the wasm-bindgen glue
// replaces the instance before the next call (src/panic.rs), and a Rubric made before the panic
// compiles itself again in the new instance on its next use (scripts/patch-glue.mjs), keeping its
// limits. In its own file: node --test runs each file in its own process.
import assert from "node:assert/strict";
import { test } from "node:test";

import { fixture, forEachBuild, manifest, thrown } from "./builds.mjs";

forEachBuild((api) => {
  const { Rubric, renderReport } = api;
  const transcript = fixture("transcripts/coding-round/strong.json");

  test("a panic throws a PanicError and the module stays usable, repeatedly", () => {
    const expected = Rubric.bundled("coding-round").score(transcript);
    for (let round = 0; round < 3; round++) {
      const before = Rubric.bundled("coding-round");
      const error = thrown(() => api.__panicForTests());
      assert.ok(error instanceof Error);
      assert.equal(error.name, "PanicError");
      assert.equal(error.kind, "panic");
      assert.match(error.message, /deliberate panic for tests/);

      // Objects from before the panic still work (rebuilt in the new instance).
      assert.equal(before.id, "coding-round");
      assert.deepEqual(before.score(transcript), expected);

      const after = Rubric.bundled("coding-round");
      assert.deepEqual(after.score(transcript), expected);
      assert.deepEqual(new Rubric(Rubric.bundledSource("coding-round")).score(transcript), expected);
    }
  });

  test("a panic while scoring leaves the same rubric scoring every golden fixture", () => {
    for (const c of manifest()) {
      const input = fixture(c.transcript);
      const golden = JSON.parse(fixture(c.golden));
      const options = { speakers: c.speakers, fileName: c.transcript };
      const rubric = Rubric.bundled(c.rubric);
      for (let round = 0; round < 2; round++) {
        const error = thrown(() => rubric.__panicWhileScoringForTests(input, options));
        assert.equal(error.name, "PanicError", c.golden);
        assert.equal(error.kind, "panic");
        assert.match(error.message, /deliberate panic after scoring \d+ behaviors/);
        assert.deepEqual(rubric.score(input, options), golden, `${c.golden}, round ${round}`);
      }
    }
  });

  test("a rubric compiled from YAML keeps its source and limits across a panic", () => {
    const yaml = new TextEncoder().encode(Rubric.bundledSource("coding-round"));
    const limits = { max_turns: 3 };
    const rubric = new Rubric(yaml, { limits });
    // Changing what the rubric was made from does not change the rubric rebuilt after a panic.
    limits.max_turns = 1_000_000;
    yaml.fill(0x20);
    thrown(() => rubric.__panicWhileScoringForTests("Interviewer: Hi.\nCandidate: Hello."));
    assert.equal(rubric.limits.max_turns, 3);
    const error = thrown(() => rubric.score(transcript));
    assert.equal(error.kind, "limit_exceeded");
    assert.match(error.message, /exceed the limit of 3 \(max_turns\)/);
    const short = "Interviewer: Merge these intervals.\nCandidate: Can the input be empty?";
    assert.equal(rubric.score(short).rubric.id, "coding-round");
  });

  test("a rubric passed to a function after a panic is rebuilt first", () => {
    const rubric = Rubric.bundled("coding-round");
    const expected = renderReport(transcript, rubric, { title: "t" });
    thrown(() => api.__panicForTests());
    assert.equal(renderReport(transcript, rubric, { title: "t" }), expected);
  });

  test("a freed rubric is not rebuilt after a panic", () => {
    const rubric = Rubric.bundled("coding-round");
    thrown(() => api.__panicForTests());
    rubric.free(); // stale: a no-op, and must not corrupt the new instance
    assert.throws(() => rubric.score(transcript));
    assert.equal(Rubric.bundled("coding-round").score(transcript).rubric.id, "coding-round");
  });
});
