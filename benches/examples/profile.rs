//! A fixed workload for `valgrind --tool=callgrind` (instruction counts are repeatable on a busy
//! machine): `cargo run --release -p rubric-benches --example profile -- compile|score|limit|memory [behaviors] [size] [repeat]`.
//! `score` first scores until the rubric is warm (the lazy DFAs inside the regexes fill on the
//! first run; the phrase DFA is built after `PHRASE_DFA_AFTER_BYTES` of text, `warm_up`) and then
//! makes `repeat` calls inside `steady_state`; `valgrind --tool=callgrind
//! --toggle-collect='profile::steady_state'` counts only those, function by function.
//!
//! `first-use NAME [size]` compiles a bundled rubric and scores one transcript, no warm-up (count
//! it with `--toggle-collect='profile::first_use'`).
//!
//! `score-bundled NAME [size] [repeat] [strip]` scores with a bundled rubric (`strip`: every `?`
//! removed first, so the question model runs).
//!
//! `time [behaviors] [size] [repeat]` prints the median wall time per call as one JSON line, for
//! comparisons with the bindings (`benches/peers/compare.py`, which runs the wasm build on the
//! same files): parsing the transcript's JSON text and scoring it, and scoring alone.
//! `batch [behaviors] [corpus] [repeat]` scores every transcript of `target/bench-data/corpus.jsonl`
//! on 1 and on 2 threads (interleaved runs) and prints the median of each as one JSON line: the
//! engine's own scaling, to set beside the Python binding's `score_many`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use rubric_benches::{data_dir, generated_rubric, generated_rubric_yaml, transcript, warm_up};
use rubric_core::{Rubric, Transcript};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args.get(1).map_or("score", String::as_str);
    let behaviors: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(200);
    let size = args.get(3).map_or("50k", String::as_str);
    match what {
        "limit" => {
            let baseline = rubric_benches::Baseline::new(&rubric_benches::patterns(behaviors));
            let folded = rubric_benches::fold(&transcript(size));
            let repeat: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(1);
            for _ in 0..repeat {
                black_box(baseline.count(&folded));
            }
        }
        "memory" => {
            // Resident memory per compiled rubric: compile 20 copies, keep them, divide the growth.
            let yaml = generated_rubric_yaml(behaviors);
            let before = rubric_benches::resident_bytes().unwrap_or(0);
            let kept: Vec<Rubric> = (0..20).map(|_| Rubric::from_yaml(&yaml).unwrap()).collect();
            let after = rubric_benches::resident_bytes().unwrap_or(0);
            println!("compiled {behaviors}-behavior rubric: {} KiB resident each", (after - before) / 20 / 1024);
            black_box(kept);
        }
        "time" => {
            let repeat: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(21).max(1);
            time_scoring(behaviors, size, repeat);
        }
        "batch" => {
            let repeat: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(7).max(1);
            time_batch(behaviors, args.get(3).map_or("corpus", String::as_str), repeat);
        }
        "compile" => match args.get(2).filter(|a| a.parse::<usize>().is_err()) {
            // `compile coding-round` compiles a bundled rubric; `compile 200` a generated one.
            Some(name) => {
                black_box(Rubric::bundled(name).unwrap());
            }
            None => {
                black_box(Rubric::from_yaml(&generated_rubric_yaml(behaviors)).unwrap());
            }
        },
        "first-use" => {
            // `first-use NAME SIZE`: compiling a bundled rubric and scoring one transcript with
            // it, all counted (no warm-up): what a page that loads a rubric and scores once pays.
            let name = args.get(2).map_or("coding-round", String::as_str);
            let t = transcript(size);
            first_use(name, &t);
        }
        "score-bundled" => {
            // `score-bundled NAME SIZE REPEAT [strip]`: a bundled rubric on the corpus transcript;
            // `strip` removes every `?` first, so questions are found by the model, not by `?`.
            let name = args.get(2).map_or("coding-round", String::as_str);
            let rubric = Rubric::bundled(name).unwrap();
            let mut t = transcript(size);
            if args.get(5).is_some_and(|a| a == "strip") {
                let mut json = serde_json::to_value(&t).unwrap();
                for turn in json["turns"].as_array_mut().unwrap() {
                    let text = turn["text"].as_str().unwrap().replace('?', "");
                    turn["text"] = serde_json::Value::String(text);
                }
                t = Transcript::from_json(&json.to_string()).unwrap();
            }
            let repeat: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(1);
            warm_up(&rubric, &t);
            steady_state(&rubric, &t, repeat);
        }
        _ => {
            let rubric = generated_rubric(behaviors);
            let t = transcript(size);
            let repeat: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(1);
            // Untimed calls warm the lazy DFAs and build the phrase DFA;
            // `--toggle-collect='profile::steady_state'` then counts only the repeated calls,
            // function by function.
            warm_up(&rubric, &t);
            steady_state(&rubric, &t, repeat);
        }
    }
}

