//! Evidence -> scores. Behaviors score in [0, 1]; each parent takes the weighted mean of its
//! measurable children, red flags subtract their penalty from the node they apply to (clipped at
//! 0), and the level is the band the rounded score falls in. Every number gets an `explain` string
//! with its arithmetic, and every shortfall becomes a feedback item ranked by how much fixing it
//! would raise the overall score.

use std::fmt::Write as _;

use crate::error::TranscriptError;
use crate::evidence::{
    apply_rules, collect, materialize, Collected, Filtered, Inferred, Mention, RuleContext, TurnPlaces, Unavailable,
    MAX_EVIDENCE_ITEMS,
};
use crate::limits::Limits;
use crate::metrics::{grows_with_the_conversation, round3, round4, Metrics};
use crate::rubric::compile::{Band, CompiledRubric, Criterion, Scoring, Target};
use crate::rubric::model::MetricCondition;
use crate::scorecard::{
    AnnotationStatus, AnnotationUse, BehaviorResult, BehaviorStatus, CompetencyScore, Evidence, FeedbackItem,
    FeedbackKind, Ignored, InferredEvent, MetricReading, NodeStatus, OverallScore, RedFlagResult, RedFlagStatus,
    RubricInfo, ScaleLevel, Scorecard, SubcompetencyScore, TranscriptInfo, LOW_CONFIDENCE_COVERAGE,
};
use crate::transcript::Transcript;

/// One criterion, evaluated.
struct Outcome {
    status: Verdict,
    score: Option<f64>,
    evidence: Vec<Evidence>,
    against: Vec<Evidence>,
    /// Counted and negated mentions beyond the listed evidence (`MAX_EVIDENCE_ITEMS`).
    evidence_omitted: usize,
    against_omitted: usize,
    ignored: Ignored,
    metric: Option<MetricReading>,
    reason: Option<String>,
    explain: String,
    /// Annotations (by index) whose mentions a round, window or order rule excluded, with the rule.
    excluded_annotations: Vec<(usize, &'static str)>,
}

/// A behavior's or a red flag's status.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Behavior(BehaviorStatus),
    RedFlag(RedFlagStatus),
}

/// Scores `transcript`; it fails only when scanning would pass a limit that bounds its cost
/// (`max_matches`, `max_regex_fallback_work`).
pub(crate) fn score(
    rubric: &CompiledRubric,
    transcript: &Transcript,
    limits: &Limits,
) -> Result<Scorecard, TranscriptError> {
    let mut places = TurnPlaces::new(transcript, rubric.spec.round);
    let mut collected = collect(rubric, transcript, limits)?;
    let intake = crate::external::take(rubric, transcript, &mut collected)?;
    let mut annotations = intake.uses;
    places.estimate_clock(&collected.counts);
    let mut metrics =
        Metrics::compute(transcript, &collected.counts, rubric.silence_threshold, rubric.answer_time_limit);
    let inferred = infer_events(rubric, transcript, &places, &mut collected);
    for event in &inferred {
        if places.timed {
            let offset = round3((places.clock[event.evidence.turn] - places.clock[0]).max(0.0));
            metrics.time_to_first.insert(event.kind.clone(), offset);
        }
    }
    let positions: Vec<Inferred> = inferred
        .iter()
        .map(|e| Inferred {
            kind: e.kind.clone(),
            turn: e.evidence.turn,
            byte: e.evidence.span.bytes[0],
            quote: e.evidence.text.clone(),
        })
        .collect();

    let mut context = RuleContext {
        transcript,
        places: &places,
        first_mentions: vec![None; rubric.criteria.len()],
        inferred: &positions,
    };
    let mut outcomes: Vec<Option<Outcome>> = (0..rubric.criteria.len()).map(|_| None).collect();
    for &index in &rubric.evaluation_order {
        let criterion = &rubric.criteria[index];
        let found = std::mem::take(&mut collected.found[index]);
        let negated = std::mem::take(&mut collected.negated[index]);
        let given: Vec<usize> = found.iter().filter_map(Mention::annotation).collect();
        let wrong_speaker = collected.wrong_speaker[index];
        let outcome = if intake.unjudged[index] {
            let reason =
                "it is measured by annotations alone, and none on this transcript comes from a source it takes";
            not_scored(
                criterion,
                BehaviorStatus::NotMeasurable,
                RedFlagStatus::NotMeasurable,
                reason.into(),
                wrong_speaker,
            )
        } else {
            evaluate(criterion, rubric, &context, &metrics, found, negated, wrong_speaker)
        };
        settle_annotations(&mut annotations, &given, &outcome, &criterion.id);
        context.first_mentions[index] = Some(match outcome.status {
            Verdict::Behavior(BehaviorStatus::NotMeasurable | BehaviorStatus::NotApplicable) => Err(()),
            _ => Ok(outcome.evidence.first().map(|e| (e.turn, e.span.bytes[0]))),
        });
        outcomes[index] = Some(outcome);
    }
    let info = TranscriptInfo {
        id: transcript.id().map(str::to_string),
        title: transcript.title().map(str::to_string),
        turns: transcript.turns().len(),
        timed: transcript.is_timed(),
        complete: transcript.is_complete(),
        times_estimated: !places.timed,
        inferred_events: inferred,
        role_inference: transcript.role_inference().cloned(),
        annotations,
    };
    Ok(assemble(rubric, info, metrics, outcomes))
}

