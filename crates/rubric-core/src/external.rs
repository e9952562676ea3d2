//! Annotations -> mentions. Each verified annotation is given to the behavior (or red flag) it
//! names when that behavior has an `external` detector taking its source and confidence and
//! listening to the turn's speaker; it then goes through the same round, window and order rules
//! as a built-in mention. Negation does not apply: the source has judged what the words mean.
//! Every annotation ends up in the scorecard's `transcript.annotations`, counted or with the
//! reason it was not, so none is dropped silently.

use std::collections::{BTreeSet, HashMap};

use crate::error::{TranscriptError, TranscriptErrorKind};
use crate::evidence::{listens_to, Collected, Mention};
use crate::rubric::compile::{CompiledRubric, Criterion};
use crate::rubric::model::SpeakerSelector;
use crate::rubric::ExternalSpec;
use crate::scorecard::{AnnotationStatus, AnnotationUse};
use crate::transcript::{CheckedAnnotation, Role, Transcript, Verification};

/// What the annotations of a transcript gave the rubric.
pub struct Intake {
    /// What became of each annotation; counted ones are settled once the rules have run.
    pub uses: Vec<AnnotationUse>,
    /// Per criterion: it is measured by annotations alone and none of the transcript's verified
    /// annotations comes from a source it takes. The judge it relies on has not looked at this
    /// transcript, so its absence says nothing about the candidate: not measurable, not missing.
    pub unjudged: Vec<bool>,
}

/// Hands every verified annotation its criterion takes to `collected.found`, and says what became
/// of each. An annotation naming no behavior or red flag of the rubric is an `invalid_reference`
/// error, like any other reference to something that does not exist.
pub fn take(
    rubric: &CompiledRubric,
    transcript: &Transcript,
    collected: &mut Collected,
) -> Result<Intake, TranscriptError> {
    let annotations = transcript.annotations();
    let unjudged = unjudged(rubric, transcript);
    if annotations.is_empty() {
        return Ok(Intake { uses: Vec::new(), unjudged });
    }
    let criteria = &rubric.criteria[..rubric.rubric_criteria];
    let by_id: HashMap<&str, usize> = criteria.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    let mut uses = Vec::with_capacity(annotations.len());
    // (criterion, annotation index) of the annotations taken so far, to merge overlaps below.
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for (index, checked) in annotations.iter().enumerate() {
        let Some(&criterion_index) = by_id.get(checked.annotation.behavior.as_str()) else {
            return Err(unknown_behavior(rubric, checked));
        };
        let mut annotation_use = AnnotationUse {
            annotation: checked.path.clone(),
            behavior: checked.annotation.behavior.clone(),
            source: checked.annotation.source.clone(),
            turn: checked.annotation.turn,
            confidence: checked.annotation.confidence,
            quote: checked.annotation.quote.clone(),
            status: AnnotationStatus::NotCounted,
            reason: None,
        };
        if let Verification::Unverified(why) = &checked.verification {
            annotation_use.status = AnnotationStatus::Unverified;
            annotation_use.reason = Some(why.clone());
        } else {
            let criterion = &criteria[criterion_index];
            let role = transcript.turns()[checked.annotation.turn].role;
            let spec = criterion.external.map(|d| rubric.detectors[d].external.as_ref().expect("its spec"));
            annotation_use.reason = refusal(criterion, spec, checked, role);
            if annotation_use.reason.is_none() {
                taken.push((criterion_index, index));
            } else if spec.is_some() && !listens_to(criterion.speaker, role) {
                collected.wrong_speaker[criterion_index] += 1;
            }
        }
        uses.push(annotation_use);
    }
    merge_overlaps(rubric, transcript, collected, &mut taken, &mut uses);
    add_mentions(rubric, transcript, &taken, collected);
    Ok(Intake { uses, unjudged })
}

/// The error for an annotation naming no behavior or red flag of the rubric, with "did you mean".
fn unknown_behavior(rubric: &CompiledRubric, checked: &CheckedAnnotation) -> TranscriptError {
    let ids = rubric.criteria[..rubric.rubric_criteria].iter().map(|c| c.id.as_str());
    let closest = crate::util::suggest::closest(&checked.annotation.behavior, ids);
    let suggestion = closest.map(|id| format!("; did you mean \"{id}\"?")).unwrap_or_default();
    checked
        .error(
            TranscriptErrorKind::InvalidReference,
            "behavior",
            format!(
                "\"{}\" is not a behavior or red flag of rubric {}{suggestion}",
                checked.annotation.behavior, rubric.spec.id
            ),
        )
        .suggesting(closest)
}

