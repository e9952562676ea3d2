//! Session history: an append-only JSON Lines store of scored sessions, one [`SessionRecord`] per
//! line, keyed by candidate, date, round and rubric id + version.
//!
//! Reading never throws good data away: a line that is not a valid record (truncated by a crash,
//! edited by hand, written by a newer format) is reported as a [`CorruptLine`] with its line number
//! and the reason, and every other line is kept. Records scored with another version of a rubric
//! are kept too; [`History::sessions`] marks them ([`VersionStatus::Other`]) so trends and plans
//! leave them out instead of mixing scores from different rubrics.
//!
//! ```
//! use rubric_core::{history::{History, SessionRecord}, Date, Round, Rubric, Transcript};
//!
//! let rubric = Rubric::bundled("coding-round").unwrap();
//! let transcript = Transcript::from_json(r#"{"turns": [
//!     {"role": "interviewer", "text": "Merge these intervals."},
//!     {"role": "candidate", "text": "Can I assume the input isn't sorted?"}
//! ]}"#).unwrap();
//! let card = rubric.score(&transcript).unwrap();
//! let record = SessionRecord::new("Ada", Date::parse("2024-05-01").unwrap(), Round::Coding, card)
//!     .unwrap()
//!     .with_transcript(&transcript);
//! let text = format!("{}\n{{not json\n", record.to_json_line());
//! let history = History::parse(&text);
//! assert_eq!(history.records().len(), 1);
//! assert_eq!(history.problems()[0].line, 2);
//! ```

use crate::util::bounded_lines::BoundedLines;
use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, Read as _, Seek as _, SeekFrom, Write as _};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::{HistoryError, HistoryErrorKind};
use crate::error::strip_location;
use crate::scorecard::Scorecard;
use crate::specificity::Specificity;
use crate::transcript::{Round, Transcript};
use crate::util::date::Date;

/// The format version written in every record's `format` field.
pub const FORMAT_VERSION: u32 = 1;

/// The longest history line [`History::load`] and [`History::read`] keep: 64 MiB (the default
/// `max_transcript_bytes`). A longer line is skipped (read through, never held in memory) and
/// reported as a [`CorruptLine`], so one damaged or hostile line costs neither the memory it
/// claims nor the other records.
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// A rubric id and version: what a score is tied to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RubricKey {
    pub id: String,
    pub version: String,
}

/// One scored session: one line of the history file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// [`FORMAT_VERSION`] of the writer.
    pub format: u32,
    pub candidate: String,
    /// The day of the session (ISO 8601, `YYYY-MM-DD`).
    pub date: Date,
    pub round: Round,
    pub rubric: RubricKey,
    /// Ids of the questions asked (question-bank ids), so a plan does not offer them as new.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
    /// Specificity of the candidate's examples, measured from the transcript when it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specificity: Option<Specificity>,
    pub scorecard: Scorecard,
}

impl SessionRecord {
    /// A record for `scorecard`. The candidate name is trimmed and must not be empty.
    pub fn new(
        candidate: impl Into<String>,
        date: Date,
        round: Round,
        scorecard: Scorecard,
    ) -> Result<SessionRecord, HistoryError> {
        let candidate = candidate.into().trim().to_string();
        if candidate.is_empty() {
            return Err(HistoryError::new(HistoryErrorKind::InvalidValue, "candidate", "the candidate name is empty"));
        }
        let rubric = RubricKey { id: scorecard.rubric.id.clone(), version: scorecard.rubric.version.clone() };
        Ok(SessionRecord {
            format: FORMAT_VERSION,
            candidate,
            date,
            round,
            rubric,
            questions: Vec::new(),
            specificity: None,
            scorecard,
        })
    }

