//! Criterion benchmarks: compiling rubrics, scoring corpus transcripts of three sizes, and the raw
//! single-pass limit on the same folded text. `benches/report.py` turns the medians into ratios.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rubric_benches::{
    fold, generated_rubric, generated_rubric_yaml, patterns, text_bytes, transcript, warm_up, Baseline,
};
use rubric_core::{bundled, Rubric};

const SIZES: [&str; 3] = ["5k", "50k", "500k"];

fn compile(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile");
    for name in bundled::names() {
        let yaml = bundled::source(name).unwrap();
        group.bench_function(name, |b| b.iter(|| Rubric::from_yaml(black_box(yaml)).unwrap()));
    }
    for behaviors in [200, 500] {
        let yaml = generated_rubric_yaml(behaviors);
        group.bench_function(format!("generated-{behaviors}"), |b| {
            b.iter(|| Rubric::from_yaml(black_box(&yaml)).unwrap());
        });
    }
    group.finish();
}

fn score(c: &mut Criterion) {
    let transcripts: Vec<_> = SIZES.iter().map(|s| (*s, transcript(s))).collect();
    let mut group = c.benchmark_group("score");
    group.measurement_time(Duration::from_secs(4));
    let rubrics = [
        ("coding-round".to_string(), Rubric::bundled("coding-round").unwrap()),
        ("generated-200".to_string(), generated_rubric(200)),
        ("generated-500".to_string(), generated_rubric(500)),
    ];
    for (name, rubric) in &rubrics {
        for (size, t) in &transcripts {
            group.throughput(Throughput::Bytes(text_bytes(t)));
            warm_up(rubric, t);
            group.bench_with_input(BenchmarkId::new(name, size), t, |b, t| {
                b.iter(|| rubric.score(black_box(t)).unwrap());
            });
        }
    }
    group.finish();
}

fn limit(c: &mut Criterion) {
    let mut group = c.benchmark_group("limit");
    group.measurement_time(Duration::from_secs(4));
    for behaviors in [200, 500] {
        let baseline = Baseline::new(&patterns(behaviors));
        for size in SIZES {
            let t = transcript(size);
            let folded = fold(&t);
            group.throughput(Throughput::Bytes(text_bytes(&t)));
            group.bench_with_input(BenchmarkId::new(format!("generated-{behaviors}"), size), &folded, |b, folded| {
                b.iter(|| baseline.count(black_box(folded)));
            });
        }
    }
    group.finish();
}

criterion_group!(benches, compile, score, limit);
criterion_main!(benches);
