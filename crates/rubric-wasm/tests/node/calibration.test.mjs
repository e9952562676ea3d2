// `calibrate`: the engine against human raters, with the same result as Rust, the CLI and Python
// (fixtures/golden/calibration/coding-round.json).
import assert from "node:assert/strict";
import { test } from "node:test";

import { fixture, forEachBuild, thrown } from "./builds.mjs";

const golden = JSON.parse(fixture("golden/calibration/coding-round.json"));
const labels = fixture("calibration/coding-round-labels.csv");

forEachBuild((api) => {
  const { Rubric, calibrate } = api;
  const scorecards = () => {
    const rubric = Rubric.bundled("coding-round");
    return {
      "coding-round-strong": rubric.score(fixture("transcripts/coding-round/strong.json")),
      "coding-round-weak": rubric.score(fixture("transcripts/coding-round/weak.json")),
      "two-sum": rubric.score(fixture("transcripts/formats/two-sum.json")),
    };
  };

  test("the bundled example equals the golden result", () => {
    assert.deepEqual(calibrate(scorecards(), labels), golden);
    assert.deepEqual(calibrate(scorecards(), labels, { bootstrap: 1000, seed: 0 }), golden);
  });

  test("options change the intervals, bad arguments throw ArgumentErrors", () => {
    const none = calibrate(scorecards(), labels, { bootstrap: 0 });
    assert.ok(none.behaviors.every((b) => b.f1_interval === null && b.kappa_interval === null));
    assert.equal(none.labels_used, golden.labels_used);
    assert.equal(thrown(() => calibrate(scorecards(), labels, { rounds: 5 })).name, "ArgumentError");
    assert.equal(thrown(() => calibrate("nope", labels)).name, "ArgumentError");
    assert.equal(thrown(() => calibrate({ x: { rubric: 1 } }, labels)).name, "ArgumentError");
  });
});