/// Marks the annotations a criterion was given (`given`) counted, or not counted with the rule
/// that excluded them or the reason the criterion could not be evaluated. The excluded ones come
/// in the order they were given (the rules filter the mentions in place), so one walk pairs them.
fn settle_annotations(uses: &mut [AnnotationUse], given: &[usize], outcome: &Outcome, id: &str) {
    let mut excluded_in_order = outcome.excluded_annotations.iter().peekable();
    for &index in given {
        let excluded = excluded_in_order.next_if(|(a, _)| *a == index).map(|(_, rule)| *rule);
        let (status, reason) = match (excluded, &outcome.reason) {
            (Some(rule), _) => (AnnotationStatus::NotCounted, Some(format!("{id}: {rule}"))),
            (None, Some(reason)) => (AnnotationStatus::NotCounted, Some(format!("{id} was not scored: {reason}"))),
            (None, None) => (AnnotationStatus::Counted, None),
        };
        uses[index].status = status;
        uses[index].reason = reason;
    }
    debug_assert!(excluded_in_order.next().is_none(), "every excluded annotation was given");
}

/// For each event type the rubric infers and the transcript lacks, its first counted mention.
fn infer_events(
    rubric: &CompiledRubric,
    transcript: &Transcript,
    places: &TurnPlaces,
    collected: &mut Collected,
) -> Vec<InferredEvent> {
    let mut inferred = Vec::new();
    for (kind, index) in &rubric.inferred_events {
        if transcript.events().iter().any(|e| &e.kind == kind) {
            continue;
        }
        // Mentions are sorted by position, so the first is the earliest.
        let found = std::mem::take(&mut collected.found[*index]);
        let Some(first) = found.first() else { continue };
        let Some(evidence) =
            materialize(rubric, transcript, places, &rubric.criteria[*index], std::slice::from_ref(first)).pop()
        else {
            continue;
        };
        inferred.push(InferredEvent {
            kind: kind.clone(),
            time: round3(places.clock[evidence.turn]),
            time_estimated: !places.timed,
            evidence,
        });
    }
    inferred
}

#[allow(clippy::too_many_arguments)]
fn evaluate(
    criterion: &Criterion,
    rubric: &CompiledRubric,
    context: &RuleContext<'_>,
    metrics: &Metrics,
    found: Vec<Mention>,
    negated: Vec<Mention>,
    wrong_speaker: usize,
) -> Outcome {
    if let Some(condition) = &criterion.metric {
        return evaluate_metric(criterion, condition, context, metrics, wrong_speaker);
    }
    let unavailable = |status_b, status_r, reason| not_scored(criterion, status_b, status_r, reason, wrong_speaker);
    let filtered = match apply_rules(criterion, rubric, context, found, negated) {
        Ok(filtered) => filtered,
        Err(Unavailable::NotMeasurable(reason)) => {
            return unavailable(BehaviorStatus::NotMeasurable, RedFlagStatus::NotMeasurable, reason)
        }
        Err(Unavailable::NotApplicable(reason)) => {
            return unavailable(BehaviorStatus::NotApplicable, RedFlagStatus::NotApplicable, reason)
        }
    };
    let mut ignored = filtered.ignored;
    ignored.speaker = wrong_speaker;
    let count = filtered.counted.len();
    let list = |mentions: &[Mention]| materialize(rubric, context.transcript, context.places, criterion, mentions);
    let (evidence, evidence_omitted) = (list(&filtered.counted), count.saturating_sub(MAX_EVIDENCE_ITEMS));
    let sources = describe_sources(&filtered.counted, context.transcript);
    let mut ignored_note = describe_ignored(&ignored);
    for note in &filtered.notes {
        let _ = write!(ignored_note, "; {note}");
    }
    let mentions = Counted { evidence, evidence_omitted, ignored, sources, ignored_note };
    if criterion.is_red_flag {
        return red_flag_outcome(criterion, filtered, mentions);
    }
    behavior_outcome(criterion, filtered, mentions, &list)
}

/// A criterion's counted mentions, listed, with the notes its explanation carries.
struct Counted {
    evidence: Vec<Evidence>,
    evidence_omitted: usize,
    ignored: Ignored,
    /// Which sources the counted mentions came from (external evidence).
    sources: String,
    /// What the rules excluded and stood on.
    ignored_note: String,
}

