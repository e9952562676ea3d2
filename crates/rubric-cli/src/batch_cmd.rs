//! `rubric batch`: score a JSON Lines corpus (one transcript per line) or a directory of transcript
//! files (one per file, in any format `score` reads), in bounded memory.
//!
//! Inputs are read in windows of a few dozen per thread (fewer when they are long: see
//! `READ_AHEAD_BYTES`), scored in parallel, and written in input order before the next window is
//! read, so memory depends on the window, never on the corpus size. Every non-blank input line and
//! every file yields exactly one output record, `ok` or `error`, carrying its line number or file
//! name and its transcript id: one bad transcript never stops or reorders the others. On a
//! terminal, a progress bar on standard error counts the records (it has no colour, so `NO_COLOR`
//! changes nothing); piped or redirected, standard error gets only the summary line.

use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal as _, Write};
use std::num::NonZeroUsize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rubric_core::{import_bytes, ImportOptions, Rubric, Scorecard, TranscriptError};
use serde::Serialize;

use crate::files::{self, Output};
use crate::lines::{BoundedLines, Line};
use crate::{load_rubric_with_limits, parse_limits, render, term, Failure};

/// Lines read ahead per scoring thread: enough to keep threads busy, small enough that memory
/// stays a few megabytes whatever the corpus size.
const LINES_PER_THREAD: usize = 32;

/// Bytes of lines read ahead, beyond one line per thread: with long lines the window closes
/// early, so memory is bounded by the larger of this and `threads x max_transcript_bytes`, plus
/// what scoring one line per thread costs, and not by 32 lines per thread of up to 64 MiB each.
const READ_AHEAD_BYTES: usize = 32 << 20;

#[derive(Args)]
pub struct BatchArgs {
    /// JSON Lines file, one transcript per line (native or speech-to-text JSON); `-` reads standard
    /// input. Or a directory: each .json, .txt, .vtt and .srt file in it is one transcript.
    input: PathBuf,
    /// A rubric YAML file or the name of a bundled rubric (default: coding-round).
    #[arg(long, short)]
    rubric: Option<String>,
    /// Write the records to this file instead of standard output.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Scoring threads (default: the number of cores).
    #[arg(long)]
    threads: Option<NonZeroUsize>,
    #[command(flatten)]
    import: crate::import_args::ImportArgs,
    /// Write only the overall and competency scores of each transcript, not the whole scorecard.
    #[arg(long)]
    summary: bool,
    /// Override a size limit: NAME=VALUE, e.g. max_transcript_bytes=1000000; the names are in
    /// docs/rubric-format.md, "Limits" (a misspelt one gets a suggestion). Repeatable.
    /// `max_transcript_bytes` also caps the length of one input line.
    #[arg(long = "limit", value_name = "NAME=VALUE")]
    limits: Vec<String>,
}

/// One output line. `scorecard`/`summary` on success, `error` on failure; never both. `line` for
/// a JSON Lines input, `file` for a file of a directory (or of several `score` inputs).
#[derive(Serialize)]
struct Record<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    id: Option<String>,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    scorecard: Option<&'a Scorecard>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<Summary<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorRecord>,
}

#[derive(Serialize)]
struct Summary<'a> {
    score: Option<f64>,
    level: Option<i32>,
    label: Option<&'a str>,
    /// Competency id -> score (sorted by id).
    competencies: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct ErrorRecord {
    kind: String,
    path: String,
    /// Line and column inside this input line's document.
    line: Option<usize>,
    column: Option<usize>,
    message: String,
    /// For `unmapped_speaker`: every speaker still to map (`--speaker NAME=ROLE`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    speakers: Vec<String>,
    /// The name probably meant, where one is close.
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<String>,
}

impl From<TranscriptError> for ErrorRecord {
    fn from(e: TranscriptError) -> Self {
        Self {
            kind: e.kind.as_str().to_string(),
            path: e.path,
            line: e.line,
            column: e.column,
            message: e.message,
            speakers: e.names.into_vec(),
            suggestion: e.suggestion.map(String::from),
        }
    }
}

impl ErrorRecord {
    fn plain(kind: &str, message: String) -> Self {
        let path = String::new();
        Self { kind: kind.to_string(), path, line: None, column: None, message, speakers: Vec::new(), suggestion: None }
    }
}

/// An input line or file waiting to be scored.
struct Pending {
    /// The line number, or the file's position in the list.
    line: u64,
    content: Content,
}

enum Content {
    Line(Line),
    /// A file's path (as given) and its bytes, or why they could not be read.
    File {
        path: PathBuf,
        bytes: Result<Vec<u8>, String>,
    },
}

#[derive(Default)]
pub struct Counts {
    /// Inputs read: lines, or files.
    pub lines: u64,
    /// The inputs were files.
    pub files: bool,
    pub blank: u64,
    pub scored: u64,
    pub errors: u64,
}

