//! `rubric report`: one self-contained HTML file for a transcript, with trends when a history is
//! given.

use std::path::PathBuf;

use clap::Args;
use rubric_core::{render_report, trends, ReportOptions, TrendOptions};

use crate::history_cmd::{load_history, pick_candidate};
use crate::{annotate, files, load_rubric, load_transcript, scoring_failure, term, Failure};

#[derive(Args)]
pub struct ReportArgs {
    /// Transcript file, in any format `score` reads.
    transcript: PathBuf,
    /// A rubric YAML file or the name of a bundled rubric (default: coding-round).
    #[arg(long, short)]
    rubric: Option<String>,
    /// History file: adds trend charts for the candidate.
    #[arg(long)]
    history: Option<PathBuf>,
    /// The candidate's name (needed with --history when it holds several candidates).
    #[arg(long)]
    candidate: Option<String>,
    /// The HTML file to write; `-` writes the HTML to standard output.
    #[arg(long, short)]
    out: PathBuf,
    /// Page title (default: "Interview report").
    #[arg(long)]
    title: Option<String>,
    #[command(flatten)]
    import: crate::import_args::ImportArgs,
    /// Annotations of the transcript, as `score --annotations` reads them.
    #[arg(long, value_name = "FILE")]
    annotations: Option<PathBuf>,
}

pub fn run(args: ReportArgs) -> Result<(), Failure> {
    let rubric_path = std::path::Path::new(args.rubric.as_deref().unwrap_or(rubric_core::bundled::DEFAULT));
    let mut inputs = vec![args.transcript.as_path(), rubric_path];
    inputs.extend(args.history.as_deref());
    inputs.extend(args.annotations.as_deref());
    let to_stdout = args.out.as_os_str() == "-";
    if !to_stdout {
        files::refuse_out_is_input(&args.out, &inputs)?;
    }
    let (label, result) = load_rubric(args.rubric.as_deref())?;
    let rubric = result.map_err(|errors| Failure::invalid(crate::render::rubric_errors(&label, &errors)))?;
    let limits = rubric_core::Limits::default();
    let mut transcript = load_transcript(&args.transcript, &args.import, limits)?;
    if let Some(path) = &args.annotations {
        transcript = annotate(transcript, path, &args.import, limits)?;
    }
    let card =
        rubric.score(&transcript).map_err(|e| scoring_failure(&e, &args.transcript, args.annotations.as_deref()))?;
    let mut options = ReportOptions { title: args.title, candidate: args.candidate.clone(), trends: None };
    if let Some(path) = &args.history {
        let history = load_history(path)?;
        let candidate = pick_candidate(&history, path, args.candidate.as_deref())?;
        let trend_options =
            TrendOptions { current_versions: rubric_core::bundled::versions(), ..TrendOptions::default() };
        options.trends = Some(trends(&history, &candidate, &trend_options));
        options.candidate = Some(candidate);
    }
    let html = render_report(&card, &transcript, &options);
    if to_stdout {
        return term::print(&html);
    }
    files::write_output(&args.out, html.as_bytes())?;
    term::print(&term::safe_text(&format!("{}: report written\n", args.out.display())))
}
