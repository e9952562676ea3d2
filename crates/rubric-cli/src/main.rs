//! `rubric`: score interview transcripts against rubrics from the command line.
//!
//! Exit codes: 0 success; 1 the rubric, transcript or question bank is invalid (the errors are
//! printed; for `batch`: at least one input could not be scored and has an error record); 2 bad
//! command-line usage (including `--out` naming an input or a symbolic link); 3 a file could not
//! be read or written, including standard output closed early (`rubric score x | head -1`) and an
//! input that is a FIFO or a device.
//!
//! Nothing is printed with `print!` or `eprintln!`, which panic on a closed pipe: see [`term`].

mod batch_cmd;
mod calibrate_cmd;
mod files;
mod history_cmd;
mod import_args;
mod lines;
mod plan_cmd;
mod render;
mod report_cmd;
mod term;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use rubric_core::{bundled, import_bytes, Format, Limits, Role, Rubric, RubricErrors, Transcript, TranscriptError};

#[derive(Parser)]
#[command(name = "rubric", version, about = "Score technical-interview transcripts against rubrics")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Score transcripts and print their scorecards.
    Score {
        /// Transcript files: native JSON, plain text, WebVTT, SubRip, or speech-to-text JSON
        /// (utterances, Deepgram, AWS Transcribe, Whisper, Rev.ai); `-` reads standard input. A
        /// directory stands for its .json, .txt, .vtt and .srt files. With more than one transcript,
        /// text output heads each scorecard with its file, and JSON output is one record per file
        /// (JSON Lines, as `batch` writes them); one that fails does not stop the others.
        #[arg(required = true, num_args = 1..)]
        transcripts: Vec<PathBuf>,
        /// A rubric YAML file or the name of a bundled rubric (default: coding-round).
        #[arg(long, short)]
        rubric: Option<String>,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        #[command(flatten)]
        import: import_args::ImportArgs,
        /// Annotations of the one transcript scored (a judge's or annotator's evidence): a JSON
        /// array or JSON Lines of objects with behavior, turn, quote or span, source, and optional
        /// confidence, rationale and timestamp (docs/transcript-format.md, "Annotations").
        #[arg(long, value_name = "FILE")]
        annotations: Option<PathBuf>,
        /// Write the output to this file instead of standard output.
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Override a size limit: NAME=VALUE, e.g. max_turns=5000; the names are in
        /// docs/rubric-format.md, "Limits" (a misspelt one gets a suggestion). Repeatable.
        #[arg(long = "limit", value_name = "NAME=VALUE")]
        limits: Vec<String>,
    },
    /// Score a JSON Lines corpus (one transcript per line) in bounded memory, one record per line.
    Batch(batch_cmd::BatchArgs),
    /// Validate a rubric and report every error.
    Check {
        /// Rubric YAML file (or bundled rubric name).
        rubric: String,
        #[arg(long, short, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// List the bundled rubrics.
    List {
        #[arg(long, short, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Record scored sessions in a history file and show trends.
    History {
        #[command(subcommand)]
        action: history_cmd::HistoryCommand,
    },
    /// Plan the next practice session from a question bank and the history.
    Plan(plan_cmd::PlanArgs),
    /// Write a self-contained HTML report for a transcript (with trends when given a history).
    Report(report_cmd::ReportArgs),
    /// Compare the engine with human raters: agreement per behavior and per scored node, the
    /// raters' own agreement, and where the engine and the raters differ.
    Calibrate(calibrate_cmd::CalibrateArgs),
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

fn parse_format(s: &str) -> Result<Format, rubric_core::OptionsError> {
    s.parse()
}

fn parse_role(s: &str) -> Result<Role, rubric_core::OptionsError> {
    Role::parse_named(s)
}

/// A failure and the exit code it maps to.
struct Failure {
    code: u8,
    message: String,
    /// The errors as JSON records (kind, path, line, column, message), for JSON output.
    errors: Option<serde_json::Value>,
    /// The JSON output already carries the errors (one record per failed input), so no error
    /// document follows it.
    in_output: bool,
}

impl Failure {
    fn new(code: u8, message: String) -> Self {
        Self { code, message, errors: None, in_output: false }
    }

    fn with_errors(self, errors: serde_json::Value) -> Self {
        Self { errors: Some(errors), ..self }
    }

    fn in_output(self) -> Self {
        Self { in_output: true, ..self }
    }

    fn invalid(message: impl Into<String>) -> Self {
        Self::new(1, message.into())
    }

    fn usage(message: impl Into<String>) -> Self {
        Self::new(2, message.into())
    }

    fn io_message(message: String) -> Self {
        Self::new(3, message)
    }

    fn io(path: &Path, error: &std::io::Error) -> Self {
        Self::new(3, format!("{}: {error}", path.display()))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // The same prefix as clap's own usage errors, so every failure reads alike.
            if !failure.message.is_empty() {
                term::warn(&format!("error: {}", failure.message));
            }
            ExitCode::from(failure.code)
        }
    }
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::List { format } => {
            let mut text = String::new();
            let mut entries = Vec::new();
            for name in bundled::names() {
                let rubric = Rubric::bundled(name).map_err(|e| Failure::invalid(e.to_string()))?;
                let _ = writeln!(
                    text,
                    "{name:<18} v{:<7} {:>3} criteria  {}",
                    rubric.version(),
                    rubric.criteria_count(),
                    rubric.title()
                );
                entries.push(serde_json::json!({
                    "id": name,
                    "version": rubric.version(),
                    "title": rubric.title(),
                    "criteria": rubric.criteria_count(),
                }));
            }
            match format {
                OutputFormat::Text => term::print(&term::safe_text(&text)),
                OutputFormat::Json => {
                    let json = serde_json::to_string_pretty(&entries).expect("plain values serialise") + "\n";
                    term::print(&term::safe_json(&json))
                }
            }
        }
        Command::Check { rubric, format } => {
            let (label, result) = load_rubric(Some(&rubric))?;
            match (result, format) {
                (Ok(rubric), OutputFormat::Text) => term::print(&term::safe_text(&format!(
                    "{label}: ok ({} v{}, {} behaviors and red flags)\n",
                    rubric.id(),
                    rubric.version(),
                    rubric.criteria_count()
                ))),
                (Ok(_), OutputFormat::Json) => term::print("{\"valid\": true, \"errors\": []}\n"),
                (Err(errors), OutputFormat::Text) => Err(Failure::invalid(render::rubric_errors(&label, &errors))),
                (Err(errors), OutputFormat::Json) => {
                    let json = serde_json::json!({ "valid": false, "errors": errors.errors() });
                    let json = serde_json::to_string_pretty(&json).expect("errors serialise") + "\n";
                    term::print(&term::safe_json(&json))?;
                    Err(Failure::invalid(String::new()))
                }
            }
        }
        Command::Score { transcripts, rubric, format, import, annotations, out, limits } => {
            let inputs = Inputs { transcripts: &transcripts, annotations: annotations.as_deref() };
            let result = score_inputs(&inputs, rubric.as_deref(), format, &import, out.as_deref(), &limits);
            match (result, format) {
                // JSON output carries its errors as JSON too, on standard output, so a pipeline
                // reading it sees a document either way; the text still goes to standard error.
                (Err(failure), OutputFormat::Json) if !failure.in_output => {
                    let errors = failure.errors.clone().unwrap_or_else(|| {
                        let kind = if failure.code == 3 { "io" } else { "usage" };
                        serde_json::json!([{ "kind": kind, "message": failure.message }])
                    });
                    let json = serde_json::json!({ "ok": false, "errors": errors });
                    let _ = term::print(&term::safe_json(
                        &(serde_json::to_string_pretty(&json).expect("values serialise") + "\n"),
                    ));
                    Err(failure)
                }
                (result, _) => result,
            }
        }
        Command::Batch(args) => batch_cmd::run(&args),
        Command::History { action } => history_cmd::run(action),
        Command::Plan(args) => plan_cmd::run(&args),
        Command::Report(args) => report_cmd::run(args),
        Command::Calibrate(args) => calibrate_cmd::run(&args),
    }
}

