//! Raw hits -> evidence. Each turn is folded and scanned once; its hits are grouped by criterion,
//! overlapping hits of one criterion are merged (longest wins), the speaker rule is applied,
//! negation is checked and spans are mapped back to the original text in bytes, code points and
//! UTF-16 units. The next turn is folded into the same buffers, so memory stays proportional to
//! the evidence and the longest turn, not to the transcript. Round, window and order rules are
//! applied afterwards, criterion by criterion, because order rules depend on other behaviors'
//! counted evidence.

use crate::error::{TranscriptError, TranscriptErrorKind};
use crate::limits::Limits;
use crate::matching::{FoundQuestion, Overrun, QuestionScan, RawHit, ScanBudget, TurnScan};
use crate::metrics::{HedgeMention, TurnCounts};
use crate::rubric::compile::{CompiledRubric, Criterion, OrderRef, Window};
use crate::rubric::model::DetectorKind;
use crate::rubric::model::{SpeakerSelector, WindowOrigin};
use crate::scorecard::{DetectorInfo, Evidence, ExternalWhy, Ignored, QuestionBy, QuestionWhy};
use crate::text::hedge::find_hedges_in;
use crate::text::question::{self, reply_word, tail_text, Detection, QuestionContext, QuestionModel, TurnContext};
use crate::text::segment::{count_words, floor_char_boundary, sentences};
use crate::text::span::UnitOffsets;
use crate::text::NormalizedText;
use crate::transcript::{Role, Round, Transcript, Turn};

/// The most evidence items a behavior or red flag lists, for and against each: the count stays
/// exact and `evidence_omitted` / `against_omitted` say how many more there were. It bounds the
/// scorecard (a 16 MB transcript of one repeated question used to give a 1.18 GB one) and the
/// memory of scoring: every mention is kept only as a small [`Mention`] until the rules have run,
/// and only these first items become full evidence.
pub const MAX_EVIDENCE_ITEMS: usize = 100;

/// The longest quote an evidence item carries, in bytes: a longer match (a regex can match a
/// whole turn) is quoted up to the last character boundary within it. The span stays exact.
pub const MAX_QUOTE_BYTES: usize = 1024;

/// One mention before the rules: where it is and what found it, in a few words of memory. Only
/// the mentions that end up listed become [`Evidence`] (see [`materialize`]).
#[derive(Debug, Clone)]
pub struct Mention {
    pub turn: usize,
    /// The byte range in the turn's original text.
    pub start: usize,
    pub end: usize,
    detector: u32,
    /// The rubric phrase that matched, or the annotation it came from: one slot, since no mention
    /// has both (it keeps a mention at 88 bytes).
    origin: Origin,
    /// The negation cue, for evidence against.
    cue: Option<Box<str>>,
    /// For a question detector: how its sentence was found, kept so that the model's reasons are
    /// computed only for listed evidence.
    question: Option<QuestionFound>,
}

/// What in the rubric or the transcript a mention came from, beyond its detector.
#[derive(Debug, Clone, Copy)]
enum Origin {
    /// A regex or a question without a topic phrase.
    Detector,
    /// The index of the phrase that matched.
    Phrase(u32),
    /// The index of the annotation in the transcript, for an external detector.
    Annotation(u32),
}

impl Mention {
    /// The mention of annotation `annotation` (an index into the transcript's annotations), found
    /// by external detector `detector`.
    pub(crate) fn external(turn: usize, start: usize, end: usize, detector: usize, annotation: usize) -> Self {
        Self {
            turn,
            start,
            end,
            detector: detector as u32,
            origin: Origin::Annotation(annotation as u32),
            cue: None,
            question: None,
        }
    }

    pub(crate) fn detector_index(&self) -> usize {
        self.detector as usize
    }

    /// The index of the rubric phrase that matched, for phrase and lexicon mentions.
    pub(crate) fn phrase_index(&self) -> Option<u32> {
        match self.origin {
            Origin::Phrase(index) => Some(index),
            _ => None,
        }
    }