    /// Checks that `transcript` is the one `card` was made from (by its number of turns), before a
    /// record or report joins the two: a `mismatch` error at `transcript` otherwise.
    pub fn check_scored_transcript(card: &Scorecard, transcript: &Transcript) -> Result<(), HistoryError> {
        let turns = transcript.turns().len();
        if turns == card.transcript.turns {
            return Ok(());
        }
        Err(HistoryError::new(
            HistoryErrorKind::Mismatch,
            "transcript",
            format!(
                "the transcript has {turns} turns but the scorecard was made from one with {}; pass the transcript that was scored",
                card.transcript.turns
            ),
        ))
    }

    /// Measures [`Specificity`] from the transcript that was scored, and takes the question ids of
    /// its segments (`segments[].question`) as the questions asked.
    #[must_use]
    pub fn with_transcript(mut self, transcript: &Transcript) -> SessionRecord {
        self.specificity = Some(Specificity::measure(transcript));
        for question in transcript.segments().iter().filter_map(|s| s.question.as_deref()) {
            self.add_question(question);
        }
        self
    }

    /// Adds question ids asked in this session (duplicates and blanks are ignored).
    #[must_use]
    pub fn with_questions<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, questions: I) -> SessionRecord {
        for question in questions {
            self.add_question(question.as_ref());
        }
        self
    }

    fn add_question(&mut self, question: &str) {
        let question = question.trim();
        if !question.is_empty() && !self.questions.iter().any(|q| q == question) {
            self.questions.push(question.to_string());
        }
    }

    /// Checks what serde cannot: a known format, a non-empty candidate, a rubric key that matches
    /// the scorecard.
    pub fn validate(&self) -> Result<(), HistoryError> {
        if self.format > FORMAT_VERSION || self.format == 0 {
            return Err(HistoryError::new(
                HistoryErrorKind::UnsupportedFormat,
                "format",
                format!("format {} is not supported (this library reads format {FORMAT_VERSION})", self.format),
            ));
        }
        if self.candidate.trim().is_empty() {
            return Err(HistoryError::new(HistoryErrorKind::InvalidValue, "candidate", "the candidate name is empty"));
        }
        let card = &self.scorecard.rubric;
        if card.id != self.rubric.id || card.version != self.rubric.version {
            return Err(HistoryError::new(
                HistoryErrorKind::Mismatch,
                "rubric",
                format!(
                    "the record says rubric {} v{} but its scorecard was made with {} v{}",
                    self.rubric.id, self.rubric.version, card.id, card.version
                ),
            ));
        }
        Ok(())
    }

    /// The record as one line of JSON (no trailing newline).
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).expect("a session record always serialises")
    }

    /// Parses and validates one line. JSON that does not parse is a `syntax` error, a record of
    /// the wrong shape a `schema` error, both with the column in the line where serde stopped
    /// (the line number is the caller's: it knows which line of the file this is).
    pub fn from_json_line(line: &str) -> Result<SessionRecord, HistoryError> {
        let record: SessionRecord = serde_json::from_str(line).map_err(|error| {
            let kind = match error.classify() {
                serde_json::error::Category::Data => HistoryErrorKind::Schema,
                _ => HistoryErrorKind::Syntax,
            };
            let column = (error.column() > 0).then_some(error.column());
            HistoryError::new(kind, "", strip_location(&error.to_string())).at(None, column)
        })?;
        record.validate()?;
        Ok(record)
    }
}

/// A line of a history file that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorruptLine {
    /// 1-based line number.
    pub line: usize,
    pub reason: String,
}

/// A record and the line it was read from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRecord {
    /// 1-based line number (the position in the list for histories built in memory).
    pub line: usize,
    pub record: SessionRecord,
}

/// Whether a record was scored with the rubric version trends use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum VersionStatus {
    Current,
    /// Scored with another version of the rubric: kept, but left out of trends and plans.
    Other {
        current: String,
    },
}

/// A record of one candidate, marked with its version status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub line: usize,
    pub version: VersionStatus,
    pub record: SessionRecord,
}

impl Session {
    pub fn is_current(&self) -> bool {
        self.version == VersionStatus::Current
    }
}

/// Every readable record of a history file and every line that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    records: Vec<StoredRecord>,
    problems: Vec<CorruptLine>,
}

