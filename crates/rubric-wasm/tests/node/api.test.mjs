// The API: bundled rubrics, YAML rubrics, compile once and score many, every input format as a
// string or an object, options, and plain-object results.
import assert from "node:assert/strict";
import { test } from "node:test";

import { fixture, forEachBuild } from "./builds.mjs";

const BUNDLED = ["coding-round", "system-design", "behavioral-star", "code-review", "recruiter-screen"];

function isPlain(value) {
  if (value === null || typeof value !== "object") return true;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype) return false;
  return Object.values(value).every(isPlain);
}

forEachBuild((api) => {
  const { Rubric, importTranscript } = api;

  test("bundledNames lists the bundled rubrics", () => {
    assert.deepEqual(Rubric.bundledNames(), BUNDLED);
  });

  test("Rubric.bundled compiles each bundled rubric; getters read its header", () => {
    for (const name of BUNDLED) {
      const rubric = Rubric.bundled(name);
      assert.equal(rubric.id, name);
      assert.match(rubric.version, /^\d+\.\d+/);
      assert.ok(rubric.title.length > 0);
    }
  });

  test("new Rubric(yaml) compiles YAML text: bundledSource round-trips", () => {
    const yaml = Rubric.bundledSource("behavioral-star");
    assert.match(yaml, /^id: behavioral-star$/m);
    const fromYaml = new Rubric(yaml);
    const transcript = fixture("transcripts/behavioral-star/strong.json");
    assert.deepEqual(fromYaml.score(transcript), Rubric.bundled("behavioral-star").score(transcript));
  });

  test("compile once, score many: one rubric scores many transcripts, deterministically", () => {
    const rubric = Rubric.bundled("coding-round");
    const strong = fixture("transcripts/coding-round/strong.json");
    const weak = fixture("transcripts/coding-round/weak.json");
    const first = rubric.score(strong);
    const second = rubric.score(weak);
    assert.deepEqual(rubric.score(strong), first);
    assert.deepEqual(rubric.score(weak), second);
    assert.ok(first.overall.score > second.overall.score);
  });

  test("the scorecard is plain data: objects, arrays, strings, numbers, booleans and null", () => {
    const card = Rubric.bundled("coding-round").score(fixture("transcripts/formats/two-sum.txt"));
    assert.ok(isPlain(card));
    // No `undefined`, no Map: a JSON round trip changes nothing.
    assert.deepStrictEqual(JSON.parse(JSON.stringify(card)), card);
    assert.equal(card.transcript.timed, true);
    assert.equal(typeof card.metrics.time_to_first, "object");
    assert.equal(card.transcript.id, null);
  });

  test("scorecard shape: scores, levels, sub-competency levels, feedback and spans", () => {
    const card = Rubric.bundled("coding-round").score(fixture("transcripts/coding-round/weak.json"));
    assert.deepEqual(Object.keys(card), [
      "rubric", "transcript", "scale", "overall", "competencies", "red_flags", "feedback", "metrics",
    ]);
    assert.ok(card.overall.score >= 0 && card.overall.score <= 1);
    assert.equal(typeof card.overall.level, "number");
    for (const c of card.competencies) {
      for (const s of c.subcompetencies) {
        assert.ok(s.level === null || card.scale.some((l) => l.level === s.level));
      }
    }
    assert.ok(card.feedback.length > 0);
    assert.deepEqual(card.feedback.map((f) => f.rank), card.feedback.map((_, i) => i + 1));
  });

  test("every format, as a string; native and utterances JSON also as objects", () => {
    const rubric = Rubric.bundled("coding-round");
    const speakers = { Dana: "interviewer", Sam: "candidate", A: "interviewer", B: "candidate" };
    const cards = ["two-sum.json", "two-sum.txt", "two-sum.vtt", "two-sum.utterances.json"].map((name) =>
      rubric.score(fixture(`transcripts/formats/${name}`), { speakers }),
    );
    for (const card of cards) assert.equal(card.rubric.id, "coding-round");
    const utterances = fixture("transcripts/formats/two-sum.utterances.json");
    assert.deepEqual(rubric.score(JSON.parse(utterances), { speakers }), cards[3]);
  });

  test("options.format forces a format; options.fileName hints detection", () => {
    const rubric = Rubric.bundled("coding-round");
    const vtt = fixture("transcripts/formats/two-sum.vtt");
    const speakers = { Dana: "interviewer", Sam: "candidate" };
    const detected = rubric.score(vtt, { speakers });
    assert.deepEqual(rubric.score(vtt, { speakers, format: "vtt" }), detected);
    // Forced to the wrong format, the same text fails.
    assert.throws(() => rubric.score(vtt, { speakers, format: "json" }), { name: "TranscriptError", kind: "syntax" });
    // Content that is not JSON or WebVTT is read as text, unless the file name says otherwise.
    assert.equal(rubric.score("Candidate: Can I assume it is sorted?").transcript.turns, 1);
    assert.throws(() => rubric.score("Candidate: Can I assume it is sorted?", { fileName: "notes.vtt" }), {
      kind: "syntax",
      message: /WEBVTT/,
    });
  });

  test("speakers map names to roles; without the mapping the error says which speaker", () => {
    const text = "Alice: What happens on empty input?\nBob: Can I assume the input is sorted?";
    const rubric = Rubric.bundled("coding-round");
    assert.throws(() => rubric.score(text), {
      kind: "unmapped_speaker",
      message: /speakers "Alice" and "Bob" have no role.*options\.speakers: \{ "Alice": "candidate", "Bob": "candidate" \}.*inferRoles: true/,
    });
    const inferred = rubric.score(text, { inferRoles: true });
    assert.deepEqual(
      inferred.transcript.role_inference.speakers.map((s) => [s.speaker, s.role]),
      [["Alice", "interviewer"], ["Bob", "candidate"]],
    );
    assert.equal(rubric.score(text, { inferRoles: true, complete: true }).transcript.complete, true);
    assert.throws(() => rubric.score("00:01 hello there"), { kind: "unlabelled_speech", message: /options\.unlabelledRole/ });
    assert.throws(() => rubric.score("Interviewer: Hello\nCandidate: Hi", { format: "json" }), {
      kind: "syntax",
      message: /this looks like text lines .*\(options\.format: "text"\)/,
    });
    const card = rubric.score(text, { speakers: { Alice: "interviewer", Bob: "candidate" } });
    assert.equal(card.metrics.speakers.find((s) => s.speaker === "Bob").role, "candidate");
  });

  test("a real-shaped transcript says what it stood on: inferred events, estimated times, low confidence", () => {
    const text =
      "Interviewer: Find two numbers that add up to the target.\n" +
      "Candidate: can the array be empty\n" +
      "Interviewer: No.\n" +
      "Candidate: Okay, let me start coding. can I use a hash map\n";
    const card = Rubric.bundled("coding-round").score(text);
    assert.equal(card.transcript.times_estimated, true);
    assert.equal(card.transcript.complete, false);
    assert.equal(card.transcript.inferred_events.length, 1);
    const [event] = card.transcript.inferred_events;
    assert.deepEqual([event.type, event.evidence.turn, event.evidence.text], ["code_start", 3, "start coding"]);
    const subs = card.competencies.flatMap((c) => c.subcompetencies);
    const asks = subs.flatMap((s) => s.behaviors).find((b) => b.id === "asks_clarifying_questions");
    assert.equal(asks.count, 1, "only the question before coding starts counts");
    const low = subs.filter((s) => s.low_confidence);
    assert.ok(low.length > 0 && low.every((s) => s.coverage < 0.5));
  });

  test("importTranscript returns the native form, which score accepts back", () => {
    const text = fixture("transcripts/formats/two-sum.txt");
    const transcript = importTranscript(text);
    assert.equal(transcript.turns.length, 5);
    assert.deepEqual(transcript.turns[0].role, "interviewer");
    assert.equal(typeof transcript.turns[0].start, "number");
    const rubric = Rubric.bundled("coding-round");
    assert.deepEqual(rubric.score(transcript), rubric.score(text));
  });

  test("options may be omitted, undefined or null", () => {
    const rubric = Rubric.bundled("coding-round");
    const text = fixture("transcripts/formats/two-sum.txt");
    const card = rubric.score(text);
    assert.deepEqual(rubric.score(text, undefined), card);
    assert.deepEqual(rubric.score(text, null), card);
    assert.deepEqual(rubric.score(text, {}), card);
  });

  test("free() releases a rubric; using it afterwards throws", () => {
    const rubric = Rubric.bundled("coding-round");
    rubric.free();
    assert.throws(() => rubric.score("Candidate: hi"));
  });
});
