//! The scorecard: the serialisable result of scoring one transcript. Every number carries an
//! `explain` string with its arithmetic; every behavior carries its evidence with exact spans.
//! The JSON form of this type is the contract shared by the CLI, Python and JavaScript.

use serde::{Deserialize, Serialize};

use crate::metrics::Metrics;
pub use crate::rubric::model::DetectorKind;
pub use crate::text::span::Span;
use crate::transcript::{Role, RoleInference, Round};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub rubric: RubricInfo,
    pub transcript: TranscriptInfo,
    pub scale: Vec<ScaleLevel>,
    pub overall: OverallScore,
    pub competencies: Vec<CompetencyScore>,
    pub red_flags: Vec<RedFlagResult>,
    /// What to work on, most valuable first.
    pub feedback: Vec<FeedbackItem>,
    pub metrics: Metrics,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RubricInfo {
    pub id: String,
    pub version: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptInfo {
    pub id: Option<String>,
    pub title: Option<String>,
    pub turns: usize,
    pub timed: bool,
    /// Whether the conversation is known to run to its end; only then is a minimum that was not
    /// reached evidence against.
    pub complete: bool,
    /// The transcript is untimed, so time windows were read from positions estimated at
    /// `ESTIMATED_WORDS_PER_MINUTE`.
    pub times_estimated: bool,
    /// Events the rubric infers from what was said, for event types the transcript lacks.
    pub inferred_events: Vec<InferredEvent>,
    /// How the speakers' roles were inferred, when the importer was asked to infer them.
    pub role_inference: Option<RoleInference>,
    /// What became of each annotation (external evidence), in the transcript's order.
    pub annotations: Vec<AnnotationUse>,
}

/// One annotation and what it did: counted as evidence, or why not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnotationUse {
    /// Where it was written: `annotations[i]` in the transcript, `given_annotations[i]` beside it.
    pub annotation: String,
    pub behavior: String,
    pub source: String,
    pub turn: usize,
    pub confidence: Option<f64>,
    /// The quote as the source gave it.
    pub quote: Option<String>,
    pub status: AnnotationStatus,
    /// Why it was not counted.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnotationStatus {
    /// Evidence for its behavior or red flag.
    Counted,
    /// Verified, but the behavior does not take it (source, confidence, speaker, rules, or the
    /// same words already count).
    NotCounted,
    /// Its quote is not in its turn; kept on request, never counted.
    Unverified,
}

/// An event read from what was said, standing in for a real event of its type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InferredEvent {
    #[serde(rename = "type")]
    pub kind: String,
    /// The start of the turn it was said in, in seconds (estimated on an untimed transcript).
    pub time: f64,
    pub time_estimated: bool,
    /// What was said: turn, speaker, exact span, quote and the detector that found it
    /// (`behavior` holds the event type, `path` the rubric's `inferred_events[N]`).
    pub evidence: Evidence,
}

/// Below this share of its weight measurable, a node's level is marked low confidence.
pub const LOW_CONFIDENCE_COVERAGE: f64 = 0.5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleLevel {
    pub level: i32,
    pub label: String,
    pub from: f64,
    pub to: f64,
}