/// Why no candidate could be picked from a history ([`History::pick_candidate`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CandidateChoice {
    /// The named candidate has no sessions; the candidates that do.
    Unknown { name: String, candidates: Vec<String> },
    /// The history has no sessions at all.
    NoSessions,
    /// None was named and there are several: the caller says how to name one.
    Several { candidates: Vec<String> },
}

impl fmt::Display for CandidateChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let listed = |c: &[String]| if c.is_empty() { "none".to_string() } else { c.join(", ") };
        match self {
            Self::Unknown { name, candidates } => {
                write!(f, "no sessions for \"{name}\"; candidates: {}", listed(candidates))
            }
            Self::NoSessions => f.write_str("the history has no sessions"),
            Self::Several { candidates } => write!(f, "the history has several candidates: {}", candidates.join(", ")),
        }
    }
}

impl std::error::Error for CandidateChoice {}

impl History {
    /// Reads JSON Lines text. Blank lines are skipped; every other line that is not a valid record
    /// becomes a [`CorruptLine`]. Never fails.
    pub fn parse(text: &str) -> History {
        let mut history = History::default();
        for (index, line) in text.lines().enumerate() {
            history.push_line(index + 1, line);
        }
        history
    }

    /// Reads JSON Lines from `reader` one line at a time ([`scan`]): memory holds the records and
    /// at most one line of at most `max_line_bytes` bytes. Fails only when reading fails.
    pub fn read<R: BufRead>(reader: R, max_line_bytes: usize) -> std::io::Result<History> {
        let mut history = History::default();
        scan(reader, max_line_bytes, |entry| history.push(entry))?;
        Ok(history)
    }

    /// [`History::read`] of an open file, under a shared lock ([`scan_file`]).
    pub fn read_file(file: &File, max_line_bytes: usize) -> std::io::Result<History> {
        let mut history = History::default();
        scan_file(file, max_line_bytes, |entry| history.push(entry))?;
        Ok(history)
    }

    fn push(&mut self, entry: Result<StoredRecord, CorruptLine>) {
        match entry {
            Ok(record) => self.records.push(record),
            Err(problem) => self.problems.push(problem),
        }
    }

    /// Reads one line: a record, a problem, or nothing when blank.
    fn push_line(&mut self, line_number: usize, line: &str) {
        if let Some(entry) = read_line(line_number, line) {
            self.push(entry);
        }
    }

    /// A history of records built in memory; each record's `line` is its 1-based position.
    pub fn from_records(records: Vec<SessionRecord>) -> Result<History, HistoryError> {
        let mut history = History::default();
        for (index, record) in records.into_iter().enumerate() {
            record.validate()?;
            history.records.push(StoredRecord { line: index + 1, record });
        }
        Ok(history)
    }

    /// Adds records read or made elsewhere (those a binding appended to the file since it read it),
    /// each at the line it has in the file, after the records already held.
    pub fn extend(&mut self, records: impl IntoIterator<Item = StoredRecord>) {
        self.records.extend(records);
    }

    /// Reads a history file line by line ([`History::read`] with [`MAX_LINE_BYTES`]), under a
    /// shared lock so that a record being appended by [`append_record`] is read whole or not at
    /// all. A file that does not exist is an I/O error, not an empty history.
    pub fn load(path: &Path) -> std::io::Result<History> {
        History::read_file(&File::open(path)?, MAX_LINE_BYTES)
    }

    pub fn records(&self) -> &[StoredRecord] {
        &self.records
    }

