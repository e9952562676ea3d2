//! The transcript: timed, speaker-labelled turns, optional events and optional segments.
//! `docs/transcript-format.md` documents the JSON form.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::annotation::{check_all, Annotation, AnnotationAt, CheckedAnnotation, GIVEN_ANNOTATIONS};
use crate::error::{OptionsError, OptionsErrorKind, TranscriptError, TranscriptErrorKind};
use crate::limits::Limits;

/// Who a speaker is in the interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Candidate,
    Interviewer,
    Observer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Candidate, Role::Interviewer, Role::Observer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Candidate => "candidate",
            Role::Interviewer => "interviewer",
            Role::Observer => "observer",
        }
    }

    /// Parses a role name, ignoring case and surrounding space.
    pub fn parse(name: &str) -> Option<Role> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("interviewee") {
            return Some(Role::Candidate);
        }
        Role::ALL.into_iter().find(|role| role.as_str().eq_ignore_ascii_case(name))
    }

    /// Parses a role name as [`Role::parse`] does, or an `unknown_role` error naming the roles
    /// (and the closest one). Its path is empty: the caller knows which option the role was in.
    pub fn parse_named(name: &str) -> Result<Role, OptionsError> {
        Role::parse(name).ok_or_else(|| {
            let message = format!("unknown role \"{name}\"; expected candidate, interviewer or observer");
            let closest = crate::util::suggest::closest(&name.trim().to_ascii_lowercase(), Role::ALL.map(Role::as_str));
            OptionsError::new(OptionsErrorKind::UnknownRole, "", message).suggesting(closest)
        })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of interview a stretch of conversation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Round {
    RecruiterScreen,
    Coding,
    SystemDesign,
    Behavioral,
    CodeReview,
}

impl Round {
    pub const ALL: [Round; 5] =
        [Round::RecruiterScreen, Round::Coding, Round::SystemDesign, Round::Behavioral, Round::CodeReview];

    /// Parses a round name as [`Round::parse`] does, or an `unknown_round` error that says which
    /// names there are: `unknown round "cooking"; rounds: recruiter_screen, coding, ...`. Its path
    /// is empty: the caller knows which option the round was given in.
    pub fn parse_named(name: &str) -> Result<Round, OptionsError> {
        Round::parse(name).ok_or_else(|| {
            let names = Round::ALL.map(Round::as_str);
            let message = format!("unknown round \"{name}\"; rounds: {}", names.join(", "));
            let closest = crate::util::suggest::closest(&name.trim().replace('-', "_").to_ascii_lowercase(), names);
            OptionsError::new(OptionsErrorKind::UnknownRound, "", message).suggesting(closest)
        })
    }

    /// Parses a round name (`coding`, `system_design`, ...), ignoring case, surrounding space and
    /// `-` for `_`.
    pub fn parse(name: &str) -> Option<Round> {
        let name = name.trim().replace('-', "_");
        Round::ALL.into_iter().find(|round| round.as_str().eq_ignore_ascii_case(&name))
    }

    /// A human title ("System design").
    pub fn title(self) -> &'static str {
        match self {
            Round::RecruiterScreen => "Recruiter screen",
            Round::Coding => "Coding",
            Round::SystemDesign => "System design",
            Round::Behavioral => "Behavioral",
            Round::CodeReview => "Code review",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Round::RecruiterScreen => "recruiter_screen",
            Round::Coding => "coding",
            Round::SystemDesign => "system_design",
            Round::Behavioral => "behavioral",
            Round::CodeReview => "code_review",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Turn {
    /// The speaker's name (the role's name when none was given).
    pub speaker: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<f64>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    #[serde(rename = "type")]
    pub kind: String,
    pub time: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    pub id: String,
    pub round: Round,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    pub start_turn: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit: Option<f64>,
}

/// How roles were inferred for a conversation whose speakers had none (`ImportOptions::infer_roles`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleInference {
    /// The rule that decided, in words, with the counts it compared.
    pub rule: String,
    /// Each speaker whose role was inferred, in order of first appearance.
    pub speakers: Vec<InferredRole>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InferredRole {
    pub speaker: String,
    pub role: Role,
    /// This speaker's turns.
    pub turns: usize,
    /// Those of them whose last sentence is a question, handing the floor over (by `?` where the
    /// transcript uses it, else by the question model).
    pub turns_ending_in_a_question: usize,
    /// Words this speaker says.
    pub words: usize,
    /// The first turn this speaker speaks in.
    pub first_turn: usize,
}

/// A validated transcript. Build one with an importer (`import`, `Transcript::from_json`) or with
/// `Transcript::new`, which checks the same rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transcript {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    turns: Vec<Turn>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    events: Vec<Event>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    segments: Vec<Segment>,
    /// Whether the conversation is known to run to its end. Only then can a minimum that was not
    /// reached ("asks at least 4 questions") count as evidence against: an excerpt may simply stop
    /// before that part.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    complete: bool,
    /// How the speakers' roles were inferred, when the importer was asked to.
    #[serde(skip_serializing_if = "Option::is_none")]
    role_inference: Option<RoleInference>,
    /// Evidence produced elsewhere, each checked against its turn; written as it was given.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "as_given")]
    annotations: Vec<CheckedAnnotation>,
}

fn as_given<S: serde::Serializer>(annotations: &[CheckedAnnotation], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(annotations.iter().map(|a| &a.annotation))
}

/// The parts of a transcript before validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TranscriptParts {
    pub id: Option<String>,
    pub title: Option<String>,
    pub turns: Vec<Turn>,
    pub events: Vec<Event>,
    pub segments: Vec<Segment>,
    /// See [`Transcript::is_complete`].
    pub complete: bool,
    /// Evidence produced elsewhere (see [`Annotation`]); `Transcript::new` refuses any whose quote
    /// it cannot verify.
    pub annotations: Vec<Annotation>,
}

impl Transcript {
    /// Validates `parts`: at least one turn, finite non-negative times up to [`MAX_TIME_SECONDS`]
    /// given on every turn or on none, `end >= start`, turns in start-time order, segments in turn
    /// order and inside the transcript, and every size within `limits`.
    pub fn new(parts: TranscriptParts, limits: &Limits) -> Result<Self, TranscriptError> {
        Self::checked(parts, limits, &[], false)
    }

    /// [`Self::new`], where `at` says where each annotation was written (line, column) and
    /// `keep_unverified` keeps annotations whose quote is not in their turn, as unverified.
    pub(crate) fn checked(
        parts: TranscriptParts,
        limits: &Limits,
        at: &[(usize, usize)],
        keep_unverified: bool,
    ) -> Result<Self, TranscriptError> {
        validate(&parts, limits)?;
        let TranscriptParts { id, title, turns, events, segments, complete, annotations } = parts;
        check_annotation_count(annotations.len(), limits)?;
        // The importer locates an error by its path in the text it read.
        let texts: Vec<&str> = turns.iter().map(|t| t.text.as_str()).collect();
        let annotations =
            check_all(annotations, &texts, at, keep_unverified, "annotations").map_err(|failure| failure.1)?;
        Ok(Self { id, title, turns, events, segments, complete, role_inference: None, annotations })
    }

    /// Adds annotations given beside the transcript (`read_annotations` reads them from JSON or
    /// JSON Lines text). They are checked as the transcript's own are; their paths are
    /// `given_annotations[i]`, and each keeps the line and column it was read at.
    pub fn annotate(
        mut self,
        given: Vec<AnnotationAt>,
        limits: &Limits,
        keep_unverified: bool,
    ) -> Result<Self, TranscriptError> {
        check_annotation_count(self.annotations.len() + given.len(), limits)
            .map_err(|error| TranscriptError { path: GIVEN_ANNOTATIONS.to_string(), ..error })?;
        let (annotations, at): (Vec<Annotation>, Vec<(usize, usize)>) = given.into_iter().unzip();
        let texts: Vec<&str> = self.turns.iter().map(|t| t.text.as_str()).collect();
        let checked = check_all(annotations, &texts, &at, keep_unverified, GIVEN_ANNOTATIONS).map_err(|failure| {
            let (index, mut error) = *failure;
            (error.line, error.column) = (Some(at[index].0), Some(at[index].1));
            error
        })?;
        self.annotations.extend(checked);
        Ok(self)
    }

    /// Every annotation, the transcript's own first, each with what checking it found.
    pub fn annotations(&self) -> &[CheckedAnnotation] {
        &self.annotations
    }

    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    pub fn turns(&self) -> &[Turn] {
        &self.turns
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Whether the conversation is known to run to its end (the native JSON's `"complete": true`,
    /// or the importer's `complete` option). Unknown is the default: most real transcripts are
    /// excerpts, or stop when the recording does.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// How the speakers' roles were inferred (`ImportOptions::infer_roles`), if they were.
    pub fn role_inference(&self) -> Option<&RoleInference> {
        self.role_inference.as_ref()
    }

    pub(crate) fn with_role_inference(mut self, inference: Option<RoleInference>) -> Self {
        self.role_inference = inference;
        self
    }

    /// Marks the conversation as known (or not known) to run to its end.
    pub fn set_complete(&mut self, complete: bool) {
        self.complete = complete;
    }

    /// Checks this transcript against `limits` (it may have been built under other limits).
    pub fn check_limits(&self, limits: &Limits) -> Result<(), TranscriptError> {
        check_sizes(&self.turns, &self.events, &self.segments, limits)?;
        check_annotation_count(self.annotations.len(), limits)
    }

    /// Whether every turn has a start and an end time.
    pub fn is_timed(&self) -> bool {
        self.turns.iter().all(|t| t.start.is_some() && t.end.is_some())
    }

    /// The index of the segment each turn belongs to (None before the first segment).
    pub fn segment_of_turns(&self) -> Vec<Option<usize>> {
        let mut out = vec![None; self.turns.len()];
        for (index, segment) in self.segments.iter().enumerate() {
            let end = self.segments.get(index + 1).map_or(self.turns.len(), |next| next.start_turn);
            for slot in &mut out[segment.start_turn..end] {
                *slot = Some(index);
            }
        }
        out
    }
}

fn check_annotation_count(count: usize, limits: &Limits) -> Result<(), TranscriptError> {
    if count > limits.max_annotations {
        return Err(TranscriptError::new(
            TranscriptErrorKind::LimitExceeded,
            "annotations",
            format!("{count} annotations exceed the limit of {} (max_annotations)", limits.max_annotations),
        ));
    }
    Ok(())
}

/// Checks the sizes `limits` bounds.
fn check_sizes(turns: &[Turn], events: &[Event], segments: &[Segment], limits: &Limits) -> Result<(), TranscriptError> {
    let too_many = |what: &str, count: usize, limit: usize| {
        TranscriptError::new(
            TranscriptErrorKind::LimitExceeded,
            what,
            format!("{count} {what} exceed the limit of {limit} (max_{what})"),
        )
    };
    if turns.len() > limits.max_turns {
        return Err(too_many("turns", turns.len(), limits.max_turns));
    }
    if events.len() > limits.max_events {
        return Err(too_many("events", events.len(), limits.max_events));
    }
    if segments.len() > limits.max_segments {
        return Err(too_many("segments", segments.len(), limits.max_segments));
    }
    if let Some(i) = turns.iter().position(|t| t.text.len() > limits.max_turn_bytes) {
        return Err(TranscriptError::new(
            TranscriptErrorKind::LimitExceeded,
            format!("turns[{i}].text"),
            format!(
                "the text is {} bytes, over the limit of {} bytes (max_turn_bytes)",
                turns[i].text.len(),
                limits.max_turn_bytes
            ),
        ));
    }
    Ok(())
}

fn validate(parts: &TranscriptParts, limits: &Limits) -> Result<(), TranscriptError> {
    use TranscriptErrorKind as Kind;
    if parts.turns.is_empty() {
        return Err(TranscriptError::new(Kind::Empty, "turns", "the transcript has no turns"));
    }
    check_sizes(&parts.turns, &parts.events, &parts.segments, limits)?;
    let timed = parts.turns[0].start.is_some();
    let mut previous_start = f64::NEG_INFINITY;
    for (i, turn) in parts.turns.iter().enumerate() {
        if turn.speaker.trim().is_empty() {
            return Err(TranscriptError::new(Kind::Schema, format!("turns[{i}].speaker"), "the speaker name is empty"));
        }
        match (turn.start, turn.end) {
            (Some(start), Some(end)) => {
                check_time(start, &format!("turns[{i}].start"))?;
                check_time(end, &format!("turns[{i}].end"))?;
                if end < start {
                    return Err(TranscriptError::new(
                        Kind::InvalidTime,
                        format!("turns[{i}].end"),
                        format!("end ({end}) is before start ({start})"),
                    ));
                }
                if !timed {
                    return Err(mixed_timing(i));
                }
                if start < previous_start {
                    return Err(TranscriptError::new(
                        Kind::Order,
                        format!("turns[{i}].start"),
                        format!("turns must be in time order: start {start} is before the previous turn's start {previous_start}"),
                    ));
                }
                previous_start = start;
            }
            (None, None) => {
                if timed {
                    return Err(mixed_timing(i));
                }
            }
            (Some(_), None) | (None, Some(_)) => {
                return Err(TranscriptError::new(
                    Kind::InvalidTime,
                    format!("turns[{i}]"),
                    "give both start and end, or neither",
                ));
            }
        }
    }
    for (i, event) in parts.events.iter().enumerate() {
        check_time(event.time, &format!("events[{i}].time"))?;
        if event.kind.trim().is_empty() {
            return Err(TranscriptError::new(Kind::Schema, format!("events[{i}].type"), "the event type is empty"));
        }
    }
    let mut previous_turn = None;
    for (i, segment) in parts.segments.iter().enumerate() {
        if segment.start_turn >= parts.turns.len() {
            return Err(TranscriptError::new(
                Kind::InvalidReference,
                format!("segments[{i}].start_turn"),
                format!("turn {} does not exist (the transcript has {} turns)", segment.start_turn, parts.turns.len()),
            ));
        }
        if previous_turn.is_some_and(|p| segment.start_turn <= p) {
            return Err(TranscriptError::new(
                Kind::Order,
                format!("segments[{i}].start_turn"),
                "segments must be in ascending start_turn order",
            ));
        }
        previous_turn = Some(segment.start_turn);
        if let Some(limit) = segment.time_limit {
            check_time(limit, &format!("segments[{i}].time_limit"))?;
        }
    }
    Ok(())
}

fn mixed_timing(turn: usize) -> TranscriptError {
    TranscriptError::new(
        TranscriptErrorKind::InvalidTime,
        format!("turns[{turn}]"),
        "either every turn has start and end times or none has",
    )
}

fn check_time(value: f64, path: &str) -> Result<(), TranscriptError> {
    match time_problem(value) {
        None => Ok(()),
        Some(message) => Err(TranscriptError::new(TranscriptErrorKind::InvalidTime, path, message)),
    }
}

/// The largest time a transcript may carry, in seconds: 10^7 s, about 115 days, far beyond any
/// recording. Bounding it keeps every sum and rounding of times finite (a time of `1e308` rounds
/// to infinity, which JSON cannot write), so no output ever holds a non-finite number.
pub const MAX_TIME_SECONDS: f64 = 1e7;

/// What is wrong with a time in seconds, if anything: it must be finite, `>= 0` and at most
/// [`MAX_TIME_SECONDS`].
pub(crate) fn time_problem(value: f64) -> Option<String> {
    if !(value.is_finite() && value >= 0.0) {
        Some(format!("expected a finite number of seconds >= 0, found {value}"))
    } else if value > MAX_TIME_SECONDS {
        Some(format!(
            "{value} seconds is beyond the largest time a transcript may carry ({MAX_TIME_SECONDS} s, about 115 days)"
        ))
    } else {
        None
    }
}