/// How much a node's score rests on evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeStatus {
    /// At least some evidence for.
    Scored,
    /// Evidence against (negated mentions, failed metric rules, red flags) and none for.
    EvidenceAgainst,
    /// No evidence either way.
    InsufficientEvidence,
    /// Nothing here could be measured on this transcript.
    NotMeasurable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverallScore {
    /// In [0, 1]; `None` when nothing could be measured.
    pub score: Option<f64>,
    /// On the rubric's scale.
    pub scaled: Option<f64>,
    pub level: Option<i32>,
    pub label: Option<String>,
    pub status: NodeStatus,
    /// The share of the weight below this node that could be measured (0-1).
    pub coverage: f64,
    /// The level rests on under `LOW_CONFIDENCE_COVERAGE` of the weight.
    pub low_confidence: bool,
    pub explain: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompetencyScore {
    pub id: String,
    pub title: String,
    pub path: String,
    pub weight: f64,
    pub score: Option<f64>,
    pub scaled: Option<f64>,
    pub level: Option<i32>,
    pub label: Option<String>,
    pub status: NodeStatus,
    /// The share of the weight below this node that could be measured (0-1).
    pub coverage: f64,
    /// The level rests on under `LOW_CONFIDENCE_COVERAGE` of the weight.
    pub low_confidence: bool,
    pub explain: String,
    pub subcompetencies: Vec<SubcompetencyScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubcompetencyScore {
    pub id: String,
    pub title: String,
    pub path: String,
    pub weight: f64,
    pub score: Option<f64>,
    pub scaled: Option<f64>,
    pub level: Option<i32>,
    pub label: Option<String>,
    /// What this level looks like here (the rubric's anchor).
    pub anchor: Option<String>,
    pub status: NodeStatus,
    /// The share of this node's behavior weight that could be measured (0-1).
    pub coverage: f64,
    /// The level rests on under `LOW_CONFIDENCE_COVERAGE` of the weight.
    pub low_confidence: bool,
    pub evidence_for: usize,
    pub evidence_against: usize,
    pub explain: String,
    pub behaviors: Vec<BehaviorResult>,
    /// Ids of the red flags that hit this sub-competency.
    pub red_flags: Vec<String>,
    /// The rubric marks it `depth: true`: it counts towards the practice loop's technical depth.
    /// Absent from scorecards written before the field existed.
    #[serde(default)]
    pub depth: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BehaviorStatus {
    Demonstrated,
    Partial,
    /// No evidence: insufficient evidence.
    NotObserved,
    /// Only evidence against: negated mentions or a failed metric rule.
    Contradicted,
    NotMeasurable,
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BehaviorResult {
    pub id: String,
    pub title: String,
    pub path: String,
    pub weight: f64,
    pub status: BehaviorStatus,
    pub score: Option<f64>,
    /// Counted mentions: the listed `evidence` plus `evidence_omitted`.
    pub count: usize,
    /// The target of `count` scoring.
    pub target: Option<u32>,
    pub metric: Option<MetricReading>,
    /// Why the behavior is not measurable or not applicable.
    pub reason: Option<String>,
    pub explain: String,
    /// The first `MAX_EVIDENCE_ITEMS` (100) counted mentions, in transcript order.
    pub evidence: Vec<Evidence>,
    /// Negated mentions: evidence against (the first 100 of them).
    pub against: Vec<Evidence>,
    /// Counted mentions beyond the listed `evidence`: `count` is always the full number.
    #[serde(default)]
    pub evidence_omitted: usize,
    /// Negated mentions beyond the listed `against`.
    #[serde(default)]
    pub against_omitted: usize,
    /// Matches that did not count, by the rule that excluded them.
    pub ignored: Ignored,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ignored {
    /// Said by a speaker the rule does not listen to.
    pub speaker: usize,
    /// Outside the rule's rounds.
    pub round: usize,
    /// Outside the rule's time window.
    pub window: usize,
    /// On the wrong side of a before/after constraint.
    pub order: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricReading {
    pub name: String,
    pub value: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetectorInfo {
    pub kind: DetectorKind,
    /// Path of the detector in the rubric.
    pub path: String,
    /// The rubric phrase that matched (phrase, lexicon and question-topic detectors).
    pub phrase: Option<String>,
    pub lexicon: Option<String>,
    pub regex: Option<String>,
    /// Why a question detector took the sentence as a question.
    pub question: Option<QuestionWhy>,
    /// Where external evidence came from (`external` detectors).
    pub external: Option<ExternalWhy>,
}

/// The provenance of a piece of external evidence: the annotation it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExternalWhy {
    /// `llm:<model>`, `human:<rater>` or whatever the annotation says.
    pub source: String,
    pub confidence: Option<f64>,
    pub rationale: Option<String>,
    pub timestamp: Option<String>,
    /// The annotation's path (`annotations[2]`, `given_annotations[0]`).
    pub annotation: String,
}

/// Why a sentence was taken as a question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionWhy {
    /// `question_mark`: it ends with `?` in a transcript that uses question marks; `model`: the
    /// question model scored it at or above its threshold (the transcript has no `?`).
    pub by: QuestionBy,
    /// The model's probability that the sentence is a question (4 decimals); `null` for `question_mark`.
    pub probability: Option<f64>,
    /// The features that weighed most towards a question, strongest first (at most 3).
    pub cues: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionBy {
    QuestionMark,
    Model,
}

/// One piece of evidence: exactly what was said, where, when and by whom, and which rule found it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The behavior (or red flag) id; for an inferred event, its type.
    pub behavior: String,
    /// The behavior's path in the rubric.
    pub path: String,
    pub detector: DetectorInfo,
    pub turn: usize,
    pub speaker: String,
    pub role: Role,
    pub span: Span,
    /// The original text at `span` (cut at `MAX_QUOTE_BYTES`, 1,024 bytes, on a character
    /// boundary when the match is longer: only a regex can match that much).
    pub text: String,
    /// The turn's start and end, in seconds.
    pub start: Option<f64>,
    pub end: Option<f64>,
    pub segment: Option<String>,
    pub round: Option<Round>,
    /// The negation cue, for evidence against.
    pub negated_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RedFlagStatus {
    Triggered,
    Clear,
    NotMeasurable,
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedFlagResult {
    pub id: String,
    pub title: String,
    pub path: String,
    /// The node id it applies to, or "overall".
    pub applies_to: String,
    pub penalty: f64,
    pub status: RedFlagStatus,
    pub count: usize,
    pub min_count: u32,
    pub metric: Option<MetricReading>,
    pub reason: Option<String>,
    pub explain: String,
    /// The first `MAX_EVIDENCE_ITEMS` (100) counted mentions, in transcript order.
    pub evidence: Vec<Evidence>,
    /// Counted mentions beyond the listed `evidence`: `count` is always the full number.
    #[serde(default)]
    pub evidence_omitted: usize,
    pub ignored: Ignored,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackKind {
    /// A behavior with no evidence.
    Missing,
    /// A behavior below its target.
    Partial,
    /// A behavior with only evidence against.
    Contradicted,
    /// A triggered red flag.
    RedFlag,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackItem {
    /// 1 is the most valuable.
    pub rank: usize,
    pub kind: FeedbackKind,
    /// The behavior or red flag id.
    pub id: String,
    pub title: String,
    pub competency: Option<String>,
    pub subcompetency: Option<String>,
    pub text: String,
    /// How much the overall score (0..1) would rise if this were fixed.
    pub gain: f64,
}

impl Scorecard {
    /// Pretty JSON, the form golden files and the CLI use.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scorecard always serialises")
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a scorecard always serialises")
    }

    /// Every behavior result, in rubric order.
    pub fn behaviors(&self) -> impl Iterator<Item = &BehaviorResult> {
        self.competencies.iter().flat_map(|c| &c.subcompetencies).flat_map(|s| &s.behaviors)
    }

    pub fn behavior(&self, id: &str) -> Option<&BehaviorResult> {
        self.behaviors().find(|b| b.id == id)
    }
}
