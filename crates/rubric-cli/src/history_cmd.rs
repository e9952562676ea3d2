//! `rubric history add` (score a transcript and append it to a history file) and `rubric history
//! show` (trends per round, sub-competency and tracked dimension).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use rubric_core::display;
use rubric_core::history::{self, append_record, CandidateChoice, CorruptLine, History, StoredRecord};
use rubric_core::trends::{Trend, Trends, Verdict};
use rubric_core::{trends, Date, Round, SessionRecord, TrendOptions};

use crate::{files, load_rubric, load_transcript, term, Failure, OutputFormat};

#[derive(Subcommand)]
pub enum HistoryCommand {
    /// Score a transcript and append the session to a history file (created if missing).
    Add(AddArgs),
    /// Show a candidate's trends: per round, per sub-competency and per tracked dimension.
    Show(ShowArgs),
}

#[derive(Args)]
pub struct AddArgs {
    /// History file (JSON Lines, one session per line).
    history: PathBuf,
    /// Transcript file, in any format `score` reads.
    transcript: PathBuf,
    /// The candidate's name.
    #[arg(long)]
    candidate: String,
    /// Day of the session, YYYY-MM-DD.
    #[arg(long, value_parser = parse_date)]
    date: Date,
    /// A rubric YAML file or the name of a bundled rubric (default: coding-round).
    #[arg(long, short)]
    rubric: Option<String>,
    /// The round (default: the rubric's round): recruiter_screen, coding, system_design,
    /// behavioral, code_review.
    #[arg(long, value_parser = parse_round)]
    round: Option<Round>,
    /// Id of a question asked (from the question bank). Repeatable; the transcript's
    /// segments[].question ids are added too.
    #[arg(long = "question", value_name = "ID")]
    questions: Vec<String>,
    #[command(flatten)]
    import: crate::import_args::ImportArgs,
}

#[derive(Args)]
pub struct ShowArgs {
    /// History file (JSON Lines).
    history: PathBuf,
    /// Show only this candidate (default: every candidate in the file).
    #[arg(long)]
    candidate: Option<String>,
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Sessions the slope is fitted over (the most recent ones).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(2..))]
    window: u16,
    /// How many weakest sub-competencies to list.
    #[arg(long, default_value_t = 3)]
    weakest: usize,
}

pub fn parse_date(s: &str) -> Result<Date, rubric_core::OptionsError> {
    Date::parse(s)
}

pub fn parse_round(s: &str) -> Result<Round, rubric_core::OptionsError> {
    Round::parse_named(s)
}

fn warn_skipped(path: &Path, problem: &CorruptLine) {
    term::warn(&format!("warning: {}:{}: line skipped: {}", path.display(), problem.line, problem.reason));
}

/// Reads a history file line by line (each line at most `history::MAX_LINE_BYTES`, under a shared
/// lock) and prints a warning for every line that could not be read. A FIFO or device is refused.
pub fn load_history(path: &Path) -> Result<History, Failure> {
    let (file, _) = files::open_input(path, false)?;
    let history = History::read_file(&file, history::MAX_LINE_BYTES).map_err(|e| Failure::io(path, &e))?;
    for problem in history.problems() {
        warn_skipped(path, problem);
    }
    Ok(history)
}

/// Streams a history file to `each` without keeping its records, warning about unreadable lines.
fn scan_history(path: &Path, mut each: impl FnMut(&StoredRecord)) -> Result<(), Failure> {
    let (file, _) = files::open_input(path, false)?;
    history::scan_file(&file, history::MAX_LINE_BYTES, |entry| match entry {
        Ok(record) => each(&record),
        Err(problem) => warn_skipped(path, &problem),
    })
    .map_err(|e| Failure::io(path, &e))
}

/// The candidate to report on: the one named, or the only one in the file.
pub fn pick_candidate(history: &History, path: &Path, named: Option<&str>) -> Result<String, Failure> {
    history.pick_candidate(named).map_err(|choice| match choice {
        CandidateChoice::Several { candidates } => Failure::usage(format!(
            "{} has several candidates; pick one with --candidate: {}",
            path.display(),
            candidates.join(", ")
        )),
        other => Failure::invalid(format!("{}: {other}", path.display())),
    })
}

pub fn run(command: HistoryCommand) -> Result<(), Failure> {
    match command {
        HistoryCommand::Add(args) => add(args),
        HistoryCommand::Show(args) => show(&args),
    }
}