#[inline(never)]
fn first_use(name: &str, transcript: &Transcript) {
    let rubric = Rubric::bundled(name).unwrap();
    black_box(rubric.score(transcript).unwrap());
}

#[inline(never)]
fn steady_state(rubric: &Rubric, transcript: &Transcript, repeat: usize) {
    for _ in 0..repeat {
        black_box(rubric.score(transcript).unwrap());
    }
}

/// Median per call, after untimed warm-up calls (`warm_up`), of: parsing the transcript's JSON text and
/// scoring it; that plus writing the scorecard as JSON text (what a binding's conversion of the
/// result compares with); and scoring alone.
fn time_scoring(behaviors: usize, size: &str, repeat: usize) {
    let rubric = generated_rubric(behaviors);
    let path = data_dir().join(format!("transcript-{size}.json"));
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let parse = || Transcript::from_json(&json).expect("generated transcripts are valid");
    warm_up(&rubric, &parse());
    let (mut both, mut with_json, mut scoring) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..repeat {
        let began = Instant::now();
        let parsed = parse();
        let scored_from = Instant::now();
        let card = rubric.score(&parsed).unwrap();
        scoring.push(scored_from.elapsed());
        both.push(began.elapsed());
        black_box(serde_json::to_string(&card).unwrap());
        with_json.push(began.elapsed());
    }
    println!(
        "{{\"parse_and_score_us\": {:.1}, \"parse_score_and_json_us\": {:.1}, \"score_us\": {:.1}, \"repeat\": {repeat}}}",
        median_micros(&mut both),
        median_micros(&mut with_json),
        median_micros(&mut scoring)
    );
}

fn median_micros(times: &mut [Duration]) -> f64 {
    times.sort_unstable();
    let middle = times.len() / 2;
    let median = if times.len() % 2 == 1 { times[middle] } else { (times[middle - 1] + times[middle]) / 2 };
    median.as_secs_f64() * 1e6
}

/// Median wall time of scoring a whole corpus on 1 and on 2 threads with `map_in_order`, the
/// helper the Python binding's `score_many` uses; the runs alternate between the two.
fn time_batch(behaviors: usize, corpus: &str, repeat: usize) {
    let rubric = generated_rubric(behaviors);
    let path = data_dir().join(format!("{corpus}.jsonl"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let transcripts: Vec<Transcript> =
        text.lines().filter(|l| !l.trim().is_empty()).map(|l| Transcript::from_json(l).unwrap()).collect();
    let run = |threads: usize| {
        let began = Instant::now();
        black_box(rubric_core::map_in_order(&transcripts, threads, |t| rubric.score(t).unwrap()));
        began.elapsed()
    };
    run(2);
    let (mut one, mut two) = (Vec::new(), Vec::new());
    for _ in 0..repeat {
        one.push(run(1));
        two.push(run(2));
    }
    println!(
        "{{\"transcripts\": {}, \"threads_1_us\": {:.1}, \"threads_2_us\": {:.1}, \"repeat\": {repeat}}}",
        transcripts.len(),
        median_micros(&mut one),
        median_micros(&mut two)
    );
}
