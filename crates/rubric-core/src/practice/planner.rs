//! The retake planner: the next session's questions from a question bank and the history.
//!
//! The mix is 40% weak areas, 40% new questions at the current level and 20% harder questions
//! ([`mix`]: largest remainders, ties to weak areas, then new). Each category is filled as follows,
//! never repeating a question inside one plan:
//!
//! - **weak area**: the weakest sub-competencies of the latest sessions ([`crate::practice::trends`]), in
//!   turn, weakest first; for each, a question of that round that exercises it, preferring one at or
//!   just below the current level and one not asked before. With no history there are no known weak
//!   areas: these slots get *baseline* questions at or below the starting level that together
//!   cover as many sub-competencies as possible, so the next session finds the weak areas (the
//!   same happens when every sub-competency is at full marks).
//! - **new**: questions never asked before (their ids are not in any session's `questions`) at the
//!   round's current level, taking the rounds in turn.
//! - **harder**: questions never asked before, one level above the current level (two if none).
//!
//! The strict shares (new, then harder) are filled first and the weak-area share last, since it
//! can use any difficulty at or below the level and retakes; the plan lists weak areas first.
//!
//! The **current level** of a round is the difficulty (1–5) matching the overall score of the
//! latest session in it: `floor(score × 5) + 1`, capped at 5; rounds with no session start at
//! `start_difficulty` (2). Ties are broken by a seeded shuffle ([`SplitMix64`]), so a seed always
//! gives the same plan. A category the bank cannot fill is reported in [`Plan::unfilled`], not
//! padded with other questions. With a target date the questions are spread over the days up to
//! it, weak areas first.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::error::{BankError, BankErrorKind, BankErrors, PlanError, PlanErrorKind};
use crate::practice::history::History;
use crate::practice::trends::{trends, TrendOptions, Trends};
use crate::transcript::Round;
use crate::util::date::Date;
use crate::util::yaml_position::PositionIndex;
use crate::Rubric;

/// The easiest and hardest difficulty.
pub const MIN_DIFFICULTY: u8 = 1;
pub const MAX_DIFFICULTY: u8 = 5;
/// A question bank larger than this is refused.
pub const MAX_BANK_BYTES: usize = 4 * 1024 * 1024;
/// The longest schedule.
pub const MAX_SCHEDULE_DAYS: i64 = 366;
/// The most questions in one plan.
pub const MAX_PLAN_QUESTIONS: usize = 1000;

/// One question of a bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// `[a-z0-9][a-z0-9_-]*`, unique in the bank.
    pub id: String,
    pub round: Round,
    /// 1 (easiest) to 5 (hardest).
    pub difficulty: u8,
    /// What the interviewer asks.
    pub prompt: String,
    /// Sub-competency ids of the round's rubric this question exercises.
    pub subcompetencies: Vec<String>,
}

/// A question bank document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionBankSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub questions: Vec<Question>,
}

/// A validated question bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionBank {
    spec: QuestionBankSpec,
    /// The YAML text, kept to locate later errors ([`QuestionBank::check_subcompetencies`]).
    source: Option<String>,
}

impl QuestionBank {
    /// Parses and validates a YAML bank; every error has a path and, where known, line and column.
    ///
    /// ```
    /// use rubric_core::planner::QuestionBank;
    ///
    /// let errors = QuestionBank::from_yaml("questions:\n  - id: a\n    round: coding\n    difficulty: 9\n    prompt: x\n    subcompetencies: [solution_design]\n").unwrap_err();
    /// let e = errors.first();
    /// assert_eq!((e.path.as_str(), e.line, e.column), ("questions[0].difficulty", Some(4), Some(17)));
    /// ```
    pub fn from_yaml(yaml: &str) -> Result<QuestionBank, BankErrors> {
        if yaml.len() > MAX_BANK_BYTES {
            return Err(BankErrors::new(vec![BankError::new(
                BankErrorKind::LimitExceeded,
                "",
                format!("the bank is {} bytes, over the limit of {MAX_BANK_BYTES} bytes", yaml.len()),
            )]));
        }
        let deserializer = serde_yaml::Deserializer::from_str(yaml);
        let spec: QuestionBankSpec = serde_path_to_error::deserialize(deserializer).map_err(|error| {
            let path = match error.path().to_string() {
                p if p == "." => String::new(),
                p => p,
            };
            let inner = error.into_inner();
            let raw = inner.to_string();
            let message = raw.rfind(" at line ").map_or(raw.as_str(), |cut| &raw[..cut]).to_string();
            let message = match message.split_once(": ") {
                Some((prefix, rest)) if !prefix.contains(' ') && path.starts_with(prefix) => rest.to_string(),
                _ => message,
            };
            let kind =
                if crate::rubric::is_yaml_syntax_error(&raw) { BankErrorKind::Syntax } else { BankErrorKind::Schema };
            let mut located = BankError::new(kind, path, message);
            if let Some(location) = inner.location() {
                located.line = Some(location.line());
                located.column = Some(location.column());
            }
            BankErrors::new(vec![located])
        })?;
        let errors = validate(&spec);
        let bank = QuestionBank { spec, source: Some(yaml.to_string()) };
        if errors.is_empty() {
            Ok(bank)
        } else {
            Err(bank.located(errors))
        }
    }

