//! Trends over a candidate's sessions: per round, per competency and sub-competency, and for the
//! dimensions a coach asks about.
//!
//! Sessions are grouped into series by round and rubric id, oldest first (date, then line). Only
//! sessions scored with the current version of their rubric are used (see
//! [`History::sessions`]); the others are listed in [`Trends::set_aside`] with the reason.
//!
//! For every tracked quantity a [`Trend`] gives the first, previous, latest and best values, the
//! change since the first and since the previous session, and the least-squares slope per session
//! over the last `window` measured sessions (x = 0, 1, 2, ... in session order; sessions where the
//! quantity could not be measured are skipped, not counted as zero). `moved` is the sign of that
//! slope, with a small per-dimension tolerance for "flat"; `verdict` reads it against the
//! direction that is better for the quantity.
//!
//! Tracked dimensions, per session:
//! - **technical depth**: the weighted mean (rubric weights) of the 0..1 scores of the
//!   sub-competencies the rubric marks `depth: true` ([`depth_subcompetencies`]), leaving out those
//!   not measured; not measurable when the rubric marks none. Higher is better.
//! - **words per answer**: `metrics.mean_words_per_answer` (an answer is a run of candidate turns).
//!   Neither direction is better in itself, so it has no verdict, only a movement.
//! - **time to first working solution**: `metrics.time_to_first["tests_passed"]`, seconds from the
//!   start to the first `tests_passed` event; not measured when untimed or never reached. Lower is
//!   better.
//! - **specificity of examples**: [`crate::specificity::Specificity::per_100_words`], numbers, named
//!   technologies and concrete outcomes per 100 candidate words. Higher is better.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::metrics::round4;
use crate::practice::history::{History, RubricKey, Session, VersionStatus};
use crate::scorecard::{NodeStatus, Scorecard, SubcompetencyScore};
use crate::transcript::Round;
use crate::util::date::Date;

/// The depth sub-competencies of a scorecard: those its rubric marks `depth: true`. A scorecard
/// stored before scorecards carried the mark has none marked; for a bundled rubric, the marks of
/// the bundled rubric of the same id are used, so older histories keep their technical depth.
pub fn depth_subcompetencies(card: &Scorecard) -> Vec<&SubcompetencyScore> {
    let subs = card.competencies.iter().flat_map(|c| &c.subcompetencies);
    if subs.clone().any(|s| s.depth) {
        return subs.filter(|s| s.depth).collect();
    }
    let marked = bundled_depth_ids(&card.rubric.id);
    subs.filter(|s| marked.contains(&s.id.as_str())).collect()
}

/// The sub-competency ids the bundled rubric `id` marks `depth: true` (none for other ids).
fn bundled_depth_ids(id: &str) -> Vec<&'static str> {
    let Some(rubric) = crate::bundled::compiled().iter().find(|r| r.id() == id) else { return Vec::new() };
    let subs = rubric.spec().competencies.iter().flat_map(|c| &c.subcompetencies);
    subs.filter(|s| s.depth).map(|s| s.id.as_str()).collect()
}

/// The event that marks a working solution.
pub const WORKING_SOLUTION_EVENT: &str = "tests_passed";

/// How trends are computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrendOptions {
    /// Sessions the slope is fitted over (the most recent measured ones); at least 2.
    pub window: usize,
    /// How many weakest sub-competencies to list.
    pub weakest: usize,
    /// Rubric id -> current version (e.g. the installed rubrics'); ids not listed use the version
    /// of their latest record.
    pub current_versions: BTreeMap<String, String>,
}

impl Default for TrendOptions {
    fn default() -> Self {
        Self { window: 5, weakest: 3, current_versions: BTreeMap::new() }
    }
}

/// Which direction is an improvement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
    /// Neither direction is better in itself (words per answer).
    Neither,
}

/// The sign of the slope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    Up,
    Down,
    Flat,
    /// Fewer than two measured sessions.
    Unknown,
}

/// The movement read against [`Better`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Improving,
    Declining,
    Steady,
    /// Too few sessions, or no better direction.
    Unknown,
}

