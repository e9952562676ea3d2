// ---- Inputs ----------------------------------------------------------------------------------

/** Who a speaker is in the interview. */
export type Role = "candidate" | "interviewer" | "observer";

/** The kind of interview a stretch of conversation belongs to. */
export type RoundName = "recruiter_screen" | "coding" | "system_design" | "behavioral" | "code_review";

/** A transcript format; detected from the content when not given. */
export type TranscriptFormat =
  | "json"
  | "text"
  | "vtt"
  | "srt"
  | "utterances"
  | "deepgram"
  | "aws"
  | "whisper"
  | "rev";

/** One turn of a native JSON transcript. */
export interface TurnInput {
  /** The speaker's name (defaults to the role). */
  speaker?: string;
  /** Required unless `roles` or `ScoreOptions.speakers` maps the speaker. */
  role?: Role;
  /** Seconds; give both `start` and `end` on every turn, or on none. */
  start?: number;
  end?: number;
  text: string;
}

export interface EventInput {
  /** e.g. `code_run`, `tests_passed`, `tests_failed`, `submitted`, `hint_given`. */
  type: string;
  /** Seconds. */
  time: number;
  detail?: string;
}

export interface SegmentInput {
  id: string;
  round: RoundName;
  question?: string;
  /** Index of the segment's first turn. */
  start_turn: number;
  /** Seconds allowed for the segment. */
  time_limit?: number;
}

/**
 * A half-open range of a turn's text in exactly one unit: `utf16` (JavaScript string indices, as
 * `text.slice(a, b)`), `chars` (code points) or `bytes` (UTF-8).
 */
export type AnnotationSpan =
  | { utf16: [number, number]; chars?: never; bytes?: never }
  | { chars: [number, number]; utf16?: never; bytes?: never }
  | { bytes: [number, number]; utf16?: never; chars?: never };

/** The fields of every annotation, whether it points at its words by quote, by span or both. */
export interface AnnotationFields {
  /** A behavior or red flag id of the rubric it is scored with (else an `invalid_reference` error). */
  behavior: string;
  /** The turn, counted from 0. */
  turn: number;
  /** Who judged: `llm:<model>`, `human:<rater>` or any other name; rubrics say which sources they take. */
  source: string;
  /** The source's confidence, from 0 to 1; rubrics may ask for a minimum. */
  confidence?: number;
  /** The source's reason, shown beside the evidence. */
  rationale?: string;
  /** When the judgment was made (RFC 3339 is usual); carried, not read. */
  timestamp?: string;
}

/**
 * Evidence judged elsewhere (a language-model judge, a human annotator): this turn shows this
 * behavior, here. The quote is checked against the turn by words (case, punctuation, apostrophes
 * and "uh"/"um" do not matter); one that is not in the turn is an `unverified_quote` error, unless
 * `ScoreOptions.keepUnverified` keeps it as unverified (never counted). With both a quote and a
 * span, the quote must be the text at the span. Unknown fields are errors.
 */
export type Annotation = AnnotationFields &
  ({ quote: string; span?: AnnotationSpan } | { quote?: string; span: AnnotationSpan });

/** The native JSON transcript (docs/transcript-format.md). Unknown fields are errors. */
export interface NativeTranscript {
  id?: string;
  title?: string;
  /** Speaker name -> role, for turns without `role`. */
  roles?: Record<string, Role>;
  turns: TurnInput[];
  events?: EventInput[];
  segments?: SegmentInput[];
  /** The transcript's own annotations (paths `annotations[i]` in the scorecard and in errors). */
  annotations?: Annotation[];
}

/** One utterance of speech-to-text output. Other fields are ignored. */
export interface Utterance {
  /** A label such as "A"; map it with `ScoreOptions.speakers`. */
  speaker: string;
  /** Milliseconds. */
  start: number;
  end: number;
  text: string;
  [other: string]: unknown;
}

/** Speech-to-text output (AssemblyAI style). Other fields are ignored. */
export interface UtterancesTranscript {
  utterances: Utterance[];
  [other: string]: unknown;
}

