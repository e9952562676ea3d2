//! `RubricSpec` -> `CompiledRubric`: every semantic check, with every error collected (not just the
//! first), then the immutable structures scoring needs: a flat list of criteria (behaviors, then
//! red flags) in evaluation order, the level bands of each node and one matcher for all detectors.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::model::{
    CriterionSpec, DetectorKind, DetectorSpec, ExternalSpec, LevelSpec, MetricCondition, NegationSetting, NegationSpec,
    OrderSpec, RubricSpec, ScoringMode, SpeakerSelector, WindowOrigin,
};
use crate::error::{RubricError, RubricErrorKind as Kind, RubricErrors};
use crate::limits::Limits;
use crate::matching::{BuildRefusal, Matcher, MatcherBuilder, RegexMeasure, RegexRefusal};
use crate::metrics::is_known_metric;
use crate::text::{normalize_phrase, NegationRules};
use crate::transcript::Round;
use crate::util::yaml_position::PositionIndex;

/// Event types every rubric may refer to without declaring them.
pub const BUILT_IN_EVENTS: &[&str] =
    &["code_run", "compile_error", "tests_passed", "tests_failed", "submitted", "hint_given"];

/// Filler words used for the filler metrics when a rubric names no lexicon.
/// Backchannels: a listener's "I hear you" (SWBD-DAMSL `b`), never fillers, whatever a rubric's filler
/// list says. Spelled as transcribers and speech-to-text write them.
pub const BACKCHANNELS: &[&str] = &[
    "uh-huh", "uh huh", "uhhuh", "uh-hum", "um-hum", "um hum", "umhum", "mm-hmm", "mm hmm", "mmhmm", "mm-hm", "mmhm",
    "mhm", "mhmm", "m-hm", "hm-hmm", "hmm-mm", "mm-mm", "uh-uh", "huh-uh",
];

pub const DEFAULT_FILLERS: &[&str] = &[
    "um",
    "uh",
    "umm",
    "uhm",
    "erm",
    "er",
    "hmm",
    "you know",
    "i mean",
    "kind of",
    "sort of",
    "basically",
    "literally",
];

const DEFAULT_SILENCE_THRESHOLD: f64 = 20.0;
const DEFAULT_ANSWER_LIMIT: f64 = 120.0;

/// A score band of one level.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub level: i32,
    pub label: String,
    pub from: f64,
    pub to: f64,
    /// The anchor: what this level looks like (sub-competencies only).
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CompetencyNode {
    pub id: String,
    pub title: String,
    pub path: String,
    pub weight: f64,
    pub subcompetencies: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct SubcompetencyNode {
    pub id: String,
    pub title: String,
    pub path: String,
    pub weight: f64,
    pub competency: usize,
    pub bands: Vec<Band>,
    pub behaviors: Vec<usize>,
    /// The rubric's `depth: true`.
    pub depth: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scoring {
    Presence,
    Count(u32),
}

#[derive(Debug, Clone, PartialEq)]
pub enum OrderRef {
    Event(String),
    /// A criterion index.
    Behavior(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub from: f64,
    pub to: Option<f64>,
    pub origin: WindowOrigin,
}

/// Where a red flag's penalty goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Overall,
    Competency(usize),
    Subcompetency(usize),
}

/// A behavior or a red flag, resolved.
#[derive(Debug, Clone)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    pub path: String,
    pub is_red_flag: bool,
    pub weight: f64,
    pub speaker: SpeakerSelector,
    pub rounds: Option<Vec<Round>>,
    pub window: Option<Window>,
    pub before: Option<OrderRef>,
    pub after: Option<OrderRef>,
    pub metric: Option<MetricCondition>,
    /// Index into `CompiledRubric::negation` (0 is the rubric's own rules), or `None` when negated
    /// mentions count.
    pub negation: Option<usize>,
    pub scoring: Scoring,
    pub feedback: String,
    pub penalty: f64,
    pub target: Target,
    pub min_count: u32,
    /// The index of its `external` detector, if it takes annotations (at most one).
    pub external: Option<usize>,
    /// It has no detector but its `external` one: it is measured by annotations alone.
    pub annotations_only: bool,
}

/// One detector of one criterion.
#[derive(Debug, Clone)]
pub struct Detector {
    pub criterion: usize,
    pub kind: DetectorKind,
    pub path: String,
    /// The lexicon a `lexicon` or `question.about_lexicon` detector uses.
    pub lexicon: Option<String>,
    /// The regex source, for regex detectors.
    pub pattern: Option<String>,
    /// Which annotations an external detector takes.
    pub external: Option<ExternalSpec>,
}

/// What compiling the criteria fills in, in order: each criterion, its detectors and the matcher
/// they add patterns to.
#[derive(Default)]
struct Parts {
    criteria: Vec<Criterion>,
    detectors: Vec<Detector>,
    matcher: MatcherBuilder,
}

/// Marks each criterion's `external` detector, and whether it has no other: known once the
/// detectors are built, and what every scoring with annotations asks.
fn mark_external_detectors(criteria: &mut [Criterion], detectors: &[Detector]) {
    let mut built_in = vec![false; criteria.len()];
    for (index, detector) in detectors.iter().enumerate() {
        match detector.external {
            Some(_) => criteria[detector.criterion].external = Some(index),
            None => built_in[detector.criterion] = true,
        }
    }
    for (criterion, built_in) in criteria.iter_mut().zip(built_in) {
        criterion.annotations_only = criterion.external.is_some() && !built_in;
    }
}

/// Everything scoring needs, built once.
#[derive(Debug)]
pub struct CompiledRubric {
    pub spec: RubricSpec,
    pub scale: Vec<Band>,
    pub competencies: Vec<CompetencyNode>,
    pub subcompetencies: Vec<SubcompetencyNode>,
    pub criteria: Vec<Criterion>,
    /// Criteria in an order where every behavior comes after the behaviors its order constraints
    /// refer to; red flags last.
    pub evaluation_order: Vec<usize>,
    pub detectors: Vec<Detector>,
    /// (event type, criterion index) of each inferred event; their criteria follow the red flags
    /// and are never scored themselves.
    pub inferred_events: Vec<(String, usize)>,
    /// The behaviors and red flags: the first this many criteria (inferred events follow them).
    pub rubric_criteria: usize,
    /// Whether a question detector listens to turns other than the candidate's. Candidate turns
    /// are always split into questions (the question metrics need them); the others only then,
    /// since the question model costs more than the rest of the scan.
    pub hears_others_ask: bool,
    pub matcher: Matcher,
    /// The rubric's negation rules first, then those of criteria with their own settings.
    pub negation: Vec<NegationRules>,
    pub silence_threshold: f64,
    pub answer_time_limit: f64,
}

/// Validates and compiles `spec`. `yaml`, when given, locates errors by line and column.
pub(crate) fn compile(spec: RubricSpec, yaml: Option<&str>, limits: &Limits) -> Result<CompiledRubric, RubricErrors> {
    let mut compiler = Compiler::new(&spec, limits, RegexMeasure::Together);
    let mut built = compiler.build();
    // Regexes measured together report no errors of their own; a rubric with any error is
    // compiled again with each regex measured as it is added, which gives every error in its
    // place (the error path only).
    if built.is_none() && compiler.regexes_added > 0 {
        compiler = Compiler::new(&spec, limits, RegexMeasure::OneByOne);
        built = compiler.build();
    }
    let mut errors = compiler.errors;
    if !errors.is_empty() {
        if let Some(yaml) = yaml {
            let index = PositionIndex::build(yaml);
            for error in &mut errors {
                if let Some((line, column)) = index.locate(&error.path) {
                    error.line = Some(line);
                    error.column = Some(column);
                }
            }
        }
        return Err(RubricErrors::new(errors));
    }
    let parts = built.expect("no errors means the rubric was built");
    Ok(CompiledRubric { spec, ..parts })
}

struct Compiler<'a> {
    spec: &'a RubricSpec,
    limits: &'a Limits,
    errors: Vec<RubricError>,
    /// Every node id -> the path where it was first defined.
    ids: HashMap<String, String>,
    /// Criteria's own negation settings, in order; compiled after the rubric's.
    custom_negation: Vec<NegationSpec>,
    regex_measure: RegexMeasure,
    /// Regexes that parsed and were handed to the matcher.
    regexes_added: usize,
}

