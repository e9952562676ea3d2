// Scores read the same in JavaScript as in the CLI, the report and Python: the wording is the
// core's (rubric_core::display), checked against the table the Rust tests write.
import assert from "node:assert/strict";
import { test } from "node:test";

import { fixture, forEachBuild } from "./builds.mjs";

const table = JSON.parse(fixture("golden/display.json"));

forEachBuild((api) => {
  const { Rubric, formatLevel, formatMetricValue, formatPercent, formatPoints, formatScore } = api;

  test("the format functions word scores as the core does", () => {
    assert.ok(table.scores.length >= 5 && table.percents.length >= 5 && table.points.length >= 5);
    for (const c of table.scores) assert.equal(formatScore(c.score, c.level, c.label, c.top), c.text, JSON.stringify(c));
    for (const c of table.percents) assert.equal(formatPercent(c.score), c.text, JSON.stringify(c));
    for (const c of table.points) assert.equal(formatPoints(c.change), c.text, JSON.stringify(c));
    for (const c of table.metrics) assert.equal(formatMetricValue(c.name, c.value), c.text, JSON.stringify(c));
  });

  test("a scorecard's overall reads as percentage and level", () => {
    const card = Rubric.bundled("coding-round").score(fixture("transcripts/coding-round/strong.json"));
    const top = Math.max(...card.scale.map((l) => l.level));
    const { score, level, label } = card.overall;
    assert.equal(formatScore(score, level, label, top), `${formatPercent(score)}, ${formatLevel(level, top, label)}`);
    assert.equal(formatLevel(level, top, ""), `level ${level} of ${top}`);
  });
});