/// A criterion ruled by a metric (`metric: {name, min, max}`): whether the value is in range.
fn evaluate_metric(
    criterion: &Criterion,
    condition: &MetricCondition,
    context: &RuleContext<'_>,
    metrics: &Metrics,
    wrong_speaker: usize,
) -> Outcome {
    let value = metrics.value(&condition.name);
    let reading = MetricReading { name: condition.name.clone(), value, min: condition.min, max: condition.max };
    let Some(value) = value else {
        let mut outcome = not_scored(
            criterion,
            BehaviorStatus::NotMeasurable,
            RedFlagStatus::NotMeasurable,
            format!("metric {} cannot be measured on this transcript", condition.name),
            wrong_speaker,
        );
        outcome.metric = Some(reading);
        return outcome;
    };
    let holds = condition.min.is_none_or(|m| value >= m) && condition.max.is_none_or(|m| value <= m);
    let range = describe_range(condition.min, condition.max);
    // A minimum not reached on a transcript that may stop early is a shortfall, not evidence
    // against: the conversation may not have reached that part.
    let short_of_minimum = !holds
        && condition.min.is_some_and(|m| value < m)
        && grows_with_the_conversation(&condition.name)
        && !context.transcript.is_complete();
    let (status, score) = match (criterion.is_red_flag, holds) {
        (false, true) => (Verdict::Behavior(BehaviorStatus::Demonstrated), Some(1.0)),
        (false, false) if short_of_minimum => (
            Verdict::Behavior(if value > 0.0 { BehaviorStatus::Partial } else { BehaviorStatus::NotObserved }),
            Some(0.0),
        ),
        (false, false) => (Verdict::Behavior(BehaviorStatus::Contradicted), Some(0.0)),
        (true, true) => (Verdict::RedFlag(RedFlagStatus::Triggered), None),
        (true, false) => (Verdict::RedFlag(RedFlagStatus::Clear), None),
    };
    let verdict = match (criterion.is_red_flag, holds) {
        (false, true) => "-> 1".to_string(),
        (false, false) if short_of_minimum => {
            "-> 0; the transcript is not known to be complete, so this is insufficient evidence, not evidence against"
                .to_string()
        }
        (false, false) => "-> 0".to_string(),
        (true, true) => format!("-> triggered, -{}", num(criterion.penalty)),
        (true, false) => "-> clear".to_string(),
    };
    let mut explain =
        format!("{} = {} {} {range} {verdict}", condition.name, num(value), if holds { "is in" } else { "is not in" });
    if let Some(event) = condition.name.strip_prefix("time_to_first:") {
        if let Some(inferred) = context.inferred.iter().find(|e| e.kind == event) {
            let _ =
                write!(explain, "; from the {event} event inferred at turn {} (\"{}\")", inferred.turn, inferred.quote);
        }
    }
    Outcome {
        status,
        score,
        evidence: Vec::new(),
        against: Vec::new(),
        evidence_omitted: 0,
        against_omitted: 0,
        ignored: Ignored::default(),
        metric: Some(reading),
        reason: None,
        explain,
        excluded_annotations: Vec::new(),
    }
}

/// A red flag: triggered at `min_count` counted mentions.
fn red_flag_outcome(criterion: &Criterion, filtered: Filtered, mentions: Counted) -> Outcome {
    let Counted { evidence, evidence_omitted, ignored, sources, ignored_note } = mentions;
    let count = filtered.counted.len();
    let triggered = count >= criterion.min_count as usize;
    let explain = format!(
        "{count} {}{sources} (needs {}){ignored_note} -> {}",
        plural(count, "mention", "mentions"),
        criterion.min_count,
        if triggered { format!("triggered, -{}", num(criterion.penalty)) } else { "clear".into() }
    );
    Outcome {
        status: Verdict::RedFlag(if triggered { RedFlagStatus::Triggered } else { RedFlagStatus::Clear }),
        score: None,
        evidence,
        // A red flag reports no evidence against, so none is built.
        against: Vec::new(),
        evidence_omitted,
        against_omitted: 0,
        ignored,
        metric: None,
        reason: None,
        explain,
        excluded_annotations: filtered.excluded_annotations,
    }
}

/// A behavior: its score from its counted mentions (presence or count), and its status from those
/// and the mentions against.
fn behavior_outcome(
    criterion: &Criterion,
    filtered: Filtered,
    mentions: Counted,
    list: &dyn Fn(&[Mention]) -> Vec<Evidence>,
) -> Outcome {
    let Counted { evidence, evidence_omitted, ignored, sources, ignored_note } = mentions;
    let count = filtered.counted.len();
    let against = filtered.against.len();
    let (against_evidence, against_omitted) = (list(&filtered.against), against.saturating_sub(MAX_EVIDENCE_ITEMS));
    let (score, arithmetic) = match criterion.scoring {
        Scoring::Presence => {
            let s = if count > 0 { 1.0 } else { 0.0 };
            (s, format!("presence: {count} evidence {} -> {}", plural(count, "item", "items"), num(s)))
        }
        Scoring::Count(target) => {
            let s = count.min(target as usize) as f64 / f64::from(target);
            (s, format!("count: min({count}, {target}) / {target} = {}", num(round4(s))))
        }
    };
    let status = match (count, against) {
        (0, 0) => BehaviorStatus::NotObserved,
        (0, _) => BehaviorStatus::Contradicted,
        _ if score >= 1.0 => BehaviorStatus::Demonstrated,
        _ => BehaviorStatus::Partial,
    };
    let against_note = if against > 0 {
        format!("; {against} negated {} not counted", plural(against, "mention", "mentions"))
    } else {
        String::new()
    };
    Outcome {
        status: Verdict::Behavior(status),
        score: Some(round4(score)),
        evidence,
        against: against_evidence,
        evidence_omitted,
        against_omitted,
        ignored,
        metric: None,
        reason: None,
        explain: format!("{arithmetic}{sources}{against_note}{ignored_note}"),
        excluded_annotations: filtered.excluded_annotations,
    }
}