/**
 * A transcript: a string in any supported format (native JSON, `Speaker: text` lines, WebVTT,
 * SubRip, speech-to-text JSON), the same as a file's bytes (a `Uint8Array`: invalid UTF-8 is a located `syntax`
 * error, not a replacement character), or a native or utterances transcript as an object.
 */
export type TranscriptInput = string | Uint8Array | NativeTranscript | UtterancesTranscript;

/**
 * Upper bounds on what the engine accepts (`rubric_core::Limits`), named as in Rust, Python and
 * error messages. `defaultLimits()` returns every one; `options.limits` takes any subset.
 */
export interface Limits {
  max_rubric_bytes: number;
  /** Behaviors plus red flags. */
  max_criteria: number;
  /** Phrases after lexicons are expanded. */
  max_phrases: number;
  max_regexes: number;
  /** Compiled size of one regex, in bytes. */
  max_regex_size: number;
  /** Times counted repetitions may repeat a part of one regex, multiplied through nesting. */
  max_regex_repetition: number;
  /** Compiled sizes of all regexes of a rubric together, in bytes. */
  max_regex_total_size: number;
  /** Regex search by NFA simulation in one scoring, in KiB of regex times KiB of text. */
  max_regex_fallback_work: number;
  /** Detector matches in one scoring. */
  max_matches: number;
  max_transcript_bytes: number;
  max_turns: number;
  /** Bytes of text in one turn. */
  max_turn_bytes: number;
  max_events: number;
  max_segments: number;
  /** Annotations of one transcript, its own and those given beside it together. */
  max_annotations: number;
}

/**
 * Options for `new Rubric` and `Rubric.bundled`. `limits` replaces some of the default limits, for
 * the rubric and every transcript it scores; over a limit, the error's `kind` is `limit_exceeded`
 * and its message names the limit and the actual size. An unknown limit name or a value that is not
 * an integer >= 0 throws an `ArgumentError`.
 */
export interface RubricOptions {
  limits?: Partial<Limits>;
}

/** Options for `Rubric.score` and `importTranscript`. */
export interface ScoreOptions {
  /** Forces a format; detected from the content when absent. */
  format?: TranscriptFormat;
  /** Speaker name or label -> role, for speakers the input gives no role (`{ A: "interviewer" }`). */
  speakers?: Record<string, Role>;
  /**
   * The role of speech with no speaker label (captions, Whisper without speakers, `00:01 text`
   * lines), read as one speaker; without it such a transcript throws an `unlabelled_speech` error.
   */
  unlabelledRole?: Role;
  /**
   * Infer the roles of a two-person conversation whose speakers have none: the first speaker is
   * the interviewer unless the other ends more turns with a question and says fewer words. The
   * scorecard's `transcript.role_inference` says what was inferred and why.
   */
  inferRoles?: boolean;
  /** The transcript runs to the end of the conversation: a minimum not reached is evidence against. */
  complete?: boolean;
  /** The uploaded file's name, a hint for detection when the content is ambiguous (`.vtt`, `.srt`, `.json`). */
  fileName?: string;
  /**
   * Annotations of this transcript given beside it (a judge's or annotator's evidence): an array
   * of annotation objects, or the text of a JSON array or of JSON Lines (one object per line).
   * They are added to the transcript's own; scorecards and errors name them
   * `given_annotations[i]`, and errors in text carry its line and column.
   */
  annotations?: Annotation[] | string;
  /**
   * Keep annotations whose quote is not in their turn, with status `unverified` (they never
   * count), instead of throwing an `unverified_quote` error.
   */
  keepUnverified?: boolean;
}

// ---- The imported transcript (importTranscript) ----------------------------------------------

export interface Turn {
  speaker: string;
  role: Role;
  start?: number;
  end?: number;
  text: string;
}

export interface TranscriptEvent {
  type: string;
  time: number;
  detail?: string;
}

export interface TranscriptSegment {
  id: string;
  round: RoundName;
  question?: string;
  start_turn: number;
  time_limit?: number;
}