/// One session's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub date: Date,
    /// The history line of the session.
    pub line: usize,
    /// `None` when not measurable in that session.
    pub value: Option<f64>,
}

/// How one quantity moved over a series of sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    pub better: Better,
    /// Every session of the series, oldest first.
    pub points: Vec<Point>,
    /// Sessions where the quantity was measured.
    pub measured: usize,
    pub first: Option<f64>,
    pub previous: Option<f64>,
    pub latest: Option<f64>,
    /// The highest (or lowest, when lower is better) value; `None` when neither is better.
    pub best: Option<f64>,
    /// `latest - first`; `None` with fewer than two measured sessions.
    pub change_since_first: Option<f64>,
    /// `latest - previous`; `None` with fewer than two measured sessions.
    pub change_since_previous: Option<f64>,
    /// Least-squares slope per session over the last `slope_sessions` measured sessions.
    pub slope: Option<f64>,
    pub slope_sessions: usize,
    pub moved: Movement,
    pub verdict: Verdict,
}

impl Trend {
    /// Computes a trend. `flat` is the largest |slope| still called flat.
    pub fn from_points(points: Vec<Point>, better: Better, window: usize, flat: f64) -> Trend {
        let values: Vec<f64> = points.iter().filter_map(|p| p.value).collect();
        let measured = values.len();
        let first = values.first().copied();
        let latest = values.last().copied();
        let previous = (measured >= 2).then(|| values[measured - 2]);
        let best = match better {
            Better::Higher => values.iter().copied().reduce(f64::max),
            Better::Lower => values.iter().copied().reduce(f64::min),
            Better::Neither => None,
        };
        let recent = &values[measured.saturating_sub(window.max(2))..];
        let slope = least_squares_slope(recent);
        let moved = match slope {
            None => Movement::Unknown,
            Some(s) if s.abs() <= flat => Movement::Flat,
            Some(s) if s > 0.0 => Movement::Up,
            Some(_) => Movement::Down,
        };
        let verdict = match (moved, better) {
            (Movement::Unknown, _) | (_, Better::Neither) => Verdict::Unknown,
            (Movement::Flat, _) => Verdict::Steady,
            (Movement::Up, Better::Higher) | (Movement::Down, Better::Lower) => Verdict::Improving,
            (Movement::Up | Movement::Down, _) => Verdict::Declining,
        };
        let change = |from: Option<f64>| match (from, latest) {
            (Some(from), Some(latest)) if measured >= 2 => Some(round4(latest - from)),
            _ => None,
        };
        Trend {
            better,
            points,
            measured,
            first,
            previous,
            latest,
            best,
            change_since_first: change(first),
            change_since_previous: change(previous),
            slope: slope.map(round4),
            slope_sessions: if slope.is_some() { recent.len() } else { 0 },
            moved,
            verdict,
        }
    }
}

/// Ordinary least squares slope of `values` against 0, 1, 2, ...; `None` with fewer than two.
pub fn least_squares_slope(values: &[f64]) -> Option<f64> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let mean_x = (n - 1) as f64 / 2.0;
    let mean_y = values.iter().sum::<f64>() / n as f64;
    let (mut numerator, mut denominator) = (0.0, 0.0);
    for (i, y) in values.iter().enumerate() {
        let dx = i as f64 - mean_x;
        numerator += dx * (y - mean_y);
        denominator += dx * dx;
    }
    Some(numerator / denominator)
}

/// Tolerances below which a slope per session counts as flat.
const FLAT_SCORE: f64 = 0.01;
const FLAT_WORDS: f64 = 2.0;
const FLAT_SECONDS: f64 = 10.0;
const FLAT_SPECIFICITY: f64 = 0.1;

/// A competency or sub-competency over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeTrend {
    pub id: String,
    pub title: String,
    /// The competency a sub-competency belongs to (`None` for competencies).
    pub competency: Option<String>,
    pub trend: Trend,
}

/// The tracked dimensions of one series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dimensions {
    pub technical_depth: Trend,
    /// The sub-competencies averaged into technical depth for this rubric (those it has).
    pub technical_depth_subcompetencies: Vec<String>,
    pub words_per_answer: Trend,
    pub time_to_first_solution_seconds: Trend,
    pub specificity_per_100_words: Trend,
}

