//! `rubric calibrate`: the engine's scorecards against human labels (`rubric_core::calibration`),
//! as a text table or JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use rubric_core::calibration::labels::{read_labels, LabelError, MAX_LABEL_BYTES};
use rubric_core::calibration::{calibrate, describe, Calibration, CalibrationOptions};
use rubric_core::{display, import_bytes, Scorecard};

use crate::lines::{BoundedLines, Line};
use crate::{files, load_rubric_with_limits, load_transcript, parse_limits, render, term, Failure};

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CalibrateFormat {
    Text,
    Json,
    Html,
}

#[derive(Args)]
pub struct CalibrateArgs {
    /// Transcripts: files, directories (their .json, .txt, .vtt and .srt files) or JSON Lines
    /// corpora (.jsonl, one transcript with an `id` per line). A transcript's id is its `id`, else
    /// its file name without the extension; the labels name transcripts by it.
    #[arg(required = true, num_args = 1..)]
    transcripts: Vec<PathBuf>,
    /// The human labels: CSV with a header (transcript, rater, node, value) or JSON Lines.
    #[arg(long, short)]
    labels: PathBuf,
    /// A rubric YAML file or the name of a bundled rubric (default: coding-round).
    #[arg(long, short)]
    rubric: Option<String>,
    /// Output: a text table, JSON, or a self-contained HTML page (bars and a confusion heatmap).
    #[arg(long, short, value_enum, default_value_t = CalibrateFormat::Text)]
    format: CalibrateFormat,
    /// Bootstrap resamples for each interval (0: none).
    #[arg(long, default_value_t = 1000)]
    bootstrap: usize,
    /// Seed of the bootstrap: the same seed gives the same intervals.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    #[command(flatten)]
    import: crate::import_args::ImportArgs,
    /// Override a size limit: NAME=VALUE (see `score --help`). Repeatable.
    #[arg(long = "limit", value_name = "NAME=VALUE")]
    limits: Vec<String>,
}