    /// The index of the annotation this mention came from, for external evidence.
    pub(crate) fn annotation(&self) -> Option<usize> {
        match self.origin {
            Origin::Annotation(index) => Some(index as usize),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
struct QuestionFound {
    detection: Detection,
    /// The sentence in the turn's folded text.
    folded: std::ops::Range<usize>,
    sentence: usize,
}

/// The mentions of every criterion before round, window and order rules.
pub struct Collected {
    /// Per criterion: mentions that count unless a later rule excludes them.
    pub found: Vec<Vec<Mention>>,
    /// Per criterion: negated mentions.
    pub negated: Vec<Vec<Mention>>,
    /// Per criterion: hits by speakers the criterion does not listen to.
    pub wrong_speaker: Vec<usize>,
    pub counts: Vec<TurnCounts>,
}

pub(crate) fn listens_to(selector: SpeakerSelector, role: Role) -> bool {
    match selector {
        SpeakerSelector::Any => true,
        SpeakerSelector::Candidate => role == Role::Candidate,
        SpeakerSelector::Interviewer => role == Role::Interviewer,
    }
}

/// The speaking rate used to place the turns of an untimed transcript in time: a brisk one (the
/// corpus's meetings run at a median 196 words per minute of speaking time), so that in a
/// two-person interview, whose elapsed time adds silences (thinking, typing), the estimate rarely
/// runs ahead of the real time and a window errs towards counting a mention rather than missing
/// it. `make validity` measures it against real times (VALIDITY.md).
pub const ESTIMATED_WORDS_PER_MINUTE: f64 = 200.0;

/// Where each turn stands: its segment and round, plus facts about the whole transcript that
/// every criterion's rules ask for. They are computed once per call: asking the transcript for
/// each of hundreds of criteria made rule checking cost criteria x turns.
pub struct TurnPlaces {
    pub segment: Vec<Option<usize>>,
    pub round: Vec<Option<Round>>,
    /// Rounds that at least one turn is in.
    pub rounds_present: Vec<Round>,
    /// Whether every turn has a start and an end time.
    pub timed: bool,
    /// Each turn's start in seconds: its own on a timed transcript, else estimated from the
    /// words spoken before it at [`ESTIMATED_WORDS_PER_MINUTE`] (filled in by `estimate_clock`).
    pub clock: Vec<f64>,
}

impl TurnPlaces {
    pub fn new(transcript: &Transcript, default_round: Option<Round>) -> Self {
        let segment = transcript.segment_of_turns();
        let round: Vec<Option<Round>> =
            segment.iter().map(|s| s.map_or(default_round, |i| Some(transcript.segments()[i].round))).collect();
        let mut rounds_present: Vec<Round> = Vec::new();
        for r in round.iter().flatten() {
            if !rounds_present.contains(r) {
                rounds_present.push(*r);
            }
        }
        let timed = transcript.is_timed();
        let clock =
            if timed { transcript.turns().iter().map(|t| t.start.unwrap_or(0.0)).collect() } else { Vec::new() };
        Self { segment, round, rounds_present, timed, clock }
    }

    /// On an untimed transcript, places each turn at the words spoken before it.
    pub fn estimate_clock(&mut self, counts: &[TurnCounts]) {
        if self.timed {
            return;
        }
        let seconds_per_word = 60.0 / ESTIMATED_WORDS_PER_MINUTE;
        let mut words = 0usize;
        self.clock = counts
            .iter()
            .map(|c| {
                let start = words as f64 * seconds_per_word;
                words += c.words;
                start
            })
            .collect();
    }
}

/// Scans every turn once and sorts what it finds into each criterion's mentions, for and against,
/// with the per-turn counts the metrics need.
pub fn collect(
    rubric: &CompiledRubric,
    transcript: &Transcript,
    limits: &Limits,
) -> Result<Collected, TranscriptError> {
    let mut collected = Collected::empty(rubric.criteria.len(), transcript.turns().len());
    let mut scanner = TurnScanner::new(rubric, transcript, limits);
    for (turn_index, turn) in transcript.turns().iter().enumerate() {
        let scan = scanner.scan(turn_index, turn)?;
        collected.counts.push(scanner.turn_counts(turn_index, turn, &scan));
        if !scan.hits.is_empty() {
            scanner.collect_hits(turn_index, turn, scan, &mut collected);
        }
    }
    collected.sort_by_position();
    Ok(collected)
}

impl Collected {
    fn empty(criteria: usize, turns: usize) -> Self {
        Collected {
            found: vec![Vec::new(); criteria],
            negated: vec![Vec::new(); criteria],
            wrong_speaker: vec![0; criteria],
            counts: Vec::with_capacity(turns),
        }
    }

    /// Every criterion's mentions, for and against, in transcript order.
    fn sort_by_position(&mut self) {
        for list in self.found.iter_mut().chain(self.negated.iter_mut()) {
            list.sort_by_key(|m| (m.turn, m.start, m.end));
        }
    }
}

/// What the scans of all turns share: the buffers each turn is folded into (reused, so memory
/// follows the longest turn), the scan budget, and facts about the whole transcript that the
/// question detector needs.
struct TurnScanner<'a> {
    rubric: &'a CompiledRubric,
    transcript: &'a Transcript,
    /// Whether questions are looked for in every turn, not only in the candidate's.
    find_all_questions: bool,
    /// Whether the transcript uses question marks (then `?` decides what a question is).
    punctuated: bool,
    folded: NormalizedText,
    budget: ScanBudget,
    /// Per negation rule set, for the current turn: whether the turn has any cue word at all.
    turn_has_cue: Vec<Option<bool>>,
}

impl<'a> TurnScanner<'a> {
    fn new(rubric: &'a CompiledRubric, transcript: &'a Transcript, limits: &Limits) -> Self {
        TurnScanner {
            rubric,
            transcript,
            find_all_questions: rubric.hears_others_ask,
            punctuated: question::uses_question_marks(transcript.turns().iter().map(|t| t.text.as_str())),
            folded: NormalizedText::default(),
            budget: ScanBudget::new(limits),
            turn_has_cue: vec![None; rubric.negation.len()],
        }
    }

    /// Folds turn `turn_index` into the shared buffers and scans it once, for every detector's
    /// hits and, where questions are looked for, its question sentences.
    fn scan(&mut self, turn_index: usize, turn: &Turn) -> Result<TurnScan, TranscriptError> {
        self.folded.refold(&turn.text);
        let find_questions = self.find_all_questions || turn.role == Role::Candidate;
        let neighbours = (find_questions && !self.punctuated).then(|| Neighbours::of(self.transcript, turn_index));
        let questions = find_questions.then(|| QuestionScan {
            punctuated: self.punctuated,
            turn: neighbours.as_ref().map(Neighbours::context).unwrap_or_default(),
        });
        let rubric = self.rubric;
        rubric
            .matcher
            .scan(self.folded.as_str(), questions, &mut self.budget)
            .map_err(|overrun| overrun_error(rubric, turn_index, overrun))
    }

    /// What the metrics need of the turn just scanned. Questions and hedges count for candidate
    /// turns only.
    fn turn_counts(&self, turn_index: usize, turn: &Turn, scan: &TurnScan) -> TurnCounts {
        let text = self.folded.as_str();
        let by_candidate = turn.role == Role::Candidate;
        TurnCounts {
            words: count_words(text),
            questions: if by_candidate { scan.questions.len() } else { 0 },
            fillers: scan.fillers,
            backchannels: scan.backchannels,
            hedges: if by_candidate {
                hedge_mentions(text, &self.folded, turn_index, &turn.text, scan)
            } else {
                Vec::new()
            },
        }
    }

    /// Turns the hits of the turn just scanned into mentions of their criteria: overlapping hits
    /// of one criterion are merged (the leftmost wins, then the longest), hits by a speaker the
    /// criterion does not listen to are only counted, and a negated hit becomes evidence against.
    fn collect_hits(&mut self, turn_index: usize, turn: &Turn, scan: TurnScan, collected: &mut Collected) {
        let rubric = self.rubric;
        self.turn_has_cue.fill(None);
        let mut hits = scan.hits;
        sort_by_criterion_and_start(rubric, &mut hits);
        // (criterion, end of its last merged hit): hits by the wrong speaker count here too, so
        // that an overlapping hit of the same criterion is not counted in their place.
        let mut last: Option<(usize, usize)> = None;
        for hit in hits {
            let criterion_index = rubric.detectors[hit.detector as usize].criterion;
            if matches!(last, Some((c, end)) if c == criterion_index && hit.start < end) {
                continue;
            }
            last = Some((criterion_index, hit.end));
            let criterion = &rubric.criteria[criterion_index];
            if !listens_to(criterion.speaker, turn.role) {
                collected.wrong_speaker[criterion_index] += 1;
                continue;
            }
            let cue = self.negation_cue(criterion, &hit);
            let mention = self.mention(turn_index, turn, &hit, cue, &scan.questions);
            let lists = if mention.cue.is_some() { &mut collected.negated } else { &mut collected.found };
            lists[criterion_index].push(mention);
        }
    }

    /// The cue that negates `hit`, if its criterion's mentions can be negated (a question cannot).
    /// Whether the turn has any cue word of the rule set at all is found once per turn and rule
    /// set: most turns have none, and then no hit needs the full check.
    fn negation_cue(&mut self, criterion: &Criterion, hit: &RawHit) -> Option<String> {
        let rules = criterion.negation?;
        if self.rubric.detectors[hit.detector as usize].kind == DetectorKind::Question {
            return None;
        }
        let negation = &self.rubric.negation[rules];
        let text = self.folded.as_str();
        if *self.turn_has_cue[rules].get_or_insert_with(|| negation.has_cue_word(text)) {
            negation.negation_cue(text, hit.start, hit.end)
        } else {
            None
        }
    }

    /// The mention of a hit in the turn just scanned, in bytes of the turn's original text.
    fn mention(
        &self,
        turn_index: usize,
        turn: &Turn,
        hit: &RawHit,
        cue: Option<String>,
        questions: &[FoundQuestion],
    ) -> Mention {
        let (start, end) = self.folded.original_range(hit.start, hit.end, &turn.text);
        let question = (self.rubric.detectors[hit.detector as usize].kind == DetectorKind::Question)
            .then(|| found_question(questions, hit.start))
            .flatten();
        Mention {
            turn: turn_index,
            start,
            end,
            detector: hit.detector,
            origin: hit.phrase.map_or(Origin::Detector, Origin::Phrase),
            cue: cue.map(String::into_boxed_str),
            question,
        }
    }
}

/// Groups a turn's hits by criterion; inside a criterion, by start and then longest first, so one
/// sweep keeps the leftmost match and, among matches starting together, the longest.
fn sort_by_criterion_and_start(rubric: &CompiledRubric, hits: &mut [RawHit]) {
    hits.sort_by_key(|h| {
        let criterion = rubric.detectors[h.detector as usize].criterion;
        (criterion, h.start, std::cmp::Reverse(h.end), h.detector)
    });
}

/// The error for a scan that would pass its budget, at the turn where it did.
fn overrun_error(rubric: &CompiledRubric, turn: usize, overrun: Overrun) -> TranscriptError {
    let message = match overrun {
        Overrun::Matches { limit } => format!(
            "this turn takes the matches of the rubric's detectors in the transcript past the limit of {limit} (max_matches)"
        ),
        Overrun::RegexWork { detector, limit } => format!(
            "the regex of `{}` makes its DFA give up on this turn, and searching the rest of the turn by NFA \
             simulation would pass the limit of {limit} KiB of regex x KiB of text (max_regex_fallback_work)",
            rubric.detectors[detector as usize].path
        ),
    };
    TranscriptError::new(TranscriptErrorKind::LimitExceeded, format!("turns[{turn}].text"), message)
}

/// Full evidence for the first [`MAX_EVIDENCE_ITEMS`] of `mentions` (sorted by position) of
/// `criterion`. Code point and UTF-16 offsets are found in one pass per turn, and a
/// turn is folded again only when a model-found question needs the model's reasons.
pub fn materialize(
    rubric: &CompiledRubric,
    transcript: &Transcript,
    places: &TurnPlaces,
    criterion: &Criterion,
    mentions: &[Mention],
) -> Vec<Evidence> {
    let listed = &mentions[..mentions.len().min(MAX_EVIDENCE_ITEMS)];
    let mut evidence = Vec::with_capacity(listed.len());
    let mut folded = NormalizedText::default();
    for same_turn in listed.chunk_by(|a, b| a.turn == b.turn) {
        let turn_index = same_turn[0].turn;
        let turn = &transcript.turns()[turn_index];
        let units = UnitOffsets::new(&turn.text, same_turn.iter().flat_map(|m| [m.start, m.end]));
        let needs_folding = same_turn
            .iter()
            .any(|m| m.question.as_ref().is_some_and(|q| matches!(q.detection, Detection::Model { .. })));
        let neighbours = needs_folding.then(|| {
            folded.refold(&turn.text);
            (Neighbours::of(transcript, turn_index), sentences(folded.as_str()))
        });
        for mention in same_turn {
            let detector = &rubric.detectors[mention.detector as usize];
            let question = mention.question.as_ref().map(|found| {
                let context = neighbours.as_ref().map(|(around, sentences)| {
                    question::sentence_context(folded.as_str(), sentences, found.sentence, around.context())
                });
                question_why(folded.as_str(), found, context)
            });
            let external = mention.annotation().map(|index| {
                let checked = &transcript.annotations()[index];
                ExternalWhy {
                    source: checked.annotation.source.clone(),
                    confidence: checked.annotation.confidence,
                    rationale: checked.annotation.rationale.clone(),
                    timestamp: checked.annotation.timestamp.clone(),
                    annotation: checked.path.clone(),
                }
            });
            evidence.push(Evidence {
                behavior: criterion.id.clone(),
                path: criterion.path.clone(),
                detector: DetectorInfo {
                    kind: detector.kind,
                    path: detector.path.clone(),
                    phrase: match mention.origin {
                        Origin::Phrase(p) => Some(rubric.matcher.phrase_text(p).to_string()),
                        _ => None,
                    },
                    lexicon: detector.lexicon.clone(),
                    regex: detector.pattern.clone(),
                    question,
                    external,
                },
                turn: turn_index,
                speaker: turn.speaker.clone(),
                role: turn.role,
                span: units.span(mention.start, mention.end),
                text: quote(&turn.text[mention.start..mention.end]).to_string(),
                start: turn.start,
                end: turn.end,
                segment: places.segment[turn_index].map(|s| transcript.segments()[s].id.clone()),
                round: places.round[turn_index],
                negated_by: mention.cue.as_deref().map(str::to_string),
            });
        }
    }
    evidence
}

/// `text` cut to at most [`MAX_QUOTE_BYTES`], on a character boundary.
fn quote(text: &str) -> &str {
    &text[..floor_char_boundary(text, MAX_QUOTE_BYTES)]
}

/// The hedges of a candidate turn, with spans in the original text. Hedges inside questions are
/// left out: "roughly how many posts per day" asks; it does not weaken a claim.
fn hedge_mentions(
    text: &str,
    folded: &NormalizedText,
    turn: usize,
    original: &str,
    scan: &TurnScan,
) -> Vec<HedgeMention> {
    // Candidate turns are always scanned for questions, so their sentences are already split.
    let mut hedges = find_hedges_in(text, &scan.sentences);
    hedges.retain(|h| {
        let i = scan.questions.partition_point(|q| q.range.start <= h.range.start);
        i.checked_sub(1).is_none_or(|i| h.range.end > scan.questions[i].range.end)
    });
    if hedges.is_empty() {
        return Vec::new();
    }
    let ranges: Vec<(usize, usize)> =
        hedges.iter().map(|h| folded.original_range(h.range.start, h.range.end, original)).collect();
    let units = UnitOffsets::new(original, ranges.iter().flat_map(|&(s, e)| [s, e]));
    hedges
        .into_iter()
        .zip(ranges)
        .map(|(hedge, (start, end))| HedgeMention {
            turn,
            cue: hedge.cue.to_string(),
            class: hedge.class,
            span: units.span(start, end),
            text: original[start..end].to_string(),
        })
        .collect()
}

/// The turns around turn `index`, as [`TurnContext`] reads them, folded only where the model reads.
struct Neighbours {
    ends_turn: bool,
    next_word: Option<String>,
    previous: Option<String>,
    previous_is_other: bool,
}

impl Neighbours {
    fn of(transcript: &Transcript, index: usize) -> Self {
        let turns = transcript.turns();
        let speaker = &turns[index].speaker;
        let next = turns.get(index + 1);
        let previous = index.checked_sub(1).map(|i| &turns[i]);
        Neighbours {
            ends_turn: next.is_none_or(|n| n.speaker != *speaker),
            next_word: next.and_then(|n| reply_word(&n.text)),
            previous: previous.map(|p| tail_text(&p.text)),
            previous_is_other: previous.is_none_or(|p| p.speaker != *speaker),
        }
    }

    fn context(&self) -> TurnContext<'_> {
        TurnContext {
            ends_turn: self.ends_turn,
            next_word: self.next_word.as_deref(),
            previous: self.previous.as_deref(),
            previous_is_other: self.previous_is_other,
        }
    }
}

/// The question sentence starting at folded byte `start`, as the scan found it.
fn found_question(questions: &[FoundQuestion], start: usize) -> Option<QuestionFound> {
    let index = questions.partition_point(|q| q.range.start < start);
    let found = questions.get(index).filter(|q| q.range.start == start)?;
    Some(QuestionFound { detection: found.detection, folded: found.range.clone(), sentence: found.sentence })
}

/// Why a question sentence is one, with the context the model read (`context`, given whenever the
/// model found it). `folded` is the turn's folded text; it is only read for the model.
fn question_why(folded: &str, found: &QuestionFound, context: Option<QuestionContext<'_>>) -> QuestionWhy {
    match found.detection {
        Detection::QuestionMark => QuestionWhy { by: QuestionBy::QuestionMark, probability: None, cues: Vec::new() },
        Detection::Model { score } => {
            let context = context.unwrap_or_default();
            let cues = QuestionModel::bundled()
                .strongest_features(&folded[found.folded.clone()], context, 3)
                .into_iter()
                .map(|(name, _)| name)
                .collect();
            QuestionWhy {
                by: QuestionBy::Model,
                probability: Some((question::model::probability(score) * 10_000.0).round() / 10_000.0),
                cues,
            }
        }
    }
}

/// Why a criterion could not be evaluated on this transcript.
pub enum Unavailable {
    NotMeasurable(String),
    NotApplicable(String),
}

/// The first counted mention of a behavior: (turn, byte start).
pub type FirstMention = Option<(usize, usize)>;

/// An event found in what was said, for a transcript without a real event of its type.
pub struct Inferred {
    pub kind: String,
    pub turn: usize,
    pub byte: usize,
    pub quote: String,
}

/// Context the order and window rules need.
pub struct RuleContext<'a> {
    pub transcript: &'a Transcript,
    pub places: &'a TurnPlaces,
    /// Per criterion, once evaluated: its first counted mention, or why it is unavailable.
    pub first_mentions: Vec<Option<Result<FirstMention, ()>>>,
    /// Events inferred from what was said, one per type at most.
    pub inferred: &'a [Inferred],
}