    /// Lines that could not be read, in file order.
    pub fn problems(&self) -> &[CorruptLine] {
        &self.problems
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Candidate names, sorted, each once.
    /// The candidate a command is about: the one `named` (who must have sessions here), or, when
    /// none is named, the history's only candidate. Every surface picks this way; each says in
    /// its own terms how to name one when there are several.
    pub fn pick_candidate(&self, named: Option<&str>) -> Result<String, CandidateChoice> {
        let candidates = self.candidates();
        match named.map(str::trim) {
            Some(name) if candidates.iter().any(|c| c == name) => Ok(name.to_string()),
            Some(name) => Err(CandidateChoice::Unknown { name: name.to_string(), candidates }),
            None if candidates.len() == 1 => Ok(candidates[0].clone()),
            None if candidates.is_empty() => Err(CandidateChoice::NoSessions),
            None => Err(CandidateChoice::Several { candidates }),
        }
    }

    pub fn candidates(&self) -> Vec<String> {
        let mut names: Vec<String> = self.records.iter().map(|r| r.record.candidate.clone()).collect();
        names.sort();
        names.dedup();
        names
    }

    /// The current version of each rubric id: the version in `known` (e.g. the bundled rubrics'
    /// versions) when given, otherwise the version of the latest record (by date, then line) that
    /// uses the rubric, over the whole history.
    pub fn current_versions(&self, known: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let mut latest: BTreeMap<String, (Date, usize, String)> = BTreeMap::new();
        for stored in &self.records {
            let r = &stored.record;
            let entry = latest.entry(r.rubric.id.clone()).or_insert((r.date, stored.line, r.rubric.version.clone()));
            if (r.date, stored.line) >= (entry.0, entry.1) {
                *entry = (r.date, stored.line, r.rubric.version.clone());
            }
        }
        latest
            .into_iter()
            .map(|(id, (_, _, version))| {
                let version = known.get(&id).cloned().unwrap_or(version);
                (id, version)
            })
            .collect()
    }

    /// One candidate's sessions, oldest first (by date, then line), each marked current or not
    /// (see [`History::current_versions`]).
    pub fn sessions(&self, candidate: &str, known_versions: &BTreeMap<String, String>) -> Vec<Session> {
        let current = self.current_versions(known_versions);
        let candidate = candidate.trim();
        let mut sessions: Vec<Session> = self
            .records
            .iter()
            .filter(|s| s.record.candidate == candidate)
            .map(|s| {
                let current_version = current.get(&s.record.rubric.id).cloned().unwrap_or_default();
                let version = if current_version == s.record.rubric.version {
                    VersionStatus::Current
                } else {
                    VersionStatus::Other { current: current_version }
                };
                Session { line: s.line, version, record: s.record.clone() }
            })
            .collect();
        sessions.sort_by_key(|s| (s.record.date, s.line));
        sessions
    }
}

/// One line read: a record, a problem, or `None` when blank.
fn read_line(line_number: usize, line: &str) -> Option<Result<StoredRecord, CorruptLine>> {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return None;
    }
    Some(match SessionRecord::from_json_line(trimmed) {
        Ok(record) => Ok(StoredRecord { line: line_number, record }),
        Err(error) => Err(CorruptLine { line: line_number, reason: short(&error.to_string()) }),
    })
}

/// Streams the JSON Lines of `reader` to `each`, one record or unreadable line at a time, keeping
/// nothing: at most one line of at most `max_line_bytes` bytes is in memory. A longer line is read
/// through without being kept and becomes a [`CorruptLine`]; blank lines are skipped; invalid
/// UTF-8 is replaced as in [`String::from_utf8_lossy`]. Fails only when reading fails.
pub fn scan<R: BufRead>(
    reader: R,
    max_line_bytes: usize,
    mut each: impl FnMut(Result<StoredRecord, CorruptLine>),
) -> std::io::Result<()> {
    let mut lines = BoundedLines::new(reader, max_line_bytes);
    let mut line_number = 0;
    while let Some(line) = lines.next_line()? {
        line_number += 1;
        let entry = match line {
            Ok(bytes) => read_line(line_number, &String::from_utf8_lossy(bytes)),
            Err(bytes) => Some(Err(CorruptLine {
                line: line_number,
                reason: format!("the line has {bytes} bytes, over the limit of {max_line_bytes} bytes"),
            })),
        };
        if let Some(entry) = entry {
            each(entry);
        }
    }
    Ok(())
}