/// One round (and rubric) over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundTrend {
    pub round: Round,
    pub rubric: RubricKey,
    pub rubric_title: String,
    pub sessions: usize,
    pub first_date: Date,
    pub latest_date: Date,
    pub overall: Trend,
    pub competencies: Vec<NodeTrend>,
    pub subcompetencies: Vec<NodeTrend>,
    pub dimensions: Dimensions,
}

/// A sub-competency among the weakest, by latest score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeakArea {
    pub round: Round,
    pub rubric: String,
    pub competency: String,
    pub subcompetency: String,
    pub title: String,
    pub latest: f64,
    pub change_since_previous: Option<f64>,
    pub slope: Option<f64>,
    pub verdict: Verdict,
}

/// A session left out of trends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetAside {
    pub line: usize,
    pub date: Date,
    pub round: Round,
    pub rubric: RubricKey,
    pub reason: String,
}

/// A candidate's trends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trends {
    pub candidate: String,
    /// Sessions used (current rubric versions).
    pub sessions: usize,
    pub rounds: Vec<RoundTrend>,
    /// The weakest sub-competencies across rounds: those below full marks in their latest
    /// session, lowest first (a falling one before a rising one at the same score).
    pub weakest: Vec<WeakArea>,
    pub set_aside: Vec<SetAside>,
}

impl Trends {
    /// The series of a round (the first, if several rubrics were used in it).
    pub fn round(&self, round: Round) -> Option<&RoundTrend> {
        self.rounds.iter().find(|r| r.round == round)
    }
}

/// Computes `candidate`'s trends from `history`.
///
/// ```
/// use rubric_core::{history::History, trends::{trends, TrendOptions}};
///
/// let t = trends(&History::default(), "Ada", &TrendOptions::default());
/// assert_eq!(t.sessions, 0);
/// assert!(t.rounds.is_empty() && t.weakest.is_empty());
/// ```
pub fn trends(history: &History, candidate: &str, options: &TrendOptions) -> Trends {
    let sessions = history.sessions(candidate, &options.current_versions);
    trends_of_sessions(candidate.trim(), &sessions, options)
}

/// Trends of sessions already selected and marked (oldest first).
pub fn trends_of_sessions(candidate: &str, sessions: &[Session], options: &TrendOptions) -> Trends {
    let mut set_aside = Vec::new();
    let mut series: BTreeMap<(Round, String), Vec<&Session>> = BTreeMap::new();
    for session in sessions {
        let record = &session.record;
        match &session.version {
            VersionStatus::Current => {
                series.entry((record.round, record.rubric.id.clone())).or_default().push(session);
            }
            VersionStatus::Other { current } => set_aside.push(SetAside {
                line: session.line,
                date: record.date,
                round: record.round,
                rubric: record.rubric.clone(),
                reason: format!(
                    "scored with {} v{}; trends use v{current}, so its scores are not mixed in",
                    record.rubric.id, record.rubric.version
                ),
            }),
        }
    }
    let used = series.values().map(Vec::len).sum();
    let window = options.window.max(2);
    let rounds: Vec<RoundTrend> = series.values().map(|s| round_trend(s, window)).collect();

    let mut weakest: Vec<WeakArea> = rounds
        .iter()
        .flat_map(|round| {
            round.subcompetencies.iter().filter_map(move |node| {
                Some(WeakArea {
                    round: round.round,
                    rubric: round.rubric.id.clone(),
                    competency: node.competency.clone().unwrap_or_default(),
                    subcompetency: node.id.clone(),
                    title: node.title.clone(),
                    // Full marks is not a weak area.
                    latest: node.trend.latest.filter(|latest| *latest < 1.0)?,
                    change_since_previous: node.trend.change_since_previous,
                    slope: node.trend.slope,
                    verdict: node.trend.verdict,
                })
            })
        })
        .collect();
    // Weakest first; a falling score before a rising one at the same level; then a stable order.
    weakest.sort_by(|a, b| {
        a.latest
            .total_cmp(&b.latest)
            .then(a.slope.unwrap_or(0.0).total_cmp(&b.slope.unwrap_or(0.0)))
            .then_with(|| (a.round, &a.rubric, &a.subcompetency).cmp(&(b.round, &b.rubric, &b.subcompetency)))
    });
    weakest.truncate(options.weakest);
    Trends { candidate: candidate.to_string(), sessions: used, rounds, weakest, set_aside }
}