    /// Validates a bank built in code (errors have paths but no line numbers).
    pub fn from_spec(spec: QuestionBankSpec) -> Result<QuestionBank, BankErrors> {
        let errors = validate(&spec);
        if errors.is_empty() {
            Ok(QuestionBank { spec, source: None })
        } else {
            Err(BankErrors::new(errors))
        }
    }

    pub fn spec(&self) -> &QuestionBankSpec {
        &self.spec
    }

    pub fn questions(&self) -> &[Question] {
        &self.spec.questions
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.spec.questions.iter().find(|q| q.id == id)
    }

    /// Checks that every sub-competency a question names exists in a rubric of its round. Rounds
    /// no given rubric is written for are not checked.
    pub fn check_subcompetencies(&self, rubrics: &[Rubric]) -> Result<(), BankErrors> {
        let mut known: BTreeMap<Round, BTreeSet<&str>> = BTreeMap::new();
        for rubric in rubrics {
            if let Some(round) = rubric.spec().round {
                let ids = known.entry(round).or_default();
                ids.extend(rubric.spec().competencies.iter().flat_map(|c| &c.subcompetencies).map(|s| s.id.as_str()));
            }
        }
        let mut errors = Vec::new();
        for (i, question) in self.spec.questions.iter().enumerate() {
            let Some(ids) = known.get(&question.round) else { continue };
            for (j, sub) in question.subcompetencies.iter().enumerate() {
                if !ids.contains(sub.as_str()) {
                    let mut names: Vec<&str> = ids.iter().copied().collect();
                    names.sort_by_key(|name| crate::util::suggest::edit_distance(name, sub));
                    errors.push(BankError::new(
                        BankErrorKind::UnknownReference,
                        format!("questions[{i}].subcompetencies[{j}]"),
                        format!(
                            "no {} rubric has a sub-competency \"{sub}\"; did you mean \"{}\"?",
                            question.round.as_str(),
                            names.first().copied().unwrap_or("")
                        ),
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(self.located(errors))
        }
    }

    fn located(&self, mut errors: Vec<BankError>) -> BankErrors {
        if let Some(source) = &self.source {
            let index = PositionIndex::build(source);
            for error in &mut errors {
                if let Some((line, column)) = index.locate(&error.path) {
                    error.line = Some(line);
                    error.column = Some(column);
                }
            }
        }
        BankErrors::new(errors)
    }
}

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

fn validate(spec: &QuestionBankSpec) -> Vec<BankError> {
    let mut errors = Vec::new();
    let invalid = |path: String, message: String| BankError::new(BankErrorKind::InvalidValue, path, message);
    if spec.questions.is_empty() {
        errors.push(invalid("questions".into(), "the bank has no questions".into()));
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, q) in spec.questions.iter().enumerate() {
        if !valid_id(&q.id) {
            errors.push(invalid(
                format!("questions[{i}].id"),
                format!(
                    "invalid id \"{}\": use lower-case letters, digits, '_' and '-', starting with a letter or digit",
                    q.id
                ),
            ));
        } else if let Some(first) = seen.insert(&q.id, i) {
            errors.push(BankError::new(
                BankErrorKind::DuplicateId,
                format!("questions[{i}].id"),
                format!("duplicate id \"{}\" (first used by questions[{first}])", q.id),
            ));
        }
        if !(MIN_DIFFICULTY..=MAX_DIFFICULTY).contains(&q.difficulty) {
            errors.push(invalid(
                format!("questions[{i}].difficulty"),
                format!("difficulty {} must be between {MIN_DIFFICULTY} and {MAX_DIFFICULTY}", q.difficulty),
            ));
        }
        if q.prompt.trim().is_empty() {
            errors.push(invalid(format!("questions[{i}].prompt"), "the prompt is empty".into()));
        }
        if q.subcompetencies.is_empty() {
            errors.push(invalid(
                format!("questions[{i}].subcompetencies"),
                "name at least one sub-competency the question exercises".into(),
            ));
        }
        for (j, sub) in q.subcompetencies.iter().enumerate() {
            if !valid_id(sub) {
                errors.push(invalid(
                    format!("questions[{i}].subcompetencies[{j}]"),
                    format!("invalid sub-competency id \"{sub}\""),
                ));
            } else if q.subcompetencies[..j].contains(sub) {
                errors.push(BankError::new(
                    BankErrorKind::DuplicateId,
                    format!("questions[{i}].subcompetencies[{j}]"),
                    format!("\"{sub}\" is listed twice"),
                ));
            }
        }
    }
    errors
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, well-tested generator whose output is the
/// same on every platform and in every language binding, which is all a seeded plan needs.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), by Lemire's multiply-and-shift (bias below 2^-50 for small n).
    pub fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Why a question is in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    WeakArea,
    New,
    Harder,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::WeakArea, Category::New, Category::Harder];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::WeakArea => "weak_area",
            Category::New => "new",
            Category::Harder => "harder",
        }
    }

    /// Share of the plan.
    pub fn share(self) -> f64 {
        match self {
            Category::WeakArea | Category::New => 0.4,
            Category::Harder => 0.2,
        }
    }
}

/// How many questions of each category a plan of `count` questions aims for: 40/40/20 by largest
/// remainders (ties go to weak areas, then new questions), so the counts always add up to `count`
/// and each is within one of its exact share.
pub fn mix(count: usize) -> BTreeMap<Category, usize> {
    let exact: Vec<(Category, f64)> = Category::ALL.iter().map(|c| (*c, c.share() * count as f64)).collect();
    let mut counts: BTreeMap<Category, usize> = exact.iter().map(|(c, x)| (*c, x.floor() as usize)).collect();
    let mut remaining = count - counts.values().sum::<usize>();
    let mut by_remainder = exact.clone();
    // Stable sort: equal remainders keep the order weak, new, harder.
    by_remainder.sort_by(|a, b| (b.1 - b.1.floor()).total_cmp(&(a.1 - a.1.floor())));
    for (category, _) in by_remainder {
        if remaining == 0 {
            break;
        }
        *counts.get_mut(&category).expect("every category is counted") += 1;
        remaining -= 1;
    }
    counts
}

/// Options of [`plan`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanOptions {
    pub seed: u64,
    /// Questions wanted (1..=1000).
    pub count: usize,
    /// Rounds to plan for; empty: the rounds of the candidate's history, or every round of the bank
    /// when there is no history.
    pub rounds: Vec<Round>,
    /// How many of the weakest sub-competencies the weak-area share targets.
    pub weak_areas: usize,
    /// The level of a round with no session yet.
    pub start_difficulty: u8,
    /// Spread the plan over the days from `from` to `until`, both included.
    pub schedule: Option<ScheduleOptions>,
    /// Rubric versions, window and so on, as for trends.
    pub trends: TrendOptions,
}