/// [`scan`] of an open file from its start, under a shared lock, so that a record being appended
/// by [`append_record`] is read whole or not at all.
pub fn scan_file(
    file: &File,
    max_line_bytes: usize,
    each: impl FnMut(Result<StoredRecord, CorruptLine>),
) -> std::io::Result<()> {
    let _lock = FileLock::shared(file);
    scan(std::io::BufReader::new(file), max_line_bytes, each)
}

/// Keeps reasons to one short line (serde messages can quote long input).
fn short(reason: &str) -> String {
    const MAX: usize = 300;
    let reason = reason.replace(['\n', '\r'], " ");
    if reason.chars().count() > MAX {
        let cut: String = reason.chars().take(MAX).collect();
        format!("{cut}...")
    } else {
        reason
    }
}

/// Appends `record` as one line to the file at `path`, creating it if needed. If the file does
/// not end with a newline (a previous write was cut short), one is written first so the new record
/// never merges with the damaged line. Existing lines are never rewritten.
///
/// Concurrent appends lose nothing: the check of the last byte and the write happen under an
/// exclusive advisory lock on the file (`flock` on Unix, `LockFileEx` on Windows; no lock on other
/// targets), and the record, with its leading newline if one is needed, goes out in one `write`
/// call on a file opened for appending. Only the last byte is ever read.
pub fn append_record(path: &Path, record: &SessionRecord) -> std::io::Result<()> {
    record.validate().map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
    let file = std::fs::OpenOptions::new().create(true).read(true).append(true).open(path)?;
    let _lock = FileLock::exclusive(&file)?;
    let mut file = &file;
    let len = file.metadata()?.len();
    let mut last = [b'\n'];
    if len > 0 {
        file.seek(SeekFrom::Start(len - 1))?;
        file.read_exact(&mut last)?;
    }
    let mut line = String::new();
    if last[0] != b'\n' {
        line.push('\n');
    }
    line.push_str(&record.to_json_line());
    line.push('\n');
    // One `write` call for the whole record: with O_APPEND every write lands at the end. A short
    // write (a full disk, a signal) is finished by `write_all`, still under the lock.
    let written = file.write(line.as_bytes())?;
    file.write_all(&line.as_bytes()[written..])?;
    file.flush()
}

/// An advisory lock on a whole file, released when dropped (and by the system when the process
/// dies, so a killed writer never leaves the file locked).
struct FileLock<'a> {
    #[cfg_attr(not(any(unix, windows)), allow(dead_code))]
    file: &'a File,
}

