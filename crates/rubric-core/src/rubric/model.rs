//! The rubric document as written in YAML: plain serde types, checked for types and unknown keys by
//! serde and for meaning by `validate`. See `docs/rubric-format.md` for what every key means.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::transcript::Round;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricSpec {
    pub id: String,
    pub version: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<Round>,
    pub scale: ScaleSpec,
    #[serde(default)]
    pub settings: SettingsSpec,
    /// Event types this rubric refers to beyond the built-in ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<String>,
    /// Events found in what was said, used when a transcript has no real event of that type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred_events: Vec<InferredEventSpec>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub lexicons: BTreeMap<String, Vec<String>>,
    pub competencies: Vec<CompetencySpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_flags: Vec<CriterionSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleSpec {
    pub levels: Vec<LevelSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelSpec {
    pub level: i32,
    pub label: String,
    pub from: f64,
    pub to: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsSpec {
    #[serde(default)]
    pub negation: NegationSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silence_threshold_seconds: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_time_limit_seconds: Option<f64>,
    /// Name of the lexicon used for the filler metrics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fillers: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NegationSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cues: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub post_cues: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompetencySpec {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default = "one")]
    pub weight: f64,
    pub subcompetencies: Vec<SubcompetencySpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubcompetencySpec {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default = "one")]
    pub weight: f64,
    /// Counts towards the practice loop's technical depth: where the candidate shows command of
    /// the subject rather than process or communication (solution design, complexity, ...).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub depth: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchors: Vec<AnchorSpec>,
    pub behaviors: Vec<CriterionSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnchorSpec {
    pub level: i32,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<f64>,
}

/// An event read from what was said ("let me start coding" for `code_start`): its first
/// counted mention stands in for the event on a transcript that has no real event of this type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InferredEventSpec {
    pub event: String,
    #[serde(default = "anyone")]
    pub speaker: SpeakerSelector,
    pub detectors: Vec<DetectorSpec>,
    #[serde(default)]
    pub negation: NegationSetting,
}

fn anyone() -> SpeakerSelector {
    SpeakerSelector::Any
}

/// A behavior or a red flag: both select turns the same way and detect evidence the same way; they
/// differ in what the evidence does (earn credit or subtract a penalty). Keys that belong to only
/// one of the two are rejected on the other by validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionSpec {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Behaviors only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    #[serde(default)]
    pub speaker: SpeakerSelector,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounds: Option<Vec<Round>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<WindowSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<OrderSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<OrderSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub detectors: Vec<DetectorSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<MetricCondition>,
    #[serde(default)]
    pub negation: NegationSetting,
    /// Behaviors only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoring: Option<ScoringSpec>,
    pub feedback: String,
    /// Red flags only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalty: Option<f64>,
    /// Red flags only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_to: Option<String>,
    /// Red flags only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_count: Option<u32>,
}

/// A criterion's negation rule: `true` (the rubric's settings, the default), `false` (negated
/// mentions count), or the rubric's settings with this criterion's own window and extra cues.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum NegationSetting {
    Enabled(bool),
    Custom(NegationSpec),
}

impl Default for NegationSetting {
    fn default() -> Self {
        NegationSetting::Enabled(true)
    }
}

/// Whose turns a criterion looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpeakerSelector {
    #[default]
    Candidate,
    Interviewer,
    Any,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowSpec {
    #[serde(default)]
    pub from: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<f64>,
    #[serde(default)]
    pub relative_to: WindowOrigin,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowOrigin {
    #[default]
    Interview,
    Segment,
}

/// `{ event: TYPE }` or `{ behavior: ID }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behavior: Option<String>,
}

/// The kind of a detector, as reported in evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DetectorKind {
    Phrase,
    Lexicon,
    Regex,
    Question,
    /// Annotations made outside the engine; never scanned for.
    External,
}

/// Exactly one key per detector; validation enforces it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectorSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phrases: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lexicon: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<QuestionSpec>,
    /// Annotations on the transcript (a language-model judge, a human annotator) for this behavior.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<ExternalSpec>,
}

/// Which annotations a behavior takes: from these sources (all when left out; `llm:*` takes every
/// source starting `llm:`) and with at least this confidence (an annotation without one then
/// does not count).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_confidence: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about_lexicon: Option<String>,
    /// A question containing one of these phrases does not count ("can you hear me", "should i use
    /// the editor"): with no `about`, "any question but these".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub except: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub except_lexicon: Option<String>,
}

impl ExternalSpec {
    /// Whether annotations from `source` are taken: every source when none are listed; a listed
    /// source ending in `*` takes every source that starts with the rest.
    pub fn takes_source(&self, source: &str) -> bool {
        self.sources.as_ref().is_none_or(|sources| {
            sources.iter().any(|s| match s.strip_suffix('*') {
                Some(prefix) => source.starts_with(prefix),
                None => s == source,
            })
        })
    }
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricCondition {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringSpec {
    pub mode: ScoringMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoringMode {
    Presence,
    Count,
}

fn one() -> f64 {
    1.0
}
