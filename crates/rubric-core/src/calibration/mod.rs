//! Calibration: how far the engine agrees with human raters on the same transcripts, and where not.
//!
//! Input: the rubric, the engine's scorecards (by transcript id) and labels ([`labels`]). Output:
//! per behavior, precision, recall and F1 of "present" against the raters' majority, the confusion
//! table (with the engine's *against* and *not measurable*) and Cohen's kappa; per scored node
//! (sub-competency, competency, `overall`), quadratically weighted kappa and Spearman's rho between
//! the engine's and the raters' levels and their mean absolute difference; between raters,
//! Krippendorff's alpha, the ceiling the engine should be read against; the items where engine and
//! raters differ, ranked by how much the behavior weighs in the overall score; and a seeded
//! bootstrap interval on every agreement figure. Everything is deterministic.

mod html;
pub mod labels;
pub mod stats;

pub use html::render_calibration_html;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::scorecard::{BehaviorStatus, ScaleLevel, Scorecard};
use crate::util::suggest::{closest, did_you_mean};
use labels::{LabelError, LabelErrorKind, LabelValue, RawLabel};
use stats::{Level, Weights};

/// The labels kept: node -> transcript -> rater -> value. Grouped by node first, since every
/// figure is computed per node.
type Votes = BTreeMap<String, BTreeMap<String, BTreeMap<String, LabelValue>>>;

/// How the figures are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalibrationOptions {
    /// Bootstrap resamples of the transcripts for each interval (0: no intervals).
    pub bootstrap_rounds: usize,
    pub seed: u64,
}

impl Default for CalibrationOptions {
    fn default() -> Self {
        Self { bootstrap_rounds: 1000, seed: 0 }
    }
}

/// A 95% bootstrap interval.
pub type Interval = Option<[f64; 2]>;

/// A figure as the text and HTML outputs show it: two decimals, then its interval when it has
/// one (`"0.67 [0.00, 1.00]"`); `missing` when the figure is undefined.
pub fn describe(value: Option<f64>, interval: Interval, missing: &str) -> String {
    match (value, interval) {
        (Some(v), Some([low, high])) => format!("{v:.2} [{low:.2}, {high:.2}]"),
        (Some(v), None) => format!("{v:.2}"),
        (None, _) => missing.to_string(),
    }
}

/// The whole comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    pub rubric: String,
    /// Transcripts with at least one usable label.
    pub transcripts: usize,
    pub raters: Vec<String>,
    /// Labels used, and the rows that could not be (with line and column).
    pub labels_used: usize,
    pub label_errors: Vec<LabelError>,
    pub behaviors: Vec<BehaviorAgreement>,
    pub nodes: Vec<NodeAgreement>,
    pub disagreements: Vec<Disagreement>,
    pub bootstrap_rounds: usize,
    pub seed: u64,
}

/// Engine against raters on one behavior.
#[derive(Debug, Clone, Serialize)]
pub struct BehaviorAgreement {
    pub id: String,
    pub title: String,
    /// Transcripts labelled for this behavior.
    pub items: usize,
    /// Items whose raters tie, left out of the engine's figures.
    pub tied: usize,
    /// engine status (present, absent, against, not_measurable) -> rater majority -> items.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    pub f1_interval: Interval,
    /// Cohen's kappa, engine against the raters' majority (present, absent, against).
    pub kappa: Option<f64>,
    pub kappa_interval: Interval,
    /// Krippendorff's alpha (nominal) between the raters, on items with two or more raters.
    pub raters_alpha: Option<f64>,
}

/// Engine against raters on one scored node.
#[derive(Debug, Clone, Serialize)]
pub struct NodeAgreement {
    pub id: String,
    /// `subcompetency`, `competency` or `overall`.
    pub kind: &'static str,
    pub items: usize,
    /// Quadratically weighted kappa of the engine's level against the raters' (mean, rounded) level.
    pub quadratic_kappa: Option<f64>,
    pub quadratic_kappa_interval: Interval,
    /// Spearman's rho of the engine's 0-1 score against the raters' mean level.
    pub spearman: Option<f64>,
    pub spearman_interval: Interval,
    /// Mean of |engine level - raters' mean level|.
    pub mean_absolute_level_difference: Option<f64>,
    /// Krippendorff's alpha (ordinal) between the raters' levels.
    pub raters_alpha: Option<f64>,
}

