//! The question detector measured against the corpus's dialogue-act tags, and the model trained.
//!
//! An utterance (one tagged segment) is a question when its general tag starts with `q`. Segments
//! tagged `z` (not labelled), `x` (non-speech) or nothing are left out. A turn is a run of
//! consecutive segments by one speaker, as the engine sees turns; a segment ends its turn when the
//! next segment is another speaker's, whose first word is then the reply the model may read.

use rubric_core::text::question::{self, features, QuestionContext, QuestionModel, TurnContext};
use rubric_core::text::NormalizedText;

use crate::corpus::{fold_of, without_question_marks, Meeting};
use crate::logistic::{self, best_threshold, quantize, Counts, Example, Settings};

/// The table size of the shipped model: 2^17 weights of 2 bytes, 256 KiB.
pub const LOG2_SIZE: u32 = 17;
pub const FOLDS: usize = 5;

/// One labelled utterance with what the detector reads.
#[derive(Debug, Clone)]
pub struct Utterance {
    pub meeting: usize,
    /// Folded text, `?` kept.
    pub folded: String,
    pub ends_turn: bool,
    /// The next segment's first folded word: the reply when `ends_turn`, else the same speaker's.
    pub next_word: Option<String>,
    /// The previous segment, folded with `?` stripped, and whether another speaker said it (or
    /// nobody did).
    pub previous: Option<String>,
    pub opens_turn: bool,
    pub tag: String,
    pub general: String,
    pub question: bool,
}

impl Utterance {
    pub fn context(&self) -> QuestionContext<'_> {
        // One segment is read as a turn of one sentence, as the engine reads such a turn.
        TurnContext {
            ends_turn: self.ends_turn,
            next_word: self.next_word.as_deref(),
            previous: self.previous.as_deref(),
            previous_is_other: self.opens_turn,
        }
        .alone()
    }

    /// The folded text with `?` removed.
    pub fn stripped(&self) -> String {
        without_question_marks(&self.folded)
    }
}

pub fn utterances(meetings: &[Meeting]) -> Vec<Utterance> {
    let mut out = Vec::new();
    for (m, meeting) in meetings.iter().enumerate() {
        let segments = &meeting.segments;
        for (i, segment) in segments.iter().enumerate() {
            if !segment.is_labelled() {
                continue;
            }
            let next = segments.get(i + 1);
            let before = i.checked_sub(1).map(|b| &segments[b]);
            out.push(Utterance {
                meeting: m,
                folded: NormalizedText::new(&segment.spoken_text()).as_str().to_string(),
                ends_turn: next.is_none_or(|n| n.speaker != segment.speaker),
                next_word: next.and_then(|n| features::reply_word(&n.spoken_text())),
                previous: before.map(|b| without_question_marks(NormalizedText::new(&b.spoken_text()).as_str())),
                opens_turn: before.is_none_or(|b| b.speaker != segment.speaker),
                tag: segment.dialogue_act.clone(),
                general: segment.dialogue_act_general.clone(),
                question: segment.is_question(),
            });
        }
    }
    out
}

fn examples(utterances: &[Utterance], log2_size: u32) -> Vec<Example> {
    struct Buckets {
        shift: u32,
        out: Vec<u32>,
    }
    impl features::FeatureSink for Buckets {
        fn feature(&mut self, _kind: &'static str, _parts: &[&str], hash: u64) {
            self.out.push((hash >> self.shift) as u32);
        }
    }
    utterances
        .iter()
        .map(|u| {
            let mut sink = Buckets { shift: 64 - log2_size, out: Vec::new() };
            features::extract(&u.stripped(), u.context(), &mut sink);
            Example { features: sink.out, label: u.question }
        })
        .collect()
}

/// Trains a model on the utterances of `meetings` (a predicate on the meeting index), with the
/// threshold chosen by an inner meeting-level cross-validation on those meetings alone.
pub fn train_model(
    utterances: &[Utterance],
    examples: &[Example],
    in_training: &dyn Fn(usize) -> bool,
    settings: Settings,
) -> QuestionModel {
    let size = 1usize << LOG2_SIZE;
    let mut out_of_fold: Vec<(i32, bool)> = Vec::new();
    for inner in 0..FOLDS {
        let train: Vec<&Example> = pick(utterances, examples, |m| in_training(m) && fold_of(m / FOLDS, FOLDS) != inner);
        let model = to_model(&logistic::train(&train, size, settings), 0);
        for (u, _) in utterances
            .iter()
            .zip(examples)
            .filter(|(u, _)| in_training(u.meeting) && fold_of(u.meeting / FOLDS, FOLDS) == inner)
        {
            out_of_fold.push((model.score(&u.stripped(), u.context()), u.question));
        }
    }
    let threshold = best_threshold(&out_of_fold);
    let all: Vec<&Example> = pick(utterances, examples, in_training);
    to_model(&logistic::train(&all, size, settings), threshold)
}

fn pick<'e>(utterances: &[Utterance], examples: &'e [Example], keep: impl Fn(usize) -> bool) -> Vec<&'e Example> {
    utterances.iter().zip(examples).filter(|(u, _)| keep(u.meeting)).map(|(_, e)| e).collect()
}

fn to_model(weights: &[f64], threshold: i32) -> QuestionModel {
    QuestionModel::new(LOG2_SIZE, threshold, quantize(weights, question::model::UNITS)).expect("table size is valid")
}

/// The shipped model: trained on every meeting of the corpus.
pub fn train_bundled(utterances: &[Utterance]) -> QuestionModel {
    let examples = examples(utterances, LOG2_SIZE);
    train_model(utterances, &examples, &|_| true, Settings::default())
}

/// What each detector said about each utterance under meeting-level cross-validation.
#[derive(Debug, Clone)]
pub struct Predictions {
    /// The trained model, `?` stripped, scored only on meetings it was not trained on.
    pub model: Vec<bool>,
    /// The hand-written cues alone (the detector before the model), `?` stripped.
    pub rules: Vec<bool>,
    /// The sentence ends with `?` (the transcribers' marks kept).
    pub question_mark: Vec<bool>,
}

/// Outer folds: meeting `m` is tested in fold `m % FOLDS`, after training on the other folds
/// (whose threshold comes from an inner split of those meetings only).
pub fn cross_validate(utterances: &[Utterance]) -> Predictions {
    let examples = examples(utterances, LOG2_SIZE);
    let mut model = vec![false; utterances.len()];
    for fold in 0..FOLDS {
        let trained = train_model(utterances, &examples, &|m| fold_of(m, FOLDS) != fold, Settings::default());
        for (i, u) in utterances.iter().enumerate().filter(|(_, u)| fold_of(u.meeting, FOLDS) == fold) {
            model[i] = trained.score(&u.stripped(), u.context()) >= trained.threshold();
        }
    }
    let rules = utterances.iter().map(|u| question::rules::find_cue(&u.stripped()).is_some()).collect();
    let question_mark = utterances.iter().map(|u| question::ends_with_question_mark(&u.folded)).collect();
    Predictions { model, rules, question_mark }
}

/// Counts over the utterances that `keep` selects.
pub fn counts(utterances: &[Utterance], predicted: &[bool], keep: impl Fn(&Utterance) -> bool) -> Counts {
    let mut c = Counts::default();
    for (u, &p) in utterances.iter().zip(predicted) {
        if keep(u) {
            c.add(p, u.question);
        }
    }
    c
}