impl Counts {
    /// A failure when some inputs could not be scored (their error records are written).
    pub fn outcome(&self) -> Result<(), Failure> {
        if self.errors > 0 {
            return Err(Failure::invalid(format!(
                "{} of {} could not be scored; each has an error record",
                self.errors,
                term::count(self.scored + self.errors, "input", "inputs")
            )));
        }
        Ok(())
    }
}

pub fn run(args: &BatchArgs) -> Result<(), Failure> {
    let started = Instant::now();
    if let Some(out) = &args.out {
        let rubric_path = Path::new(args.rubric.as_deref().unwrap_or(rubric_core::bundled::DEFAULT));
        files::refuse_out_is_input(out, &[&args.input, rubric_path])?;
    }
    let (label, result) = load_rubric_with_limits(args.rubric.as_deref(), parse_limits(&args.limits)?)?;
    let rubric = result.map_err(|errors| Failure::invalid(render::rubric_errors(&label, &errors)))?;
    let options = args.import.options(*rubric.limits())?;
    let threads = args
        .threads
        .map_or_else(|| std::thread::available_parallelism().map_or(1, NonZeroUsize::get), NonZeroUsize::get);

    let source = if files::is_directory(&args.input) {
        let (paths, skipped) = files::transcripts_in(&args.input)?;
        if skipped > 0 {
            term::warn(&format!(
                "batch: {}: {} passed over (not .json, .txt, .vtt or .srt, hidden, or not a file)",
                args.input.display(),
                term::count(skipped as u64, "entry", "entries")
            ));
        }
        Source::Files(paths.into_iter())
    } else {
        let reader: Box<dyn BufRead> = if args.input.as_os_str() == "-" {
            Box::new(io::stdin().lock())
        } else {
            Box::new(BufReader::new(files::open_input(&args.input, true)?.0))
        };
        Source::Lines(BoundedLines::new(reader, options.limits.max_transcript_bytes))
    };
    // Records go to a temporary file renamed over `--out` at the end (also when some inputs
    // could not be scored: their error records are part of the output).
    let mut output = args.out.as_deref().map(Output::create).transpose()?;
    let out_path = args.out.as_deref().unwrap_or(Path::new(term::STDOUT));
    let mut stdout = io::stdout().lock();
    let mut writer = BufWriter::new(match &mut output {
        Some(file) => file as &mut dyn Write,
        None => &mut stdout as &mut dyn Write,
    });
    let jobs = Jobs { rubric: &rubric, options: &options, threads, summary: args.summary };
    let counts = jobs.run(source, &args.input, &mut writer, out_path)?;
    writer.flush().map_err(|e| Failure::io(out_path, &e))?;
    drop(writer);
    if let Some(output) = output {
        output.commit()?;
    }
    let peak =
        peak_memory().map_or(String::new(), |bytes| format!("; peak memory {:.1} MiB", bytes as f64 / 1_048_576.0));
    term::warn(&format!(
        "batch: {}: {} scored, {}, {} blank; {}; {:.2} s{peak}",
        if counts.files {
            term::count(counts.lines, "file", "files")
        } else {
            term::count(counts.lines, "line", "lines")
        },
        counts.scored,
        term::count(counts.errors, "error", "errors"),
        counts.blank,
        term::count(threads as u64, "thread", "threads"),
        started.elapsed().as_secs_f64()
    ));
    counts.outcome()
}

/// Where the inputs come from: the lines of a JSON Lines corpus, or a list of files.
pub enum Source<'a> {
    Lines(BoundedLines<Box<dyn BufRead + 'a>>),
    Files(std::vec::IntoIter<PathBuf>),
}

/// Scores inputs in windows, in parallel, writing one record per input in input order.
pub struct Jobs<'a> {
    pub rubric: &'a Rubric,
    pub options: &'a ImportOptions,
    pub threads: usize,
    pub summary: bool,
}