impl<'a> FileLock<'a> {
    /// Waits for an exclusive lock. Where the platform or file system has no locks, this is a
    /// no-op (the single `write` per record still keeps records whole).
    fn exclusive(file: &'a File) -> std::io::Result<FileLock<'a>> {
        #[cfg(any(unix, windows))]
        if let Err(e) = fs4::FileExt::lock(file) {
            if !lock_unsupported(&e) {
                return Err(e);
            }
        }
        Ok(FileLock { file })
    }

    /// Waits for a shared lock, best effort: a reader that cannot lock reads anyway.
    fn shared(file: &'a File) -> FileLock<'a> {
        #[cfg(any(unix, windows))]
        let _ = fs4::FileExt::lock_shared(file);
        FileLock { file }
    }
}

impl Drop for FileLock<'_> {
    fn drop(&mut self) {
        #[cfg(any(unix, windows))]
        let _ = fs4::FileExt::unlock(self.file);
    }
}

/// Errors that mean "this file system has no locks" (some network file systems), not "locking failed".
#[cfg(any(unix, windows))]
fn lock_unsupported(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::Unsupported
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rubric;

    fn record(candidate: &str, date: &str, version: &str) -> SessionRecord {
        let rubric = Rubric::bundled("coding-round").unwrap();
        let transcript = Transcript::from_json(
            r#"{"turns": [{"role": "interviewer", "text": "Two sum."}, {"role": "candidate", "text": "Can I assume the input fits in memory?"}]}"#,
        )
        .unwrap();
        let mut card = rubric.score(&transcript).unwrap();
        card.rubric.version = version.to_string();
        SessionRecord::new(candidate, Date::parse(date).unwrap(), Round::Coding, card).unwrap()
    }

    #[test]
    fn corrupt_lines_are_reported_and_good_lines_kept() {
        let good = record("Ada", "2024-01-02", "1.0.0").to_json_line();
        let mut bad_date = good.replace("2024-01-02", "2024-02-30");
        bad_date.push(' ');
        let mismatch = good.replacen("\"version\":\"1.0.0\"", "\"version\":\"0.9\"", 1);
        let newer = good.replacen("\"format\":1", "\"format\":7", 1);
        let truncated = &good[..good.len() / 2];
        let text = [good.as_str(), "", truncated, "[1, 2]", &bad_date, &mismatch, &newer, good.as_str()].join("\n");
        let history = History::parse(&text);
        assert_eq!(history.records().iter().map(|r| r.line).collect::<Vec<_>>(), [1, 8]);
        let problems: Vec<(usize, &str)> = history.problems().iter().map(|p| (p.line, p.reason.as_str())).collect();
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert_eq!(problems[0].0, 3);
        assert!(problems[0].1.contains("EOF"), "{problems:?}");
        assert_eq!(problems[1].0, 4);
        assert!(problems[2].1.contains("day 30 is outside 01..29"), "{problems:?}");
        assert!(problems[3].1.contains("the record says rubric coding-round v0.9"), "{problems:?}");
        assert!(problems[4].1.contains("format 7 is not supported"), "{problems:?}");
    }

    #[test]
    fn records_round_trip_through_a_line() {
        let original = record("  Zoë Lindqvist ", "2024-03-04", "1.0.0").with_questions(["q1", "q1", " ", "q2"]);
        assert_eq!(original.candidate, "Zoë Lindqvist");
        assert_eq!(original.questions, ["q1", "q2"]);
        let line = original.to_json_line();
        assert!(!line.contains('\n'));
        assert_eq!(SessionRecord::from_json_line(&line).unwrap(), original);
        let empty = SessionRecord::new(" ", Date::MIN, Round::Coding, original.scorecard.clone()).unwrap_err();
        assert_eq!(empty.kind(), HistoryErrorKind::InvalidValue);
    }

    #[test]
    fn other_rubric_versions_are_kept_and_marked() {
        let records = vec![
            record("Ada", "2024-01-01", "0.9.0"),
            record("Ada", "2024-02-01", "1.0.0"),
            record("Bob", "2024-01-15", "1.0.0"),
            record("Ada", "2024-01-20", "0.9.0"),
        ];
        let history = History::from_records(records).unwrap();
        assert_eq!(history.candidates(), ["Ada", "Bob"]);
        // Without known versions the latest record decides: 1.0.0.
        let sessions = history.sessions("Ada", &BTreeMap::new());
        let marks: Vec<(String, bool)> = sessions.iter().map(|s| (s.record.date.to_string(), s.is_current())).collect();
        assert_eq!(
            marks,
            [("2024-01-01".into(), false), ("2024-01-20".into(), false), ("2024-02-01".into(), true)],
            "sorted by date, old versions marked"
        );
        assert_eq!(sessions[0].version, VersionStatus::Other { current: "1.0.0".into() });
        // A known version (the installed rubric's) wins over the latest record.
        let known = BTreeMap::from([("coding-round".to_string(), "0.9.0".to_string())]);
        let sessions = history.sessions("Ada", &known);
        assert_eq!(sessions.iter().filter(|s| s.is_current()).count(), 2);
    }

    #[test]
    fn append_adds_a_newline_after_a_damaged_last_line() {
        let dir = std::env::temp_dir().join(format!("rubric-history-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("h.jsonl");
        let _ = std::fs::remove_file(&path);
        let first = record("Ada", "2024-01-01", "1.0.0");
        append_record(&path, &first).unwrap();
        // Simulate a crash in the middle of a write.
        let mut file = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"{\"format\":1,\"cand").unwrap();
        drop(file);
        append_record(&path, &record("Ada", "2024-01-02", "1.0.0")).unwrap();
        let history = History::load(&path).unwrap();
        assert_eq!(history.records().iter().map(|r| r.line).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(history.problems()[0].line, 2);
        std::fs::remove_dir_all(dir).unwrap();
    }

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("rubric-history-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn concurrent_appends_keep_every_record_once_without_blank_lines() {
        let dir = temp_dir("concurrent");
        let path = dir.join("h.jsonl");
        let records: Vec<SessionRecord> =
            (0..20).map(|i| record(&format!("Writer {i:02}"), "2024-01-01", "1.0.0")).collect();
        std::thread::scope(|scope| {
            for record in &records {
                let path = &path;
                scope.spawn(move || append_record(path, record).unwrap());
            }
        });
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("\n\n") && !text.starts_with('\n') && text.ends_with('\n'));
        let history = History::load(&path).unwrap();
        assert!(history.problems().is_empty(), "{:?}", history.problems());
        let mut names: Vec<&str> = history.records().iter().map(|r| r.record.candidate.as_str()).collect();
        names.sort_unstable();
        let expected: Vec<String> = (0..20).map(|i| format!("Writer {i:02}")).collect();
        assert_eq!(names, expected);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(any(unix, windows))]
    #[test]
    fn an_append_waits_for_a_writer_that_holds_the_lock_mid_line() {
        let dir = temp_dir("locked");
        let path = dir.join("h.jsonl");
        let first = record("Ada", "2024-01-01", "1.0.0").to_json_line();
        let (head, tail) = first.split_at(first.len() / 2);
        // Another writer has the lock and has written half its record.
        let writer = std::fs::OpenOptions::new().create(true).append(true).open(&path).unwrap();
        fs4::FileExt::lock(&writer).unwrap();
        (&writer).write_all(head.as_bytes()).unwrap();
        let second = record("Bob", "2024-01-02", "1.0.0");
        std::thread::scope(|scope| {
            let adder = scope.spawn(|| append_record(&path, &second).unwrap());
            std::thread::sleep(std::time::Duration::from_millis(300));
            assert!(!adder.is_finished(), "append_record did not wait for the lock");
            (&writer).write_all(format!("{tail}\n").as_bytes()).unwrap();
            fs4::FileExt::unlock(&writer).unwrap();
            adder.join().unwrap();
        });
        let history = History::load(&path).unwrap();
        assert!(history.problems().is_empty(), "{:?}", history.problems());
        let names: Vec<&str> = history.records().iter().map(|r| r.record.candidate.as_str()).collect();
        assert_eq!(names, ["Ada", "Bob"]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn reading_keeps_at_most_one_bounded_line() {
        let good = record("Ada", "2024-01-01", "1.0.0").to_json_line();
        let long = format!("{{\"padding\": \"{}\"}}", "x".repeat(good.len() + 10));
        let text = format!("{good}\n\n{long}\n{good}\r\n{}", &good[..20]);
        // A tiny buffer so lines straddle many reads.
        let reader = std::io::BufReader::with_capacity(7, text.as_bytes());
        let history = History::read(reader, good.len() + 5).unwrap();
        assert_eq!(history.records().iter().map(|r| r.line).collect::<Vec<_>>(), [1, 4]);
        let problems: Vec<(usize, &str)> = history.problems().iter().map(|p| (p.line, p.reason.as_str())).collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].0, 3);
        assert_eq!(
            problems[0].1,
            format!("the line has {} bytes, over the limit of {} bytes", long.len(), good.len() + 5)
        );
        assert_eq!(problems[1].0, 5);
        // The same text read whole gives the same records.
        assert_eq!(History::parse(&text).records(), history.records());
    }
}