/// The outcome of a criterion that could not be evaluated, and why.
fn not_scored(
    criterion: &Criterion,
    status_b: BehaviorStatus,
    status_r: RedFlagStatus,
    reason: String,
    wrong_speaker: usize,
) -> Outcome {
    Outcome {
        status: if criterion.is_red_flag { Verdict::RedFlag(status_r) } else { Verdict::Behavior(status_b) },
        score: None,
        evidence: Vec::new(),
        against: Vec::new(),
        evidence_omitted: 0,
        against_omitted: 0,
        ignored: Ignored { speaker: wrong_speaker, ..Ignored::default() },
        metric: None,
        explain: format!("not scored: {reason}"),
        reason: Some(reason),
        excluded_annotations: Vec::new(),
    }
}

fn describe_range(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("[{}, {}]", num(min), num(max)),
        (Some(min), None) => format!("[{}, inf)", num(min)),
        (None, Some(max)) => format!("(-inf, {}]", num(max)),
        (None, None) => "(-inf, inf)".into(),
    }
}

/// Which sources the counted mentions came from, when any came from an annotation: the points
/// of an external detector are traced to the judges that gave them.
fn describe_sources(counted: &[Mention], transcript: &Transcript) -> String {
    if counted.iter().all(|m| m.annotation().is_none()) {
        return String::new();
    }
    let mut by_source: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    let mut built_in = 0;
    for mention in counted {
        let Some(index) = mention.annotation() else {
            built_in += 1;
            continue;
        };
        *by_source.entry(transcript.annotations()[index].annotation.source.as_str()).or_default() += 1;
    }
    let mut parts: Vec<String> = Vec::new();
    if built_in > 0 {
        parts.push(format!("{built_in} from built-in detectors"));
    }
    parts.extend(by_source.into_iter().map(|(source, n)| format!("{n} from {source}")));
    format!(" ({})", parts.join(", "))
}

fn describe_ignored(ignored: &Ignored) -> String {
    let parts: Vec<String> = [
        (ignored.speaker, "by another speaker"),
        (ignored.round, "outside its rounds"),
        (ignored.window, "outside its time window"),
        (ignored.order, "on the wrong side of its order rule"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, why)| format!("{n} {why}"))
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("; ignored: {}", parts.join(", "))
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// A number as the explanations print it: up to four decimals, no trailing zeros.
///
/// Written from the integer number of ten-thousandths rather than with `{:.4}`, which costs a
/// general float-to-decimal conversion for each of the thousands of numbers in a scorecard, and
/// written straight into the explanation rather than into a string of its own.
fn num(x: f64) -> Num {
    Num(x)
}

struct Num(f64);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scaled = (self.0 * 10000.0).round();
        if !scaled.is_finite() || scaled.abs() >= 1e15 {
            // Not a score-sized number: fall back to the general path.
            let s = format!("{:.4}", round4(self.0));
            return f.write_str(s.trim_end_matches('0').trim_end_matches('.'));
        }
        // Digits are written backwards into a buffer and handed over in one piece: the formatting
        // machinery costs more per call than the digits themselves.
        let units = scaled as i64;
        let mut rest = units.unsigned_abs();
        let mut buffer = [0u8; 24];
        let mut at = buffer.len();
        let mut emit = |byte: u8, at: &mut usize| {
            *at -= 1;
            buffer[*at] = byte;
        };
        let digit = |n: u64| b'0' + (n % 10) as u8;
        let mut fraction = rest % 10000;
        rest /= 10000;
        if fraction > 0 {
            let mut digits = 4;
            while fraction % 10 == 0 {
                fraction /= 10;
                digits -= 1;
            }
            for _ in 0..digits {
                emit(digit(fraction), &mut at);
                fraction /= 10;
            }
            emit(b'.', &mut at);
        }
        loop {
            emit(digit(rest), &mut at);
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if units < 0 {
            emit(b'-', &mut at);
        }
        f.write_str(std::str::from_utf8(&buffer[at..]).expect("ASCII digits"))
    }
}

/// A weighted mean over the children that have a score.
struct Mean {
    score: Option<f64>,
    explain: String,
}

fn weighted_mean(children: &[(f64, Option<f64>)], what: &str) -> Mean {
    let measurable: Vec<(f64, f64)> = children.iter().filter_map(|&(w, s)| s.map(|s| (w, s))).collect();
    let total: f64 = measurable.iter().map(|(w, _)| w).sum();
    if measurable.is_empty() || total <= 0.0 {
        return Mean { score: None, explain: format!("no measurable {what}") };
    }
    let sum: f64 = measurable.iter().map(|(w, s)| w * s).sum();
    let score = sum / total;
    let mut explain = format!("weighted mean of {what}: (");
    for (i, (w, s)) in measurable.iter().enumerate() {
        let _ = write!(explain, "{}{} x {}", if i == 0 { "" } else { " + " }, num(*w), num(*s));
    }
    let _ = write!(explain, ") / {} = {}", num(total), num(round4(score)));
    let left_out = children.len() - measurable.len();
    if left_out > 0 {
        let _ = write!(explain, " ({left_out} not measurable, left out)");
    }
    Mean { score: Some(score), explain }
}

/// Subtracts triggered penalties and reads the level.
struct Finished {
    score: Option<f64>,
    scaled: Option<f64>,
    level: Option<i32>,
    label: Option<String>,
    anchor: Option<String>,
    explain: String,
}

