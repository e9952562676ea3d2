//! `validity questions | hedges | clock | train-question [PATH] | check-question-asset | all`: see VALIDITY.md.

use std::process::ExitCode;

use rubric_validity::{clock, corpus, hedges, questions, report};

const DEV_SETS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../validity/data");
const ASSET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubric-core/assets/question-model.bin");

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("validity: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let command = args.first().map_or("all", String::as_str);
    if command == "hedges" || command == "all" {
        let set = hedges::load(std::path::Path::new(DEV_SETS))?;
        println!("## Hedges (hand-labelled dev set)\n\n{}", hedges::report(&set));
        if command == "hedges" {
            return Ok(());
        }
    }
    if command == "score-question" {
        // One sentence, as the engine folds it, with no turn context: its score and strongest features.
        let model = rubric_core::text::question::QuestionModel::bundled();
        for sentence in &args[1..] {
            let folded = rubric_core::text::NormalizedText::new(sentence);
            let context = rubric_core::text::question::QuestionContext::default();
            let score = model.score(folded.as_str(), context);
            let strongest = model.strongest_features(folded.as_str(), context, 3);
            println!("{score:>6} (threshold {}) {sentence:?} {strongest:?}", model.threshold());
        }
        return Ok(());
    }
    let path = corpus::default_path();
    let meetings = corpus::load(&path)?;
    if command == "clock" || command == "all" {
        println!("## Positions of untimed turns (the words-per-minute estimate)\n\n{}", clock::report(&meetings));
        if command == "clock" {
            return Ok(());
        }
    }
    let utterances = questions::utterances(&meetings);
    match command {
        "questions" | "all" => {
            let predictions = questions::cross_validate(&utterances);
            println!("## Questions\n\n{}", report::questions(&utterances, &predictions));
            Ok(())
        }
        "train-question" => {
            let out = args.get(1).map_or(ASSET, String::as_str);
            let model = questions::train_bundled(&utterances);
            std::fs::write(out, model.to_bytes()).map_err(|e| format!("{out}: {e}"))?;
            eprintln!("wrote {out} (threshold {} units)", model.threshold());
            Ok(())
        }
        "check-question-asset" => {
            let model = questions::train_bundled(&utterances);
            let shipped = std::fs::read(ASSET).map_err(|e| format!("{ASSET}: {e}"))?;
            if model.to_bytes() == shipped {
                eprintln!("{ASSET}: retraining reproduces it byte for byte");
                Ok(())
            } else {
                Err(format!("{ASSET}: retraining gives different bytes; run `make train-question`"))
            }
        }
        other => Err(format!(
            "unknown command {other:?}: use questions, hedges, clock, train-question, check-question-asset or all"
        )),
    }
}
