// A panic (a bug) reaches JavaScript as an Error, and the module keeps working: the wasm-bindgen glue
// replaces the instance before the next call (src/panic.rs). Objects from before the panic are stale
// and say so; new ones work. In its own file: node --test runs each file in its own process.
import assert from "node:assert/strict";
import { test } from "node:test";

import { fixture, forEachBuild, thrown } from "./builds.mjs";

forEachBuild((api) => {
  const { Rubric } = api;
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

      // Objects from the old instance are stale: a clear error, not a crash or a wrong answer.
      assert.throws(() => before.score(transcript), /stale object/);
      assert.throws(() => before.id, /stale object/);
      before.free(); // a no-op, and must not corrupt the new instance

      const after = Rubric.bundled("coding-round");
      assert.deepEqual(after.score(transcript), expected);
      assert.deepEqual(new Rubric(Rubric.bundledSource("coding-round")).score(transcript), expected);
    }
  });
});