/// What `rubric score` reads: transcripts, and the annotations of a single one.
struct Inputs<'a> {
    transcripts: &'a [PathBuf],
    annotations: Option<&'a Path>,
}

/// `rubric score`: one transcript as before; several (or a directory) through [`score_many`].
fn score_inputs(
    inputs: &Inputs<'_>,
    rubric: Option<&str>,
    format: OutputFormat,
    import: &import_args::ImportArgs,
    out: Option<&Path>,
    limits: &[String],
) -> Result<(), Failure> {
    match (inputs.transcripts, inputs.annotations) {
        ([one], annotations) if !files::is_directory(one) => {
            score(one, annotations, rubric, format, import, out, limits)
        }
        (_, Some(_)) => Err(Failure::usage(
            "--annotations belong to one transcript (they name its turns); score that transcript alone",
        )),
        (many, None) => score_many(many, rubric, format, import, out, limits),
    }
}

/// A transcript that could not be scored, named by its file; an annotation's error names the
/// `--annotations` file instead, since `given_annotations[i]` came from there.
fn scoring_failure(error: &TranscriptError, transcript: &Path, annotations: Option<&Path>) -> Failure {
    let file = match annotations {
        Some(path) if error.path.starts_with(rubric_core::transcript::GIVEN_ANNOTATIONS) => path,
        _ => transcript,
    };
    Failure::invalid(format!("{}: {error}", file.display())).with_errors(serde_json::json!([error_json(error)]))
}

