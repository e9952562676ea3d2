//! `rubric plan`: the next practice session's questions from a question bank and the history.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Args;
use rubric_core::planner::{plan, Category, Plan, PlanOptions, QuestionBank, ScheduleOptions, MAX_BANK_BYTES};
use rubric_core::{Date, Round, TrendOptions};

use crate::history_cmd::{load_history, parse_date, parse_round};
use crate::{files, term, Failure, OutputFormat};

#[derive(Args)]
pub struct PlanArgs {
    /// History file (JSON Lines); may be empty for a first plan.
    #[arg(long)]
    history: PathBuf,
    /// Question bank YAML (e.g. question-banks/starter.yaml).
    #[arg(long)]
    bank: PathBuf,
    /// The candidate's name, as recorded in the history.
    #[arg(long)]
    candidate: String,
    /// Seed of the tie-breaking shuffle: the same seed gives the same plan.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Number of questions.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=1000))]
    count: u16,
    /// Plan only these rounds (repeatable; default: the rounds in the history, or all).
    #[arg(long = "round", value_parser = parse_round)]
    rounds: Vec<Round>,
    /// Target date: spread the questions over the days up to it, YYYY-MM-DD.
    #[arg(long, value_parser = parse_date)]
    until: Option<Date>,
    /// First day of the schedule (default: today, UTC).
    #[arg(long, value_parser = parse_date, requires = "until")]
    from: Option<Date>,
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
}

fn today() -> Date {
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Date::from_days_since_epoch(i64::try_from(seconds / 86_400).unwrap_or(0)).unwrap_or(Date::MIN)
}

pub fn run(args: &PlanArgs) -> Result<(), Failure> {
    let history = load_history(&args.history)?;
    let limit = files::Limit { bytes: MAX_BANK_BYTES, name: "planner::MAX_BANK_BYTES" };
    let yaml = String::from_utf8(files::read_input(&args.bank, limit, false)?).map_err(|_| {
        let e = std::io::Error::new(std::io::ErrorKind::InvalidData, "stream did not contain valid UTF-8");
        Failure::io(&args.bank, &e)
    })?;
    let bank = QuestionBank::from_yaml(&yaml).map_err(|errors| {
        let mut text =
            format!("{}: {} error{}", args.bank.display(), errors.len(), if errors.len() == 1 { "" } else { "s" });
        for error in errors.errors() {
            let _ = write!(text, "\n  {error}");
        }
        Failure::invalid(text)
    })?;
    let schedule = args.until.map(|until| ScheduleOptions { from: args.from.unwrap_or_else(today), until });
    let options = PlanOptions {
        seed: args.seed,
        count: usize::from(args.count),
        rounds: args.rounds.clone(),
        schedule,
        trends: TrendOptions { current_versions: rubric_core::bundled::versions(), ..TrendOptions::default() },
        ..PlanOptions::default()
    };
    if !history.is_empty() && !history.candidates().iter().any(|c| c == args.candidate.trim()) {
        term::warn(&format!(
            "note: {} has no sessions for \"{}\" (candidates: {}); planning as for a first session",
            args.history.display(),
            args.candidate.trim(),
            history.candidates().join(", ")
        ));
    }
    let plan = plan(&bank, &history, &args.candidate, &options).map_err(|e| Failure::usage(e.to_string()))?;
    match args.format {
        OutputFormat::Json => {
            term::print(&term::safe_json(&(serde_json::to_string_pretty(&plan).expect("a plan serialises") + "\n")))
        }
        OutputFormat::Text => term::print(&term::safe_text(&render_plan(&plan))),
    }
}

fn category_name(category: Category) -> &'static str {
    match category {
        Category::WeakArea => "weak area",
        Category::New => "new",
        Category::Harder => "harder",
    }
}

pub fn render_plan(plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Plan for {}: {} of {} questions (seed {}); mix {} weak area / {} new / {} harder",
        plan.candidate,
        plan.questions.len(),
        plan.requested,
        plan.seed,
        plan.mix[&Category::WeakArea],
        plan.mix[&Category::New],
        plan.mix[&Category::Harder]
    );
    let _ = writeln!(out, "\nLEVELS");
    for level in &plan.levels {
        let _ = writeln!(out, "  {:<17} difficulty {}  ({})", level.round.as_str(), level.difficulty, level.basis);
    }
    if !plan.weak_areas.is_empty() {
        let _ = writeln!(out, "\nWEAK AREAS (weakest first)");
        for w in &plan.weak_areas {
            let _ = writeln!(
                out,
                "  {} ({}, {}) latest {}",
                w.title,
                w.round.as_str(),
                w.subcompetency,
                rubric_core::display::percent(w.latest)
            );
        }
    }
    let _ = writeln!(out, "\nQUESTIONS");
    for q in &plan.questions {
        let _ = writeln!(
            out,
            "  {:>2}. [{}] {}  ({}, difficulty {})",
            q.position,
            category_name(q.category),
            q.id,
            q.round.as_str(),
            q.difficulty
        );
        let _ = writeln!(out, "      {}", q.prompt);
        let _ = writeln!(out, "      why: {}", q.reason);
    }
    if !plan.unfilled.is_empty() {
        let _ = writeln!(out, "\nNOT FILLED");
        for u in &plan.unfilled {
            let _ = writeln!(out, "  {}: {} of {} - {}", category_name(u.category), u.filled, u.wanted, u.reason);
        }
    }
    if let Some(days) = &plan.schedule {
        if let (Some(first), Some(last)) = (days.first(), days.last()) {
            let _ = writeln!(out, "\nSCHEDULE {} to {} (weak areas first)", first.date, last.date);
        }
        for day in days {
            if day.questions.is_empty() {
                let _ = writeln!(out, "  {}  {}", day.date, day.note.as_deref().unwrap_or(""));
            } else {
                let _ =
                    writeln!(out, "  {}  {}  [focus: {}]", day.date, day.questions.join(", "), day.focus.join(", "));
            }
        }
    }
    if !plan.notes.is_empty() {
        let _ = writeln!(out, "\nNOTES");
        for note in &plan.notes {
            let _ = writeln!(out, "  {note}");
        }
    }
    out
}