fn finish(mean: Mean, penalties: &[(String, f64)], bands: &[Band], scale: &[Band]) -> Finished {
    let mut explain = mean.explain;
    let mut score = mean.score;
    for (id, penalty) in penalties {
        match score {
            Some(s) => {
                let after = (s - penalty).max(0.0);
                let _ = write!(explain, "; red flag {id} -{} -> {}", num(*penalty), num(round4(after)));
                score = Some(after);
            }
            None => {
                let _ = write!(explain, "; red flag {id} not applied (nothing measurable)");
            }
        }
    }
    let Some(exact) = score else {
        return Finished { score: None, scaled: None, level: None, label: None, anchor: None, explain };
    };
    // The level is read from the score as reported (rounded), so the two always agree; the scaled
    // value is computed before rounding so that 0.93333 on 1-4 reads 3.8, not 3.7999.
    let score = round4(exact);
    let band = level_of(score, bands);
    let (min, max) = (f64::from(scale[0].level), f64::from(scale[scale.len() - 1].level));
    let scaled = round4(min + exact * (max - min));
    let upper = if band.to >= 1.0 { "]" } else { ")" };
    let _ = write!(
        explain,
        "; level {} {} [{}, {}{upper}; scaled {} + {} x ({} - {}) = {}",
        band.level,
        band.label,
        num(band.from),
        num(band.to),
        num(min),
        num(score),
        num(max),
        num(min),
        num(scaled)
    );
    Finished {
        score: Some(score),
        scaled: Some(scaled),
        level: Some(band.level),
        label: Some(band.label.clone()),
        anchor: band.description.clone(),
        explain,
    }
}

fn level_of(score: f64, bands: &[Band]) -> &Band {
    bands.iter().find(|b| score >= b.from && score < b.to).unwrap_or(&bands[bands.len() - 1])
}

fn node_status(children: impl Iterator<Item = NodeStatus>) -> NodeStatus {
    let statuses: Vec<NodeStatus> = children.collect();
    if statuses.contains(&NodeStatus::Scored) {
        NodeStatus::Scored
    } else if statuses.contains(&NodeStatus::EvidenceAgainst) {
        NodeStatus::EvidenceAgainst
    } else if statuses.contains(&NodeStatus::InsufficientEvidence) {
        NodeStatus::InsufficientEvidence
    } else {
        NodeStatus::NotMeasurable
    }
}

fn assemble(
    rubric: &CompiledRubric,
    transcript: TranscriptInfo,
    metrics: Metrics,
    mut outcomes: Vec<Option<Outcome>>,
) -> Scorecard {
    let triggered = Triggered::new(rubric, &outcomes);
    let mut competencies = Vec::with_capacity(rubric.competencies.len());
    let mut competency_coverage = Vec::with_capacity(rubric.competencies.len());
    for (ci, competency) in rubric.competencies.iter().enumerate() {
        let mut subs = Vec::with_capacity(competency.subcompetencies.len());
        let mut sub_coverage = Vec::with_capacity(competency.subcompetencies.len());
        for &si in &competency.subcompetencies {
            let (sub, coverage) = subcompetency_score(rubric, si, &mut outcomes, &triggered);
            subs.push(sub);
            sub_coverage.push((rubric.subcompetencies[si].weight, coverage));
        }
        let (score, coverage) = competency_score(rubric, ci, subs, &sub_coverage, &triggered);
        competencies.push(score);
        competency_coverage.push((competency.weight, coverage));
    }
    let overall = overall_score(rubric, &competencies, competency_coverage, &triggered);
    let red_flags: Vec<RedFlagResult> = triggered
        .red_flags
        .iter()
        .map(|&i| red_flag_result(rubric, i, outcomes[i].take().expect("each red flag is assembled once")))
        .collect();
    let feedback = feedback(rubric, &competencies, &red_flags);
    Scorecard {
        rubric: RubricInfo {
            id: rubric.spec.id.clone(),
            version: rubric.spec.version.clone(),
            title: rubric.spec.title.clone(),
        },
        transcript,
        scale: rubric
            .scale
            .iter()
            .map(|b| ScaleLevel { level: b.level, label: b.label.clone(), from: b.from, to: b.to })
            .collect(),
        overall,
        competencies,
        red_flags,
        feedback,
        metrics,
    }
}

/// Which red flags were triggered, to find the penalties of each node.
struct Triggered<'a> {
    rubric: &'a CompiledRubric,
    /// Criterion indices of the red flags, in rubric order.
    red_flags: Vec<usize>,
    /// Per criterion; inferred-event criteria have no outcome: they are never scored.
    statuses: Vec<Option<Verdict>>,
}

impl<'a> Triggered<'a> {
    fn new(rubric: &'a CompiledRubric, outcomes: &[Option<Outcome>]) -> Self {
        Self {
            rubric,
            red_flags: (0..rubric.criteria.len()).filter(|&i| rubric.criteria[i].is_red_flag).collect(),
            statuses: outcomes.iter().map(|o| o.as_ref().map(|o| o.status)).collect(),
        }
    }