fn round_trend(sessions: &[&Session], window: usize) -> RoundTrend {
    let latest = sessions.last().expect("a series has at least one session");
    let latest_card = &latest.record.scorecard;
    let point = |session: &Session, value: Option<f64>| Point {
        date: session.record.date,
        line: session.line,
        value: value.map(round4),
    };
    let series = |f: &dyn Fn(&Session) -> Option<f64>, better: Better, flat: f64| {
        Trend::from_points(sessions.iter().map(|s| point(s, f(s))).collect(), better, window, flat)
    };
    // Nodes of the latest scorecard, in rubric order; earlier sessions are matched by id.
    let competencies = latest_card
        .competencies
        .iter()
        .map(|c| NodeTrend {
            id: c.id.clone(),
            title: c.title.clone(),
            competency: None,
            trend: series(&|s| competency_score(&s.record.scorecard, &c.id), Better::Higher, FLAT_SCORE),
        })
        .collect();
    let subcompetencies = latest_card
        .competencies
        .iter()
        .flat_map(|c| c.subcompetencies.iter().map(move |sub| (c, sub)))
        .map(|(c, sub)| NodeTrend {
            id: sub.id.clone(),
            title: sub.title.clone(),
            competency: Some(c.id.clone()),
            trend: series(&|s| subcompetency_score(&s.record.scorecard, &sub.id), Better::Higher, FLAT_SCORE),
        })
        .collect();
    let round = latest.record.round;
    let depth_ids: Vec<String> = depth_subcompetencies(latest_card).into_iter().map(|s| s.id.clone()).collect();
    let dimensions = Dimensions {
        technical_depth: series(&|s| technical_depth(&s.record.scorecard), Better::Higher, FLAT_SCORE),
        technical_depth_subcompetencies: depth_ids,
        words_per_answer: series(&|s| s.record.scorecard.metrics.mean_words_per_answer, Better::Neither, FLAT_WORDS),
        time_to_first_solution_seconds: series(
            &|s| time_to_first_solution(&s.record.scorecard),
            Better::Lower,
            FLAT_SECONDS,
        ),
        specificity_per_100_words: series(
            &|s| s.record.specificity.as_ref().and_then(|x| x.per_100_words),
            Better::Higher,
            FLAT_SPECIFICITY,
        ),
    };
    RoundTrend {
        round,
        rubric: latest.record.rubric.clone(),
        rubric_title: latest_card.rubric.title.clone(),
        sessions: sessions.len(),
        first_date: sessions[0].record.date,
        latest_date: latest.record.date,
        overall: series(&|s| s.record.scorecard.overall.score, Better::Higher, FLAT_SCORE),
        competencies,
        subcompetencies,
        dimensions,
    }
}

fn competency_score(card: &Scorecard, id: &str) -> Option<f64> {
    card.competencies.iter().find(|c| c.id == id).and_then(|c| c.score)
}

fn subcompetency_score(card: &Scorecard, id: &str) -> Option<f64> {
    card.competencies.iter().flat_map(|c| &c.subcompetencies).find(|s| s.id == id).and_then(|s| s.score)
}

/// Technical depth of one scorecard (see the module docs); `None` when not measurable.
pub fn technical_depth(card: &Scorecard) -> Option<f64> {
    let (mut sum, mut weights) = (0.0, 0.0);
    for sub in depth_subcompetencies(card) {
        if sub.status == NodeStatus::NotMeasurable {
            continue;
        }
        if let Some(score) = sub.score {
            sum += score * sub.weight;
            weights += sub.weight;
        }
    }
    (weights > 0.0).then(|| round4(sum / weights))
}