/** A validated transcript in the native JSON form (absent fields are left out). */
export interface Transcript {
  id?: string;
  title?: string;
  turns: Turn[];
  events?: TranscriptEvent[];
  segments?: TranscriptSegment[];
  /** Every annotation as it was given: the transcript's own, then `options.annotations`. */
  annotations?: Annotation[];
}

// ---- The scorecard (Rubric.score) --------------------------------------------------------------
// Equal in content to the Rust scorecard JSON: absent values are `null`, never `undefined`.

export interface Scorecard {
  rubric: RubricInfo;
  transcript: TranscriptInfo;
  scale: ScaleLevel[];
  overall: OverallScore;
  competencies: CompetencyScore[];
  red_flags: RedFlagResult[];
  /** What to work on, most valuable first. */
  feedback: FeedbackItem[];
  metrics: Metrics;
}

export interface RubricInfo {
  id: string;
  version: string;
  title: string;
}

export interface TranscriptInfo {
  id: string | null;
  title: string | null;
  turns: number;
  timed: boolean;
  /** Known to run to its end: only then is a minimum that was not reached evidence against. */
  complete: boolean;
  /** Untimed: time windows were read from positions estimated from the words spoken before each turn (200 a minute). */
  times_estimated: boolean;
  /** Events read from what was said, for event types the transcript lacks. */
  inferred_events: InferredEvent[];
  /** How the speakers' roles were inferred (`inferRoles: true`), or null. */
  role_inference: RoleInference | null;
  /** What became of each annotation, the transcript's own first: counted as evidence, or why not. */
  annotations: AnnotationUse[];
}

/**
 * `counted`: evidence for its behavior or red flag; `not_counted`: verified, but the behavior does
 * not take it (source, confidence, speaker, rules, or the same words already count); `unverified`:
 * its quote is not in its turn, kept with `keepUnverified: true`, never counted.
 */
export type AnnotationStatus = "counted" | "not_counted" | "unverified";

/** One annotation and what it did. */
export interface AnnotationUse {
  /** Where it was written: `annotations[i]` in the transcript, `given_annotations[i]` in `options.annotations`. */
  annotation: string;
  behavior: string;
  source: string;
  turn: number;
  confidence: number | null;
  /** The quote as the source gave it (null for an annotation given by span only). */
  quote: string | null;
  status: AnnotationStatus;
  /** Why it was not counted; null when counted. */
  reason: string | null;
}

/** How the speakers' roles were inferred: the rule, in words, and what it found for each speaker. */
export interface RoleInference {
  rule: string;
  speakers: InferredRole[];
}

export interface InferredRole {
  speaker: string;
  role: Role;
  turns: number;
  turns_ending_in_a_question: number;
  words: number;
  first_turn: number;
}

/** An event read from what was said, standing in for a real event of its type. */
export interface InferredEvent {
  type: string;
  /** The start of the turn it was said in, in seconds (estimated on an untimed transcript). */
  time: number;
  time_estimated: boolean;
  /** What was said; `behavior` holds the event type, `path` the rubric's `inferred_events[N]`. */
  evidence: Evidence;
}

export interface ScaleLevel {
  level: number;
  label: string;
  from: number;
  to: number;
}

/** How much a node's score rests on evidence. */
export type NodeStatus = "scored" | "evidence_against" | "insufficient_evidence" | "not_measurable";

export interface OverallScore {
  /** In [0, 1]; null when nothing could be measured. */
  score: number | null;
  /** On the rubric's scale. */
  scaled: number | null;
  level: number | null;
  label: string | null;
  status: NodeStatus;
  /** The share of the weight below this node that could be measured (0-1). */
  coverage: number;
  /** The level rests on under half of the weight. */
  low_confidence: boolean;
  explain: string;
}

export interface CompetencyScore {
  id: string;
  title: string;
  path: string;
  weight: number;
  score: number | null;
  scaled: number | null;
  level: number | null;
  label: string | null;
  status: NodeStatus;
  /** The share of the weight below this node that could be measured (0-1). */
  coverage: number;
  /** The level rests on under half of the weight. */
  low_confidence: boolean;
  explain: string;
  subcompetencies: SubcompetencyScore[];
}