pub fn run(args: &CalibrateArgs) -> Result<(), Failure> {
    let limits = parse_limits(&args.limits)?;
    let (label, result) = load_rubric_with_limits(args.rubric.as_deref(), limits)?;
    let rubric = result.map_err(|errors| Failure::invalid(render::rubric_errors(&label, &errors)))?;
    let options = args.import.options(limits)?;
    let mut scorecards: BTreeMap<String, Scorecard> = BTreeMap::new();
    let mut add = |id: String, card: Scorecard, place: &str| -> Result<(), Failure> {
        if scorecards.insert(id.clone(), card).is_some() {
            return Err(Failure::invalid(format!("{place}: a second transcript with id `{id}`")));
        }
        Ok(())
    };
    for input in &args.transcripts {
        let is_corpus = input.extension().is_some_and(|e| e.eq_ignore_ascii_case("jsonl"));
        if is_corpus {
            let file = files::open_input(input, false)?.0;
            let mut lines = BoundedLines::new(std::io::BufReader::new(file), limits.max_transcript_bytes);
            let mut number = 0;
            while let Some(line) = lines.next_line().map_err(|e| Failure::io(input, &e))? {
                number += 1;
                let place = format!("{}:{number}", input.display());
                let Line::Text(bytes) = line else {
                    return Err(Failure::invalid(format!("{place}: the line is over max_transcript_bytes")));
                };
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let transcript =
                    import_bytes(&bytes, None, &options).map_err(|e| Failure::invalid(format!("{place}: {e}")))?;
                let id = transcript.id().map(str::to_string).ok_or_else(|| {
                    Failure::invalid(format!("{place}: the transcript has no `id` for the labels to name"))
                })?;
                let card = rubric.score(&transcript).map_err(|e| Failure::invalid(format!("{place}: {e}")))?;
                add(id, card, &place)?;
            }
            continue;
        }
        for path in files::transcript_paths(input)? {
            // Read and imported as `score` does, with the same advice on an unmapped speaker.
            let transcript = load_transcript(&path, &args.import, limits)?;
            let place = path.display().to_string();
            let id = transcript.id().map_or_else(|| stem(&path), str::to_string);
            let card = rubric.score(&transcript).map_err(|e| Failure::invalid(format!("{place}: {e}")))?;
            add(id, card, &place)?;
        }
    }
    let text =
        files::read_input(&args.labels, files::Limit { bytes: MAX_LABEL_BYTES, name: "the labels' limit" }, false)?;
    let text = String::from_utf8(text).map_err(|e| {
        Failure::invalid(format!(
            "{}: the labels are not UTF-8 (byte {})",
            args.labels.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    let (labels, errors) = read_labels(&text);
    let options = CalibrationOptions { bootstrap_rounds: args.bootstrap, seed: args.seed };
    let result = calibrate(&scorecards, &labels, errors, options);
    let output = match args.format {
        CalibrateFormat::Json => {
            term::safe_json(&(serde_json::to_string_pretty(&result).expect("serialises") + "\n")).into_owned()
        }
        CalibrateFormat::Text => term::safe_text(&render_text(&result, &args.labels)).into_owned(),
        // Everything from the inputs is escaped for HTML by the core.
        CalibrateFormat::Html => rubric_core::calibration::render_calibration_html(&result),
    };
    term::print(&output)?;
    if result.labels_used == 0 {
        return Err(Failure::invalid(format!("{}: no label could be used", args.labels.display())));
    }
    Ok(())
}

/// The file name without its extension (`two-sum.vtt` -> `two-sum`).
fn stem(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    name.split('.').next().unwrap_or(name).to_string()
}

fn label_error(path: &Path, error: &LabelError) -> String {
    let line = error.line.unwrap_or(1);
    match error.column {
        Some(column) => format!("  {}:{line}:{column}: {}", path.display(), error.message),
        None => format!("  {}:{line}: {}", path.display(), error.message),
    }
}

fn render_text(c: &Calibration, labels: &Path) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Calibration of {} against {} ({}): {}, {} used",
        c.rubric,
        term::count(c.raters.len() as u64, "rater", "raters"),
        c.raters.join(", "),
        term::count(c.transcripts as u64, "transcript", "transcripts"),
        term::count(c.labels_used as u64, "label", "labels"),
    );
    if !c.label_errors.is_empty() {
        let _ = writeln!(out, "{} left out:", term::count(c.label_errors.len() as u64, "label row", "label rows"));
        for error in &c.label_errors {
            let _ = writeln!(out, "{}", label_error(labels, error));
        }
    }
    if c.bootstrap_rounds > 0 {
        let _ = writeln!(
            out,
            "[95% bootstrap intervals over transcripts, {} resamples, seed {}]",
            c.bootstrap_rounds, c.seed
        );
    }
    let _ = writeln!(
        out,
        "\nBEHAVIORS (engine vs the raters' majority)  {:>5}  {:<19}  {:<19}  raters' alpha",
        "items", "F1", "Cohen's kappa"
    );
    for b in &c.behaviors {
        let _ = writeln!(
            out,
            "  {:<42} {:>5}  {:<19}  {:<19}  {}{}",
            display::fit(&b.id, 42),
            b.items,
            describe(b.f1, b.f1_interval, "-"),
            describe(b.kappa, b.kappa_interval, "-"),
            describe(b.raters_alpha, None, "-"),
            if b.tied > 0 { format!("  ({} tied)", b.tied) } else { String::new() }
        );
    }
    let _ = writeln!(
        out,
        "\nSCORED NODES (levels)                        {:>5}  {:<19}  {:<19}  {:<9}  raters' alpha",
        "items", "quadratic kappa", "Spearman", "mean |d|"
    );
    for n in &c.nodes {
        let _ = writeln!(
            out,
            "  {:<42} {:>5}  {:<19}  {:<19}  {:<9}  {}",
            display::fit(&format!("{} ({})", n.id, n.kind), 42),
            n.items,
            describe(n.quadratic_kappa, n.quadratic_kappa_interval, "-"),
            describe(n.spearman, n.spearman_interval, "-"),
            describe(n.mean_absolute_level_difference, None, "-"),
            describe(n.raters_alpha, None, "-")
        );
    }
    let _ = writeln!(out, "\nDISAGREEMENTS (the behaviors that weigh most in the overall score first)");
    if c.disagreements.is_empty() {
        let _ = writeln!(out, "  none: the engine agrees with the raters' majority on every labelled behavior");
    }
    for d in &c.disagreements {
        let votes: Vec<String> = d.votes.iter().map(|(value, n)| format!("{n} {value}")).collect();
        let _ = writeln!(
            out,
            "  {} / {}: engine {}, raters {} ({}); {} of the overall score",
            d.transcript,
            d.behavior,
            d.engine,
            d.raters,
            votes.join(", "),
            display::percent(d.weight)
        );
        match &d.evidence {
            Some(e) => {
                let _ = writeln!(out, "      the engine's evidence, turn {}: \"{}\"", e.turn, e.quote);
            }
            None => {
                let _ = writeln!(out, "      the engine found no evidence");
            }
        }
    }
    out
}
