// Evidence offsets are in JavaScript string units: `turn.text.slice(...span.utf16)` is the evidence,
// on non-ASCII and astral-plane (emoji) text, for evidence for, evidence against and red flags.
import assert from "node:assert/strict";
import { test } from "node:test";

import { fixture, forEachBuild, manifest } from "./builds.mjs";

/** Every evidence item in a scorecard: behaviors' evidence and evidence against, red flags' evidence. */
function allEvidence(card) {
  const items = [];
  for (const competency of card.competencies) {
    for (const sub of competency.subcompetencies) {
      for (const behavior of sub.behaviors) items.push(...behavior.evidence, ...behavior.against);
    }
  }
  for (const flag of card.red_flags) items.push(...flag.evidence);
  return items;
}

function assertSpansSliceToText(api, card, transcript) {
  const turns = api.importTranscript(transcript).turns;
  const items = allEvidence(card);
  for (const item of items) {
    const [start, end] = item.span.utf16;
    const text = turns[item.turn].text;
    assert.ok(0 <= start && start <= end && end <= text.length, `span ${start}..${end} out of bounds`);
    assert.equal(text.slice(start, end), item.text, `turn ${item.turn} ${item.behavior}`);
    // The other units describe the same text.
    assert.equal([...text.slice(0, start)].length, item.span.chars[0]);
    assert.equal([...item.text].length, item.span.chars[1] - item.span.chars[0]);
    assert.equal(Buffer.byteLength(item.text, "utf8"), item.span.bytes[1] - item.span.bytes[0]);
  }
  return items;
}

// Emoji (astral plane: two UTF-16 units, one code point, four UTF-8 bytes), a skin-tone modifier,
// accented letters, curly apostrophes (normalised away by the matcher) and an en dash, all before
// and between the phrases the coding-round rubric detects.
const NON_ASCII = [
  "Interviewer: 👋 Hi Zoë! Given an array of integers and a target – return the shortest subarray.",
  "Candidate: 🙂🙂 Okay — can I assume the array isn’t sorted? 🤔 And what should happen if the input is empty? 👍🏽",
  "Interviewer: Assume it’s unsorted; return zero when it’s empty. 🚀",
  "Candidate: Naïvely that’s O(n^2). 😅 I’ll use a sliding window instead, so it’s O(n) time and O(1) extra space.",
  "Candidate: Let me test it with [2, 3, 1, 2, 4, 3] and target 7 — edge cases: an empty array, a single element. ✅",
  "Candidate: I didn’t consider negative numbers 🙈 but they can’t occur here.",
].join("\n");

forEachBuild((api) => {
  test("spans slice to the evidence on non-ASCII and emoji text", () => {
    const card = api.Rubric.bundled("coding-round").score(NON_ASCII);
    const items = assertSpansSliceToText(api, card, NON_ASCII);
    assert.ok(items.length >= 5, `only ${items.length} evidence items`);
    // The test means something only if astral characters precede some evidence: there UTF-16
    // offsets, code-point offsets and byte offsets all differ.
    const shifted = items.filter((i) => i.span.utf16[0] > i.span.chars[0]);
    assert.ok(shifted.length > 0, "no evidence after an astral-plane character");
    assert.ok(shifted.every((i) => i.span.bytes[0] > i.span.utf16[0]));
  });

  test("spans slice to the evidence in every fixture", () => {
    for (const c of manifest()) {
      const text = fixture(c.transcript);
      const card = api.Rubric.bundled(c.rubric).score(text, { speakers: c.speakers });
      const turns = api.importTranscript(text, { speakers: c.speakers }).turns;
      for (const item of allEvidence(card)) {
        assert.equal(turns[item.turn].text.slice(...item.span.utf16), item.text, c.transcript);
      }
    }
  });

  test("an emoji-only turn and emoji inside words do not break matching", () => {
    const text = "Interviewer: 🎉🎉🎉\nCandidate: 🧪can I assume🧪 the input is sorted?";
    const card = api.Rubric.bundled("coding-round").score(text);
    assertSpansSliceToText(api, card, text);
  });
});