/// Why `criterion` does not take a verified annotation (`spec` is its external detector's), if it
/// does not: the first of no external detector, another source, too low a confidence, and a turn
/// by a speaker it does not listen to.
fn refusal(
    criterion: &Criterion,
    spec: Option<&ExternalSpec>,
    checked: &CheckedAnnotation,
    role: Role,
) -> Option<String> {
    let annotation = &checked.annotation;
    let id = &criterion.id;
    let Some(spec) = spec else {
        return Some(format!("{id} takes no annotations: none of its detectors is `external`"));
    };
    if !spec.takes_source(&annotation.source) {
        let sources = spec.sources.as_deref().unwrap_or_default().join(", ");
        return Some(format!("{id} takes annotations from {sources} only"));
    }
    if let Some(minimum) = spec.min_confidence.filter(|m| annotation.confidence.is_none_or(|c| c < *m)) {
        return Some(match annotation.confidence {
            Some(confidence) => format!("its confidence {confidence} is below the {minimum} {id} takes"),
            None => format!("{id} takes annotations with a confidence of at least {minimum}; this one gives none"),
        });
    }
    if !listens_to(criterion.speaker, role) {
        let listens = match criterion.speaker {
            SpeakerSelector::Candidate => "the candidate",
            SpeakerSelector::Interviewer => "the interviewer",
            SpeakerSelector::Any => "anyone",
        };
        return Some(format!("turn {} is said by the {role}; {id} listens to {listens}", annotation.turn));
    }
    None
}

/// Adds a mention for each annotation left `taken`, keeping each criterion's mentions in order.
fn add_mentions(rubric: &CompiledRubric, transcript: &Transcript, taken: &[(usize, usize)], collected: &mut Collected) {
    let annotations = transcript.annotations();
    for &(criterion_index, index) in taken {
        let (start, end) = annotations[index].bytes().expect("only verified annotations are taken");
        let detector = rubric.criteria[criterion_index]
            .external
            .expect("only criteria with an external detector take annotations");
        let turn = annotations[index].annotation.turn;
        collected.found[criterion_index].push(Mention::external(turn, start, end, detector, index));
    }
    let mut touched: Vec<usize> = taken.iter().map(|(c, _)| *c).collect();
    touched.dedup();
    for criterion_index in touched {
        collected.found[criterion_index].sort_by_key(|m| (m.turn, m.start, m.end));
    }
}

/// See [`Intake::unjudged`]. The sources are gathered once: a transcript has many annotations
/// and few judges.
fn unjudged(rubric: &CompiledRubric, transcript: &Transcript) -> Vec<bool> {
    let sources: BTreeSet<&str> =
        transcript.annotations().iter().filter(|a| a.bytes().is_some()).map(|a| a.annotation.source.as_str()).collect();
    rubric
        .criteria
        .iter()
        .map(|criterion| match criterion.external.filter(|_| criterion.annotations_only) {
            Some(detector) => {
                let spec = rubric.detectors[detector].external.as_ref().expect("an external detector has its spec");
                !sources.iter().any(|source| spec.takes_source(source))
            }
            None => false,
        })
        .collect()
}

/// Keeps one mention per stretch of words: an annotation overlapping a built-in mention of the
/// same criterion, or an annotation taken before it, is not counted again (a count would
/// otherwise rise with the number of sources that agree). `taken` ends up sorted by criterion,
/// turn and start.
fn merge_overlaps(
    rubric: &CompiledRubric,
    transcript: &Transcript,
    collected: &Collected,
    taken: &mut Vec<(usize, usize)>,
    uses: &mut [AnnotationUse],
) {
    let annotations = transcript.annotations();
    let place = |index: usize| {
        let (start, end) = annotations[index].bytes().expect("only verified annotations are taken");
        (annotations[index].annotation.turn, start, end)
    };
    taken.sort_by_key(|&(criterion, index)| {
        let (turn, start, end) = place(index);
        (criterion, turn, start, std::cmp::Reverse(end), index)
    });
    let mut last: Option<(usize, usize, usize, usize)> = None; // (criterion, turn, end, annotation)
    taken.retain(|&(criterion, index)| {
        let (turn, start, end) = place(index);
        let id = &rubric.criteria[criterion].id;
        if let Some((c, t, e, earlier)) = last {
            if c == criterion && t == turn && start < e {
                uses[index].reason =
                    Some(format!("the same words already count for {id} through {}", annotations[earlier].path));
                return false;
            }
        }
        // Built-in mentions are sorted by position: the first one in this turn ending after `start`.
        let found = &collected.found[criterion];
        let from = found.partition_point(|m| (m.turn, m.end) <= (turn, start));
        if let Some(builtin) = found.get(from).filter(|m| m.turn == turn && m.start < end) {
            let through = match builtin.phrase_index() {
                Some(phrase) => format!("its phrase \"{}\"", rubric.matcher.phrase_text(phrase)),
                None => format!("its detector {}", rubric.detectors[builtin.detector_index()].path),
            };
            uses[index].reason = Some(format!("the same words already count for {id} through {through}"));
            return false;
        }
        last = Some((criterion, turn, end, index));
        true
    });
}