/// One behavior on one transcript where the engine and the raters' majority differ.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    pub transcript: String,
    pub behavior: String,
    pub engine: &'static str,
    pub raters: &'static str,
    /// How many raters said each value.
    pub votes: BTreeMap<String, usize>,
    /// The behavior's share of the overall score (its weight times its parents' shares): what
    /// getting it right moves.
    pub weight: f64,
    /// The engine's first evidence (for or against), if any: where to look when fixing a detector.
    pub evidence: Option<DisagreementEvidence>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DisagreementEvidence {
    pub turn: usize,
    pub quote: String,
}

/// Compares `scorecards` (by transcript id) with `labels`. Labels for unknown transcripts or nodes,
/// or with a value that does not fit their node, are reported in `label_errors` (with a suggestion
/// for a near id) and left out.
pub fn calibrate(
    scorecards: &BTreeMap<String, Scorecard>,
    labels: &[RawLabel],
    mut label_errors: Vec<LabelError>,
    options: CalibrationOptions,
) -> Calibration {
    let Some(template) = scorecards.values().next() else {
        return empty(label_errors, options);
    };
    let nodes = Nodes::of(template);
    // A rater's later label for the same item replaces theirs.
    let mut votes = Votes::new();
    for label in labels {
        let fail = |kind: LabelErrorKind, path: &str, message: String, column: Option<usize>| {
            LabelError::new(kind, path, message).at(Some(label.line), column)
        };
        if !scorecards.contains_key(&label.transcript) {
            let near = closest(&label.transcript, scorecards.keys().map(String::as_str));
            let message = format!("no transcript with id `{}`{}", label.transcript, did_you_mean(near));
            label_errors.push(fail(LabelErrorKind::UnknownReference, "transcript", message, None).suggesting(near));
            continue;
        }
        let Some(kind) = nodes.kind(&label.node) else {
            let near = closest(&label.node, nodes.ids());
            let message = format!(
                "no behavior, sub-competency or competency `{}` in the rubric (or `overall`){}",
                label.node,
                did_you_mean(near)
            );
            label_errors.push(fail(LabelErrorKind::UnknownReference, "node", message, None).suggesting(near));
            continue;
        };
        let value = match LabelValue::parse(&label.value, kind == "behavior") {
            Ok(LabelValue::Level(level)) if !template.scale.iter().any(|l| l.level == level) => {
                let levels: Vec<String> = template.scale.iter().map(|l| l.level.to_string()).collect();
                let message = format!("level {level} is not on the scale (levels {})", levels.join(", "));
                label_errors.push(fail(LabelErrorKind::InvalidValue, "value", message, Some(label.value_column)));
                continue;
            }
            Ok(value) => value,
            Err(error) => {
                label_errors.push(error.at(Some(label.line), Some(label.value_column)));
                continue;
            }
        };
        votes
            .entry(label.node.clone())
            .or_default()
            .entry(label.transcript.clone())
            .or_default()
            .insert(label.rater.clone(), value);
    }
    let items = || votes.values().flatten();
    let labels_used = items().map(|(_, by_rater)| by_rater.len()).sum();
    let raters: BTreeSet<String> = items().flat_map(|(_, by_rater)| by_rater.keys().cloned()).collect();
    let transcripts: BTreeSet<&String> = items().map(|(transcript, _)| transcript).collect();
    let behaviors = nodes
        .behaviors
        .iter()
        .filter_map(|(id, title, _)| behavior_agreement(id, title, scorecards, votes.get(id)?, options))
        .collect();
    let scored = nodes
        .scored
        .iter()
        .filter_map(|(id, kind)| node_agreement(id, kind, &template.scale, scorecards, votes.get(id)?, options))
        .collect();
    let mut disagreements = Vec::new();
    let labelled = nodes.behaviors.iter().filter_map(|(node, _, weight)| Some((node, weight, votes.get(node)?)));
    for (node, weight, by_transcript) in labelled {
        for (transcript, by_rater) in by_transcript {
            let card = &scorecards[transcript];
            let Some(behavior) = card.behaviors().find(|b| &b.id == node) else { continue };
            let engine = engine_value(behavior.status);
            let Some(majority) = majority(by_rater.values()) else { continue };
            if engine == majority {
                continue;
            }
            let mut tally: BTreeMap<String, usize> = BTreeMap::new();
            for value in by_rater.values() {
                *tally.entry(behavior_word(*value).to_string()).or_default() += 1;
            }
            let evidence = behavior
                .evidence
                .first()
                .or(behavior.against.first())
                .map(|e| DisagreementEvidence { turn: e.turn, quote: e.text.clone() });
            disagreements.push(Disagreement {
                transcript: transcript.clone(),
                behavior: node.clone(),
                engine,
                raters: majority,
                votes: tally,
                weight: crate::metrics::round4(*weight),
                evidence,
            });
        }
    }
    disagreements.sort_by(|a, b| {
        b.weight.total_cmp(&a.weight).then_with(|| (&a.transcript, &a.behavior).cmp(&(&b.transcript, &b.behavior)))
    });
    Calibration {
        rubric: template.rubric.id.clone(),
        transcripts: transcripts.len(),
        raters: raters.into_iter().collect(),
        labels_used,
        label_errors,
        behaviors,
        nodes: scored,
        disagreements,
        bootstrap_rounds: options.bootstrap_rounds,
        seed: options.seed,
    }
}