/// A transcript error as `score --format json` writes it: the core's located fields, with the
/// speakers still to map under `speakers` (always present, empty for other kinds) as before the
/// core named them `names`, and `suggestion` where one is close.
fn error_json(error: &TranscriptError) -> serde_json::Value {
    let mut json = serde_json::json!({
        "kind": error.kind.as_str(),
        "path": error.path,
        "line": error.line,
        "column": error.column,
        "message": error.message,
        "speakers": error.names,
    });
    if let Some(suggestion) = &error.suggestion {
        json["suggestion"] = serde_json::json!(suggestion);
    }
    json
}

/// Adds the annotations in `path` (JSON or JSON Lines, at most `max_transcript_bytes`) to `transcript`.
fn annotate(
    transcript: Transcript,
    path: &Path,
    import: &import_args::ImportArgs,
    limits: Limits,
) -> Result<Transcript, Failure> {
    let limit = files::Limit { bytes: limits.max_transcript_bytes, name: "max_transcript_bytes" };
    let bytes = files::read_input(path, limit, true)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Failure::invalid(format!("{}: not UTF-8 (at byte {})", path.display(), e.utf8_error().valid_up_to()))
    })?;
    rubric_core::transcript::read_annotations(&text, &limits)
        .and_then(|given| transcript.annotate(given, &limits, import.keep_unverified))
        .map_err(|e| {
            let advised = import_args::advised(&e);
            Failure::invalid(format!("{}: {advised}", path.display()))
                .with_errors(serde_json::json!([error_json(&advised)]))
        })
}

/// Several transcripts with one compiled rubric. Text: each scorecard under a `==> file <==`
/// heading, errors to standard error. JSON: one `batch` record per file. Every file is tried;
/// the exit status is 1 when any could not be scored.
fn score_many(
    inputs: &[PathBuf],
    rubric: Option<&str>,
    format: OutputFormat,
    import: &import_args::ImportArgs,
    out: Option<&Path>,
    limits: &[String],
) -> Result<(), Failure> {
    let limits = parse_limits(limits)?;
    let mut paths = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            return Err(Failure::usage("- (standard input) can only be scored alone"));
        }
        paths.extend(files::transcript_paths(input)?);
    }
    if paths.is_empty() {
        return Err(Failure::invalid("no transcript files (.json, .txt, .vtt, .srt) among the inputs"));
    }
    let total = paths.len() as u64;
    if let Some(out) = out {
        let rubric_path = Path::new(rubric.unwrap_or(bundled::DEFAULT));
        let mut all: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
        all.push(rubric_path);
        files::refuse_out_is_input(out, &all)?;
    }
    let (label, result) = load_rubric_with_limits(rubric, limits)?;
    let rubric = result.map_err(|errors| {
        Failure::invalid(render::rubric_errors(&label, &errors)).with_errors(serde_json::json!(errors.errors()))
    })?;
    let mut output = out.map(files::Output::create).transpose()?;
    let out_path = out.unwrap_or(Path::new(term::STDOUT));
    let mut stdout = std::io::stdout().lock();
    let mut writer = std::io::BufWriter::new(match &mut output {
        Some(file) => file as &mut dyn std::io::Write,
        None => &mut stdout as &mut dyn std::io::Write,
    });
    let failed = match format {
        OutputFormat::Json => {
            let options = import.options(limits)?;
            let jobs = batch_cmd::Jobs { rubric: &rubric, options: &options, threads: 1, summary: false };
            let source = batch_cmd::Source::Files(paths.into_iter());
            jobs.run(source, Path::new("score"), &mut writer, out_path)?.errors
        }
        OutputFormat::Text => {
            let mut failed = 0u64;
            for (i, path) in paths.iter().enumerate() {
                let scored = load_transcript(path, import, limits).and_then(|parsed| {
                    let card =
                        rubric.score(&parsed).map_err(|e| Failure::invalid(format!("{}: {e}", path.display())))?;
                    Ok(render::scorecard(&card, &parsed))
                });
                let heading = format!("{}==> {} <==\n", if i == 0 { "" } else { "\n" }, path.display());
                let text = match scored {
                    Ok(text) => heading + &text,
                    Err(failure) => {
                        failed += 1;
                        term::warn(&format!("error: {}", failure.message));
                        heading + "(not scored: see the error above)\n"
                    }
                };
                std::io::Write::write_all(&mut writer, term::safe_text(&text).as_bytes())
                    .map_err(|e| Failure::io(out_path, &e))?;
            }
            failed
        }
    };
    std::io::Write::flush(&mut writer).map_err(|e| Failure::io(out_path, &e))?;
    drop(writer);
    if let Some(output) = output {
        output.commit()?;
    }
    if failed > 0 {
        // JSON output already holds each failure as a record: no further JSON document follows.
        let failure = Failure::invalid(format!(
            "{failed} of {} could not be scored",
            term::count(total, "transcript", "transcripts")
        ));
        return Err(if format == OutputFormat::Json { failure.in_output() } else { failure });
    }
    Ok(())
}