/// The outcome of applying round, window and order rules to one criterion.
pub struct Filtered {
    pub counted: Vec<Mention>,
    pub against: Vec<Mention>,
    pub ignored: Ignored,
    /// What the rules stood on when the transcript lacked something they ask for: an estimated
    /// window, an inferred event, or no event at all. Each note ends up in the explanation.
    pub notes: Vec<String>,
    /// Annotations (by index) whose mentions a rule excluded, with the rule.
    pub excluded_annotations: Vec<(usize, &'static str)>,
}

/// Applies the round, window and order rules of `criterion` to its collected evidence.
pub fn apply_rules(
    criterion: &Criterion,
    rubric: &CompiledRubric,
    context: &RuleContext<'_>,
    found: Vec<Mention>,
    negated: Vec<Mention>,
) -> Result<Filtered, Unavailable> {
    check_rounds_present(criterion, context.places)?;
    let mut notes = Vec::new();
    if criterion.window.is_some() && !context.places.timed {
        notes.push(format!(
            "the transcript is untimed, so its time window was estimated from words spoken at {ESTIMATED_WORDS_PER_MINUTE} words per minute"
        ));
    }
    let rules = MentionRules { criterion, context, bounds: order_bounds(criterion, rubric, context, &mut notes)? };
    let mut ignored = Ignored::default();
    let mut excluded_annotations = Vec::new();
    // `retain` filters in place: most mentions are kept.
    let mut counted = found;
    counted.retain(|mention| match rules.excluded_by(mention, &mut ignored) {
        None => true,
        Some(rule) => {
            if let Some(annotation) = mention.annotation() {
                excluded_annotations.push((annotation, rule));
            }
            false
        }
    });
    let mut ignored_against = Ignored::default();
    let mut against = negated;
    against.retain(|e| rules.excluded_by(e, &mut ignored_against).is_none());
    Ok(Filtered { counted, against, ignored, notes, excluded_annotations })
}

/// A criterion kept to rounds that no turn of the transcript is in does not apply to it.
fn check_rounds_present(criterion: &Criterion, places: &TurnPlaces) -> Result<(), Unavailable> {
    let Some(rounds) = &criterion.rounds else { return Ok(()) };
    if places.rounds_present.iter().any(|r| rounds.contains(r)) {
        return Ok(());
    }
    let names: Vec<&str> = rounds.iter().map(|r| r.as_str()).collect();
    Err(Unavailable::NotApplicable(format!("the transcript has no turn in round {}", names.join(" or "))))
}

/// The bounds that the `before` and `after` rules of `criterion` put on its mentions; `notes`
/// gets what a bound stood on where the transcript lacks the event it refers to.
fn order_bounds(
    criterion: &Criterion,
    rubric: &CompiledRubric,
    context: &RuleContext<'_>,
    notes: &mut Vec<String>,
) -> Result<OrderBounds, Unavailable> {
    let mut bounds = OrderBounds::default();
    for (order, is_before) in [(&criterion.before, true), (&criterion.after, false)] {
        match order {
            None => {}
            Some(OrderRef::Event(kind)) => bounds.bound_by_event(kind, is_before, context, notes)?,
            Some(OrderRef::Behavior(other)) => bounds.bound_by_behavior(*other, is_before, rubric, context)?,
        }
    }
    Ok(bounds)
}

/// The rules every mention of one criterion must pass, once its order bounds are known.
struct MentionRules<'r> {
    criterion: &'r Criterion,
    context: &'r RuleContext<'r>,
    bounds: OrderBounds,
}