fn empty(label_errors: Vec<LabelError>, options: CalibrationOptions) -> Calibration {
    Calibration {
        rubric: String::new(),
        transcripts: 0,
        raters: Vec::new(),
        labels_used: 0,
        label_errors,
        behaviors: Vec::new(),
        nodes: Vec::new(),
        disagreements: Vec::new(),
        bootstrap_rounds: options.bootstrap_rounds,
        seed: options.seed,
    }
}

/// The rubric's nodes, read from a scorecard: behaviors (id, title, share of the overall score)
/// and scored nodes (id, kind).
struct Nodes {
    behaviors: Vec<(String, String, f64)>,
    scored: Vec<(String, &'static str)>,
}

impl Nodes {
    fn of(card: &Scorecard) -> Self {
        let share = |weight: f64, all: f64| if all > 0.0 { weight / all } else { 0.0 };
        let competency_total: f64 = card.competencies.iter().map(|c| c.weight).sum();
        let mut behaviors = Vec::new();
        let mut scored = vec![("overall".to_string(), "overall")];
        for competency in &card.competencies {
            scored.push((competency.id.clone(), "competency"));
            let sub_total: f64 = competency.subcompetencies.iter().map(|s| s.weight).sum();
            for sub in &competency.subcompetencies {
                scored.push((sub.id.clone(), "subcompetency"));
                let behavior_total: f64 = sub.behaviors.iter().map(|b| b.weight).sum();
                for behavior in &sub.behaviors {
                    let weight = share(competency.weight, competency_total)
                        * share(sub.weight, sub_total)
                        * share(behavior.weight, behavior_total);
                    behaviors.push((behavior.id.clone(), behavior.title.clone(), weight));
                }
            }
        }
        Self { behaviors, scored }
    }

    fn kind(&self, id: &str) -> Option<&'static str> {
        if self.behaviors.iter().any(|(b, _, _)| b == id) {
            return Some("behavior");
        }
        self.scored.iter().find(|(node, _)| node == id).map(|(_, kind)| *kind)
    }

    fn ids(&self) -> impl Iterator<Item = &str> {
        self.behaviors.iter().map(|(id, _, _)| id.as_str()).chain(self.scored.iter().map(|(id, _)| id.as_str()))
    }
}