export interface SubcompetencyScore {
  id: string;
  title: string;
  path: string;
  weight: number;
  score: number | null;
  scaled: number | null;
  level: number | null;
  label: string | null;
  /** What this level looks like here (the rubric's anchor). */
  anchor: string | null;
  status: NodeStatus;
  /** The share of the weight below this node that could be measured (0-1). */
  coverage: number;
  /** The level rests on under half of the weight. */
  low_confidence: boolean;
  evidence_for: number;
  evidence_against: number;
  explain: string;
  behaviors: BehaviorResult[];
  /** Ids of the red flags that hit this sub-competency. */
  red_flags: string[];
  /** The rubric marks it `depth: true`: it counts towards technical depth in the practice loop. */
  depth: boolean;
}

export type BehaviorStatus =
  | "demonstrated"
  | "partial"
  | "not_observed"
  | "contradicted"
  | "not_measurable"
  | "not_applicable";

export interface BehaviorResult {
  id: string;
  title: string;
  path: string;
  weight: number;
  status: BehaviorStatus;
  score: number | null;
  /** Counted mentions: the listed `evidence` plus `evidence_omitted`. */
  count: number;
  /** The target of `count` scoring. */
  target: number | null;
  metric: MetricReading | null;
  /** Why the behavior is not measurable or not applicable. */
  reason: string | null;
  explain: string;
  /** The first 100 counted mentions, in transcript order. */
  evidence: Evidence[];
  /** Negated mentions: evidence against (the first 100). */
  against: Evidence[];
  /** Counted mentions beyond the listed `evidence`; `count` is the full number. */
  evidence_omitted: number;
  /** Negated mentions beyond the listed `against`. */
  against_omitted: number;
  /** Matches that did not count, by the rule that excluded them. */
  ignored: Ignored;
}

export interface Ignored {
  speaker: number;
  round: number;
  window: number;
  order: number;
}

export interface MetricReading {
  name: string;
  value: number | null;
  min: number | null;
  max: number | null;
}

/**
 * Half-open ranges into the original turn text in three units: UTF-8 bytes, code points and UTF-16
 * code units. In JavaScript use `utf16`: `turn.text.slice(span.utf16[0], span.utf16[1])`.
 */
export interface Span {
  bytes: [number, number];
  chars: [number, number];
  utf16: [number, number];
}

export type DetectorKind = "phrase" | "lexicon" | "regex" | "question" | "external";

export interface DetectorInfo {
  kind: DetectorKind;
  /** Path of the detector in the rubric. */
  path: string;
  /** The rubric phrase that matched (phrase, lexicon and question-topic detectors). */
  phrase: string | null;
  lexicon: string | null;
  regex: string | null;
  /** Why a question detector took the sentence as a question. */
  question: QuestionWhy | null;
  /** Where external evidence came from (`external` detectors), or null. */
  external: ExternalWhy | null;
}

/** The provenance of a piece of external evidence: the annotation it came from. */
export interface ExternalWhy {
  /** `llm:<model>`, `human:<rater>` or whatever the annotation says. */
  source: string;
  confidence: number | null;
  rationale: string | null;
  timestamp: string | null;
  /** The annotation's path (`annotations[2]`, `given_annotations[0]`), as in `TranscriptInfo.annotations`. */
  annotation: string;
}

/** `question_mark`: it ends with `?` in a transcript that uses them; `model`: the trained question model. */
export interface QuestionWhy {
  by: "question_mark" | "model";
  /** The model's probability that the sentence is a question; null for `question_mark`. */
  probability: number | null;
  /** The features that weighed most towards a question, strongest first (at most 3). */
  cues: string[];
}