    /// (id, penalty) of the triggered red flags that apply to `target`.
    fn at(&self, target: Target) -> Vec<(String, f64)> {
        self.red_flags
            .iter()
            .filter(|&&i| {
                self.rubric.criteria[i].target == target
                    && self.statuses[i] == Some(Verdict::RedFlag(RedFlagStatus::Triggered))
            })
            .map(|&i| (self.rubric.criteria[i].id.clone(), self.rubric.criteria[i].penalty))
            .collect()
    }
}

/// Sub-competency `si` from its behaviors' outcomes (taken out of `outcomes`), and the share of its
/// applicable weight that could be measured.
fn subcompetency_score(
    rubric: &CompiledRubric,
    si: usize,
    outcomes: &mut [Option<Outcome>],
    triggered: &Triggered<'_>,
) -> (SubcompetencyScore, Option<f64>) {
    let sub = &rubric.subcompetencies[si];
    let mut behaviors = Vec::with_capacity(sub.behaviors.len());
    let (mut evidence_for, mut evidence_against) = (0, 0);
    for &bi in &sub.behaviors {
        let outcome = outcomes[bi].take().expect("each behavior belongs to one sub-competency");
        let (behavior, found_for, found_against) = behavior_result(&rubric.criteria[bi], outcome);
        evidence_for += found_for;
        evidence_against += found_against;
        behaviors.push(behavior);
    }
    let penalties = triggered.at(Target::Subcompetency(si));
    evidence_against += penalties.len();
    let mean = weighted_mean(&behaviors.iter().map(|b| (b.weight, b.score)).collect::<Vec<_>>(), "behaviors");
    let coverage = Coverage::of(behaviors.iter().map(|b| {
        let share = match b.status {
            BehaviorStatus::NotApplicable => None,
            _ => Some(if b.score.is_some() { 1.0 } else { 0.0 }),
        };
        (b.weight, share)
    }));
    let mut finished = finish(mean, &penalties, &sub.bands, &rubric.scale);
    coverage.explain(&mut finished);
    let status = match (finished.score, evidence_for, evidence_against) {
        (None, _, _) => NodeStatus::NotMeasurable,
        (_, 0, 0) => NodeStatus::InsufficientEvidence,
        (_, 0, _) => NodeStatus::EvidenceAgainst,
        _ => NodeStatus::Scored,
    };
    let score = SubcompetencyScore {
        id: sub.id.clone(),
        title: sub.title.clone(),
        path: sub.path.clone(),
        weight: sub.weight,
        score: finished.score,
        scaled: finished.scaled,
        level: finished.level,
        label: finished.label,
        anchor: finished.anchor,
        status,
        coverage: coverage.share(),
        low_confidence: coverage.is_low(finished.score),
        evidence_for,
        evidence_against,
        explain: finished.explain,
        behaviors,
        red_flags: penalties.into_iter().map(|(id, _)| id).collect(),
        depth: sub.depth,
    };
    (score, coverage.applicable_share())
}

/// A behavior's result, and how many pieces of evidence it gives its sub-competency for and
/// against (a metric rule that holds or fails counts as one).
fn behavior_result(criterion: &Criterion, outcome: Outcome) -> (BehaviorResult, usize, usize) {
    let Verdict::Behavior(status) = outcome.status else { unreachable!("behaviors have behavior outcomes") };
    let found_for = outcome.evidence.len()
        + outcome.evidence_omitted
        + usize::from(outcome.metric.is_some() && status == BehaviorStatus::Demonstrated);
    let found_against = outcome.against.len()
        + outcome.against_omitted
        + usize::from(outcome.metric.is_some() && status == BehaviorStatus::Contradicted);
    let result = BehaviorResult {
        id: criterion.id.clone(),
        title: criterion.title.clone(),
        path: criterion.path.clone(),
        weight: criterion.weight,
        status,
        score: outcome.score,
        count: outcome.evidence.len() + outcome.evidence_omitted,
        target: match criterion.scoring {
            Scoring::Count(t) => Some(t),
            Scoring::Presence => None,
        },
        metric: outcome.metric,
        reason: outcome.reason,
        explain: outcome.explain,
        evidence: outcome.evidence,
        against: outcome.against,
        evidence_omitted: outcome.evidence_omitted,
        against_omitted: outcome.against_omitted,
        ignored: outcome.ignored,
    };
    (result, found_for, found_against)
}

/// Competency `ci` from its sub-competencies, and the share of its applicable weight measured.
fn competency_score(
    rubric: &CompiledRubric,
    ci: usize,
    subs: Vec<SubcompetencyScore>,
    sub_coverage: &[(f64, Option<f64>)],
    triggered: &Triggered<'_>,
) -> (CompetencyScore, Option<f64>) {
    let competency = &rubric.competencies[ci];
    let children: Vec<_> = subs.iter().map(|s| (s.weight, s.score, s.status)).collect();
    let coverage = Coverage::of(sub_coverage.iter().copied());
    let (finished, status) =
        parent(rubric, &children, "sub-competencies", &coverage, &triggered.at(Target::Competency(ci)));
    let score = CompetencyScore {
        id: competency.id.clone(),
        title: competency.title.clone(),
        path: competency.path.clone(),
        weight: competency.weight,
        score: finished.score,
        scaled: finished.scaled,
        level: finished.level,
        label: finished.label,
        status,
        coverage: coverage.share(),
        low_confidence: coverage.is_low(finished.score),
        explain: finished.explain,
        subcompetencies: subs,
    };
    (score, coverage.applicable_share())
}