impl Default for PlanOptions {
    fn default() -> Self {
        Self {
            seed: 0,
            count: 10,
            rounds: Vec::new(),
            weak_areas: 3,
            start_difficulty: 2,
            schedule: None,
            trends: TrendOptions::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleOptions {
    pub from: Date,
    pub until: Date,
}

/// The level a round is planned at, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundLevel {
    pub round: Round,
    pub difficulty: u8,
    pub basis: String,
}

/// One question of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedQuestion {
    /// 1-based position in the plan.
    pub position: usize,
    pub id: String,
    pub round: Round,
    pub difficulty: u8,
    pub prompt: String,
    pub category: Category,
    /// The sub-competencies the question exercises.
    pub subcompetencies: Vec<String>,
    /// The weak areas it targets (weak-area questions only).
    pub targets: Vec<String>,
    /// Whether it was asked in an earlier session.
    pub seen_before: bool,
    /// Why it was chosen, in a sentence.
    pub reason: String,
}

/// A share of the mix the bank could not fill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unfilled {
    pub category: Category,
    pub wanted: usize,
    pub filled: usize,
    pub reason: String,
}

/// One day of a schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Day {
    pub date: Date,
    /// Question ids for the day, in plan order.
    pub questions: Vec<String>,
    /// Sub-competencies the day's questions exercise.
    pub focus: Vec<String>,
    pub note: Option<String>,
}