impl Jobs<'_> {
    /// Scores every input of `source` (named `input` in messages) and writes the records.
    pub fn run(
        &self,
        mut source: Source<'_>,
        input: &Path,
        writer: &mut dyn Write,
        out_path: &Path,
    ) -> Result<Counts, Failure> {
        let mut counts = Counts { files: matches!(source, Source::Files(_)), ..Counts::default() };
        let progress = progress_bar(match &source {
            Source::Files(paths) => Some(paths.len() as u64),
            Source::Lines(_) => None,
        });
        let window = self.threads * LINES_PER_THREAD;
        let limit = files::Limit { bytes: self.options.limits.max_transcript_bytes, name: "max_transcript_bytes" };
        let mut pending = Vec::with_capacity(window);
        loop {
            pending.clear();
            let mut pending_bytes = 0;
            while pending.len() < window && (pending_bytes < READ_AHEAD_BYTES || pending.len() < self.threads) {
                let content = match &mut source {
                    Source::Lines(lines) => {
                        let Some(content) = lines.next_line().map_err(|e| Failure::io(input, &e))? else { break };
                        counts.lines += 1;
                        if matches!(&content, Line::Text(bytes) if bytes.iter().all(u8::is_ascii_whitespace)) {
                            counts.blank += 1;
                            continue;
                        }
                        if let Line::Text(bytes) = &content {
                            pending_bytes += bytes.len();
                        }
                        Content::Line(content)
                    }
                    Source::Files(paths) => {
                        let Some(path) = paths.next() else { break };
                        counts.lines += 1;
                        let bytes = files::read_input(&path, limit, false).map_err(|failure| failure.message);
                        pending_bytes += bytes.as_ref().map_or(0, Vec::len);
                        Content::File { path, bytes }
                    }
                };
                pending.push(Pending { line: counts.lines, content });
            }
            if pending.is_empty() {
                break;
            }
            for (ok, record) in rubric_core::map_in_order(&pending, self.threads, |input| {
                record_for(self.rubric, self.options, input, self.summary)
            }) {
                if ok {
                    counts.scored += 1;
                } else {
                    counts.errors += 1;
                }
                progress.inc(1);
                writer
                    .write_all(term::safe_json(&record).as_bytes())
                    .and_then(|()| writer.write_all(b"\n"))
                    .map_err(|e| Failure::io(out_path, &e))?;
            }
        }
        progress.finish_and_clear();
        Ok(counts)
    }
}

/// A progress bar on standard error when it is a terminal (hidden otherwise, so logs and pipes
/// get no control characters): a bar for a known number of inputs, else a running count.
fn progress_bar(total: Option<u64>) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let (bar, template) = match total {
        Some(total) => (ProgressBar::new(total), "{bar:30} {pos}/{len} transcripts, {elapsed}, about {eta} left"),
        None => (ProgressBar::new_spinner(), "{spinner} {pos} transcripts, {elapsed}"),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(4));
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// The output record for one input line. A panic in the engine becomes an error record too, so
/// an engine bug costs one input, not the batch.
fn record_for(rubric: &Rubric, options: &ImportOptions, input: &Pending, summary: bool) -> (bool, String) {
    let (place, bytes, name) = match &input.content {
        Content::Line(Line::Text(bytes)) => (Place::Line(input.line), bytes, None),
        Content::Line(Line::TooLong { bytes }) => {
            let message = format!(
                "the line has {bytes} bytes, over the limit of {} (max_transcript_bytes)",
                options.limits.max_transcript_bytes
            );
            return error_line(Place::Line(input.line), None, ErrorRecord::plain("limit_exceeded", message));
        }
        Content::File { path, bytes } => {
            let place = Place::File(path.display().to_string());
            match bytes {
                Ok(bytes) => (place, bytes, path.file_name().and_then(|n| n.to_str())),
                Err(message) => return error_line(place, None, ErrorRecord::plain("io", message.clone())),
            }
        }
    };
    let scored = catch_unwind(AssertUnwindSafe(|| {
        let transcript = import_bytes(bytes, name, options)?;
        let card = rubric.score(&transcript)?;
        Ok::<_, TranscriptError>(card)
    }));
    match scored {
        Ok(Ok(card)) => {
            let id = card.transcript.id.clone();
            let (line, file) = place.fields();
            let record = if summary {
                Record { line, file, id, ok: true, scorecard: None, summary: Some(summarise(&card)), error: None }
            } else {
                Record { line, file, id, ok: true, scorecard: Some(&card), summary: None, error: None }
            };
            (true, serde_json::to_string(&record).expect("records serialise"))
        }
        Ok(Err(error)) => error_line(place, sniff_id(bytes), error.into()),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(ToString::to_string)
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            error_line(place, sniff_id(bytes), ErrorRecord::plain("panic", format!("engine panic: {message}")))
        }
    }
}

/// Where a record's input was: a line of the corpus, or a file.
enum Place {
    Line(u64),
    File(String),
}

impl Place {
    fn fields(self) -> (Option<u64>, Option<String>) {
        match self {
            Place::Line(line) => (Some(line), None),
            Place::File(file) => (None, Some(file)),
        }
    }
}

fn error_line(place: Place, id: Option<String>, error: ErrorRecord) -> (bool, String) {
    let (line, file) = place.fields();
    let record = Record { line, file, id, ok: false, scorecard: None, summary: None, error: Some(error) };
    (false, serde_json::to_string(&record).expect("records serialise"))
}

fn summarise(card: &Scorecard) -> Summary<'_> {
    Summary {
        score: card.overall.score,
        level: card.overall.level,
        label: card.overall.label.as_deref(),
        competencies: card.competencies.iter().map(|c| (c.id.clone(), c.score.into())).collect(),
    }
}

/// The `id` of a line that could not be imported, when the line is JSON with a string `id`, so
/// the error record can still be matched to its input.
fn sniff_id(bytes: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: Option<serde_json::Value>,
    }
    match serde_json::from_slice::<IdOnly>(bytes).ok()?.id? {
        serde_json::Value::String(id) => Some(id),
        _ => None,
    }
}

/// Peak resident memory of this process (Linux `VmHWM`), for the summary line.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