impl<'a> Compiler<'a> {
    fn new(spec: &'a RubricSpec, limits: &'a Limits, regex_measure: RegexMeasure) -> Self {
        Compiler {
            spec,
            limits,
            errors: Vec::new(),
            ids: HashMap::new(),
            custom_negation: Vec::new(),
            regex_measure,
            regexes_added: 0,
        }
    }
}

impl Compiler<'_> {
    fn error(&mut self, kind: Kind, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(RubricError::new(kind, path, message));
    }

    fn build(&mut self) -> Option<CompiledRubric> {
        let spec = self.spec;
        self.check_header();
        let scale = self.scale(&spec.scale.levels);
        self.lexicons();
        self.check_settings();
        // First pass: ids of every node, so references can point forwards.
        let behavior_index = self.collect_ids();
        let mut parts = Parts { matcher: MatcherBuilder::new(self.regex_measure), ..Parts::default() };
        let (competencies, subcompetencies) = self.tree(&scale, &behavior_index, &mut parts);
        let behavior_count = parts.criteria.len();
        for (ri, flag) in spec.red_flags.iter().enumerate() {
            let path = format!("red_flags[{ri}]");
            let index = parts.criteria.len();
            let mut criterion =
                self.criterion(&path, flag, true, &behavior_index, index, &mut parts.detectors, &mut parts.matcher);
            criterion.target = self.target(&path, flag.applies_to.as_deref(), &competencies, &subcompetencies);
            parts.criteria.push(criterion);
        }
        self.check_criteria_count(parts.criteria.len());
        let evaluation_order = self.evaluation_order(&parts.criteria, behavior_count);
        let rubric_criteria = parts.criteria.len();
        let inferred_events =
            self.inferred_events(&behavior_index, &mut parts.criteria, &mut parts.detectors, &mut parts.matcher);
        self.add_fillers_and_backchannels(&mut parts.matcher);
        let Parts { mut criteria, detectors, matcher } = parts;
        mark_external_detectors(&mut criteria, &detectors);
        if !self.errors.is_empty() {
            return None;
        }
        self.check_pattern_counts(&matcher);
        if !self.errors.is_empty() {
            return None;
        }
        let matcher = match matcher.build(self.limits) {
            Ok(matcher) => matcher,
            Err(BuildRefusal::Combine(message)) => {
                self.error(Kind::LimitExceeded, "", message);
                return None;
            }
            // `compile` measures again, one by one.
            Err(BuildRefusal::MeasureOneByOne) => return None,
        };
        let hears_others_ask = detectors
            .iter()
            .any(|d| d.kind == DetectorKind::Question && criteria[d.criterion].speaker != SpeakerSelector::Candidate);
        let settings = &spec.settings;
        Some(CompiledRubric {
            spec: RubricSpec { ..self.spec.clone() },
            scale,
            competencies,
            subcompetencies,
            criteria,
            evaluation_order,
            detectors,
            inferred_events,
            rubric_criteria,
            hears_others_ask,
            matcher,
            negation: self.negation_rule_sets(),
            silence_threshold: settings.silence_threshold_seconds.unwrap_or(DEFAULT_SILENCE_THRESHOLD),
            answer_time_limit: settings.answer_time_limit_seconds.unwrap_or(DEFAULT_ANSWER_LIMIT),
        })
    }

    /// The rubric's id, version and title.
    fn check_header(&mut self) {
        let spec = self.spec;
        self.check_id("id", &spec.id, false);
        if spec.version.trim().is_empty() {
            self.error(Kind::InvalidValue, "version", "the version is empty");
        }
        if spec.title.trim().is_empty() {
            self.error(Kind::InvalidValue, "title", "the title is empty");
        }
    }

    /// `settings` (negation, time thresholds, the fillers lexicon) and the declared `events`.
    fn check_settings(&mut self) {
        let spec = self.spec;
        let settings = &spec.settings;
        self.check_negation("settings.negation", &settings.negation);
        for (key, value) in [
            ("settings.silence_threshold_seconds", settings.silence_threshold_seconds),
            ("settings.answer_time_limit_seconds", settings.answer_time_limit_seconds),
        ] {
            if value.is_some_and(|v| !(v.is_finite() && v > 0.0)) {
                self.error(Kind::InvalidValue, key, "expected a positive number of seconds");
            }
        }
        if let Some(name) = &settings.fillers {
            if !spec.lexicons.contains_key(name) {
                self.unknown_lexicon("settings.fillers", name);
            }
        }
        for (i, event) in spec.events.iter().enumerate() {
            if event.trim().is_empty() || event.chars().any(char::is_whitespace) {
                self.error(
                    Kind::InvalidValue,
                    format!("events[{i}]"),
                    "an event type is one word, e.g. diagram_shared",
                );
            }
        }
    }

    /// Competencies, their sub-competencies and behaviors, with the behaviors' criteria and
    /// detectors added to `parts`.
    fn tree(
        &mut self,
        scale: &[Band],
        behavior_index: &HashMap<String, usize>,
        parts: &mut Parts,
    ) -> (Vec<CompetencyNode>, Vec<SubcompetencyNode>) {
        let spec = self.spec;
        let mut competencies = Vec::new();
        let mut subcompetencies = Vec::new();
        if spec.competencies.is_empty() {
            self.error(Kind::Schema, "competencies", "a rubric needs at least one competency");
        }
        self.check_weights("competencies", spec.competencies.iter().map(|c| c.weight));
        for (ci, competency) in spec.competencies.iter().enumerate() {
            let path = format!("competencies[{ci}]");
            self.check_text(&format!("{path}.title"), &competency.title);
            if competency.subcompetencies.is_empty() {
                self.error(
                    Kind::Schema,
                    format!("{path}.subcompetencies"),
                    "a competency needs at least one sub-competency",
                );
            }
            self.check_weights(&format!("{path}.subcompetencies"), competency.subcompetencies.iter().map(|s| s.weight));
            let mut sub_indices = Vec::new();
            for (si, sub) in competency.subcompetencies.iter().enumerate() {
                let sub_path = format!("{path}.subcompetencies[{si}]");
                sub_indices.push(subcompetencies.len());
                let node = self.subcompetency(sub_path, sub, ci, scale, behavior_index, parts);
                subcompetencies.push(node);
            }
            competencies.push(CompetencyNode {
                id: competency.id.clone(),
                title: competency.title.clone(),
                path,
                weight: competency.weight,
                subcompetencies: sub_indices,
            });
        }
        (competencies, subcompetencies)
    }

    /// One sub-competency of competency `ci`, its behaviors compiled into `parts`.
    fn subcompetency(
        &mut self,
        sub_path: String,
        sub: &super::model::SubcompetencySpec,
        ci: usize,
        scale: &[Band],
        behavior_index: &HashMap<String, usize>,
        parts: &mut Parts,
    ) -> SubcompetencyNode {
        self.check_text(&format!("{sub_path}.title"), &sub.title);
        let bands = self.anchors(&sub_path, sub, scale);
        if sub.behaviors.is_empty() {
            self.error(Kind::Schema, format!("{sub_path}.behaviors"), "a sub-competency needs at least one behavior");
        }
        self.check_weights(&format!("{sub_path}.behaviors"), sub.behaviors.iter().map(|b| b.weight.unwrap_or(1.0)));
        let mut behavior_indices = Vec::new();
        for (bi, behavior) in sub.behaviors.iter().enumerate() {
            let b_path = format!("{sub_path}.behaviors[{bi}]");
            let index = parts.criteria.len();
            behavior_indices.push(index);
            let criterion = self.criterion(
                &b_path,
                behavior,
                false,
                behavior_index,
                index,
                &mut parts.detectors,
                &mut parts.matcher,
            );
            parts.criteria.push(criterion);
        }
        SubcompetencyNode {
            id: sub.id.clone(),
            title: sub.title.clone(),
            path: sub_path,
            weight: sub.weight,
            competency: ci,
            bands,
            behaviors: behavior_indices,
            depth: sub.depth,
        }
    }

    /// The filler lexicon (the rubric's `settings.fillers` or the default list) and the
    /// backchannels, which the matcher tells apart from fillers.
    fn add_fillers_and_backchannels(&self, matcher: &mut MatcherBuilder) {
        let spec = self.spec;
        let fillers: Vec<String> = match &spec.settings.fillers {
            Some(name) => spec.lexicons.get(name).cloned().unwrap_or_default(),
            None => DEFAULT_FILLERS.iter().map(|s| (*s).to_string()).collect(),
        };
        for filler in &fillers {
            matcher.add_filler(filler);
        }
        for backchannel in BACKCHANNELS {
            matcher.add_backchannel(backchannel);
        }
    }

    /// The limit on behaviors and red flags.
    fn check_criteria_count(&mut self, criteria: usize) {
        if criteria > self.limits.max_criteria {
            self.error(
                Kind::LimitExceeded,
                "",
                format!(
                    "{criteria} behaviors and red flags exceed the limit of {} (max_criteria)",
                    self.limits.max_criteria
                ),
            );
        }
    }

    /// The limits on regex detectors and phrases, checked once the rubric is otherwise valid.
    fn check_pattern_counts(&mut self, matcher: &MatcherBuilder) {
        let regex_count = matcher.regex_count();
        if regex_count > self.limits.max_regexes {
            self.error(
                Kind::LimitExceeded,
                "",
                format!("{regex_count} regex detectors exceed the limit of {} (max_regexes)", self.limits.max_regexes),
            );
        }
        if matcher.phrase_count() > self.limits.max_phrases {
            self.error(
                Kind::LimitExceeded,
                "",
                format!(
                    "{} phrases exceed the limit of {} (max_phrases)",
                    matcher.phrase_count(),
                    self.limits.max_phrases
                ),
            );
        }
    }

    /// The negation rule sets: the rubric's own (index 0), then each criterion's custom one.
    fn negation_rule_sets(&self) -> Vec<NegationRules> {
        let settings = &self.spec.settings;
        let window = settings.negation.window.unwrap_or(NegationRules::DEFAULT_WINDOW);
        std::iter::once(NegationRules::new(window, &settings.negation.cues, &settings.negation.post_cues))
            .chain(self.custom_negation.iter().map(|own| {
                let cues: Vec<String> = settings.negation.cues.iter().chain(&own.cues).cloned().collect();
                let post: Vec<String> = settings.negation.post_cues.iter().chain(&own.post_cues).cloned().collect();
                NegationRules::new(own.window.unwrap_or(window), &cues, &post)
            }))
            .collect()
    }

    fn check_negation(&mut self, path: &str, spec: &NegationSpec) {
        if spec.window.is_some_and(|w| !(1..=50).contains(&w)) {
            self.error(Kind::InvalidValue, format!("{path}.window"), "expected a number of words from 1 to 50");
        }
        for (key, cues) in [("cues", &spec.cues), ("post_cues", &spec.post_cues)] {
            if let Some(i) = cues.iter().position(|c| normalize_phrase(c).is_empty()) {
                self.error(Kind::EmptyDetector, format!("{path}.{key}[{i}]"), "the cue is empty");
            }
        }
    }

    fn check_text(&mut self, path: &str, text: &str) {
        if text.trim().is_empty() {
            self.error(Kind::InvalidValue, path, "expected non-empty text");
        }
    }

    fn check_id(&mut self, path: &str, id: &str, register: bool) {
        let valid = id.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !valid {
            self.error(
                Kind::InvalidValue,
                path,
                format!(
                    "invalid id \"{id}\": use lower-case letters, digits, '_' and '-', starting with a letter or digit"
                ),
            );
        }
        if register {
            if let Some(first) = self.ids.get(id) {
                let message = format!("duplicate id \"{id}\", first defined at {first}");
                self.error(Kind::DuplicateId, path, message);
            } else {
                self.ids.insert(id.to_string(), path.to_string());
            }
        }
    }

    /// Registers every node id; returns behavior id -> criterion index.
    fn collect_ids(&mut self) -> HashMap<String, usize> {
        let spec = self.spec;
        let mut behaviors = HashMap::new();
        let mut index = 0;
        for (ci, competency) in spec.competencies.iter().enumerate() {
            self.check_id(&format!("competencies[{ci}].id"), &competency.id, true);
            for (si, sub) in competency.subcompetencies.iter().enumerate() {
                self.check_id(&format!("competencies[{ci}].subcompetencies[{si}].id"), &sub.id, true);
                for (bi, behavior) in sub.behaviors.iter().enumerate() {
                    let path = format!("competencies[{ci}].subcompetencies[{si}].behaviors[{bi}].id");
                    self.check_id(&path, &behavior.id, true);
                    behaviors.entry(behavior.id.clone()).or_insert(index);
                    index += 1;
                }
            }
        }
        for (ri, flag) in spec.red_flags.iter().enumerate() {
            self.check_id(&format!("red_flags[{ri}].id"), &flag.id, true);
        }
        behaviors
    }

    fn check_weights(&mut self, path: &str, weights: impl Iterator<Item = f64>) {
        let weights: Vec<f64> = weights.collect();
        let mut all_valid = true;
        for (i, weight) in weights.iter().enumerate() {
            if !(weight.is_finite() && *weight >= 0.0) {
                all_valid = false;
                self.error(
                    Kind::InvalidWeight,
                    format!("{path}[{i}].weight"),
                    format!("weight {weight} must be a finite number >= 0"),
                );
            }
        }
        if all_valid && !weights.is_empty() && weights.iter().all(|w| *w == 0.0) {
            self.error(
                Kind::InvalidWeight,
                path,
                "the weights of these siblings are all 0; at least one must be positive",
            );
        }
    }

    fn scale(&mut self, levels: &[LevelSpec]) -> Vec<Band> {
        if levels.len() < 2 {
            self.error(Kind::InvalidLevels, "scale.levels", "a scale needs at least two levels");
        }
        for (i, level) in levels.iter().enumerate() {
            self.check_text(&format!("scale.levels[{i}].label"), &level.label);
            if i > 0 && level.level != levels[i - 1].level + 1 {
                self.error(
                    Kind::InvalidLevels,
                    format!("scale.levels[{i}].level"),
                    format!(
                        "levels must be consecutive integers in ascending order; expected {}",
                        levels[i - 1].level + 1
                    ),
                );
            }
        }
        let bands: Vec<(i32, f64, f64)> = levels.iter().map(|l| (l.level, l.from, l.to)).collect();
        self.check_bands("scale.levels", &bands);
        levels
            .iter()
            .map(|l| Band { level: l.level, label: l.label.clone(), from: l.from, to: l.to, description: None })
            .collect()
    }

    /// Bands must tile [0, 1]: first from 0, last to 1, each from == previous to, from < to.
    /// The comparisons are exact on purpose: the bands are written as decimals and must meet.
    #[allow(clippy::float_cmp)]
    fn check_bands(&mut self, path: &str, bands: &[(i32, f64, f64)]) {
        for (i, &(level, from, to)) in bands.iter().enumerate() {
            let at = format!("{path}[{i}]");
            if !(from.is_finite() && to.is_finite() && (0.0..=1.0).contains(&from) && (0.0..=1.0).contains(&to)) {
                self.error(Kind::InvalidLevels, at, format!("level {level}: from and to must lie in [0, 1]"));
                continue;
            }
            if from >= to {
                self.error(
                    Kind::InvalidLevels,
                    at.clone(),
                    format!("level {level}: from ({from}) must be below to ({to})"),
                );
            }
            if i == 0 && from != 0.0 {
                self.error(
                    Kind::InvalidLevels,
                    format!("{at}.from"),
                    format!("the first band starts at {from}; it must start at 0"),
                );
            }
            if i + 1 == bands.len() && to != 1.0 {
                self.error(
                    Kind::InvalidLevels,
                    format!("{at}.to"),
                    format!("the last band ends at {to}; it must end at 1"),
                );
            }
            if i > 0 {
                let (previous_level, _, previous_to) = bands[i - 1];
                if from > previous_to {
                    self.error(
                        Kind::InvalidLevels,
                        format!("{at}.from"),
                        format!(
                            "gap between level {previous_level} (to {previous_to}) and level {level} (from {from})"
                        ),
                    );
                } else if from < previous_to {
                    self.error(
                        Kind::InvalidLevels,
                        format!("{at}.from"),
                        format!("level {level} (from {from}) overlaps level {previous_level} (to {previous_to})"),
                    );
                }
            }
        }
    }

    fn anchors(&mut self, path: &str, sub: &super::model::SubcompetencySpec, scale: &[Band]) -> Vec<Band> {
        if sub.anchors.is_empty() {
            return scale.to_vec();
        }
        let anchors_path = format!("{path}.anchors");
        let expected: Vec<i32> = scale.iter().map(|b| b.level).collect();
        let given: Vec<i32> = sub.anchors.iter().map(|a| a.level).collect();
        if given != expected {
            self.error(
                Kind::InvalidLevels,
                anchors_path.clone(),
                format!(
                    "anchors must list every scale level once, in order: expected levels {expected:?}, found {given:?}"
                ),
            );
            return scale.to_vec();
        }
        for (i, anchor) in sub.anchors.iter().enumerate() {
            self.check_text(&format!("{anchors_path}[{i}].description"), &anchor.description);
        }
        let with_bands = sub.anchors.iter().filter(|a| a.from.is_some() || a.to.is_some()).count();
        let own_bands = with_bands > 0;
        if own_bands {
            if let Some(i) = sub.anchors.iter().position(|a| a.from.is_none() || a.to.is_none()) {
                self.error(
                    Kind::InvalidLevels,
                    format!("{anchors_path}[{i}]"),
                    "when one anchor gives from/to, every anchor must give both",
                );
                return scale.to_vec();
            }
            let bands: Vec<(i32, f64, f64)> =
                sub.anchors.iter().map(|a| (a.level, a.from.unwrap_or(0.0), a.to.unwrap_or(0.0))).collect();
            self.check_bands(&anchors_path, &bands);
        }
        sub.anchors
            .iter()
            .zip(scale)
            .map(|(anchor, band)| Band {
                level: anchor.level,
                label: band.label.clone(),
                from: if own_bands { anchor.from.unwrap_or(band.from) } else { band.from },
                to: if own_bands { anchor.to.unwrap_or(band.to) } else { band.to },
                description: Some(anchor.description.clone()),
            })
            .collect()
    }

    fn lexicons(&mut self) {
        let spec = self.spec;
        for (name, phrases) in &spec.lexicons {
            let path = format!("lexicons.{name}");
            if phrases.is_empty() {
                self.error(Kind::EmptyDetector, path.clone(), "the lexicon has no phrases");
            }
            for (i, phrase) in phrases.iter().enumerate() {
                if normalize_phrase(phrase).is_empty() {
                    self.error(Kind::EmptyDetector, format!("{path}[{i}]"), "the phrase is empty after normalisation");
                }
            }
        }
    }

    fn unknown_lexicon(&mut self, path: &str, name: &str) {
        let known: Vec<&str> = self.spec.lexicons.keys().map(String::as_str).collect();
        let message = if known.is_empty() {
            format!("unknown lexicon \"{name}\": the rubric defines no lexicons")
        } else {
            format!("unknown lexicon \"{name}\"; defined lexicons: {}", known.join(", "))
        };
        self.error(Kind::UnknownReference, path, message);
    }

    #[allow(clippy::too_many_arguments)]
    fn criterion(
        &mut self,
        path: &str,
        spec: &CriterionSpec,
        is_red_flag: bool,
        behaviors: &HashMap<String, usize>,
        index: usize,
        detectors: &mut Vec<Detector>,
        matcher: &mut MatcherBuilder,
    ) -> Criterion {
        self.check_text(&format!("{path}.title"), &spec.title);
        self.check_text(&format!("{path}.feedback"), &spec.feedback);
        self.check_misplaced_keys(path, spec, is_red_flag);
        let penalty = if is_red_flag { self.red_flag_penalty(path, spec.penalty) } else { 0.0 };
        let min_count = spec.min_count.unwrap_or(1);
        if min_count == 0 {
            self.error(Kind::InvalidValue, format!("{path}.min_count"), "min_count must be at least 1");
        }
        let scoring = self.scoring(path, spec.scoring.as_ref());
        let window = spec.window.as_ref().map(|w| self.time_window(path, w));
        if spec.rounds.as_ref().is_some_and(Vec::is_empty) {
            self.error(Kind::InvalidValue, format!("{path}.rounds"), "list at least one round, or leave `rounds` out");
        }
        let before = spec.before.as_ref().and_then(|o| self.order(&format!("{path}.before"), o, behaviors, index));
        let after = spec.after.as_ref().and_then(|o| self.order(&format!("{path}.after"), o, behaviors, index));
        self.check_detectors_or_metric(path, spec);
        let negation = self.negation_rules(path, &spec.negation);
        self.criterion_detectors(path, spec, index, detectors, matcher);
        Criterion {
            id: spec.id.clone(),
            title: spec.title.clone(),
            path: path.to_string(),
            is_red_flag,
            weight: spec.weight.unwrap_or(1.0),
            speaker: spec.speaker,
            rounds: spec.rounds.clone(),
            window,
            before,
            after,
            metric: spec.metric.clone(),
            negation,
            scoring,
            feedback: spec.feedback.clone(),
            penalty,
            target: Target::Overall,
            min_count,
            external: None,
            annotations_only: false,
        }
    }

    /// Reports keys that belong to the other kind of criterion (a behavior's `weight` on a red
    /// flag, a red flag's `penalty` on a behavior).
    fn check_misplaced_keys(&mut self, path: &str, spec: &CriterionSpec, is_red_flag: bool) {
        let misplaced: &[(&str, bool)] = if is_red_flag {
            &[("weight", spec.weight.is_some()), ("scoring", spec.scoring.is_some())]
        } else {
            &[
                ("penalty", spec.penalty.is_some()),
                ("applies_to", spec.applies_to.is_some()),
                ("min_count", spec.min_count.is_some()),
            ]
        };
        for (key, present) in misplaced {
            if *present {
                let (this, other) = if is_red_flag { ("a red flag", "behaviors") } else { ("a behavior", "red flags") };
                self.error(Kind::Schema, format!("{path}.{key}"), format!("`{key}` is for {other}, not {this}"));
            }
        }
    }

    /// A red flag's penalty, which it must have, in (0, 1]; 0 after reporting a bad one.
    fn red_flag_penalty(&mut self, path: &str, penalty: Option<f64>) -> f64 {
        match penalty {
            Some(p) if p.is_finite() && p > 0.0 && p <= 1.0 => p,
            Some(p) => {
                self.error(Kind::InvalidValue, format!("{path}.penalty"), format!("penalty {p} must be in (0, 1]"));
                0.0
            }
            None => {
                self.error(Kind::Schema, format!("{path}.penalty"), "a red flag needs a penalty in (0, 1]");
                0.0
            }
        }
    }

    /// How a behavior scores: presence by default, or a count towards a target of at least 1.
    fn scoring(&mut self, path: &str, spec: Option<&super::model::ScoringSpec>) -> Scoring {
        let Some(s) = spec else { return Scoring::Presence };
        match (s.mode, s.target) {
            (ScoringMode::Presence, None) => Scoring::Presence,
            (ScoringMode::Presence, Some(_)) => {
                self.error(Kind::InvalidValue, format!("{path}.scoring.target"), "`target` goes with mode: count");
                Scoring::Presence
            }
            (ScoringMode::Count, Some(t)) if t >= 1 => Scoring::Count(t),
            (ScoringMode::Count, _) => {
                self.error(
                    Kind::InvalidValue,
                    format!("{path}.scoring.target"),
                    "mode: count needs a target of at least 1",
                );
                Scoring::Presence
            }
        }
    }

    /// A time window, reporting a negative start or an end not after the start.
    fn time_window(&mut self, path: &str, w: &super::model::WindowSpec) -> Window {
        let valid_from = w.from.is_finite() && w.from >= 0.0;
        if !valid_from {
            self.error(Kind::InvalidValue, format!("{path}.window.from"), "expected seconds >= 0");
        }
        if let Some(to) = w.to {
            if !(to.is_finite() && to > w.from) {
                self.error(
                    Kind::InvalidValue,
                    format!("{path}.window.to"),
                    format!("to ({to}) must be after from ({})", w.from),
                );
            }
        }
        Window { from: w.from, to: w.to, origin: w.relative_to }
    }

    /// A criterion is measured either by detectors or by a metric condition: exactly one of them.
    fn check_detectors_or_metric(&mut self, path: &str, spec: &CriterionSpec) {
        match (&spec.metric, spec.detectors.is_empty()) {
            (Some(_), false) => {
                self.error(Kind::Schema, path, "give either `detectors` or `metric`, not both");
            }
            (None, true) => {
                self.error(
                    Kind::EmptyDetector,
                    format!("{path}.detectors"),
                    "needs at least one detector (or a `metric`)",
                );
            }
            _ => {}
        }
        if let Some(metric) = &spec.metric {
            self.metric(&format!("{path}.metric"), metric);
        }
    }

    /// Which negation rules a criterion's mentions are checked against: the rubric's (index 0),
    /// its own (registered here, compiled after the rubric's), or none.
    fn negation_rules(&mut self, path: &str, setting: &NegationSetting) -> Option<usize> {
        match setting {
            NegationSetting::Enabled(true) => Some(0),
            NegationSetting::Enabled(false) => None,
            NegationSetting::Custom(own) => {
                self.check_negation(&format!("{path}.negation"), own);
                self.custom_negation.push(own.clone());
                Some(self.custom_negation.len())
            }
        }
    }

    /// Compiles the detectors of criterion `index` into `detectors` and `matcher`.
    fn criterion_detectors(
        &mut self,
        path: &str,
        spec: &CriterionSpec,
        index: usize,
        detectors: &mut Vec<Detector>,
        matcher: &mut MatcherBuilder,
    ) {
        let mut external_seen = false;
        for (di, detector) in spec.detectors.iter().enumerate() {
            let d_path = format!("{path}.detectors[{di}]");
            if detector.external.is_some() {
                // Two would take the same annotations twice.
                if external_seen {
                    self.error(Kind::Schema, format!("{d_path}.external"), "a behavior takes annotations through one `external` detector; list every source in its `sources`");
                }
                external_seen = true;
            }
            if let Some(built) = self.detector(&d_path, detector, index, detectors.len(), matcher) {
                detectors.push(built);
            }
        }
    }

    /// Compiles `inferred_events` into criteria appended after the red flags.
    fn inferred_events(
        &mut self,
        behaviors: &HashMap<String, usize>,
        criteria: &mut Vec<Criterion>,
        detectors: &mut Vec<Detector>,
        matcher: &mut MatcherBuilder,
    ) -> Vec<(String, usize)> {
        let spec = self.spec;
        let mut inferred: Vec<(String, usize)> = Vec::new();
        for (i, event) in spec.inferred_events.iter().enumerate() {
            let path = format!("inferred_events[{i}]");
            if !(BUILT_IN_EVENTS.contains(&event.event.as_str()) || spec.events.contains(&event.event)) {
                self.error(
                    Kind::UnknownReference,
                    format!("{path}.event"),
                    format!(
                        "unknown event \"{}\"; built-in events are {}; declare others under `events`",
                        event.event,
                        BUILT_IN_EVENTS.join(", ")
                    ),
                );
            }
            if inferred.iter().any(|(kind, _)| kind == &event.event) {
                self.error(
                    Kind::DuplicateId,
                    format!("{path}.event"),
                    format!("the {} event is already inferred above; give one entry per event type", event.event),
                );
            }
            for (di, detector) in event.detectors.iter().enumerate() {
                if detector.external.is_some() {
                    self.error(
                        Kind::Schema,
                        format!("{path}.detectors[{di}].external"),
                        "an inferred event is read from what was said; annotations are for behaviors and red flags",
                    );
                }
            }
            let as_criterion = CriterionSpec {
                id: event.event.clone(),
                title: format!("{} (inferred)", event.event),
                description: None,
                weight: None,
                speaker: event.speaker,
                rounds: None,
                window: None,
                before: None,
                after: None,
                detectors: event.detectors.clone(),
                metric: None,
                negation: event.negation.clone(),
                scoring: None,
                feedback: format!("The {} event, inferred from what was said.", event.event),
                penalty: None,
                applies_to: None,
                min_count: None,
            };
            let index = criteria.len();
            let criterion = self.criterion(&path, &as_criterion, false, behaviors, index, detectors, matcher);
            criteria.push(criterion);
            inferred.push((event.event.clone(), index));
        }
        inferred
    }

    fn order(
        &mut self,
        path: &str,
        order: &OrderSpec,
        behaviors: &HashMap<String, usize>,
        own: usize,
    ) -> Option<OrderRef> {
        match (&order.event, &order.behavior) {
            (Some(event), None) => {
                let known = BUILT_IN_EVENTS.contains(&event.as_str()) || self.spec.events.contains(event);
                if !known {
                    self.error(
                        Kind::UnknownReference,
                        format!("{path}.event"),
                        format!(
                            "unknown event \"{event}\"; built-in events are {}; declare others under `events`",
                            BUILT_IN_EVENTS.join(", ")
                        ),
                    );
                    return None;
                }
                Some(OrderRef::Event(event.clone()))
            }
            (None, Some(behavior)) => match behaviors.get(behavior) {
                Some(&index) if index == own => {
                    self.error(Kind::Cycle, format!("{path}.behavior"), "a behavior cannot be ordered against itself");
                    None
                }
                Some(&index) => Some(OrderRef::Behavior(index)),
                None => {
                    let message = match self.ids.get(behavior) {
                        Some(_) => format!("\"{behavior}\" is not a behavior (order constraints refer to behaviors)"),
                        None => format!("unknown behavior \"{behavior}\""),
                    };
                    self.error(Kind::UnknownReference, format!("{path}.behavior"), message);
                    None
                }
            },
            _ => {
                self.error(Kind::Schema, path, "give exactly one of `event` or `behavior`");
                None
            }
        }
    }

    fn metric(&mut self, path: &str, metric: &MetricCondition) {
        if !is_known_metric(&metric.name) {
            self.error(
                Kind::UnknownReference,
                format!("{path}.name"),
                format!("unknown metric \"{}\"; see the metric table in docs/rubric-format.md", metric.name),
            );
        }
        match (metric.min, metric.max) {
            (None, None) => self.error(Kind::InvalidValue, path, "a metric condition needs `min`, `max` or both"),
            (Some(min), Some(max)) if min > max => {
                self.error(Kind::InvalidValue, path, format!("min ({min}) is above max ({max})"));
            }
            (min, max) => {
                if min.into_iter().chain(max).any(|v| !v.is_finite()) {
                    self.error(Kind::InvalidValue, path, "min and max must be finite numbers");
                }
            }
        }
    }

    /// The phrases of a question detector's list field and its lexicon field (`about` /
    /// `about_lexicon`, `except` / `except_lexicon`), reporting an empty list or an unknown lexicon.
    fn question_phrases<'s>(
        &mut self,
        path: &str,
        (list_field, list): (&str, Option<&'s Vec<String>>),
        (lexicon_field, lexicon): (&str, Option<&String>),
        empty_hint: &str,
    ) -> Vec<&'s String>
    where
        Self: 's,
    {
        let mut phrases: Vec<&'s String> = Vec::new();
        if let Some(list) = list {
            if list.is_empty() {
                self.error(
                    Kind::EmptyDetector,
                    format!("{path}.{list_field}"),
                    format!("the list is empty; {empty_hint}"),
                );
            }
            phrases.extend(list);
        }
        if let Some(name) = lexicon {
            let spec: &'s RubricSpec = self.spec;
            match spec.lexicons.get(name) {
                Some(list) => phrases.extend(list),
                None => self.unknown_lexicon(&format!("{path}.{lexicon_field}"), name),
            }
        }
        phrases
    }

    fn empty_phrase(&mut self, path: &str) {
        self.error(Kind::EmptyDetector, path.to_string(), "the phrase is empty after normalisation");
    }

    fn detector(
        &mut self,
        path: &str,
        spec: &DetectorSpec,
        criterion: usize,
        detector_index: usize,
        matcher: &mut MatcherBuilder,
    ) -> Option<Detector> {
        if !self.check_one_way_of_detecting(path, spec) {
            return None;
        }
        let detector = |kind, lexicon: Option<&String>, pattern: Option<&String>| Detector {
            criterion,
            kind,
            path: path.to_string(),
            lexicon: lexicon.cloned(),
            pattern: pattern.cloned(),
            external: None,
        };
        if let Some(external) = &spec.external {
            self.external(&format!("{path}.external"), external);
            return Some(Detector { external: Some(external.clone()), ..detector(DetectorKind::External, None, None) });
        }
        if let Some(phrases) = &spec.phrases {
            self.add_phrases(path, phrases, detector_index, matcher);
            return Some(detector(DetectorKind::Phrase, None, None));
        }
        if let Some(name) = &spec.lexicon {
            if !self.add_lexicon(path, name, detector_index, matcher) {
                return None;
            }
            return Some(detector(DetectorKind::Lexicon, Some(name), None));
        }
        if let Some(pattern) = &spec.regex {
            if !self.add_regex(path, pattern, detector_index, matcher) {
                return None;
            }
            return Some(detector(DetectorKind::Regex, None, Some(pattern)));
        }
        let question = spec.question.as_ref()?;
        self.add_question(path, question, detector_index, matcher);
        Some(detector(DetectorKind::Question, question.about_lexicon.as_ref(), None))
    }

    /// Whether the detector gives exactly one of `phrases`, `lexicon`, `regex`, `question` and
    /// `external`; reports it when not.
    fn check_one_way_of_detecting(&mut self, path: &str, spec: &DetectorSpec) -> bool {
        let given = usize::from(spec.phrases.is_some())
            + usize::from(spec.lexicon.is_some())
            + usize::from(spec.regex.is_some())
            + usize::from(spec.question.is_some())
            + usize::from(spec.external.is_some());
        if given != 1 {
            self.error(
                Kind::Schema,
                path,
                format!(
                    "a detector has exactly one of `phrases`, `lexicon`, `regex`, `question` or `external`; found {given}"
                ),
            );
        }
        given == 1
    }

    fn add_phrases(&mut self, path: &str, phrases: &[String], detector_index: usize, matcher: &mut MatcherBuilder) {
        if phrases.is_empty() {
            self.error(Kind::EmptyDetector, format!("{path}.phrases"), "the phrase list is empty");
        }
        for (i, phrase) in phrases.iter().enumerate() {
            if !matcher.add_phrase(phrase, detector_index) {
                self.empty_phrase(&format!("{path}.phrases[{i}]"));
            }
        }
    }

    /// Adds the phrases of lexicon `name`; false (reported) when the rubric has no such lexicon.
    /// Its phrases were checked with the lexicons.
    fn add_lexicon(&mut self, path: &str, name: &str, detector_index: usize, matcher: &mut MatcherBuilder) -> bool {
        let Some(phrases) = self.spec.lexicons.get(name) else {
            self.unknown_lexicon(&format!("{path}.lexicon"), name);
            return false;
        };
        for phrase in phrases {
            matcher.add_phrase(phrase, detector_index);
        }
        true
    }

    /// Adds a regex; false (reported) when it does not compile or is too large for the limits.
    fn add_regex(&mut self, path: &str, pattern: &str, detector_index: usize, matcher: &mut MatcherBuilder) -> bool {
        let Err(refusal) = matcher.add_regex(pattern, detector_index, self.limits) else {
            self.regexes_added += 1;
            return true;
        };
        let kind = match refusal {
            RegexRefusal::Invalid(_) => Kind::InvalidRegex,
            RegexRefusal::TooLarge(_) => Kind::LimitExceeded,
        };
        self.error(kind, format!("{path}.regex"), refusal.message());
        false
    }

    /// Adds a question detector: the topics a question must be about (any question when none are
    /// given) and the phrases that keep a question out.
    fn add_question(
        &mut self,
        path: &str,
        question: &super::model::QuestionSpec,
        detector_index: usize,
        matcher: &mut MatcherBuilder,
    ) {
        let about = self.question_phrases(
            &format!("{path}.question"),
            ("about", question.about.as_ref()),
            ("about_lexicon", question.about_lexicon.as_ref()),
            "leave `about` out to match any question",
        );
        for (i, phrase) in about.iter().enumerate() {
            if !matcher.add_question_topic(phrase, detector_index) {
                self.empty_phrase(&format!("{path}.question.about[{i}]"));
            }
        }
        if question.about.is_none() && question.about_lexicon.is_none() {
            matcher.add_any_question(detector_index);
        }
        let except = self.question_phrases(
            &format!("{path}.question"),
            ("except", question.except.as_ref()),
            ("except_lexicon", question.except_lexicon.as_ref()),
            "leave `except` out to exclude nothing",
        );
        for (i, phrase) in except.iter().enumerate() {
            if !matcher.add_question_exclusion(phrase, detector_index) {
                self.empty_phrase(&format!("{path}.question.except[{i}]"));
            }
        }
    }

    /// Checks an `external` detector: a listed source is not empty and has `*` at most at its end,
    /// and a minimum confidence is from 0 to 1.
    fn external(&mut self, path: &str, spec: &ExternalSpec) {
        if let Some(sources) = &spec.sources {
            if sources.is_empty() {
                self.error(
                    Kind::EmptyDetector,
                    format!("{path}.sources"),
                    "the source list is empty; leave `sources` out to take annotations from every source",
                );
            }
            for (i, source) in sources.iter().enumerate() {
                let stem = source.strip_suffix('*').unwrap_or(source);
                if source.trim().is_empty() || stem.contains('*') {
                    self.error(
                        Kind::Schema,
                        format!("{path}.sources[{i}]"),
                        format!("expected a source name (`llm:gpt-4o`, `human:ann`) or a prefix ending in `*` (`llm:*`), found \"{source}\""),
                    );
                }
            }
        }
        if let Some(confidence) = spec.min_confidence {
            if !(0.0..=1.0).contains(&confidence) {
                self.error(
                    Kind::Schema,
                    format!("{path}.min_confidence"),
                    format!("expected a confidence from 0 to 1, found {confidence}"),
                );
            }
        }
    }

    fn target(
        &mut self,
        path: &str,
        applies_to: Option<&str>,
        competencies: &[CompetencyNode],
        subcompetencies: &[SubcompetencyNode],
    ) -> Target {
        let Some(id) = applies_to else {
            return Target::Overall;
        };
        if id == "overall" {
            return Target::Overall;
        }
        if let Some(i) = subcompetencies.iter().position(|s| s.id == id) {
            return Target::Subcompetency(i);
        }
        if let Some(i) = competencies.iter().position(|c| c.id == id) {
            return Target::Competency(i);
        }
        self.error(
            Kind::UnknownReference,
            format!("{path}.applies_to"),
            format!("\"{id}\" is not a competency or sub-competency id (or \"overall\")"),
        );
        Target::Overall
    }

    /// Topological order of behaviors by their `before`/`after` behavior references (Kahn's
    /// algorithm, lowest index first so the order is deterministic); red flags follow.
    fn evaluation_order(&mut self, criteria: &[Criterion], behavior_count: usize) -> Vec<usize> {
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); behavior_count];
        let mut pending = vec![0usize; behavior_count];
        for (index, criterion) in criteria.iter().enumerate().take(behavior_count) {
            for order in [&criterion.before, &criterion.after].into_iter().flatten() {
                if let OrderRef::Behavior(dependency) = order {
                    dependents[*dependency].push(index);
                    pending[index] += 1;
                }
            }
        }
        let mut ready: std::collections::BTreeSet<usize> = (0..behavior_count).filter(|&i| pending[i] == 0).collect();
        let mut order = Vec::with_capacity(criteria.len());
        while let Some(next) = ready.pop_first() {
            order.push(next);
            for &dependent in &dependents[next] {
                pending[dependent] -= 1;
                if pending[dependent] == 0 {
                    ready.insert(dependent);
                }
            }
        }
        if order.len() < behavior_count {
            let stuck: BTreeMap<usize, &str> =
                (0..behavior_count).filter(|i| pending[*i] > 0).map(|i| (i, criteria[i].id.as_str())).collect();
            let first = *stuck.keys().next().expect("a cycle has members");
            let names: Vec<&str> = stuck.values().copied().collect();
            self.error(
                Kind::Cycle,
                criteria[first].path.clone(),
                format!("order constraints form a cycle among: {}", names.join(", ")),
            );
        }
        let seen: HashSet<usize> = order.iter().copied().collect();
        order.extend((0..criteria.len()).filter(|i| !seen.contains(i) && *i >= behavior_count));
        order
    }
}