/// The next session's questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub candidate: String,
    pub seed: u64,
    pub requested: usize,
    /// Questions aimed for in each category (`weak_area`, `new`, `harder`).
    pub mix: BTreeMap<Category, usize>,
    pub levels: Vec<RoundLevel>,
    /// The weak areas targeted, weakest first (empty without history).
    pub weak_areas: Vec<crate::practice::trends::WeakArea>,
    pub questions: Vec<PlannedQuestion>,
    pub unfilled: Vec<Unfilled>,
    pub schedule: Option<Vec<Day>>,
    /// Things the reader should know (no history, sessions left out, ...).
    pub notes: Vec<String>,
}

impl Plan {
    pub fn count(&self, category: Category) -> usize {
        self.questions.iter().filter(|q| q.category == category).count()
    }
}

/// Difficulty matching a 0..1 score: `floor(score × 5) + 1`, capped at 5.
pub fn difficulty_for_score(score: f64) -> u8 {
    ((score.clamp(0.0, 1.0) * 5.0).floor() as u8 + 1).min(MAX_DIFFICULTY)
}

/// Plans `candidate`'s next session. See the module documentation for the rules.
///
/// ```
/// use rubric_core::{history::History, planner::{plan, PlanOptions, QuestionBank, Category}};
///
/// let bank = QuestionBank::from_yaml(include_str!("../../../../question-banks/starter.yaml")).unwrap();
/// let options = PlanOptions { seed: 7, count: 10, ..PlanOptions::default() };
/// let p = plan(&bank, &History::default(), "Ada", &options).unwrap();
/// assert_eq!(p.questions.len(), 10);
/// assert_eq!((p.count(Category::WeakArea), p.count(Category::New), p.count(Category::Harder)), (4, 4, 2));
/// assert_eq!(p, plan(&bank, &History::default(), "Ada", &options).unwrap()); // same seed, same plan
/// ```
pub fn plan(bank: &QuestionBank, history: &History, candidate: &str, options: &PlanOptions) -> Result<Plan, PlanError> {
    if candidate.trim().is_empty() {
        return Err(PlanError::new(PlanErrorKind::InvalidOption, "candidate", "the candidate name is empty"));
    }
    if options.count == 0 || options.count > MAX_PLAN_QUESTIONS {
        return Err(PlanError::new(
            PlanErrorKind::InvalidOption,
            "count",
            format!("count must be between 1 and {MAX_PLAN_QUESTIONS}, not {}", options.count),
        ));
    }
    if !(MIN_DIFFICULTY..=MAX_DIFFICULTY).contains(&options.start_difficulty) {
        return Err(PlanError::new(
            PlanErrorKind::InvalidOption,
            "start_difficulty",
            format!("start_difficulty must be between {MIN_DIFFICULTY} and {MAX_DIFFICULTY}"),
        ));
    }
    if let Some(schedule) = options.schedule {
        let days = schedule.from.days_until(schedule.until) + 1;
        if days < 1 {
            return Err(PlanError::new(
                PlanErrorKind::InvalidOption,
                "until",
                format!("the target date {} is before the start date {}", schedule.until, schedule.from),
            ));
        }
        if days > MAX_SCHEDULE_DAYS {
            return Err(PlanError::new(
                PlanErrorKind::InvalidOption,
                "until",
                format!(
                    "a schedule covers at most {MAX_SCHEDULE_DAYS} days; {} to {} is {days}",
                    schedule.from, schedule.until
                ),
            ));
        }
    }
    let candidate = candidate.trim();
    let every_area = TrendOptions { weakest: usize::MAX, ..options.trends.clone() };
    let trends = trends(history, candidate, &every_area);
    let sessions = history.sessions(candidate, &options.trends.current_versions);
    let seen: BTreeSet<&str> = sessions.iter().flat_map(|s| &s.record.questions).map(String::as_str).collect();

    let mut notes = Vec::new();
    let rounds: Vec<Round> = if !options.rounds.is_empty() {
        let mut rounds = options.rounds.clone();
        rounds.sort();
        rounds.dedup();
        rounds
    } else if trends.rounds.is_empty() {
        let rounds: BTreeSet<Round> = bank.questions().iter().map(|q| q.round).collect();
        rounds.into_iter().collect()
    } else {
        let rounds: BTreeSet<Round> = trends.rounds.iter().map(|r| r.round).collect();
        rounds.into_iter().collect()
    };
    if sessions.is_empty() {
        notes.push(format!(
            "no sessions for {candidate} yet: weak areas are unknown, so the weak-area share holds baseline questions at the starting level that cover as many sub-competencies as possible"
        ));
    }
    if !trends.set_aside.is_empty() {
        notes.push(format!(
            "{} session(s) scored with another rubric version were left out of the weak areas and levels",
            trends.set_aside.len()
        ));
    }
    let levels: Vec<RoundLevel> =
        rounds.iter().map(|round| level_of(*round, &trends, options.start_difficulty)).collect();
    let level =
        |round: Round| levels.iter().find(|l| l.round == round).map_or(options.start_difficulty, |l| l.difficulty);

    // The pool, in a seeded order: every later choice takes the first fitting question in it.
    let mut rng = SplitMix64::new(options.seed);
    let mut pool: Vec<&Question> = bank.questions().iter().filter(|q| rounds.contains(&q.round)).collect();
    rng.shuffle(&mut pool);

    // Weakest first among the planned rounds only (filtered before the cut).
    let mut weak = trends.weakest.clone();
    weak.retain(|w| rounds.contains(&w.round));
    weak.truncate(options.weak_areas);
    let targets = mix(options.count);
    let mut chosen: Vec<PlannedQuestion> = Vec::new();
    let mut unfilled = Vec::new();
    let is_chosen = |chosen: &[PlannedQuestion], id: &str| chosen.iter().any(|c| c.id == id);

    // New questions at the current level, rounds in turn (filled first: the strictest share).
    let wanted = targets[&Category::New];
    let start = chosen.len();
    for slot in 0..wanted {
        let pick = (0..rounds.len()).find_map(|k| {
            let round = rounds[(slot + k) % rounds.len()];
            pool.iter()
                .find(|q| {
                    q.round == round
                        && q.difficulty == level(round)
                        && !seen.contains(q.id.as_str())
                        && !is_chosen(&chosen, &q.id)
                })
                .copied()
        });
        let Some(question) = pick else { break };
        let reason = format!(
            "new question at your current {} level (difficulty {}); you have not answered it before; it exercises {}",
            question.round.title().to_lowercase(),
            question.difficulty,
            question.subcompetencies.join(", ")
        );
        chosen.push(planned(question, Category::New, Vec::new(), &seen, reason));
    }
    let filled = chosen.len() - start;
    if filled < wanted {
        let at: Vec<String> = levels.iter().map(|l| format!("{} {}", l.round.as_str(), l.difficulty)).collect();
        unfilled.push(Unfilled {
            category: Category::New,
            wanted,
            filled,
            reason: format!("the bank has no more unseen questions at the current level ({})", at.join(", ")),
        });
    }

    // Harder questions: one level up, or two if there is none.
    let wanted = targets[&Category::Harder];
    let start = chosen.len();
    for slot in 0..wanted {
        let pick = (0..rounds.len()).find_map(|k| {
            let round = rounds[(slot + k) % rounds.len()];
            let lvl = level(round);
            pool.iter()
                .filter(|q| {
                    q.round == round
                        && q.difficulty > lvl
                        && !seen.contains(q.id.as_str())
                        && !is_chosen(&chosen, &q.id)
                })
                .enumerate()
                .min_by_key(|(index, q)| (q.difficulty - lvl, *index))
                .map(|(_, q)| *q)
        });
        let Some(question) = pick else { break };
        let reason = format!(
            "harder: difficulty {} is above your current {} level ({}), to stretch you; it exercises {}",
            question.difficulty,
            question.round.title().to_lowercase(),
            level(question.round),
            question.subcompetencies.join(", ")
        );
        chosen.push(planned(question, Category::Harder, Vec::new(), &seen, reason));
    }
    let filled = chosen.len() - start;
    if filled < wanted {
        let at: Vec<String> = levels
            .iter()
            .map(|l| {
                if l.difficulty >= MAX_DIFFICULTY {
                    format!("{} is already at the top level", l.round.as_str())
                } else {
                    format!("{} above {}", l.round.as_str(), l.difficulty)
                }
            })
            .collect();
        unfilled.push(Unfilled {
            category: Category::Harder,
            wanted,
            filled,
            reason: format!("the bank has no more unseen harder questions ({})", at.join(", ")),
        });
    }
    // Weak areas last: they are the flexible share (any difficulty at or below the level, retakes
    // allowed), so they must not take the questions the strict shares need.
    let wanted = targets[&Category::WeakArea];
    let start = chosen.len();
    if weak.is_empty() {
        let mut covered: BTreeSet<String> = BTreeSet::new();
        for slot in 0..wanted {
            // Rounds in turn, then the question adding the most uncovered sub-competencies, at the
            // starting level first.
            let round_order: Vec<Round> = (0..rounds.len()).map(|k| rounds[(slot + k) % rounds.len()]).collect();
            let best = round_order.iter().find_map(|round| {
                pool.iter()
                    .filter(|q| q.round == *round && !is_chosen(&chosen, &q.id))
                    .enumerate()
                    .max_by_key(|(index, q)| {
                        let gain = q.subcompetencies.iter().filter(|s| !covered.contains(&key(q.round, s))).count();
                        let lvl = level(q.round);
                        let distance = q.difficulty.abs_diff(lvl);
                        (q.difficulty <= lvl, gain, std::cmp::Reverse(distance), std::cmp::Reverse(*index))
                    })
                    .map(|(_, q)| *q)
            });
            let Some(question) = best else { break };
            let new_areas: Vec<String> = question
                .subcompetencies
                .iter()
                .filter(|s| !covered.contains(&key(question.round, s)))
                .cloned()
                .collect();
            covered.extend(question.subcompetencies.iter().map(|s| key(question.round, s)));
            let why = if sessions.is_empty() {
                "baseline (no history yet)"
            } else {
                "baseline (no weak area: every sub-competency was at full marks in its latest session)"
            };
            let reason = format!(
                "{why}: a {} question at difficulty {} that exercises {}",
                question.round.title().to_lowercase(),
                question.difficulty,
                if new_areas.is_empty() { question.subcompetencies.join(", ") } else { new_areas.join(", ") }
            );
            chosen.push(planned(question, Category::WeakArea, Vec::new(), &seen, reason));
        }
    } else {
        for slot in 0..wanted {
            let pick = (0..weak.len()).find_map(|k| {
                let area = &weak[(slot + k) % weak.len()];
                let lvl = level(area.round);
                pool.iter()
                    .filter(|q| {
                        q.round == area.round
                            && q.subcompetencies.contains(&area.subcompetency)
                            && !is_chosen(&chosen, &q.id)
                    })
                    .enumerate()
                    .min_by_key(|(index, q)| {
                        // At or just below the level first, then unseen, then the seeded order.
                        let above = q.difficulty > lvl;
                        (above, q.difficulty.abs_diff(lvl), seen.contains(q.id.as_str()), *index)
                    })
                    .map(|(_, q)| (area, *q))
            });
            let Some((area, question)) = pick else { break };
            let change = match area.change_since_previous {
                Some(c) if c < 0.0 => format!(", down {:.2} since the previous session", -c),
                Some(c) if c > 0.0 => format!(", up {c:.2} since the previous session"),
                _ => String::new(),
            };
            let reason = format!(
                "weak area: {} ({}) scored {:.2} in the latest session{change}; this {} question exercises it at difficulty {} (your level: {}){}",
                area.title,
                area.round.title().to_lowercase(),
                area.latest,
                area.round.title().to_lowercase(),
                question.difficulty,
                level(area.round),
                if seen.contains(question.id.as_str()) { "; a retake of a question you have answered before" } else { "" }
            );
            let hits: Vec<String> = weak
                .iter()
                .filter(|w| w.round == question.round && question.subcompetencies.contains(&w.subcompetency))
                .map(|w| w.subcompetency.clone())
                .collect();
            chosen.push(planned(question, Category::WeakArea, hits, &seen, reason));
        }
    }
    let filled = chosen.len() - start;
    if filled < wanted {
        let reason = if weak.is_empty() {
            let names: Vec<&str> = rounds.iter().map(|r| r.as_str()).collect();
            format!(
                "the bank has no more questions in the planned rounds ({}) for baseline questions",
                names.join(", ")
            )
        } else {
            let names: Vec<&str> = weak.iter().map(|w| w.subcompetency.as_str()).collect();
            format!("the bank has no further questions that exercise the weak areas ({})", names.join(", "))
        };
        unfilled.push(Unfilled { category: Category::WeakArea, wanted, filled, reason });
    }

    // The plan reads weak areas first, then new, then harder.
    chosen.sort_by_key(|q| q.category);
    unfilled.sort_by_key(|u: &Unfilled| u.category);
    for (i, question) in chosen.iter_mut().enumerate() {
        question.position = i + 1;
    }
    let schedule = options.schedule.map(|s| schedule_days(&chosen, s));
    Ok(Plan {
        candidate: candidate.to_string(),
        seed: options.seed,
        requested: options.count,
        mix: targets,
        levels,
        weak_areas: weak,
        questions: chosen,
        unfilled,
        schedule,
        notes,
    })
}