fn add(args: AddArgs) -> Result<(), Failure> {
    if args.candidate.trim().is_empty() {
        return Err(Failure::usage("--candidate must not be empty"));
    }
    // Before any work: a FIFO or device would block or never end when appended to.
    files::refuse_special(&args.history)?;
    let (label, result) = load_rubric(args.rubric.as_deref())?;
    let rubric = result.map_err(|errors| Failure::invalid(crate::render::rubric_errors(&label, &errors)))?;
    let Some(round) = args.round.or(rubric.spec().round) else {
        return Err(Failure::usage(format!("{label} names no round; pass --round")));
    };
    let transcript = load_transcript(&args.transcript, &args.import, rubric_core::Limits::default())?;
    let card =
        rubric.score(&transcript).map_err(|e| Failure::invalid(format!("{}: {e}", args.transcript.display())))?;
    let overall = card.overall.score;
    let record = SessionRecord::new(args.candidate, args.date, round, card)
        .map_err(|e| Failure::usage(e.to_string()))?
        .with_transcript(&transcript)
        .with_questions(&args.questions);
    // Say so when earlier sessions used another version of this rubric: they stay in the file
    // but are left out of trends.
    // Streamed, one line at a time: the file is never held in memory.
    if args.history.exists() {
        let mut others = 0usize;
        scan_history(&args.history, |r| {
            let same = r.record.candidate == record.candidate && r.record.rubric.id == record.rubric.id;
            if same && r.record.rubric.version != record.rubric.version {
                others += 1;
            }
        })?;
        if others > 0 {
            term::warn(&format!(
                "note: {others} earlier session(s) of {} used another version of {}; they are kept but left out of trends against v{}",
                record.candidate, record.rubric.id, record.rubric.version
            ));
        }
    }
    append_record(&args.history, &record).map_err(|e| Failure::io(&args.history, &e))?;
    term::print(&term::safe_text(&format!(
        "{}: added {} {} session of {} ({} v{}), overall {}\n",
        args.history.display(),
        record.date,
        record.round.as_str(),
        record.candidate,
        record.rubric.id,
        record.rubric.version,
        overall.map_or_else(|| "not measurable".to_string(), display::percent)
    )))
}

fn show(args: &ShowArgs) -> Result<(), Failure> {
    let history = load_history(&args.history)?;
    let candidates = match &args.candidate {
        Some(name) => vec![pick_candidate(&history, &args.history, Some(name))?],
        None => history.candidates(),
    };
    let options = TrendOptions {
        window: usize::from(args.window),
        weakest: args.weakest,
        current_versions: rubric_core::bundled::versions(),
    };
    let all: Vec<Trends> = candidates.iter().map(|c| trends(&history, c, &options)).collect();
    match args.format {
        OutputFormat::Json => {
            let json = serde_json::json!({ "problems": history.problems(), "trends": all });
            let json = serde_json::to_string_pretty(&json).expect("trends serialise") + "\n";
            term::print(&term::safe_json(&json))
        }
        OutputFormat::Text => {
            let mut text = String::new();
            if all.is_empty() {
                let _ = writeln!(text, "{}: no sessions", args.history.display());
            }
            for (i, t) in all.iter().enumerate() {
                if i > 0 {
                    text.push('\n');
                }
                text.push_str(&render_trends(t, usize::from(args.window)));
            }
            term::print(&term::safe_text(&text))
        }
    }
}

/// What a trend row holds: a 0-1 score, shown as `rubric_core::display` shows scores (a
/// percentage, changes in points), or another figure with this many decimals.
#[derive(Clone, Copy)]
enum Unit {
    Score,
    Number(usize),
}

fn fmt_value(v: Option<f64>, unit: Unit) -> String {
    v.map_or_else(
        || "n/a".to_string(),
        |v| match unit {
            Unit::Score => display::percent(v),
            Unit::Number(decimals) => format!("{v:.decimals$}"),
        },
    )
}

fn fmt_change(v: Option<f64>, unit: Unit) -> String {
    v.map_or_else(
        || "-".to_string(),
        |v| match unit {
            Unit::Score => display::points(v),
            Unit::Number(decimals) => format!("{v:+.decimals$}"),
        },
    )
}