impl MentionRules<'_> {
    /// The rule `mention` falls foul of, counted in `ignored`; `None` when it passes them all.
    fn excluded_by(&self, mention: &Mention, ignored: &mut Ignored) -> Option<&'static str> {
        if let Some(rounds) = &self.criterion.rounds {
            if !self.context.places.round[mention.turn].is_some_and(|r| rounds.contains(&r)) {
                ignored.round += 1;
                return Some("outside its rounds");
            }
        }
        if let Some(window) = &self.criterion.window {
            if !in_window(window, mention.turn, self.context) {
                ignored.window += 1;
                return Some("outside its time window");
            }
        }
        if !self.bounds.allows(mention, self.context.transcript) {
            ignored.order += 1;
            return Some("on the wrong side of its order rule");
        }
        None
    }
}

#[derive(Default)]
struct OrderBounds {
    nothing: bool,
    before_time: Option<f64>,
    after_time: Option<f64>,
    before_mention: Option<(usize, usize)>,
    after_mention: Option<(usize, usize)>,
}

impl OrderBounds {
    fn allows(&self, mention: &Mention, transcript: &Transcript) -> bool {
        if self.nothing {
            return false;
        }
        let start = transcript.turns()[mention.turn].start.unwrap_or(0.0);
        let at = (mention.turn, mention.start);
        self.before_time.is_none_or(|t| start < t)
            && self.after_time.is_none_or(|t| start >= t)
            && self.before_mention.is_none_or(|m| at < m)
            && self.after_mention.is_none_or(|m| at > m)
    }

