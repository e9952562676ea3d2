//! Conversation metrics: who talked how much, answer lengths, monologues, silences, questions,
//! fillers, overruns and time to first events. Anything that needs timestamps is `None` on an
//! untimed transcript, so rules built on it report "not measurable" instead of guessing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::text::hedge::HedgeClass;
use crate::text::Span;
use crate::transcript::{Role, Transcript, Turn};

/// Counts gathered per turn while matching (so the text is scanned once).
#[derive(Debug, Clone, Default)]
pub struct TurnCounts {
    pub words: usize,
    pub questions: usize,
    pub fillers: usize,
    pub backchannels: usize,
    /// Candidate turns only: the hedges.
    pub hedges: Vec<HedgeMention>,
}

/// One hedge cue in a candidate turn ("i guess", "kind of", "about 10").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HedgeMention {
    pub turn: usize,
    /// The cue as listed in the built-in hedge lexicon (folded: "i dont know").
    pub cue: String,
    pub class: HedgeClass,
    pub span: Span,
    /// The original text at `span`.
    pub text: String,
}

/// An answer (a run of candidate turns) with more hedges than specifics: the answer to push back
/// on ("Name the cache you would use and its eviction policy"). Estimates ("about 10 ms") commit to
/// a number and do not count as hedges here; the answer needs `VAGUE_MIN_HEDGES` of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VagueAnswer {
    pub first_turn: usize,
    pub last_turn: usize,
    pub words: usize,
    pub hedges: Vec<HedgeMention>,
    /// Numbers, named technologies and concrete outcomes in the answer (see `specificity`).
    pub specifics: usize,
    pub why: String,
}

/// Answers shorter than this are never called vague: "maybe" alone answers a yes/no question.
pub const VAGUE_MIN_WORDS: usize = 8;

/// One hedge in a committed answer ("I think we need three endpoints: ...") is how people talk; a
/// vague answer has at least this many.
pub const VAGUE_MIN_HEDGES: usize = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeakerMetrics {
    pub speaker: String,
    pub role: Role,
    pub turns: usize,
    pub words: usize,
    pub talk_seconds: Option<f64>,
    pub words_per_minute: Option<f64>,
}

