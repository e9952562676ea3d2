// Annotations given beside a transcript (`options.annotations`, the CLI's `--annotations FILE`):
// as objects or as JSON Lines text they score exactly as the same annotations embedded in the
// transcript; a quote that is not in its turn is refused, or kept as unverified and counted
// nowhere; errors say which annotation, and where in the caller's text.
import assert from "node:assert/strict";
import { test } from "node:test";

import { fixture, forEachBuild, thrown } from "./builds.mjs";

const WEAK = fixture("transcripts/coding-round/weak.json");
const JSONL = fixture("annotations/coding-round-weak.jsonl");
const OBJECTS = JSONL.split("\n")
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line));
// The embedded golden scores fixtures/transcripts/annotated/coding-round-weak.json: weak.json with
// the same annotations in it, under another id and title.
const EMBEDDED = JSON.parse(fixture("golden/annotated/coding-round-weak.json"));
const WEAK_GOLDEN = JSON.parse(fixture("golden/coding-round/weak.json"));

/** The embedded golden as it reads when the annotations are given beside weak.json. */
function goldenWhenGiven() {
  const card = structuredClone(EMBEDDED);
  card.transcript.id = WEAK_GOLDEN.transcript.id;
  card.transcript.title = WEAK_GOLDEN.transcript.title;
  const given = (path) => path.replace(/^annotations\[/, "given_annotations[");
  for (const use of card.transcript.annotations) use.annotation = given(use.annotation);
  for (const item of evidenceOf(card)) {
    if (item.detector.external) item.detector.external.annotation = given(item.detector.external.annotation);
  }
  return card;
}

function evidenceOf(card) {
  const behaviors = card.competencies.flatMap((c) => c.subcompetencies.flatMap((s) => s.behaviors));
  return [
    ...behaviors.flatMap((b) => [...b.evidence, ...b.against]),
    ...card.red_flags.flatMap((f) => f.evidence),
  ];
}

const jsonLines = (annotations) => annotations.map((a) => JSON.stringify(a)).join("\n") + "\n";

// Would count for considers_alternatives (a human source, confidence 0.9, a candidate's turn) if
// turn 5 said it.
const INVENTED = {
  behavior: "considers_alternatives",
  turn: 5,
  quote: "a hash map would be faster here",
  source: "human:ann",
  confidence: 0.9,
};

forEachBuild((api) => {
  const rubric = api.Rubric.bundled("coding-round");

  test("annotations as objects, as JSON Lines and as a JSON array score as the embedded ones", () => {
    const expected = goldenWhenGiven();
    assert.ok(expected.transcript.annotations.some((a) => a.status === "counted"));
    assert.ok(expected.transcript.annotations.some((a) => a.status === "not_counted"));
    const fromObjects = rubric.score(WEAK, { annotations: OBJECTS });
    assert.deepStrictEqual(fromObjects, expected);
    assert.deepStrictEqual(rubric.score(WEAK, { annotations: JSONL }), fromObjects);
    assert.deepStrictEqual(rubric.score(WEAK, { annotations: JSON.stringify(OBJECTS, null, 2) }), fromObjects);
    // And they change the scorecard: without them the two external evidence items are missing.
    assert.equal(evidenceOf(fromObjects).filter((e) => e.detector.kind === "external").length, 2);
    assert.equal(evidenceOf(rubric.score(WEAK)).filter((e) => e.detector.kind === "external").length, 0);
  });

  test("importTranscript adds the given annotations to the transcript, which scores them as its own", () => {
    const imported = api.importTranscript(WEAK, { annotations: JSONL });
    assert.deepStrictEqual(imported.annotations, OBJECTS);
    const card = rubric.score(imported);
    const expected = structuredClone(EMBEDDED);
    expected.transcript.id = WEAK_GOLDEN.transcript.id;
    expected.transcript.title = WEAK_GOLDEN.transcript.title;
    assert.deepStrictEqual(card, expected);
  });

  test("an invented quote is an unverified_quote error at its annotation, with its line in the text", () => {
    const given = [...OBJECTS.slice(0, 3), INVENTED, ...OBJECTS.slice(3)];
    const fromText = thrown(() => rubric.score(WEAK, { annotations: jsonLines(given) }));
    assert.equal(fromText.name, "TranscriptError");
    assert.deepEqual(
      [fromText.kind, fromText.path, fromText.line, fromText.column],
      ["unverified_quote", "given_annotations[3].quote", 4, 1],
    );
    assert.match(fromText.message, /"a hash map would be faster here" is not in turn 5/);
    assert.match(fromText.message, /keep the annotation as unverified \(never counted\) with keepUnverified: true/);
    assert.deepEqual(fromText.errors[0].kind, "unverified_quote");
    // Objects have no lines of their own: the path alone says where.
    const fromObjects = thrown(() => rubric.score(WEAK, { annotations: given }));
    assert.deepEqual(
      [fromObjects.kind, fromObjects.path, fromObjects.line, fromObjects.column],
      ["unverified_quote", "given_annotations[3].quote", null, null],
    );
  });

  test("keepUnverified keeps an invented quote as unverified, and it counts nowhere", () => {
    const card = rubric.score(WEAK, { annotations: [...OBJECTS, INVENTED], keepUnverified: true });
    const kept = card.transcript.annotations.at(-1);
    assert.equal(kept.annotation, `given_annotations[${OBJECTS.length}]`);
    assert.equal(kept.status, "unverified");
    assert.match(kept.reason, /is not in turn 5/);
    assert.ok(!evidenceOf(card).some((e) => e.detector.external?.annotation === kept.annotation));
    // Everything else is as without it.
    const without = goldenWhenGiven();
    without.transcript.annotations.push(kept);
    assert.deepStrictEqual(card, without);
  });

  test("an annotation of a behavior the rubric lacks is invalid_reference with did you mean", () => {
    const misspelt = { ...OBJECTS[1], behavior: "considers_alternative" };
    const given = [OBJECTS[0], misspelt, OBJECTS[2]];
    // Found at scoring, located where the annotation was written, even when the transcript is an object.
    const error = thrown(() => rubric.score(JSON.parse(WEAK), { annotations: jsonLines(given) }));
    assert.equal(error.name, "TranscriptError");
    assert.deepEqual(
      [error.kind, error.path, error.line, error.column],
      ["invalid_reference", "given_annotations[1].behavior", 2, 1],
    );
    assert.match(error.message, /did you mean "considers_alternatives"\?/);
    const fromObjects = thrown(() => rubric.score(WEAK, { annotations: given }));
    assert.deepEqual(
      [fromObjects.kind, fromObjects.path, fromObjects.line],
      ["invalid_reference", "given_annotations[1].behavior", null],
    );
  });

  test("annotations that do not read are errors at given_annotations[i], with the line in the text", () => {
    const syntax = thrown(() => rubric.score(WEAK, { annotations: `${JSON.stringify(OBJECTS[0])}\n{"behavior": ` }));
    assert.equal(syntax.name, "TranscriptError");
    assert.deepEqual([syntax.kind, syntax.path, syntax.line], ["syntax", "given_annotations[1].behavior", 2]);
    const misspelt = { ...OBJECTS[0], qoute: OBJECTS[0].quote };
    delete misspelt.quote;
    for (const annotations of [jsonLines([OBJECTS[0], misspelt]), [OBJECTS[0], misspelt]]) {
      const error = thrown(() => rubric.score(WEAK, { annotations }));
      assert.deepEqual([error.kind, error.path], ["schema", "given_annotations[1].qoute"]);
      assert.equal(error.line, typeof annotations === "string" ? 2 : null);
      assert.match(error.message, /did you mean `quote`\?/);
    }
  });

  test("options.annotations must be an array or a string; null and undefined mean none", () => {
    for (const bad of [OBJECTS[0], 42, true]) {
      const error = thrown(() => rubric.score(WEAK, { annotations: bad }));
      assert.equal(error.name, "ArgumentError", String(bad));
      assert.equal(error.kind, "invalid_argument");
      assert.equal(error.path, "options.annotations");
      assert.match(error.message, /^options\.annotations: expected an array of annotation objects/);
    }
    const plain = rubric.score(WEAK);
    assert.deepStrictEqual(rubric.score(WEAK, { annotations: null }), plain);
    assert.deepStrictEqual(rubric.score(WEAK, { annotations: undefined }), plain);
    assert.deepStrictEqual(rubric.score(WEAK, { annotations: [] }), plain);
  });

  test("sessionLine and renderReport take annotations and keepUnverified too", () => {
    const session = { candidate: "Kyle", date: "2026-12-01" };
    const invented = [...OBJECTS, INVENTED];
    assert.throws(() => api.sessionLine(rubric, WEAK, { ...session, annotations: invented }), { kind: "unverified_quote" });
    assert.throws(() => api.renderReport(WEAK, rubric, { annotations: invented }), { kind: "unverified_quote" });
    const kept = JSON.parse(api.sessionLine(rubric, WEAK, { ...session, annotations: invented, keepUnverified: true }));
    const given = JSON.parse(api.sessionLine(rubric, WEAK, { ...session, annotations: OBJECTS }));
    // The record keeps the scorecard, which lists the unverified annotation and otherwise equals
    // the one without it.
    assert.equal(kept.scorecard.transcript.annotations.pop().status, "unverified");
    assert.deepStrictEqual(kept, given, "an unverified annotation changes no score");
    assert.notDeepStrictEqual(given, JSON.parse(api.sessionLine(rubric, WEAK, session)));
    assert.match(api.renderReport(WEAK, rubric, { annotations: invented, keepUnverified: true }), /<html/i);
  });
});