/// The behavior categories, in code order for kappa.
const BEHAVIOR_VALUES: [&str; 3] = ["present", "absent", "against"];

/// What the engine's status says, in the raters' words. A partial behavior was observed: present.
fn engine_value(status: BehaviorStatus) -> &'static str {
    match status {
        BehaviorStatus::Demonstrated | BehaviorStatus::Partial => "present",
        BehaviorStatus::NotObserved => "absent",
        BehaviorStatus::Contradicted => "against",
        BehaviorStatus::NotMeasurable | BehaviorStatus::NotApplicable => "not_measurable",
    }
}

fn behavior_word(value: LabelValue) -> &'static str {
    match value {
        LabelValue::Present => "present",
        LabelValue::Against => "against",
        _ => "absent",
    }
}

/// The value most raters gave, or `None` on a tie.
fn majority<'a>(values: impl Iterator<Item = &'a LabelValue>) -> Option<&'static str> {
    let mut counts = [0usize; 3];
    for value in values {
        let word = behavior_word(*value);
        counts[BEHAVIOR_VALUES.iter().position(|w| *w == word).unwrap_or(1)] += 1;
    }
    let top = *counts.iter().max()?;
    let mut winners = counts.iter().enumerate().filter(|(_, &c)| c == top);
    let (index, _) = winners.next()?;
    winners.next().is_none().then_some(BEHAVIOR_VALUES[index])
}

fn code(word: &str) -> Option<usize> {
    BEHAVIOR_VALUES.iter().position(|w| *w == word)
}

fn interval(value: Option<(f64, f64)>) -> Interval {
    value.map(|(low, high)| [crate::metrics::round4(low), crate::metrics::round4(high)])
}

fn round(value: Option<f64>) -> Option<f64> {
    value.map(crate::metrics::round4)
}

fn behavior_agreement(
    id: &str,
    title: &str,
    scorecards: &BTreeMap<String, Scorecard>,
    votes: &BTreeMap<String, BTreeMap<String, LabelValue>>,
    options: CalibrationOptions,
) -> Option<BehaviorAgreement> {
    // Per item: (engine word, raters' majority, rater values as codes).
    let mut items: Vec<(&'static str, Option<&'static str>, Vec<f64>)> = Vec::new();
    for (transcript, by_rater) in votes {
        let Some(behavior) = scorecards[transcript].behaviors().find(|b| b.id == id) else { continue };
        let codes = by_rater.values().filter_map(|v| code(behavior_word(*v)).map(|c| c as f64)).collect();
        items.push((engine_value(behavior.status), majority(by_rater.values()), codes));
    }
    if items.is_empty() {
        return None;
    }
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut compared: Vec<(&'static str, &'static str)> = Vec::new();
    let mut tied = 0;
    for (engine, raters, _) in &items {
        match raters {
            Some(raters) => {
                *confusion.entry((*engine).to_string()).or_default().entry((*raters).to_string()).or_default() += 1;
                compared.push((engine, raters));
            }
            None => tied += 1,
        }
    }
    let prf = |pairs: &[(&str, &str)]| {
        let flags: Vec<(bool, bool)> = pairs
            .iter()
            .filter(|(e, _)| *e != "not_measurable")
            .map(|(e, r)| (*e == "present", *r == "present"))
            .collect();
        stats::precision_recall_f1(&flags)
    };
    let kappa = |pairs: &[(&str, &str)]| {
        let coded: Vec<(usize, usize)> = pairs.iter().filter_map(|(e, r)| Some((code(e)?, code(r)?))).collect();
        stats::cohen_kappa(&coded, 3, Weights::None)
    };
    let (precision, recall, f1) = prf(&compared);
    let units: Vec<Vec<f64>> = items.iter().map(|(_, _, codes)| codes.clone()).collect();
    Some(BehaviorAgreement {
        id: id.to_string(),
        title: title.to_string(),
        items: items.len(),
        tied,
        confusion,
        precision: round(precision),
        recall: round(recall),
        f1: round(f1),
        f1_interval: interval(stats::bootstrap(&compared, options.bootstrap_rounds, options.seed, |s| prf(s).2)),
        kappa: round(kappa(&compared)),
        kappa_interval: interval(stats::bootstrap(&compared, options.bootstrap_rounds, options.seed, kappa)),
        raters_alpha: round(stats::krippendorff_alpha(&units, Level::Nominal)),
    })
}

