// Times the Node build of crates/rubric-wasm scoring one transcript, for benches/peers/compare.py:
//   node wasm_time.mjs PKG_DIR RUBRIC_YAML TRANSCRIPT_JSON REPS [WARMUP]
// Prints one JSON line: the median milliseconds per `rubric.score(jsonText)` call and the
// mentions of that scorecard as [behavior, turn, byteStart, byteEnd] (behavior ids of the
// generated rubrics are `b<index>`), so the caller can check that the wasm build found what the
// native one did. WARMUP (default 10) untimed calls come first, or more until 2 MiB of text has
// been scored: V8 compiles wasm with its baseline compiler and only later optimises hot
// functions, and the first calls here take several times as long as the later ones; the rubric
// builds its phrase DFA after 1 MiB.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [pkg, rubricPath, transcriptPath, repsText, warmupText = "10"] = process.argv.slice(2);
const reps = Number(repsText);
const warmup = Number(warmupText);
if (!pkg || !rubricPath || !transcriptPath || !(reps > 0) || !(warmup >= 0)) {
  console.error("usage: node wasm_time.mjs PKG_DIR RUBRIC_YAML TRANSCRIPT_JSON REPS [WARMUP]");
  process.exit(2);
}

const { Rubric } = createRequire(import.meta.url)(path.resolve(pkg, "rubric_wasm.js"));
const rubric = new Rubric(readFileSync(rubricPath, "utf8"));
const transcript = readFileSync(transcriptPath, "utf8");

const card = rubric.score(transcript);
const mentions = [];
for (const competency of card.competencies) {
  for (const sub of competency.subcompetencies) {
    for (const behavior of sub.behaviors) {
      const index = Number(behavior.id.slice(1));
      for (const item of [...behavior.evidence, ...behavior.against]) {
        mentions.push([index, item.turn, item.span.bytes[0], item.span.bytes[1]]);
      }
    }
  }
}

// The rubric builds its phrase DFA once it has scanned 1 MiB of folded text
// (rubric_core::PHRASE_DFA_AFTER_BYTES), which is shorter than the original: warm up on twice
// that much, as native Rust does (benches/src/lib.rs `warm_up`).
const textBytes = JSON.parse(transcript).turns.reduce((sum, turn) => sum + Buffer.byteLength(turn.text), 0);
const calls = Math.max(warmup, Math.floor((2 << 20) / Math.max(1, textBytes)) + 2);
for (let i = 0; i < calls; i++) {
  rubric.score(transcript);
}
const times = [];
for (let i = 0; i < reps; i++) {
  const began = process.hrtime.bigint();
  rubric.score(transcript);
  times.push(Number(process.hrtime.bigint() - began) / 1e6);
}
times.sort((a, b) => a - b);
const middle = Math.floor(times.length / 2);
const median = times.length % 2 ? times[middle] : (times[middle - 1] + times[middle]) / 2;
console.log(JSON.stringify({ median_ms: median, warmup: calls, node: process.version, mentions }));
