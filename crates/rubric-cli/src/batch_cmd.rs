//! `rubric batch`: score a JSON Lines corpus, one transcript per line, in bounded memory.
//!
//! Lines are read in windows of a few dozen per thread (fewer when they are long: see
//! `READ_AHEAD_BYTES`), scored in parallel, and written in input order before the next window is
//! read, so memory depends on the window, never on the corpus size. Every non-blank input line
//! yields exactly one output record, `ok` or `error`, carrying its line number and transcript id:
//! one bad transcript never stops or reorders the others.

use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::num::NonZeroUsize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
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
    /// JSON Lines file, one transcript per line (native or speech-to-text JSON); `-` reads standard input.
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

/// One output line. `scorecard`/`summary` on success, `error` on failure; never both.
#[derive(Serialize)]
struct Record<'a> {
    line: u64,
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
}

impl From<TranscriptError> for ErrorRecord {
    fn from(e: TranscriptError) -> Self {
        Self {
            kind: e.kind.as_str().to_string(),
            path: e.path,
            line: e.line,
            column: e.column,
            message: e.message,
            speakers: e.speakers,
        }
    }
}

impl ErrorRecord {
    fn plain(kind: &str, message: String) -> Self {
        Self { kind: kind.to_string(), path: String::new(), line: None, column: None, message, speakers: Vec::new() }
    }
}

/// An input line waiting to be scored.
struct Pending {
    line: u64,
    content: Line,
}

#[derive(Default)]
struct Counts {
    lines: u64,
    blank: u64,
    scored: u64,
    errors: u64,
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

    let reader: Box<dyn BufRead> = if args.input.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(BufReader::new(files::open_input(&args.input, true)?.0))
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
    let mut lines = BoundedLines::new(reader, options.limits.max_transcript_bytes);
    let mut counts = Counts::default();
    let window = threads * LINES_PER_THREAD;
    let mut pending = Vec::with_capacity(window);
    loop {
        pending.clear();
        let mut pending_bytes = 0;
        while pending.len() < window && (pending_bytes < READ_AHEAD_BYTES || pending.len() < threads) {
            let Some(content) = lines.next_line().map_err(|e| Failure::io(&args.input, &e))? else { break };
            counts.lines += 1;
            if matches!(&content, Line::Text(bytes) if bytes.iter().all(u8::is_ascii_whitespace)) {
                counts.blank += 1;
                continue;
            }
            if let Line::Text(bytes) = &content {
                pending_bytes += bytes.len();
            }
            pending.push(Pending { line: counts.lines, content });
        }
        if pending.is_empty() {
            break;
        }
        for (ok, record) in
            rubric_core::map_in_order(&pending, threads, |input| record_for(&rubric, &options, input, args.summary))
        {
            if ok {
                counts.scored += 1;
            } else {
                counts.errors += 1;
            }
            writer
                .write_all(term::safe_json(&record).as_bytes())
                .and_then(|()| writer.write_all(b"\n"))
                .map_err(|e| Failure::io(out_path, &e))?;
        }
    }
    writer.flush().map_err(|e| Failure::io(out_path, &e))?;
    drop(writer);
    if let Some(output) = output {
        output.commit()?;
    }
    let peak =
        peak_memory().map_or(String::new(), |bytes| format!("; peak memory {:.1} MiB", bytes as f64 / 1_048_576.0));
    term::warn(&format!(
        "batch: {}: {} scored, {}, {} blank; {}; {:.2} s{peak}",
        term::count(counts.lines, "line", "lines"),
        counts.scored,
        term::count(counts.errors, "error", "errors"),
        counts.blank,
        term::count(threads as u64, "thread", "threads"),
        started.elapsed().as_secs_f64()
    ));
    if counts.errors > 0 {
        return Err(Failure::invalid(format!(
            "{} of {} could not be scored; each has an error record",
            counts.errors,
            term::count(counts.scored + counts.errors, "input", "inputs")
        )));
    }
    Ok(())
}

/// The output record for one input line. A panic in the engine becomes an error record too, so
/// an engine bug costs one input, not the batch.
fn record_for(rubric: &Rubric, options: &ImportOptions, input: &Pending, summary: bool) -> (bool, String) {
    let bytes = match &input.content {
        Line::Text(bytes) => bytes,
        Line::TooLong { bytes } => {
            let message = format!(
                "the line has {bytes} bytes, over the limit of {} (max_transcript_bytes)",
                options.limits.max_transcript_bytes
            );
            return error_line(input.line, None, ErrorRecord::plain("limit_exceeded", message));
        }
    };
    let scored = catch_unwind(AssertUnwindSafe(|| {
        let transcript = import_bytes(bytes, None, options)?;
        let card = rubric.score(&transcript)?;
        Ok::<_, TranscriptError>(card)
    }));
    match scored {
        Ok(Ok(card)) => {
            let id = card.transcript.id.clone();
            let record = if summary {
                Record { line: input.line, id, ok: true, scorecard: None, summary: Some(summarise(&card)), error: None }
            } else {
                Record { line: input.line, id, ok: true, scorecard: Some(&card), summary: None, error: None }
            };
            (true, serde_json::to_string(&record).expect("records serialise"))
        }
        Ok(Err(error)) => error_line(input.line, sniff_id(bytes), error.into()),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(ToString::to_string)
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            error_line(input.line, sniff_id(bytes), ErrorRecord::plain("panic", format!("engine panic: {message}")))
        }
    }
}

fn error_line(line: u64, id: Option<String>, error: ErrorRecord) -> (bool, String) {
    let record = Record { line, id, ok: false, scorecard: None, summary: None, error: Some(error) };
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