/// Seconds to the first `tests_passed` event, on a timed transcript.
pub fn time_to_first_solution(card: &Scorecard) -> Option<f64> {
    if !card.metrics.timed {
        return None;
    }
    card.metrics.time_to_first.get(WORKING_SOLUTION_EVENT).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(values: &[Option<f64>]) -> Vec<Point> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| Point { date: Date::MIN.add_days(i64::try_from(i).unwrap()), line: i + 1, value: *v })
            .collect()
    }

    #[test]
    fn least_squares_slope_matches_hand_computation() {
        let table: &[(&[f64], Option<f64>)] = &[
            (&[], None),
            (&[0.5], None),
            (&[0.2, 0.4], Some(0.2)),
            (&[1.0, 2.0, 3.0, 4.0], Some(1.0)),
            (&[3.0, 3.0, 3.0], Some(0.0)),
            // x = 0..3, y = 1, 3, 2, 5: mean_y 2.75; Σdx·dy = (-1.5)(-1.75) + (-0.5)(0.25) + 0.5(-0.75) + 1.5(2.25)
            // = 2.625 - 0.125 - 0.375 + 3.375 = 5.5; Σdx² = 5; slope 1.1.
            (&[1.0, 3.0, 2.0, 5.0], Some(1.1)),
            (&[0.9, 0.6, 0.3], Some(-0.3)),
        ];
        for (values, expected) in table {
            let slope = least_squares_slope(values).map(round4);
            assert_eq!(slope, *expected, "{values:?}");
        }
    }

    #[test]
    fn trend_reports_first_previous_latest_best_and_changes() {
        let trend =
            Trend::from_points(points(&[Some(0.2), None, Some(0.5), Some(0.4), Some(0.8)]), Better::Higher, 3, 0.01);
        assert_eq!(trend.measured, 4);
        assert_eq!(
            (trend.first, trend.previous, trend.latest, trend.best),
            (Some(0.2), Some(0.4), Some(0.8), Some(0.8))
        );
        assert_eq!(trend.change_since_first, Some(0.6));
        assert_eq!(trend.change_since_previous, Some(0.4));
        // The window is the last 3 measured: 0.5, 0.4, 0.8 -> slope 0.15.
        assert_eq!((trend.slope, trend.slope_sessions), (Some(0.15), 3));
        assert_eq!((trend.moved, trend.verdict), (Movement::Up, Verdict::Improving));

        let lower = Trend::from_points(points(&[Some(900.0), Some(600.0)]), Better::Lower, 5, 10.0);
        assert_eq!((lower.best, lower.moved, lower.verdict), (Some(600.0), Movement::Down, Verdict::Improving));
        let neither = Trend::from_points(points(&[Some(80.0), Some(140.0)]), Better::Neither, 5, 2.0);
        assert_eq!((neither.best, neither.moved, neither.verdict), (None, Movement::Up, Verdict::Unknown));
        let flat = Trend::from_points(points(&[Some(0.5), Some(0.505)]), Better::Higher, 5, 0.01);
        assert_eq!((flat.moved, flat.verdict), (Movement::Flat, Verdict::Steady));
        let one = Trend::from_points(points(&[None, Some(0.3)]), Better::Higher, 5, 0.01);
        assert_eq!((one.change_since_first, one.slope, one.moved), (None, None, Movement::Unknown));
        assert_eq!(one.first, Some(0.3));
    }

    #[test]
    fn every_bundled_rubric_marks_its_depth_and_older_scorecards_take_the_marks_from_it() {
        for name in crate::bundled::names() {
            let rubric = crate::Rubric::bundled(name).unwrap();
            let marked: Vec<&str> = rubric
                .spec()
                .competencies
                .iter()
                .flat_map(|c| &c.subcompetencies)
                .filter(|s| s.depth)
                .map(|s| s.id.as_str())
                .collect();
            assert!(!marked.is_empty(), "{name} marks no depth sub-competency");
            assert_eq!(bundled_depth_ids(name), marked);
        }
        assert!(bundled_depth_ids("my-own-rubric").is_empty());
    }
}