fn key(round: Round, sub: &str) -> String {
    format!("{}:{sub}", round.as_str())
}

fn planned(
    question: &Question,
    category: Category,
    targets: Vec<String>,
    seen: &BTreeSet<&str>,
    reason: String,
) -> PlannedQuestion {
    PlannedQuestion {
        position: 0,
        id: question.id.clone(),
        round: question.round,
        difficulty: question.difficulty,
        prompt: question.prompt.clone(),
        category,
        subcompetencies: question.subcompetencies.clone(),
        targets,
        seen_before: seen.contains(question.id.as_str()),
        reason,
    }
}

fn level_of(round: Round, trends: &Trends, start: u8) -> RoundLevel {
    // The latest session of the round, across rubrics.
    let latest = trends
        .rounds
        .iter()
        .filter(|r| r.round == round)
        .filter_map(|r| r.overall.points.last().map(|p| (r.latest_date, p.line, p.value, &r.rubric)))
        .max_by_key(|(date, line, _, _)| (*date, *line));
    match latest {
        Some((date, _, Some(score), rubric)) => RoundLevel {
            round,
            difficulty: difficulty_for_score(score),
            basis: format!("overall {score:.2} on {} v{} on {date}", rubric.id, rubric.version),
        },
        Some((date, _, None, _)) => RoundLevel {
            round,
            difficulty: start,
            basis: format!("the session on {date} could not be scored; starting level"),
        },
        None => RoundLevel { round, difficulty: start, basis: "no session in this round yet; starting level".into() },
    }
}

