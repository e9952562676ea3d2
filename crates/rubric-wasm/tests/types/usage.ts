// Type-checked by `tsc --noEmit -p tests/types` (scripts/test-js.sh): the declarations describe the
// API precisely (no `any`). Each `@ts-expect-error` line must fail to compile; if a type decayed to
// `any`, it would compile and tsc would report the unused directive.
import {
  Rubric,
  importTranscript,
  type Evidence,
  type RubricWasmError,
  type Scorecard,
  type ScoreOptions,
  type Transcript,
  type TranscriptInput,
} from "../../pkg/node/rubric_wasm.js";

const names: string[] = Rubric.bundledNames();
const rubric: Rubric = Rubric.bundled(names[0]);
const custom = new Rubric(Rubric.bundledSource("coding-round"));
const header: string = `${rubric.id} ${rubric.version} ${rubric.title} ${custom.id}`;

const options: ScoreOptions = { format: "vtt", speakers: { Dana: "interviewer", Sam: "candidate" }, fileName: "a.vtt" };
const inputs: TranscriptInput[] = [
  "Candidate: hello",
  { turns: [{ role: "candidate", text: "hello", start: 0, end: 1 }], events: [{ type: "code_run", time: 1 }] },
  { utterances: [{ speaker: "A", start: 0, end: 1000, text: "hi", confidence: 0.9 }] },
];
const card: Scorecard = rubric.score(inputs[0], options);
rubric.score(inputs[1]);

const overall: number | null = card.overall.score;
const label: string | null = card.overall.label;
for (const competency of card.competencies) {
  for (const sub of competency.subcompetencies) {
    const level: number | null = sub.level;
    for (const behavior of sub.behaviors) {
      const status: "demonstrated" | "partial" | "not_observed" | "contradicted" | "not_measurable" | "not_applicable" =
        behavior.status;
      const evidence: Evidence[] = [...behavior.evidence, ...behavior.against];
      for (const item of evidence) {
        const [start, end]: [number, number] = item.span.utf16;
        const negated: string | null = item.negated_by;
        void [start, end, negated, level, status];
      }
    }
  }
}
const feedback: string[] = card.feedback.map((f) => `${f.rank}. ${f.title}: ${f.text} (+${f.gain})`);
const ratio: number | null = card.metrics.candidate_talk_ratio;
const firstRun: number | undefined = card.metrics.time_to_first["code_run"];
const transcript: Transcript = importTranscript("Candidate: hi", { speakers: { A: "candidate" } });
const turnText: string = transcript.turns[0].text;

try {
  new Rubric("id: [");
} catch (e) {
  const error = e as RubricWasmError;
  const where: string = `${error.path}:${error.line ?? "?"}:${error.column ?? "?"} ${error.kind}`;
  const all: number = error.errors.length;
  void [where, all];
}

// @ts-expect-error: the status is a union of names, not any string
const wrongStatus: "maybe" = card.overall.status;
// @ts-expect-error: scores may be null
const notNull: number = card.overall.score;
// @ts-expect-error: roles are a closed set
const badOptions: ScoreOptions = { speakers: { A: "host" } };
// @ts-expect-error: unknown option
const misspelt: ScoreOptions = { speaker: { A: "candidate" } };
// @ts-expect-error: the transcript is a string or an object, not a number
rubric.score(42);
// @ts-expect-error: spans are pairs of numbers
const wrongSpan: string = card.competencies[0].subcompetencies[0].behaviors[0].evidence[0].span.utf16[0];

void [header, overall, label, feedback, ratio, firstRun, turnText, wrongStatus, notNull, badOptions, misspelt, wrongSpan];