/// `rubric score`: the scorecard of one transcript, to standard output or `out`.
fn score(
    transcript: &Path,
    annotations: Option<&Path>,
    rubric: Option<&str>,
    format: OutputFormat,
    import: &import_args::ImportArgs,
    out: Option<&Path>,
    limits: &[String],
) -> Result<(), Failure> {
    let limits = parse_limits(limits)?;
    if let Some(out) = out {
        let rubric_path = Path::new(rubric.unwrap_or(bundled::DEFAULT));
        let mut inputs = vec![transcript, rubric_path];
        inputs.extend(annotations);
        files::refuse_out_is_input(out, &inputs)?;
    }
    let (label, result) = load_rubric_with_limits(rubric, limits)?;
    let rubric = result.map_err(|errors| {
        Failure::invalid(render::rubric_errors(&label, &errors)).with_errors(serde_json::json!(errors.errors()))
    })?;
    let mut parsed = load_transcript(transcript, import, limits)?;
    if let Some(path) = annotations {
        parsed = annotate(parsed, path, import, limits)?;
    }
    let card = rubric.score(&parsed).map_err(|e| scoring_failure(&e, transcript, annotations))?;
    let output = match format {
        OutputFormat::Json => term::safe_json(&(card.to_json_pretty() + "\n")).into_owned(),
        OutputFormat::Text => term::safe_text(&render::scorecard(&card, &parsed)).into_owned(),
    };
    match out {
        Some(path) => files::write_output(path, output.as_bytes()),
        None => term::print(&output),
    }
}

/// Reads (at most `max_transcript_bytes`; `-` is standard input) and imports a transcript file as
/// `import` says.
fn load_transcript(path: &Path, import: &import_args::ImportArgs, limits: Limits) -> Result<Transcript, Failure> {
    let options = import.options(limits)?;
    let limit = files::Limit { bytes: limits.max_transcript_bytes, name: "max_transcript_bytes" };
    let bytes = files::read_input(path, limit, true)?;
    let name = path.file_name().and_then(|n| n.to_str()).filter(|n| *n != "-");
    import_bytes(&bytes, name, &options).map_err(|e| {
        let advised = import_args::advised(&e);
        Failure::invalid(format!("{}: {advised}", path.display()))
            .with_errors(serde_json::json!([error_json(&advised)]))
    })
}

/// Builds `Limits` from `--limit NAME=VALUE` flags; unnamed limits keep their defaults. Names are
/// looked up by `Limits::set`, as in the bindings, so a misspelt name gets the same suggestion.
fn parse_limits(flags: &[String]) -> Result<Limits, Failure> {
    let mut limits = Limits::default();
    for flag in flags {
        let (name, value) = flag
            .split_once('=')
            .ok_or_else(|| Failure::usage(format!("--limit expects NAME=VALUE, found \"{flag}\"")))?;
        let value: usize = value.trim().parse().map_err(|_| {
            Failure::usage(format!("--limit {name}: expected a whole number of bytes or items, found \"{value}\""))
        })?;
        limits.set(name.trim(), value).map_err(|e| Failure::usage(format!("--limit: {e}")))?;
    }
    Ok(limits)
}

/// Loads a rubric by file path or bundled name. Returns a label for messages and the result.
fn load_rubric(name: Option<&str>) -> Result<(String, Result<Rubric, RubricErrors>), Failure> {
    load_rubric_with_limits(name, Limits::default())
}

/// [`load_rubric`] with explicit limits, which also bound the transcripts the rubric scores.
fn load_rubric_with_limits(
    name: Option<&str>,
    limits: Limits,
) -> Result<(String, Result<Rubric, RubricErrors>), Failure> {
    let name = name.unwrap_or(bundled::DEFAULT);
    let path = Path::new(name);
    let yaml_extension =
        path.extension().is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    let looks_like_path = yaml_extension || name.contains('/') || path.exists();
    if looks_like_path {
        // Bytes, not a string: invalid UTF-8 is then a located `syntax` error, not an I/O error.
        let limit = files::Limit { bytes: limits.max_rubric_bytes, name: "max_rubric_bytes" };
        let yaml = files::read_input(path, limit, false)?;
        return Ok((path.display().to_string(), Rubric::builder().limits(limits).from_yaml_bytes(&yaml)));
    }
    if bundled::source(name).is_none() {
        return Err(Failure::usage(format!(
            "\"{name}\" is neither a rubric file nor a bundled rubric; {}",
            bundled::unknown_name_hint(name)
        )));
    }
    Ok((name.to_string(), Rubric::builder().limits(limits).bundled(name)))
}
