// Type-checked by `tsc --noEmit -p tests/types` (scripts/test-js.sh): the declarations describe the
// API precisely (no `any`). Each `@ts-expect-error` line must fail to compile; if a type decayed to
// `any`, it would compile and tsc would report the unused directive.
import {
  Rubric,
  defaultLimits,
  importTranscript,
  parseHistory,
  plan,
  renderReport,
  sessionLine,
  trends,
  type History,
  type Plan,
  type PlanCategory,
  type Trends,
  type Annotation,
  type AnnotationUse,
  type Evidence,
  type ExternalWhy,
  type Limits,
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

const defaults: Limits = defaultLimits();
const limited = Rubric.bundled("coding-round", { limits: { max_turns: defaults.max_turns / 2 } });
const maxTurns: number = limited.limits.max_turns;
new Rubric(Rubric.bundledSource("coding-round"), { limits: { max_regex_size: 1 << 16 } });
// @ts-expect-error: a misspelt limit
Rubric.bundled("coding-round", { limits: { max_turn: 5 } });

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

void [header, maxTurns, overall, label, feedback, ratio, firstRun, turnText, wrongStatus, notNull, badOptions, misspelt, wrongSpan];

// Annotations: given beside the transcript as objects or text, and what became of them.
const given: Annotation[] = [
  { behavior: "considers_alternatives", turn: 5, quote: "two loops", source: "human:ann", confidence: 0.9 },
  { behavior: "considers_alternatives", turn: 15, span: { utf16: [72, 103] }, source: "llm:gpt-4o", rationale: "why" },
];
const annotated: Scorecard = rubric.score(inputs[0], { annotations: given, keepUnverified: true });
rubric.score(inputs[0], { annotations: '{"behavior": "b", "turn": 0, "quote": "q", "source": "s"}\n' });
rubric.score({ turns: [{ role: "candidate", text: "hi" }], annotations: given });
const uses: AnnotationUse[] = annotated.transcript.annotations;
const useStatus: "counted" | "not_counted" | "unverified" = uses[0].status;
const why: ExternalWhy | null = annotated.competencies[0].subcompetencies[0].behaviors[0].evidence[0].detector.external;
const judgedBy: string | undefined = why?.source;
const maxAnnotations: number = defaults.max_annotations;
const importedAnnotations: Annotation[] | undefined = importTranscript("Candidate: hi", { annotations: given }).annotations;
// @ts-expect-error: an annotation needs a quote or a span
const noWords: Annotation = { behavior: "b", turn: 0, source: "s" };
// @ts-expect-error: a span has exactly one unit
const twoUnits: Annotation = { behavior: "b", turn: 0, source: "s", span: { utf16: [0, 1], chars: [0, 1] } };
// @ts-expect-error: annotations are objects or text
rubric.score(inputs[0], { annotations: 42 });

void [useStatus, judgedBy, maxAnnotations, importedAnnotations, noWords, twoUnits];

// The practice loop.
const line: string = sessionLine(rubric, inputs[0], { candidate: "Ann", date: "2026-01-05", round: "coding", questions: ["two-sum"] });
const history: History = parseHistory(line);
const firstLine: number = history.records[0].line;
const asked: string[] | undefined = history.records[0].record.questions;
const skipped: string[] = history.problems.map((p) => `${p.line}: ${p.reason}`);
const progress: Trends = trends(line, { candidate: "Ann", window: 3, weakest: 2 });
const slope: number | null = progress.rounds[0].dimensions.technical_depth.slope;
const next: Plan = plan(line, "questions: []", { candidate: "Ann", seed: 7, count: 5, rounds: ["coding"], until: "2026-02-01", start: "2026-01-20" });
const category: PlanCategory = next.questions[0].category;
const weakShare: number = next.mix.weak_area;
const days: number = next.schedule?.length ?? 0;
const html: string = renderReport(inputs[0], rubric, { history: line, candidate: "Ann", title: "Progress", speakers: { A: "candidate" } });
// @ts-expect-error: the candidate is required
plan(line, "", { seed: 1 });
// @ts-expect-error: rounds are a closed set
trends(line, { candidate: "Ann" }).rounds[0].round === "chess";
// @ts-expect-error: a schedule may be null
const alwaysDays: number = next.schedule.length;

void [firstLine, asked, skipped, slope, category, weakShare, days, html, alwaysDays];