/// The overall score from the competencies and the red flags that apply to it.
fn overall_score(
    rubric: &CompiledRubric,
    competencies: &[CompetencyScore],
    competency_coverage: Vec<(f64, Option<f64>)>,
    triggered: &Triggered<'_>,
) -> OverallScore {
    let children: Vec<_> = competencies.iter().map(|c| (c.weight, c.score, c.status)).collect();
    let coverage = Coverage::of(competency_coverage.into_iter());
    let (finished, status) = parent(rubric, &children, "competencies", &coverage, &triggered.at(Target::Overall));
    OverallScore {
        score: finished.score,
        scaled: finished.scaled,
        level: finished.level,
        label: finished.label,
        status,
        coverage: coverage.share(),
        low_confidence: coverage.is_low(finished.score),
        explain: finished.explain,
    }
}

/// A competency or the overall score from its children's (weight, score, status): the weighted
/// mean less the penalties of the red flags that apply to it, on the rubric's scale, explained
/// with its coverage; evidence against when only its red flags speak.
fn parent(
    rubric: &CompiledRubric,
    children: &[(f64, Option<f64>, NodeStatus)],
    what: &str,
    coverage: &Coverage,
    penalties: &[(String, f64)],
) -> (Finished, NodeStatus) {
    let mean = weighted_mean(&children.iter().map(|&(w, s, _)| (w, s)).collect::<Vec<_>>(), what);
    let mut finished = finish(mean, penalties, &rubric.scale, &rubric.scale);
    coverage.explain(&mut finished);
    let mut status = node_status(children.iter().map(|&(_, _, status)| status));
    if status == NodeStatus::InsufficientEvidence && !penalties.is_empty() {
        status = NodeStatus::EvidenceAgainst;
    }
    (finished, status)
}

/// Red flag `i`'s result from its outcome.
fn red_flag_result(rubric: &CompiledRubric, i: usize, outcome: Outcome) -> RedFlagResult {
    let criterion = &rubric.criteria[i];
    let Verdict::RedFlag(status) = outcome.status else { unreachable!("red flags have red-flag outcomes") };
    RedFlagResult {
        id: criterion.id.clone(),
        title: criterion.title.clone(),
        path: criterion.path.clone(),
        applies_to: target_id(rubric, criterion.target),
        penalty: criterion.penalty,
        status,
        count: outcome.evidence.len() + outcome.evidence_omitted,
        min_count: criterion.min_count,
        metric: outcome.metric,
        reason: outcome.reason,
        explain: outcome.explain,
        evidence: outcome.evidence,
        evidence_omitted: outcome.evidence_omitted,
        ignored: outcome.ignored,
    }
}

/// How much of a node's weight could be measured: the weighted share of its applicable children
/// that were measurable (a child sub-competency counts with its own coverage). Children that do
/// not apply (a behavior for another round) are left out; a node none of whose children apply has
/// no coverage at all.
struct Coverage(Option<f64>);

impl Coverage {
    /// From (weight, coverage) of each child, `None` for a child that does not apply.
    fn of(children: impl Iterator<Item = (f64, Option<f64>)>) -> Self {
        let (mut total, mut measured) = (0.0, 0.0);
        let mut any = false;
        for (weight, share) in children {
            let Some(share) = share else { continue };
            any = true;
            total += weight;
            measured += weight * share;
        }
        Coverage(any.then(|| if total > 0.0 { round4(measured / total) } else { 0.0 }))
    }

    fn share(&self) -> f64 {
        self.0.unwrap_or(0.0)
    }

    fn applicable_share(&self) -> Option<f64> {
        self.0
    }

    /// A level read from under [`LOW_CONFIDENCE_COVERAGE`] of the weight.
    fn is_low(&self, score: Option<f64>) -> bool {
        score.is_some() && self.share() < LOW_CONFIDENCE_COVERAGE
    }

    fn explain(&self, finished: &mut Finished) {
        if finished.score.is_none() || self.share() >= 1.0 {
            return;
        }
        let _ = write!(finished.explain, "; coverage {} of the weight measurable", num(self.share()));
        if self.is_low(finished.score) {
            let _ = write!(finished.explain, ", under {}: low confidence", num(LOW_CONFIDENCE_COVERAGE));
        }
    }
}

fn target_id(rubric: &CompiledRubric, target: Target) -> String {
    match target {
        Target::Overall => "overall".into(),
        Target::Competency(i) => rubric.competencies[i].id.clone(),
        Target::Subcompetency(i) => rubric.subcompetencies[i].id.clone(),
    }
}

/// The share of the overall score each measurable child carries: its weight over the weights of
/// its measurable siblings.
fn share(weight: f64, siblings: impl Iterator<Item = (f64, Option<f64>)>) -> f64 {
    let total: f64 = siblings.filter(|(_, s)| s.is_some()).map(|(w, _)| w).sum();
    if total > 0.0 {
        weight / total
    } else {
        0.0
    }
}

