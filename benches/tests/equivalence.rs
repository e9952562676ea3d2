//! The benchmark measures real work: on the generated rubrics and real corpus text, the engine
//! reports exactly the mentions an independent reference computes from raw matches.

use rubric_benches::{engine_mentions, fold, generated_rubric, patterns, reference_mentions, transcript, Baseline};

#[test]
fn engine_matches_equal_the_reference_on_corpus_text() {
    for behaviors in [200, 500] {
        let rubric = generated_rubric(behaviors);
        let patterns = patterns(behaviors);
        for label in ["5k", "50k"] {
            let transcript = transcript(label);
            let card = rubric.score(&transcript).unwrap();
            let engine = engine_mentions(&card);
            let reference = reference_mentions(&patterns, &transcript);
            assert!(
                reference.len() > 50,
                "{behaviors}/{label}: only {} mentions; the data is too sparse",
                reference.len()
            );
            let missing: Vec<_> = reference.difference(&engine).take(5).collect();
            let extra: Vec<_> = engine.difference(&reference).take(5).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{behaviors}/{label}: missing {missing:?}, extra {extra:?}"
            );
        }
    }
}

#[test]
fn the_baseline_sees_at_least_every_engine_mention() {
    let patterns = patterns(200);
    let transcript = transcript("5k");
    let raw = Baseline::new(&patterns).count(&fold(&transcript));
    let engine = engine_mentions(&generated_rubric(200).score(&transcript).unwrap()).len();
    assert!(raw >= engine, "raw matches {raw} < engine mentions {engine}");
}
