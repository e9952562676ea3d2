//! A fixed workload for `valgrind --tool=callgrind` (instruction counts are repeatable on a busy
//! machine): `cargo run --release -p rubric-benches --example profile -- compile|score|limit|memory [behaviors] [size] [repeat]`.
//! Scoring `repeat` times and subtracting a run with `repeat` 1 gives the steady-state cost (the lazy
//! DFAs inside the regexes warm up on the first run).

use std::hint::black_box;

use rubric_benches::{generated_rubric, generated_rubric_yaml, transcript};
use rubric_core::Rubric;

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
        "compile" => {
            let yaml = generated_rubric_yaml(behaviors);
            black_box(Rubric::from_yaml(&yaml).unwrap());
        }
        _ => {
            let rubric = generated_rubric(behaviors);
            let t = transcript(size);
            let repeat: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(1);
            for _ in 0..repeat {
                black_box(rubric.score(&t).unwrap());
            }
        }
    }
}