/// Spreads the plan over the days, in plan order (weak areas first): question `i` of `n` goes to
/// day `floor(i × days / n)`, so weak areas land on the earliest days.
fn schedule_days(questions: &[PlannedQuestion], options: ScheduleOptions) -> Vec<Day> {
    let days = (options.from.days_until(options.until) + 1).max(1) as usize;
    let mut out: Vec<Day> = (0..days)
        .map(|d| Day {
            date: options.from.add_days(i64::try_from(d).unwrap_or(i64::MAX)),
            questions: Vec::new(),
            focus: Vec::new(),
            note: None,
        })
        .collect();
    let n = questions.len();
    for (i, question) in questions.iter().enumerate() {
        let day = &mut out[i * days / n.max(1)];
        day.questions.push(question.id.clone());
        let focus = if question.targets.is_empty() { &question.subcompetencies } else { &question.targets };
        for sub in focus {
            if !day.focus.contains(sub) {
                day.focus.push(sub.clone());
            }
        }
    }
    let last_busy = out.iter().rposition(|d| !d.questions.is_empty());
    for (index, day) in out.iter_mut().enumerate() {
        if day.questions.is_empty() {
            day.note = Some(if last_busy.is_some_and(|last| index > last) {
                "review: redo the weak-area questions from the first days, out loud and timed".to_string()
            } else {
                "rest or review the previous day's feedback".to_string()
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // Reference values for seed 0 (from the C reference implementation).
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
        let mut items: Vec<u32> = (0..10).collect();
        SplitMix64::new(42).shuffle(&mut items);
        let mut sorted = items.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
        assert_ne!(items, sorted, "a shuffle of 10 items moves something");
    }

    #[test]
    fn mix_is_40_40_20_by_largest_remainder() {
        let table: &[(usize, [usize; 3])] = &[
            (1, [1, 0, 0]),
            (2, [1, 1, 0]),
            (3, [1, 1, 1]),
            (4, [2, 1, 1]),
            (5, [2, 2, 1]),
            (7, [3, 3, 1]),
            (10, [4, 4, 2]),
            (11, [5, 4, 2]),
        ];
        for (count, expected) in table {
            let m = mix(*count);
            assert_eq!([m[&Category::WeakArea], m[&Category::New], m[&Category::Harder]], *expected, "count {count}");
        }
    }

    #[test]
    fn difficulty_follows_the_score_band() {
        let table = [(0.0, 1), (0.19, 1), (0.2, 2), (0.55, 3), (0.79, 4), (0.8, 5), (1.0, 5)];
        for (score, expected) in table {
            assert_eq!(difficulty_for_score(score), expected, "{score}");
        }
    }

    #[test]
    fn bank_errors_have_paths_lines_and_columns() {
        let yaml = "questions:\n  - id: Bad Id\n    round: coding\n    difficulty: 0\n    prompt: ' '\n    subcompetencies: []\n  - id: ok\n    round: coding\n    difficulty: 3\n    prompt: Fine\n    subcompetencies: [a, a]\n  - id: ok\n    round: coding\n    difficulty: 3\n    prompt: Again\n    subcompetencies: [b]\n";
        let errors = QuestionBank::from_yaml(yaml).unwrap_err();
        let found: Vec<(&str, BankErrorKind, Option<usize>)> =
            errors.errors().iter().map(|e| (e.path.as_str(), e.kind, e.line)).collect();
        assert_eq!(
            found,
            [
                ("questions[0].id", BankErrorKind::InvalidValue, Some(2)),
                ("questions[0].difficulty", BankErrorKind::InvalidValue, Some(4)),
                ("questions[0].prompt", BankErrorKind::InvalidValue, Some(5)),
                ("questions[0].subcompetencies", BankErrorKind::InvalidValue, Some(6)),
                ("questions[1].subcompetencies[1]", BankErrorKind::DuplicateId, Some(11)),
                ("questions[2].id", BankErrorKind::DuplicateId, Some(12)),
            ]
        );
        let schema = QuestionBank::from_yaml("questions:\n  - id: a\n    round: cooking\n").unwrap_err();
        assert_eq!(schema.first().kind, BankErrorKind::Schema);
        assert_eq!(schema.first().path, "questions[0].round");
        assert_eq!(schema.first().line, Some(3));
        let unknown = QuestionBank::from_yaml("questions: []\nextra: 1\n").unwrap_err();
        assert!(unknown.first().message.contains("unknown field `extra`"), "{}", unknown.first());
        let syntax = QuestionBank::from_yaml("questions: [\n").unwrap_err();
        assert_eq!(syntax.first().kind, BankErrorKind::Syntax);
        assert!(syntax.first().line.is_some());
    }

    #[test]
    fn unknown_subcompetencies_are_reported_with_a_suggestion() {
        let yaml = "questions:\n  - id: a\n    round: coding\n    difficulty: 2\n    prompt: Two sum\n    subcompetencies: [complexity_analysis, complexity_analisys]\n";
        let bank = QuestionBank::from_yaml(yaml).unwrap();
        let rubric = Rubric::bundled("coding-round").unwrap();
        let errors = bank.check_subcompetencies(&[rubric]).unwrap_err();
        assert_eq!(errors.len(), 1);
        let e = errors.first();
        assert_eq!(
            (e.path.as_str(), e.line, e.kind),
            ("questions[0].subcompetencies[1]", Some(6), BankErrorKind::UnknownReference)
        );
        assert!(e.message.contains("did you mean \"complexity_analysis\""), "{e}");
    }
}