fn verdict_word(trend: &Trend) -> &'static str {
    match (trend.verdict, trend.moved) {
        (Verdict::Improving, _) => "improving",
        (Verdict::Declining, _) => "declining",
        (Verdict::Steady, _) => "steady",
        (Verdict::Unknown, rubric_core::trends::Movement::Up) => "rising",
        (Verdict::Unknown, rubric_core::trends::Movement::Down) => "falling",
        (Verdict::Unknown, rubric_core::trends::Movement::Flat) => "flat",
        (Verdict::Unknown, rubric_core::trends::Movement::Unknown) => "-",
    }
}

/// The last few values of a trend, oldest first ("20% 45% 80%").
fn recent(trend: &Trend, unit: Unit) -> String {
    let values: Vec<String> =
        trend.points.iter().rev().take(5).rev().map(|p| fmt_value(p.value, unit).replace("n/a", "-")).collect();
    values.join(" ")
}

fn row(out: &mut String, name: &str, trend: &Trend, unit: Unit) {
    let name = display::fit(name, 38);
    let _ = writeln!(
        out,
        "    {name:<38} {:>7} {:>12} {:>12} {:>12}  {:<10} {}",
        fmt_value(trend.latest, unit),
        fmt_change(trend.change_since_previous, unit),
        fmt_change(trend.change_since_first, unit),
        fmt_change(trend.slope, unit),
        verdict_word(trend),
        recent(trend, unit)
    );
}

pub fn render_trends(t: &Trends, window: usize) -> String {
    let mut out = String::new();
    let _ =
        writeln!(out, "{}: {} session{} in trends", t.candidate, t.sessions, if t.sessions == 1 { "" } else { "s" });
    for round in &t.rounds {
        let _ = writeln!(
            out,
            "\n{}  {} v{} | {} session{}, {} to {}",
            round.round.title().to_uppercase(),
            round.rubric.id,
            round.rubric.version,
            round.sessions,
            if round.sessions == 1 { "" } else { "s" },
            round.first_date,
            round.latest_date
        );
        let _ = writeln!(
            out,
            "    {:<38} {:>7} {:>12} {:>12} {:>12}  {:<10} {}",
            "",
            "latest",
            "vs prev",
            "vs first",
            "slope",
            "trend",
            match round.sessions.min(5) {
                1 => "last session".to_string(),
                n => format!("last {n} sessions"),
            }
        );
        row(&mut out, "Overall", &round.overall, Unit::Score);
        for competency in &round.competencies {
            row(&mut out, &competency.title, &competency.trend, Unit::Score);
            for sub in round.subcompetencies.iter().filter(|s| s.competency.as_deref() == Some(&competency.id)) {
                row(&mut out, &format!("  {}", sub.title), &sub.trend, Unit::Score);
            }
        }
        let d = &round.dimensions;
        let _ = writeln!(out, "  TRACKED");
        let depth = if d.technical_depth_subcompetencies.is_empty() {
            "Technical depth (n/a)".to_string()
        } else {
            "Technical depth".to_string()
        };
        row(&mut out, &depth, &d.technical_depth, Unit::Score);
        row(&mut out, "Words per answer", &d.words_per_answer, Unit::Number(0));
        row(&mut out, "Time to first working solution (s)", &d.time_to_first_solution_seconds, Unit::Number(0));
        row(&mut out, "Specificity (per 100 words)", &d.specificity_per_100_words, Unit::Number(1));
        if !d.technical_depth_subcompetencies.is_empty() {
            let _ = writeln!(out, "    technical depth = mean of {}", d.technical_depth_subcompetencies.join(", "));
        }
    }
    if !t.rounds.is_empty() {
        let _ = writeln!(out, "\n  slope: least squares per session over the last {window} measured sessions");
    }
    if !t.weakest.is_empty() {
        let _ = writeln!(out, "\nWEAKEST AREAS");
        for (i, w) in t.weakest.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. {} ({}, {}) latest {}{}",
                i + 1,
                w.title,
                w.round.as_str(),
                w.subcompetency,
                display::percent(w.latest),
                w.change_since_previous.map_or_else(String::new, |c| format!(", {} vs previous", display::points(c)))
            );
        }
    }
    if !t.set_aside.is_empty() {
        let _ = writeln!(out, "\nLEFT OUT (other rubric versions)");
        for s in &t.set_aside {
            let _ = writeln!(out, "  line {} ({}): {}", s.line, s.date, s.reason);
        }
    }
    out
}