/** One piece of evidence: what was said, where, when and by whom, and which rule found it. */
export interface Evidence {
  /** The behavior (or red flag) id. */
  behavior: string;
  path: string;
  detector: DetectorInfo;
  /** Index of the turn in the transcript. */
  turn: number;
  speaker: string;
  role: Role;
  span: Span;
  /** The original text at `span`. */
  text: string;
  /** The turn's start and end, in seconds. */
  start: number | null;
  end: number | null;
  segment: string | null;
  round: RoundName | null;
  /** The negation cue, for evidence against. */
  negated_by: string | null;
}

export type RedFlagStatus = "triggered" | "clear" | "not_measurable" | "not_applicable";

export interface RedFlagResult {
  id: string;
  title: string;
  path: string;
  /** The node id it applies to, or "overall". */
  applies_to: string;
  penalty: number;
  status: RedFlagStatus;
  count: number;
  min_count: number;
  metric: MetricReading | null;
  reason: string | null;
  explain: string;
  /** The first 100 counted mentions, in transcript order. */
  evidence: Evidence[];
  /** Counted mentions beyond the listed `evidence`; `count` is the full number. */
  evidence_omitted: number;
  ignored: Ignored;
}

export type FeedbackKind = "missing" | "partial" | "contradicted" | "red_flag";

export interface FeedbackItem {
  /** 1 is the most valuable. */
  rank: number;
  kind: FeedbackKind;
  /** The behavior or red flag id. */
  id: string;
  title: string;
  competency: string | null;
  subcompetency: string | null;
  text: string;
  /** How much the overall score (0..1) would rise if this were fixed. */
  gain: number;
}

export interface SpeakerMetrics {
  speaker: string;
  role: Role;
  turns: number;
  words: number;
  talk_seconds: number | null;
  words_per_minute: number | null;
}

export interface Answer {
  first_turn: number;
  last_turn: number;
  words: number;
  start: number | null;
  seconds: number | null;
}

export interface Monologue {
  speaker: string;
  role: Role;
  first_turn: number;
  last_turn: number;
  words: number;
  seconds: number | null;
}

export type HedgeClass = "ignorance" | "epistemic_verb" | "modal" | "adverb" | "approximator" | "estimate";

/** One hedge cue in a candidate turn ("i guess", "kind of", "about 10"). */
export interface HedgeMention {
  turn: number;
  /** The cue as listed in the built-in lexicon, folded ("i dont know"). */
  cue: string;
  class: HedgeClass;
  span: Span;
  text: string;
}

/** An answer (a run of candidate turns) with more hedges than specifics: the answer to push back on. */
export interface VagueAnswer {
  first_turn: number;
  last_turn: number;
  words: number;
  hedges: HedgeMention[];
  /** Numbers, named technologies and concrete outcomes in the answer. */
  specifics: number;
  why: string;
}

export interface Silence {
  /** The gap follows this turn. */
  after_turn: number;
  start: number;
  seconds: number;
}

export interface SegmentOverrun {
  segment: string;
  seconds: number;
  time_limit: number;
}

/** Conversation metrics. Anything that needs timestamps is null on an untimed transcript. */
export interface Metrics {
  timed: boolean;
  turns: number;
  duration_seconds: number | null;
  speakers: SpeakerMetrics[];
  candidate_words: number;
  interviewer_words: number;
  candidate_word_share: number | null;
  candidate_talk_ratio: number | null;
  candidate_words_per_minute: number | null;
  answers: number;
  mean_words_per_answer: number | null;
  max_words_per_answer: number;
  longest_answer_seconds: number | null;
  answer_time_limit_seconds: number;
  answers_over_limit: Answer[] | null;
  longest_monologue: Monologue | null;
  silence_threshold_seconds: number;
  longest_silence_seconds: number | null;
  silences: Silence[] | null;
  candidate_questions: number;
  filler_count: number;
  filler_rate: number | null;
  /** The candidate's backchannels ("uh-huh", "mm-hmm"): listening signals, not fillers. */
  backchannel_count: number;
  /** The candidate's hedges ("i guess", "kind of", "maybe"), and per 100 candidate words. */
  hedge_count: number;
  hedge_rate: number | null;
  /** Answers with at least 2 hedges (estimates and questions aside) and more hedges than specifics. */
  vague_answers: VagueAnswer[];
  /** Vague answers / answers; null without answers. */
  vague_answer_share: number | null;
  segments_over_limit: SegmentOverrun[] | null;
  /** Event type -> seconds from the start of the interview to its first occurrence. */
  time_to_first: Record<string, number>;
}

