// End to end, in real headless Chromium (playwright-core driving the system browser): serve the page
// from 127.0.0.1, score fixtures through the UI, compare what it shows with the golden scorecards,
// check that an invalid rubric shows its errors with line and column, and save screenshots to
// target/screenshots/ (git-ignored).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

import { startServer } from "../../scripts/serve.mjs";

const crateDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const repoDir = path.resolve(crateDir, "../..");
const fixtures = path.join(repoDir, "fixtures");
const screenshots = path.join(path.resolve(repoDir, process.env.CARGO_TARGET_DIR ?? "target"), "screenshots");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const read = (relative) => readFileSync(path.join(fixtures, relative), "utf8");
const golden = (relative) => JSON.parse(read(relative));

let server;
let context;
let base;
let profile;

before(async () => {
  server = await startServer({ port: 0, quiet: true });
  base = `http://127.0.0.1:${server.address().port}`;
  profile = mkdtempSync(path.join(tmpdir(), "rubric-e2e-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1440, height: 1000 },
    deviceScaleFactor: 1,
  });
  mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  await context?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Opens the page without the default example and fails the test on any page or console error. */
async function openPage() {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()}`));
  await page.goto(`${base}/?blank`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  return { page, problems };
}

/** The golden evidence in the page's numbering order (see collectEvidence in web/app.js). */
function goldenEvidence(card) {
  const all = [];
  for (const competency of card.competencies) {
    for (const sub of competency.subcompetencies) {
      for (const behavior of sub.behaviors) {
        for (const item of behavior.evidence) all.push({ kind: "for", ...item });
        for (const item of behavior.against) all.push({ kind: "against", ...item });
      }
    }
  }
  for (const flag of card.red_flags) {
    if (flag.status === "triggered") for (const item of flag.evidence) all.push({ kind: "flag", ...item });
  }
  return all;
}

// The page words scores as the core does (rubric_core::display): the Node build says how.
const { formatLevel, formatPercent } = createRequire(import.meta.url)("../../pkg/node/rubric_wasm.js");
const percent = (score) => (score === null ? "—" : formatPercent(score));

async function assertShowsScorecard(page, card) {
  // Overall: the score, its level and label.
  const overall = page.locator("#overall-score");
  assert.equal(await overall.textContent(), percent(card.overall.score));
  assert.equal(Number(await overall.getAttribute("data-score")), card.overall.score);
  const level = await page.locator("#overall-level").textContent();
  const top = Math.max(...card.scale.map((l) => l.level));
  assert.ok(level.includes(formatLevel(card.overall.level, top, card.overall.label)), level);
  assert.match(await overall.textContent(), /^\d+%$/);

  // Every competency's score and level; every sub-competency's level, label and score.
  for (const competency of card.competencies) {
    const head = page.locator(`[data-competency="${competency.id}"] .competency-head`);
    assert.equal(await head.locator(".score").textContent(), percent(competency.score), competency.id);
    assert.equal(await head.locator(".level-chip").getAttribute("data-level"), String(competency.level ?? ""));
    for (const sub of competency.subcompetencies) {
      const subHead = page.locator(`[data-sub="${sub.id}"] .sub-head`);
      const chip = subHead.locator(".level-chip");
      assert.equal(await chip.getAttribute("data-level"), String(sub.level ?? ""), sub.id);
      if (sub.label) assert.ok((await chip.textContent()).includes(sub.label), sub.id);
      assert.equal(await subHead.locator(".sub-score").textContent(), percent(sub.score), sub.id);
      // A level read from under half of the weight says so.
      const low = subHead.locator(".low-confidence");
      assert.equal(await low.count(), sub.low_confidence ? 1 : 0, `${sub.id} low confidence`);
      if (sub.low_confidence) assert.match(await low.textContent(), new RegExp(`${Math.round(sub.coverage * 100)}% of the weight`));
    }
  }

  // Highlights: each evidence item's marks spell exactly its text, in its turn.
  const expected = goldenEvidence(card);
  const shown = await page.evaluate((count) => {
    const out = [];
    for (let i = 0; i < count; i++) {
      const marks = [...document.querySelectorAll(`mark[data-ev~="ev-${i}"]`)];
      out.push({
        text: marks.map((m) => m.textContent).join(""),
        turns: [...new Set(marks.map((m) => m.closest(".turn").dataset.turn))],
        kinds: marks.map((m) => m.className),
        item: document.querySelector(`.ev-item[data-ev="ev-${i}"] .quote`)?.textContent ?? null,
      });
    }
    const extra = document.querySelectorAll(`mark[data-ev~="ev-${count}"]`).length;
    return { out, extra };
  }, expected.length);
  assert.equal(shown.extra, 0, "more highlighted evidence than the golden file has");
  expected.forEach((item, i) => {
    const got = shown.out[i];
    assert.equal(got.text, item.text, `ev-${i} (${item.behavior})`);
    assert.deepEqual(got.turns, [String(item.turn)], `ev-${i} turn`);
    assert.equal(got.item, item.text, `ev-${i} listed in the scorecard`);
  });
  const againstOrFlag = expected.filter((e) => e.kind !== "for").length;
  const marked = await page.locator("mark.ev-against, mark.ev-flag").count();
  assert.ok(againstOrFlag === 0 || marked > 0, "evidence against and red flags are highlighted");

  // Feedback: one entry per item, in rank order.
  const feedback = await page.locator("#feedback .fb .fb-title").allTextContents();
  assert.deepEqual(feedback, card.feedback.map((f) => f.title));
}

test("pasting a transcript scores it like the golden file: scores, levels, highlights, feedback", async () => {
  const { page, problems } = await openPage();
  await page.selectOption("#rubric-select", "coding-round");
  await page.fill("#transcript", read("transcripts/coding-round/weak.json"));
  await page.click("#score");
  await page.waitForSelector("#scorecard:not([hidden])");
  await assertShowsScorecard(page, golden("golden/coding-round/weak.json"));
  assert.deepEqual(problems, []);
  await page.close();
});

test("pasting speaker lines over the JSON example scores them: the example's file name is no longer a hint", async () => {
  const { page, problems } = await openPage();
  await page.goto(`${base}/`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  await page.waitForSelector("#scorecard:not([hidden])");
  assert.match(await page.locator("#file-name").textContent(), /\.json$/, "the example's name is shown first");
  await page.fill("#transcript", "Interviewer: How would you find two numbers that add up to a target?\nMe: Can I assume the array is sorted?");
  await page.fill("#speakers", "Me=candidate");
  await page.click("#score");
  await page.waitForSelector("#scorecard:not([hidden])");
  assert.equal(await page.locator("#transcript-errors li.error").count(), 0);
  assert.equal(await page.locator("#file-name").textContent(), "");
  assert.deepEqual(problems, []);
  await page.close();
});

test("uploading a WebVTT file with a speaker mapping scores like the golden file", async () => {
  const { page, problems } = await openPage();
  await page.selectOption("#rubric-select", "coding-round");
  await page.fill("#speakers", "Dana=interviewer, Sam=candidate");
  await page.setInputFiles("#file", path.join(fixtures, "transcripts/formats/two-sum.vtt"));
  await page.waitForSelector("#scorecard:not([hidden])");
  await assertShowsScorecard(page, golden("golden/formats/two-sum.vtt.json"));
  assert.match(await page.locator("#file-name").textContent(), /two-sum\.vtt/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("captions with unnamed speakers: inferred roles score like the mapped golden file", async () => {
  const { page, problems } = await openPage();
  await page.selectOption("#rubric-select", "coding-round");
  await page.check("#infer-roles");
  await page.setInputFiles("#file", path.join(fixtures, "transcripts/real-shaped/coding-round.vtt"));
  await page.waitForSelector("#scorecard:not([hidden])");
  await assertShowsScorecard(page, golden("golden/real-shaped/coding-round.vtt.json"));
  assert.match(await page.locator(".role-inference").textContent(), /roles inferred: Daniel Osei = interviewer, Mei = candidate/);
  assert.match(await page.locator(".inferred-event").first().textContent(), /code_start inferred from turn 15/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("an annotated transcript shows where external evidence came from and what became of each annotation", async () => {
  const { page, problems } = await openPage();
  const card = golden("golden/annotated/coding-round-weak.json");
  await page.selectOption("#example-select", { label: "annotated/coding-round-weak.json  ·  coding-round" });
  await page.waitForSelector("#scorecard:not([hidden])");
  await assertShowsScorecard(page, card);
  // The first external evidence: its source and confidence, and the rationale under the quote.
  const external = goldenEvidence(card).findIndex((e) => e.detector.external !== null);
  assert.ok(external >= 0, "the golden file has external evidence");
  const { source, confidence, rationale } = goldenEvidence(card)[external].detector.external;
  const item = page.locator(`.ev-item[data-ev="ev-${external}"]`);
  assert.equal(await item.locator(".source").textContent(), `from ${source} · confidence ${confidence}`);
  assert.equal(await item.locator(".rationale").textContent(), rationale);
  const counted = card.transcript.annotations.filter((a) => a.status === "counted").length;
  const summary = page.locator(".annotations summary");
  assert.equal(await summary.textContent(), `${counted} of ${card.transcript.annotations.length} annotations counted`);
  const notCounted = card.transcript.annotations.filter((a) => a.status !== "counted");
  const listed = page.locator(".annotations li.annotation");
  assert.deepEqual(
    await listed.evaluateAll((items) => items.map((li) => [li.dataset.annotation, li.querySelector(".reason").textContent])),
    notCounted.map((a) => [a.annotation, a.reason]),
  );
  assert.deepEqual(problems, []);
  await page.close();
});

test("clicking an evidence item jumps to its highlight in the transcript; a screenshot is saved", async () => {
  const { page, problems } = await openPage();
  const card = golden("golden/coding-round/strong.json");
  await page.selectOption("#example-select", { label: "coding-round/strong.json  ·  coding-round" });
  await page.waitForSelector("#scorecard:not([hidden])");
  await assertShowsScorecard(page, card);

  // Pick an evidence item late in the transcript, so the panel has to scroll to it.
  const expected = goldenEvidence(card);
  const index = expected.reduce((best, e, i) => (e.turn > expected[best].turn ? i : best), 0);
  const item = page.locator(`.ev-item[data-ev="ev-${index}"]`);
  await item.evaluate((el) => (el.closest("details").open = true));
  await item.click();
  const mark = page.locator(`mark[data-ev~="ev-${index}"]`).first();
  await page.waitForFunction((i) => {
    const m = document.querySelector(`mark[data-ev~="ev-${i}"]`);
    const panel = document.getElementById("turns").getBoundingClientRect();
    const r = m.getBoundingClientRect();
    return m.classList.contains("active") && r.top >= panel.top && r.bottom <= panel.bottom;
  }, index);
  assert.match(await mark.getAttribute("class"), /\bflash\b/);

  // Clicking a highlight goes the other way.
  await page.locator("mark.ev").first().click();
  await page.waitForFunction(() => document.querySelector(".ev-item.flash") !== null);

  await page.waitForTimeout(1700); // let the smooth scrolling and the flash finish
  await page.evaluate(() => window.scrollTo({ top: 0, behavior: "instant" }));
  await page.screenshot({ path: path.join(screenshots, "page.png") });
  await page.screenshot({ path: path.join(screenshots, "page-full.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("an invalid rubric shows every error with its line and column", async () => {
  const { page, problems } = await openPage();
  await page.fill("#transcript", read("transcripts/formats/two-sum.txt"));
  await page.selectOption("#rubric-select", "__custom__");
  const yaml = read("../rubrics/coding-round.yaml")
    .replace(/^title: .*$/m, "title: Broken: rubric")
    .replace("weight: 2", "weight: -2");
  await page.fill("#rubric-yaml", yaml);
  await page.click("#score");
  const errors = page.locator("#rubric-errors li.error");
  await errors.first().waitFor();
  const first = await errors.first().textContent();
  assert.match(first, /syntax/);
  assert.match(first, /line \d+, column \d+/);
  const line = Number(await errors.first().getAttribute("data-line"));
  assert.equal(yaml.split("\n")[line - 1].startsWith("title: Broken"), true, `line ${line}`);
  assert.match(await page.locator("#rubric-status").textContent(), /✗ 1 problem/);
  assert.equal(await page.locator("#scorecard").isHidden(), true);

  // Clicking the error selects its line in the YAML.
  await errors.first().click();
  const selected = await page.locator("#rubric-yaml").evaluate((a) => a.value.slice(a.selectionStart, a.selectionEnd));
  assert.ok(selected.length > 0 && yaml.split("\n")[line - 1].endsWith(selected), selected);

  // Fix the syntax: validation now reports the semantic error, located too.
  await page.fill("#rubric-yaml", yaml.replace("title: Broken: rubric", "title: Broken rubric"));
  await page.click("#score");
  await page.waitForFunction(() => document.querySelector("#rubric-errors li.error .kind")?.textContent === "invalid weight");
  const weight = await errors.first().textContent();
  assert.match(weight, /line \d+, column \d+/);
  assert.match(weight, /competencies\[\d+\]\S*\.weight/);
  const weightLine = Number(await errors.first().getAttribute("data-line"));
  assert.match(yaml.split("\n")[weightLine - 1], /weight: -2/);
  await errors.first().click(); // scrolls the YAML to the reported line and selects it
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshots, "page-rubric-error.png") });

  // A transcript error is shown with its line, and the rubric error is gone once the rubric is valid.
  await page.selectOption("#rubric-select", "coding-round");
  await page.fill("#transcript", "Interviewer: Hello\nAlice: Hi there");
  await page.click("#score");
  const transcriptError = page.locator("#transcript-errors li.error").first();
  await transcriptError.waitFor();
  assert.match(await transcriptError.textContent(), /unmapped speaker.*line 2/s);
  assert.equal(await page.locator("#rubric-errors").isHidden(), true);
  assert.deepEqual(problems, []);
  await page.close();
});