/// The level of the scale whose band holds `score` (the last band includes 1.0).
fn level_of(score: f64, scale: &[ScaleLevel]) -> Option<i32> {
    scale
        .iter()
        .find(|l| score >= l.from && score < l.to)
        .or_else(|| scale.last().filter(|l| score <= l.to))
        .map(|l| l.level)
}

fn node_agreement(
    id: &str,
    kind: &'static str,
    scale: &[ScaleLevel],
    scorecards: &BTreeMap<String, Scorecard>,
    votes: &BTreeMap<String, BTreeMap<String, LabelValue>>,
    options: CalibrationOptions,
) -> Option<NodeAgreement> {
    // Per item: (engine score, engine level, raters' levels).
    let mut items: Vec<(f64, i32, Vec<f64>)> = Vec::new();
    let mut units: Vec<Vec<f64>> = Vec::new();
    for (transcript, by_rater) in votes {
        let levels: Vec<f64> = by_rater
            .values()
            .filter_map(|v| match *v {
                LabelValue::Level(level) => Some(f64::from(level)),
                LabelValue::Score(score) => level_of(score, scale).map(f64::from),
                _ => None,
            })
            .collect();
        units.push(levels.clone());
        let card = &scorecards[transcript];
        let engine = if kind == "overall" {
            card.overall.score.zip(card.overall.level)
        } else {
            card.competencies
                .iter()
                .find(|c| c.id == id)
                .map(|c| (c.score, c.level))
                .or_else(|| {
                    card.competencies
                        .iter()
                        .flat_map(|c| &c.subcompetencies)
                        .find(|s| s.id == id)
                        .map(|s| (s.score, s.level))
                })
                .and_then(|(score, level)| score.zip(level))
        };
        if let (Some((score, level)), false) = (engine, levels.is_empty()) {
            items.push((score, level, levels));
        }
    }
    if units.is_empty() {
        return None;
    }
    let levels: Vec<i32> = scale.iter().map(|l| l.level).collect();
    let index = |level: i32| levels.iter().position(|&l| l == level);
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    let qwk = |items: &[(f64, i32, Vec<f64>)]| {
        let pairs: Vec<(usize, usize)> = items
            .iter()
            .filter_map(|(_, engine, raters)| {
                let consensus = (mean(raters) + 0.5).floor() as i32;
                Some((index(*engine)?, index(consensus)?))
            })
            .collect();
        stats::cohen_kappa(&pairs, levels.len(), Weights::Quadratic)
    };
    let rho = |items: &[(f64, i32, Vec<f64>)]| {
        stats::spearman(&items.iter().map(|(score, _, raters)| (*score, mean(raters))).collect::<Vec<_>>())
    };
    let mad = (!items.is_empty()).then(|| {
        items.iter().map(|(_, engine, raters)| (f64::from(*engine) - mean(raters)).abs()).sum::<f64>()
            / items.len() as f64
    });
    Some(NodeAgreement {
        id: id.to_string(),
        kind,
        items: items.len(),
        quadratic_kappa: round(qwk(&items)),
        quadratic_kappa_interval: interval(stats::bootstrap(&items, options.bootstrap_rounds, options.seed, qwk)),
        spearman: round(rho(&items)),
        spearman_interval: interval(stats::bootstrap(&items, options.bootstrap_rounds, options.seed, rho)),
        mean_absolute_level_difference: round(mad),
        raters_alpha: round(stats::krippendorff_alpha(&units, Level::Ordinal)),
    })
}