// ---- Errors ------------------------------------------------------------------------------------

export type RubricErrorKind =
  | "syntax"
  | "schema"
  | "invalid_value"
  | "invalid_regex"
  | "duplicate_id"
  | "unknown_reference"
  | "invalid_weight"
  | "invalid_levels"
  | "empty_detector"
  | "cycle"
  | "limit_exceeded"
  | "not_found";

export type TranscriptErrorKind =
  | "syntax"
  | "schema"
  | "invalid_time"
  | "order"
  | "unknown_role"
  | "unmapped_speaker"
  | "invalid_reference"
  | "empty"
  | "limit_exceeded"
  | "unknown_format"
  | "unlabelled_speech"
  | "unverified_quote";

/** `invalid_argument`: bad options or transcript type; `panic`: a bug in the engine. */
export type ErrorKind =
  | RubricErrorKind
  | TranscriptErrorKind
  | HistoryErrorKind
  | BankErrorKind
  | PlanErrorKind
  | "invalid_argument"
  | "panic"
  | "internal";

/**
 * `syntax` / `schema`: a stored record that is not JSON or not a record; `invalid_value`: an empty
 * candidate name or a candidate the history does not hold.
 */
export type HistoryErrorKind = "syntax" | "schema" | "invalid_value" | "mismatch" | "unsupported_format";

export type BankErrorKind =
  | "syntax"
  | "schema"
  | "invalid_value"
  | "duplicate_id"
  | "unknown_reference"
  | "limit_exceeded"
  | "not_found";

export type PlanErrorKind = "invalid_option";

/** One problem, with where it is. */
export interface ErrorDetail {
  kind: ErrorKind;
  /** Path inside the document, e.g. `competencies[1].subcompetencies[0].behaviors[2]`; "" for the whole. */
  path: string;
  /** 1-based line, where known. */
  line: number | null;
  /** 1-based column, where known. */
  column: number | null;
  message: string;
  /** The name probably meant, where one is close (a misspelt field, limit, behavior or rubric). */
  suggestion: string | null;
}

/**
 * What every function here throws: a JS `Error` whose `kind`, `path`, `line` and `column` are those
 * of the first problem, and whose `errors` lists every problem found (rubric validation does not stop
 * at the first one). Transcript errors for object input have `line` and `column` null.
 */
export interface RubricWasmError extends Error {
  name:
    | "RubricError"
    | "TranscriptError"
    | "HistoryError"
    | "BankError"
    | "PlanError"
    | "ArgumentError"
    | "PanicError"
    | "InternalError";
  kind: ErrorKind;
  path: string;
  line: number | null;
  column: number | null;
  /** The name probably meant, where one is close. */
  suggestion: string | null;
  errors: ErrorDetail[];
}

export interface RubricError extends RubricWasmError {
  name: "RubricError";
  kind: RubricErrorKind;
}

export interface TranscriptError extends RubricWasmError {
  name: "TranscriptError";
  kind: TranscriptErrorKind;
}

export interface HistoryError extends RubricWasmError {
  name: "HistoryError";
  kind: HistoryErrorKind;
}

/** A question bank that does not parse or validate; `errors` lists every problem. */
export interface BankError extends RubricWasmError {
  name: "BankError";
  kind: BankErrorKind;
}

export interface PlanError extends RubricWasmError {
  name: "PlanError";
  kind: PlanErrorKind;
}

// ---- Practice loop: history, trends, plans ----------------------------------------------------

/** An ISO 8601 day, `YYYY-MM-DD`. */
export type IsoDate = string;

