//! The shipped question model is what the training script makes from the shared corpus, byte for
//! byte; the hedge detector keeps its dev-set figures. Both read `../shared` (as `make test` does).

use std::path::Path;

use rubric_core::text::hedge::find_hedges;
use rubric_core::text::NormalizedText;
use rubric_validity::logistic::Counts;
use rubric_validity::{corpus, hedges, questions};

const ASSET: &[u8] = include_bytes!("../../rubric-core/assets/question-model.bin");

#[test]
fn retraining_reproduces_the_shipped_question_model() {
    let path = corpus::default_path();
    let meetings = corpus::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let model = questions::train_bundled(&questions::utterances(&meetings));
    assert!(
        model.to_bytes() == ASSET,
        "retraining gives other weights than assets/question-model.bin: run `make train-question`"
    );
}

#[test]
fn the_hedge_detector_keeps_its_dev_set_figures() {
    let set = hedges::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../validity/data")).unwrap();
    assert_eq!((set.len(), set.iter().filter(|l| l.hedged).count()), (400, 165), "the dev set as labelled");
    let mut counts = Counts::default();
    for l in &set {
        counts.add(!find_hedges(NormalizedText::new(&l.text).as_str()).is_empty(), l.hedged);
    }
    // VALIDITY.md: precision 0.925, recall 0.903. A change that loses more than a little fails here.
    assert!(counts.precision() >= 0.90 && counts.recall() >= 0.88, "{counts:?}");
}