/// A run of consecutive candidate turns (observer turns in between do not break it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub first_turn: usize,
    pub last_turn: usize,
    pub words: usize,
    pub start: Option<f64>,
    pub seconds: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Monologue {
    pub speaker: String,
    pub role: Role,
    pub first_turn: usize,
    pub last_turn: usize,
    pub words: usize,
    pub seconds: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Silence {
    /// The gap follows this turn.
    pub after_turn: usize,
    pub start: f64,
    pub seconds: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentOverrun {
    pub segment: String,
    pub seconds: f64,
    pub time_limit: f64,
}

/// Every metric of one transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub timed: bool,
    pub turns: usize,
    pub duration_seconds: Option<f64>,
    pub speakers: Vec<SpeakerMetrics>,
    pub candidate_words: usize,
    pub interviewer_words: usize,
    pub candidate_word_share: Option<f64>,
    pub candidate_talk_ratio: Option<f64>,
    pub candidate_words_per_minute: Option<f64>,
    pub answers: usize,
    pub mean_words_per_answer: Option<f64>,
    pub max_words_per_answer: usize,
    pub longest_answer_seconds: Option<f64>,
    pub answer_time_limit_seconds: f64,
    pub answers_over_limit: Option<Vec<Answer>>,
    pub longest_monologue: Option<Monologue>,
    pub silence_threshold_seconds: f64,
    pub longest_silence_seconds: Option<f64>,
    pub silences: Option<Vec<Silence>>,
    pub candidate_questions: usize,
    pub filler_count: usize,
    pub filler_rate: Option<f64>,
    /// The candidate's backchannels ("uh-huh", "mm-hmm"): listening signals, not fillers.
    pub backchannel_count: usize,
    /// The candidate's hedges ("i guess", "kind of", "maybe"), and per 100 candidate words.
    pub hedge_count: usize,
    pub hedge_rate: Option<f64>,
    /// Answers of at least `VAGUE_MIN_WORDS` words with at least `VAGUE_MIN_HEDGES` hedges
    /// (estimates and hedges inside questions aside) and more hedges than specifics, in order.
    pub vague_answers: Vec<VagueAnswer>,
    /// Vague answers / answers; `None` without answers.
    pub vague_answer_share: Option<f64>,
    pub segments_over_limit: Option<Vec<SegmentOverrun>>,
    /// Event type -> seconds from the start of the interview to its first occurrence.
    pub time_to_first: BTreeMap<String, f64>,
}

/// Scalar metric names usable in rubric rules (plus `time_to_first:TYPE`).
pub const METRIC_NAMES: &[&str] = &[
    "candidate_words",
    "interviewer_words",
    "candidate_word_share",
    "candidate_talk_ratio",
    "candidate_words_per_minute",
    "mean_words_per_answer",
    "max_words_per_answer",
    "longest_answer_seconds",
    "answers_over_limit",
    "longest_monologue_seconds",
    "longest_monologue_words",
    "longest_silence_seconds",
    "silences_over_threshold",
    "candidate_questions",
    "filler_count",
    "filler_rate",
    "backchannel_count",
    "hedge_count",
    "hedge_rate",
    "vague_answers",
    "vague_answer_share",
    "segments_over_limit",
    "duration_seconds",
];

/// Metrics that can only grow as a conversation goes on. A minimum on one of them that was not
/// reached says nothing against the candidate on a transcript that may stop early: the call may
/// not have reached the part where they would have asked their questions.
const GROWING_METRICS: &[&str] = &[
    "candidate_words",
    "interviewer_words",
    "max_words_per_answer",
    "longest_answer_seconds",
    "answers_over_limit",
    "longest_monologue_seconds",
    "longest_monologue_words",
    "longest_silence_seconds",
    "silences_over_threshold",
    "candidate_questions",
    "filler_count",
    "backchannel_count",
    "hedge_count",
    "vague_answers",
    "segments_over_limit",
    "duration_seconds",
];

/// Whether `name` can only grow as the conversation goes on (counts, longest-so-far, duration).
pub fn grows_with_the_conversation(name: &str) -> bool {
    GROWING_METRICS.contains(&name)
}

pub fn is_known_metric(name: &str) -> bool {
    METRIC_NAMES.contains(&name) || name.strip_prefix("time_to_first:").is_some_and(|event| !event.trim().is_empty())
}

impl Metrics {
    /// The value of a rule metric; `None` when it cannot be measured on this transcript.
    pub fn value(&self, name: &str) -> Option<f64> {
        if let Some(event) = name.strip_prefix("time_to_first:") {
            return self.timed.then(|| self.time_to_first.get(event).copied()).flatten();
        }
        let count = |n: usize| Some(n as f64);
        match name {
            "candidate_words" => count(self.candidate_words),
            "interviewer_words" => count(self.interviewer_words),
            "candidate_word_share" => self.candidate_word_share,
            "candidate_talk_ratio" => self.candidate_talk_ratio,
            "candidate_words_per_minute" => self.candidate_words_per_minute,
            "mean_words_per_answer" => self.mean_words_per_answer,
            "max_words_per_answer" => count(self.max_words_per_answer),
            "longest_answer_seconds" => self.longest_answer_seconds,
            "answers_over_limit" => self.answers_over_limit.as_ref().map(|a| a.len() as f64),
            "longest_monologue_seconds" => self.longest_monologue.as_ref().and_then(|m| m.seconds),
            "longest_monologue_words" => self.longest_monologue.as_ref().map(|m| m.words as f64),
            "longest_silence_seconds" => self.longest_silence_seconds,
            "silences_over_threshold" => self.silences.as_ref().map(|s| s.len() as f64),
            "candidate_questions" => count(self.candidate_questions),
            "filler_count" => count(self.filler_count),
            "filler_rate" => self.filler_rate,
            "backchannel_count" => count(self.backchannel_count),
            "hedge_count" => count(self.hedge_count),
            "hedge_rate" => self.hedge_rate,
            "vague_answers" => count(self.vague_answers.len()),
            "vague_answer_share" => self.vague_answer_share,
            "segments_over_limit" => self.segments_over_limit.as_ref().map(|s| s.len() as f64),
            "duration_seconds" => self.duration_seconds,
            _ => None,
        }
    }

    /// Computes every metric. `counts` has one entry per turn.
    pub fn compute(transcript: &Transcript, counts: &[TurnCounts], silence_threshold: f64, answer_limit: f64) -> Self {
        let turns = transcript.turns();
        let timed = transcript.is_timed();
        let speakers = speaker_metrics(turns, counts, timed);
        let talk = TalkShares::of(&speakers, timed);
        let answers = split_into_answers(turns, counts, timed);
        let (longest_silence_seconds, silences) =
            timed.then(|| silences_between_turns(turns, silence_threshold)).unzip();
        let candidate_sum = |count: fn(&TurnCounts) -> usize| candidate_total(turns, counts, count);
        let filler_count = candidate_sum(|c| c.fillers);
        let hedge_count = candidate_sum(|c| c.hedges.len());
        let vague_answers: Vec<VagueAnswer> =
            answers.iter().filter_map(|a| vague_answer(a, counts, transcript)).collect();
        let vague_answer_share =
            (!answers.is_empty()).then(|| round4(vague_answers.len() as f64 / answers.len() as f64));
        Metrics {
            timed,
            turns: turns.len(),
            duration_seconds: timed.then(|| span_seconds(turns, 0, turns.len() - 1)).flatten().map(round3),
            speakers: speakers.into_iter().map(SpeakerMetrics::rounded).collect(),
            candidate_words: talk.candidate_words,
            interviewer_words: talk.interviewer_words,
            candidate_word_share: talk.candidate_word_share.map(round4),
            candidate_talk_ratio: talk.candidate_talk_ratio.map(round4),
            candidate_words_per_minute: talk.candidate_words_per_minute.map(round3),
            answers: answers.len(),
            mean_words_per_answer: mean_words(&answers).map(round3),
            max_words_per_answer: answers.iter().map(|a| a.words).max().unwrap_or(0),
            longest_answer_seconds: timed.then(|| round3(answers.iter().filter_map(|a| a.seconds).fold(0.0, f64::max))),
            answer_time_limit_seconds: answer_limit,
            answers_over_limit: timed.then(|| answers_over(&answers, answer_limit)),
            longest_monologue: longest_monologue(turns, counts, timed),
            silence_threshold_seconds: silence_threshold,
            longest_silence_seconds,
            silences,
            candidate_questions: candidate_sum(|c| c.questions),
            filler_count,
            filler_rate: per_100_words(filler_count, talk.candidate_words),
            backchannel_count: candidate_sum(|c| c.backchannels),
            hedge_count,
            hedge_rate: per_100_words(hedge_count, talk.candidate_words),
            vague_answers,
            vague_answer_share,
            segments_over_limit: timed.then(|| segments_over_limit(transcript)),
            time_to_first: time_to_first(transcript, timed),
        }
    }
}

impl SpeakerMetrics {
    /// The same metrics with their times rounded for the report (the shares are computed before).
    fn rounded(self) -> Self {
        SpeakerMetrics {
            talk_seconds: self.talk_seconds.map(round3),
            words_per_minute: self.words_per_minute.map(round3),
            ..self
        }
    }
}

/// Seconds from the start of turn `first` to the latest end among turns `first..=last`; `None`
/// when turn `first` has no start.
fn span_seconds(turns: &[Turn], first: usize, last: usize) -> Option<f64> {
    let start = turns[first].start?;
    let end = turns[first..=last].iter().filter_map(|t| t.end).fold(start, f64::max);
    Some(end - start)
}

/// Per speaker (a name in a role), in order of first appearance: turns, words and, on a timed
/// transcript, talk time and speaking rate (not rounded yet).
fn speaker_metrics(turns: &[Turn], counts: &[TurnCounts], timed: bool) -> Vec<SpeakerMetrics> {
    let mut speakers: Vec<SpeakerMetrics> = Vec::new();
    for (turn, count) in turns.iter().zip(counts) {
        let index = if let Some(i) = speakers.iter().position(|s| s.speaker == turn.speaker && s.role == turn.role) {
            i
        } else {
            speakers.push(SpeakerMetrics {
                speaker: turn.speaker.clone(),
                role: turn.role,
                turns: 0,
                words: 0,
                talk_seconds: timed.then_some(0.0),
                words_per_minute: None,
            });
            speakers.len() - 1
        };
        let entry = &mut speakers[index];
        entry.turns += 1;
        entry.words += count.words;
        if let (Some(total), Some(start), Some(end)) = (entry.talk_seconds.as_mut(), turn.start, turn.end) {
            *total += end - start;
        }
    }
    for entry in &mut speakers {
        entry.words_per_minute = entry.talk_seconds.and_then(|seconds| per_minute(entry.words, seconds));
    }
    speakers
}

/// How the talking divides between candidate and interviewers, not rounded yet.
struct TalkShares {
    candidate_words: usize,
    interviewer_words: usize,
    candidate_word_share: Option<f64>,
    /// Timed transcripts only, as the rate below.
    candidate_talk_ratio: Option<f64>,
    candidate_words_per_minute: Option<f64>,
}

impl TalkShares {
    fn of(speakers: &[SpeakerMetrics], timed: bool) -> Self {
        let in_role = |role: Role| speakers.iter().filter(move |s| s.role == role);
        let candidate_words = in_role(Role::Candidate).map(|s| s.words).sum();
        let interviewer_words = in_role(Role::Interviewer).map(|s| s.words).sum();
        let all_words = candidate_words + interviewer_words;
        let candidate_word_share = (all_words > 0).then(|| candidate_words as f64 / all_words as f64);
        let (candidate_talk_ratio, candidate_words_per_minute) = if timed {
            let seconds = |role: Role| -> f64 { in_role(role).map(|s| s.talk_seconds.unwrap_or(0.0)).sum() };
            let candidate_seconds = seconds(Role::Candidate);
            let total = candidate_seconds + seconds(Role::Interviewer);
            ((total > 0.0).then(|| candidate_seconds / total), per_minute(candidate_words, candidate_seconds))
        } else {
            (None, None)
        };
        TalkShares {
            candidate_words,
            interviewer_words,
            candidate_word_share,
            candidate_talk_ratio,
            candidate_words_per_minute,
        }
    }
}

/// The answers: runs of candidate turns, ignoring observer turns in between, each with its
/// duration on a timed transcript (not rounded yet).
fn split_into_answers(turns: &[Turn], counts: &[TurnCounts], timed: bool) -> Vec<Answer> {
    let mut answers: Vec<Answer> = Vec::new();
    let mut open: Option<Answer> = None;
    for (i, (turn, count)) in turns.iter().zip(counts).enumerate() {
        match turn.role {
            Role::Candidate => {
                let answer = open.get_or_insert(Answer {
                    first_turn: i,
                    last_turn: i,
                    words: 0,
                    start: turn.start,
                    seconds: None,
                });
                answer.last_turn = i;
                answer.words += count.words;
            }
            Role::Interviewer => answers.extend(open.take()),
            Role::Observer => {}
        }
    }
    answers.extend(open);
    for answer in &mut answers {
        answer.seconds = span_seconds(turns, answer.first_turn, answer.last_turn).filter(|_| timed);
    }
    answers
}

fn mean_words(answers: &[Answer]) -> Option<f64> {
    (!answers.is_empty()).then(|| answers.iter().map(|a| a.words as f64).sum::<f64>() / answers.len() as f64)
}

/// The answers longer than `limit`, their durations rounded for the report.
fn answers_over(answers: &[Answer], limit: f64) -> Vec<Answer> {
    answers
        .iter()
        .filter(|a| a.seconds.is_some_and(|s| longer_than(s, limit)))
        .map(|a| Answer { seconds: a.seconds.map(round3), ..a.clone() })
        .collect()
}

/// The longest run of turns by one speaker: by time on a timed transcript, else by words; the
/// first of equally long runs.
fn longest_monologue(turns: &[Turn], counts: &[TurnCounts], timed: bool) -> Option<Monologue> {
    let mut longest: Option<Monologue> = None;
    let mut run_start = 0;
    for i in 0..turns.len() {
        let ends_run =
            i + 1 == turns.len() || turns[i + 1].speaker != turns[i].speaker || turns[i + 1].role != turns[i].role;
        if !ends_run {
            continue;
        }
        let candidate = Monologue {
            speaker: turns[i].speaker.clone(),
            role: turns[i].role,
            first_turn: run_start,
            last_turn: i,
            words: counts[run_start..=i].iter().map(|c| c.words).sum(),
            seconds: if timed { span_seconds(turns, run_start, i) } else { None },
        };
        let longer = match &longest {
            None => true,
            Some(best) if timed => candidate.seconds > best.seconds,
            Some(best) => candidate.words > best.words,
        };
        if longer {
            longest = Some(candidate);
        }
        run_start = i + 1;
    }
    longest.map(|m| Monologue { seconds: m.seconds.map(round3), ..m })
}

/// On a timed transcript: the longest gap, and the gaps over `threshold`. A gap runs from the end
/// of everything said so far (an overlapping turn may end before an earlier one) to the next start.
fn silences_between_turns(turns: &[Turn], threshold: f64) -> (f64, Vec<Silence>) {
    let mut longest = 0.0_f64;
    let mut silences = Vec::new();
    let mut spoken_until = turns[0].end.unwrap_or(0.0);
    for (i, turn) in turns.iter().enumerate().skip(1) {
        let start = turn.start.unwrap_or(0.0);
        let gap = start - spoken_until;
        if longer_than(gap, 0.0) {
            longest = longest.max(gap);
            if longer_than(gap, threshold) {
                silences.push(Silence { after_turn: i - 1, start: spoken_until, seconds: round3(gap) });
            }
        }
        spoken_until = spoken_until.max(turn.end.unwrap_or(start));
    }
    (round3(longest), silences)
}

/// The sum of one per-turn count over the candidate's turns.
fn candidate_total(turns: &[Turn], counts: &[TurnCounts], count: fn(&TurnCounts) -> usize) -> usize {
    turns.iter().zip(counts).filter(|(t, _)| t.role == Role::Candidate).map(|(_, c)| count(c)).sum()
}

/// `count` per 100 candidate words; `None` when the candidate said nothing.
fn per_100_words(count: usize, candidate_words: usize) -> Option<f64> {
    (candidate_words > 0).then(|| round4(count as f64 * 100.0 / candidate_words as f64))
}

/// On a timed transcript: the segments with a time limit that ran over it. A segment runs to the
/// turn before the next one starts.
fn segments_over_limit(transcript: &Transcript) -> Vec<SegmentOverrun> {
    let turns = transcript.turns();
    let segments = transcript.segments();
    segments
        .iter()
        .enumerate()
        .filter_map(|(i, segment)| {
            let limit = segment.time_limit?;
            let last = segments.get(i + 1).map_or(turns.len(), |next| next.start_turn) - 1;
            let seconds = span_seconds(turns, segment.start_turn, last)?;
            (seconds > limit).then(|| SegmentOverrun {
                segment: segment.id.clone(),
                seconds: round3(seconds),
                time_limit: limit,
            })
        })
        .collect()
}

/// Event type -> seconds from the interview's start (the first turn's, on a timed transcript) to
/// its first occurrence, never negative.
fn time_to_first(transcript: &Transcript, timed: bool) -> BTreeMap<String, f64> {
    let interview_start = if timed { transcript.turns()[0].start.unwrap_or(0.0) } else { 0.0 };
    let mut time_to_first = BTreeMap::new();
    for event in transcript.events() {
        let offset = round3((event.time - interview_start).max(0.0));
        time_to_first.entry(event.kind.clone()).and_modify(|t: &mut f64| *t = t.min(offset)).or_insert(offset);
    }
    time_to_first
}

/// Whether a duration is longer than a limit, compared in whole milliseconds: a gap computed as
/// 1380.16 - 1376.08 is 4.080000000000155 in floating point, and must not read as longer than a
/// 4.08 s threshold.
pub fn longer_than(seconds: f64, limit: f64) -> bool {
    (seconds * 1000.0).round() > (limit * 1000.0).round()
}

/// Words per minute over `seconds` of talk, when there is at least a millisecond of it: times
/// compare in whole milliseconds, and a rate over less (a subnormal duration) would overflow to
/// infinity, which no output may carry.
fn per_minute(words: usize, seconds: f64) -> Option<f64> {
    (seconds >= 0.001).then(|| words as f64 / (seconds / 60.0))
}

/// Rounding keeps reported numbers short and identical across platforms' float formatting.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

pub fn round4(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

/// The answer as a vague one, if it is: long enough, hedged, and with more hedges than specifics.
/// Specifics are counted only for answers hedged enough to be candidates: counting them costs a
/// fold and a lexicon pass per turn, and most answers are not.
fn vague_answer(answer: &Answer, counts: &[TurnCounts], transcript: &Transcript) -> Option<VagueAnswer> {
    let turns = &counts[answer.first_turn..=answer.last_turn];
    let counted = || turns.iter().flat_map(|c| c.hedges.iter().filter(|h| h.class != HedgeClass::Estimate));
    // Counted before anything is copied: most answers are not vague.
    let hedge_total = counted().count();
    if answer.words < VAGUE_MIN_WORDS || hedge_total < VAGUE_MIN_HEDGES {
        return None;
    }
    let specifics: usize = transcript.turns()[answer.first_turn..=answer.last_turn]
        .iter()
        .filter(|t| t.role == Role::Candidate)
        .map(|t| crate::specificity::specifics_in(&t.text))
        .sum();
    if hedge_total <= specifics {
        return None;
    }
    let hedges: Vec<HedgeMention> = counted().cloned().collect();
    let mut cues: Vec<&str> = Vec::new();
    for hedge in &hedges {
        if !cues.contains(&hedge.cue.as_str()) {
            cues.push(&hedge.cue);
        }
    }
    let specific = match specifics {
        0 => "no specifics".to_string(),
        1 => "only 1 specific".to_string(),
        n => format!("only {n} specifics"),
    };
    let why = format!(
        "{} hedge{} ({}) and {specific} (numbers, named technologies, outcomes)",
        hedges.len(),
        if hedges.len() == 1 { "" } else { "s" },
        cues.join(", ")
    );
    Some(VagueAnswer {
        first_turn: answer.first_turn,
        last_turn: answer.last_turn,
        words: answer.words,
        hedges,
        specifics,
        why,
    })
}