/** Options of `sessionLine`: who, when, and how to read the transcript. */
export interface SessionOptions extends ScoreOptions {
  /** The candidate's name (trimmed; must not be empty). */
  candidate: string;
  /** The day of the session, `YYYY-MM-DD`. */
  date: IsoDate;
  /** Default: the rubric's round. */
  round?: RoundName;
  /** Ids of the questions asked (question-bank ids); the transcript's `segments[].question` are added. */
  questions?: string[];
}

/** Options of `trends`. */
export interface TrendsOptions {
  /** Default: the only candidate in the history. */
  candidate?: string;
  /** Sessions the slope is fitted over (the most recent ones); at least 2, default 5. */
  window?: number;
  /** How many weakest sub-competencies to list (default 3). */
  weakest?: number;
}

/** Options of `plan`. */
export interface PlanOptions {
  candidate: string;
  /** Seed of the tie-breaking shuffle: the same seed gives the same plan (default 0). */
  seed?: number | bigint;
  /** Questions wanted, 1 to 1000 (default 10). */
  count?: number;
  /** Default: the rounds in the candidate's history, or every round of the bank. */
  rounds?: RoundName[];
  /** Target date: spread the questions over the days up to it. */
  until?: IsoDate;
  /** First day of the schedule (needs `until`; default today, UTC). */
  start?: IsoDate;
}

/** Options of `renderReport`. */
export interface ReportOptions extends ScoreOptions {
  /** History (JSON Lines text): adds the candidate's trend charts. */
  history?: string;
  /** Needed with `history` when it holds several candidates. */
  candidate?: string;
  /** Page title (default "Interview report"). */
  title?: string;
}

export interface RubricKey {
  id: string;
  version: string;
}

/** Specificity of the candidate's examples: numbers, named technologies, concrete outcomes. */
export interface Specificity {
  candidate_words: number;
  numbers: number;
  technologies: number;
  outcomes: number;
  per_100_words: number | null;
  answers: number;
  answers_with_specifics: number;
  named_technologies: string[];
}

/** One scored session: one line of a history. */
export interface SessionRecord {
  format: number;
  candidate: string;
  date: IsoDate;
  round: RoundName;
  rubric: RubricKey;
  /** Absent when empty. */
  questions?: string[];
  /** Absent when the record was made without the transcript. */
  specificity?: Specificity;
  scorecard: Scorecard;
}

export interface StoredRecord {
  /** 1-based line number. */
  line: number;
  record: SessionRecord;
}

/** A line that could not be read, and why. */
export interface CorruptLine {
  line: number;
  reason: string;
}

/** What `parseHistory` returns: the readable records and the lines that were skipped. */
export interface History {
  records: StoredRecord[];
  problems: CorruptLine[];
}

export type Better = "higher" | "lower" | "neither";
export type Movement = "up" | "down" | "flat" | "unknown";
export type Verdict = "improving" | "declining" | "steady" | "unknown";

export interface TrendPoint {
  date: IsoDate;
  line: number;
  /** null when the session did not measure it. */
  value: number | null;
}

/** How one value moved over the sessions. */
export interface Trend {
  better: Better;
  points: TrendPoint[];
  measured: number;
  first: number | null;
  previous: number | null;
  latest: number | null;
  best: number | null;
  change_since_first: number | null;
  change_since_previous: number | null;
  /** Least-squares slope per session over the last `window` measured sessions. */
  slope: number | null;
  slope_sessions: number;
  moved: Movement;
  verdict: Verdict;
}

export interface NodeTrend {
  id: string;
  title: string;
  /** The parent competency of a sub-competency; null for competencies. */
  competency: string | null;
  trend: Trend;
}

/** The tracked dimensions a coach asks about. */
export interface Dimensions {
  technical_depth: Trend;
  technical_depth_subcompetencies: string[];
  words_per_answer: Trend;
  time_to_first_solution_seconds: Trend;
  specificity_per_100_words: Trend;
}

export interface RoundTrend {
  round: RoundName;
  rubric: RubricKey;
  rubric_title: string;
  sessions: number;
  first_date: IsoDate;
  latest_date: IsoDate;
  overall: Trend;
  competencies: NodeTrend[];
  subcompetencies: NodeTrend[];
  dimensions: Dimensions;
}