    /// Bounds the mentions by the first event of type `kind`: at its time on a timed transcript
    /// (an untimed one cannot be ordered against real events), else at the mention it was
    /// inferred from, else not at all, with a note saying so.
    fn bound_by_event(
        &mut self,
        kind: &str,
        is_before: bool,
        context: &RuleContext<'_>,
        notes: &mut Vec<String>,
    ) -> Result<(), Unavailable> {
        let first = context.transcript.events().iter().filter(|e| e.kind == kind).map(|e| e.time).reduce(f64::min);
        let inferred = context.inferred.iter().find(|e| e.kind == kind);
        if first.is_some() && !context.places.timed {
            return Err(Unavailable::NotMeasurable(format!("ordering against the {kind} event needs timestamps")));
        }
        match (first, inferred) {
            (Some(time), _) if is_before => self.before_time = Some(time),
            (Some(time), _) => self.after_time = Some(time),
            (None, Some(event)) => {
                let side = if is_before { "before" } else { "after" };
                notes.push(format!("{side} the {kind} event inferred at turn {} (\"{}\")", event.turn, event.quote));
                self.bound_by_mention(is_before, (event.turn, event.byte));
            }
            (None, None) => {
                let note = format!("the transcript has no {kind} event, real or inferred, so every turn was looked at");
                notes.push(note);
            }
        }
        Ok(())
    }