fn feedback(
    rubric: &CompiledRubric,
    competencies: &[CompetencyScore],
    red_flags: &[RedFlagResult],
) -> Vec<FeedbackItem> {
    let (mut items, mut order) = behavior_feedback(rubric, competencies);
    for flag in red_flags.iter().filter(|f| f.status == RedFlagStatus::Triggered) {
        order += 1;
        items.push(red_flag_feedback(rubric, competencies, flag, order));
    }
    // Most valuable first; ties keep rubric order. Gains are compared after rounding so that the
    // order cannot depend on the last bits of a float.
    items.sort_by(|a, b| round4(b.0).total_cmp(&round4(a.0)).then(a.1.cmp(&b.1)));
    items
        .into_iter()
        .enumerate()
        .map(|(i, (gain, _, item))| FeedbackItem { rank: i + 1, gain: round4(gain), ..item })
        .collect()
}

/// The share of the overall score a competency carries.
fn competency_share(competencies: &[CompetencyScore], c: &CompetencyScore) -> f64 {
    share(c.weight, competencies.iter().map(|c| (c.weight, c.score)))
}

/// (gain, rubric order, item) for every behavior missing, partial or contradicted, and the number
/// of behaviors walked: red flags are ordered after them all.
fn behavior_feedback(
    rubric: &CompiledRubric,
    competencies: &[CompetencyScore],
) -> (Vec<(f64, usize, FeedbackItem)>, usize) {
    let mut items = Vec::new();
    let mut order = 0;
    // The scorecard lists nodes in rubric order, so the compiled nodes are walked alongside.
    for (competency, node) in competencies.iter().zip(&rubric.competencies) {
        let c_share = competency_share(competencies, competency);
        for (sub, &sub_index) in competency.subcompetencies.iter().zip(&node.subcompetencies) {
            let s_share = c_share * share(sub.weight, competency.subcompetencies.iter().map(|s| (s.weight, s.score)));
            for (behavior, &criterion_index) in sub.behaviors.iter().zip(&rubric.subcompetencies[sub_index].behaviors) {
                order += 1;
                let Some(score) = behavior.score else { continue };
                let kind = match behavior.status {
                    BehaviorStatus::NotObserved => FeedbackKind::Missing,
                    BehaviorStatus::Partial => FeedbackKind::Partial,
                    BehaviorStatus::Contradicted => FeedbackKind::Contradicted,
                    _ => continue,
                };
                let b_share = s_share * share(behavior.weight, sub.behaviors.iter().map(|b| (b.weight, b.score)));
                let item = FeedbackItem {
                    rank: 0,
                    kind,
                    id: behavior.id.clone(),
                    title: behavior.title.clone(),
                    competency: Some(competency.id.clone()),
                    subcompetency: Some(sub.id.clone()),
                    text: rubric.criteria[criterion_index].feedback.clone(),
                    gain: 0.0,
                };
                items.push((b_share * (1.0 - score), order, item));
            }
        }
    }
    (items, order)
}

/// (gain, order, item) for a triggered red flag: the penalty times the share of the node it hits.
fn red_flag_feedback(
    rubric: &CompiledRubric,
    competencies: &[CompetencyScore],
    flag: &RedFlagResult,
    order: usize,
) -> (f64, usize, FeedbackItem) {
    let criterion = rubric.criteria.iter().find(|c| c.id == flag.id).expect("red flag exists");
    let (node_share, competency, subcompetency) = match criterion.target {
        Target::Overall => (1.0, None, None),
        Target::Competency(ci) => {
            let c = &competencies[ci];
            (competency_share(competencies, c), Some(c.id.clone()), None)
        }
        Target::Subcompetency(si) => {
            let node = &rubric.subcompetencies[si];
            let c = &competencies[node.competency];
            let s = c.subcompetencies.iter().find(|s| s.id == node.id).expect("sub-competency exists");
            let s_share = competency_share(competencies, c)
                * share(s.weight, c.subcompetencies.iter().map(|s| (s.weight, s.score)));
            (s_share, Some(c.id.clone()), Some(s.id.clone()))
        }
    };
    let item = FeedbackItem {
        rank: 0,
        kind: FeedbackKind::RedFlag,
        id: flag.id.clone(),
        title: flag.title.clone(),
        competency,
        subcompetency,
        text: criterion.feedback.clone(),
        gain: 0.0,
    };
    (node_share * flag.penalty, order, item)
}

#[cfg(test)]
mod tests {
    use super::num;

    #[test]
    fn numbers_print_with_up_to_four_decimals() {
        let table = [
            (0.0, "0"),
            (1.0, "1"),
            (0.5, "0.5"),
            (0.93333, "0.9333"),
            (2.125, "2.125"),
            (-0.25, "-0.25"),
            (-0.00001, "0"),
            (0.05, "0.05"),
            (12.0001, "12.0001"),
            (10.05, "10.05"),
            (-3.1, "-3.1"),
            (123_456.789_06, "123456.7891"),
            (99_999_999_999.999_9, "99999999999.9999"),
            (1e20, "100000000000000000000"),
            (f64::NAN, "NaN"),
        ];
        for (x, expected) in table {
            assert_eq!(num(x).to_string(), expected, "{x}");
            // The general path, for comparison: four decimals, trailing zeros trimmed.
            if x.is_finite() && x.abs() < 1e11 {
                let general = format!("{:.4}", (x * 10000.0).round() / 10000.0);
                let general = general.trim_end_matches('0').trim_end_matches('.');
                let general = if general == "-0" { "0" } else { general };
                assert_eq!(num(x).to_string(), general, "{x}");
            }
        }
    }
}