export interface WeakArea {
  round: RoundName;
  /** Rubric id. */
  rubric: string;
  competency: string;
  subcompetency: string;
  title: string;
  latest: number;
  change_since_previous: number | null;
  slope: number | null;
  verdict: Verdict;
}

/** A session left out of trends: scored with another rubric version. */
export interface SetAside {
  line: number;
  date: IsoDate;
  round: RoundName;
  rubric: RubricKey;
  reason: string;
}

export interface Trends {
  candidate: string;
  sessions: number;
  rounds: RoundTrend[];
  weakest: WeakArea[];
  set_aside: SetAside[];
}

export type PlanCategory = "weak_area" | "new" | "harder";

export interface RoundLevel {
  round: RoundName;
  difficulty: number;
  basis: string;
}

export interface PlannedQuestion {
  position: number;
  id: string;
  round: RoundName;
  difficulty: number;
  prompt: string;
  category: PlanCategory;
  subcompetencies: string[];
  /** The weak sub-competencies it targets. */
  targets: string[];
  seen_before: boolean;
  /** Why it was chosen. */
  reason: string;
}

/** A share of the mix the bank could not fill. */
export interface Unfilled {
  category: PlanCategory;
  wanted: number;
  filled: number;
  reason: string;
}

export interface PlanDay {
  date: IsoDate;
  questions: string[];
  focus: string[];
  note: string | null;
}

export interface Plan {
  candidate: string;
  seed: number;
  requested: number;
  mix: Record<PlanCategory, number>;
  levels: RoundLevel[];
  weak_areas: WeakArea[];
  questions: PlannedQuestion[];
  unfilled: Unfilled[];
  /** null without `until`. */
  schedule: PlanDay[] | null;
  notes: string[];
}

/** Options of `calibrate`: bootstrap resamples per interval (default 1000, 0 for none) and seed (default 0). */
export interface CalibrateOptions {
  bootstrap?: number;
  seed?: number;
}

/** A 95% bootstrap interval, or null. */
export type Interval = [number, number] | null;

export type LabelErrorKind = "syntax" | "schema" | "invalid_value" | "unknown_reference" | "limit_exceeded";

/** A label row that could not be used: the engine's located-error shape, at the row's line. */
export interface LabelError {
  kind: LabelErrorKind;
  /** The column or field at fault (`node`, `value`), or "" for the row. */
  path: string;
  line: number;
  column: number | null;
  message: string;
  /** The id probably meant, when a transcript or node id is close to one that exists. */
  suggestion?: string;
}

export interface BehaviorAgreement {
  id: string;
  title: string;
  items: number;
  tied: number;
  /** engine status -> raters' majority -> items. */
  confusion: Record<string, Record<string, number>>;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  f1_interval: Interval;
  kappa: number | null;
  kappa_interval: Interval;
  raters_alpha: number | null;
}

export interface NodeAgreement {
  id: string;
  kind: "subcompetency" | "competency" | "overall";
  items: number;
  quadratic_kappa: number | null;
  quadratic_kappa_interval: Interval;
  spearman: number | null;
  spearman_interval: Interval;
  mean_absolute_level_difference: number | null;
  raters_alpha: number | null;
}

export interface Disagreement {
  transcript: string;
  behavior: string;
  engine: "present" | "absent" | "against" | "not_measurable";
  raters: "present" | "absent" | "against";
  votes: Record<string, number>;
  weight: number;
  evidence: { turn: number; quote: string } | null;
}

/** What `calibrate` returns: the engine against human raters (docs/calibration.md). */
export interface Calibration {
  rubric: string;
  transcripts: number;
  raters: string[];
  labels_used: number;
  label_errors: LabelError[];
  behaviors: BehaviorAgreement[];
  nodes: NodeAgreement[];
  disagreements: Disagreement[];
  bootstrap_rounds: number;
  seed: number;
}