    /// Bounds the mentions by the first counted mention of behavior `other` (evaluated before
    /// this criterion). Before a behavior never mentioned is anywhere; after it, nowhere.
    fn bound_by_behavior(
        &mut self,
        other: usize,
        is_before: bool,
        rubric: &CompiledRubric,
        context: &RuleContext<'_>,
    ) -> Result<(), Unavailable> {
        let Some(Ok(first)) = context.first_mentions[other] else {
            return Err(Unavailable::NotMeasurable(format!(
                "it is ordered against {}, which could not be measured",
                rubric.criteria[other].id
            )));
        };
        match (first, is_before) {
            (None, true) => {}
            (None, false) => self.nothing = true,
            (Some(at), _) => self.bound_by_mention(is_before, at),
        }
        Ok(())
    }

    fn bound_by_mention(&mut self, is_before: bool, at: (usize, usize)) {
        if is_before {
            self.before_mention = Some(at);
        } else {
            self.after_mention = Some(at);
        }
    }
}

fn in_window(window: &Window, turn: usize, context: &RuleContext<'_>) -> bool {
    let clock = &context.places.clock;
    let origin = match window.origin {
        WindowOrigin::Interview => clock[0],
        WindowOrigin::Segment => match context.places.segment[turn] {
            Some(segment) => clock[context.transcript.segments()[segment].start_turn],
            None => clock[0],
        },
    };
    let offset = clock[turn] - origin;
    offset >= window.from && window.to.is_none_or(|to| offset < to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_mention_stays_as_small_as_documented() {
        // RELIABILITY.md quotes this size: every mention of a long transcript is kept this way
        // until the rules have run.
        assert_eq!(std::mem::size_of::<Mention>(), 88);
    }
}
