# The one front door for every task. CI runs `make test` (see .ci/run).
.PHONY: demo test validity train-question test-rust test-python test-js test-report test-fuzz lint fmt page bench bench-data bench-peers bench-batch

CARGO ?= cargo

## Score a bundled example transcript with a bundled rubric (the main job).
demo:
	$(CARGO) run --quiet --release --locked -p rubric-cli -- score fixtures/transcripts/coding-round/strong.json --rubric coding-round

## Every test: Rust (unit, golden, property, CLI), lints, Python, JavaScript/browser and a fuzzing smoke run.
test: lint test-rust test-report test-python test-js test-fuzz

## The benchmark equivalence test reads inputs built from ../shared/corpora.
test-rust: bench-data
	$(CARGO) test --workspace --locked

bench-data:
	python3 benches/make_data.py --no-corpus

## The HTML report rendered in headless Chromium (installed if missing), with a screenshot.
test-report:
	bash scripts/test-report.sh

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	# The engine builds and passes clippy without the practice loop.
	$(CARGO) clippy -p rubric-core --no-default-features --locked -- -D warnings

fmt:
	$(CARGO) fmt --all

test-python:
	bash scripts/test-python.sh

test-js:
	bash scripts/test-js.sh

## cargo-fuzz smoke run: every target for FUZZ_SECONDS (default 60) each (nightly; installs cargo-fuzz).
## Longer run: FUZZ_SECONDS=3600 bash scripts/fuzz.sh
test-fuzz:
	bash scripts/fuzz.sh smoke

## Every figure of VALIDITY.md: the question detector cross-validated on the shared corpus, the hedge
## detector on its hand-labelled dev set (validity/data).
validity:
	$(CARGO) run --quiet --release --locked -p rubric-validity -- all

## Retrain the question model (crates/rubric-core/assets/question-model.bin) from the shared corpus.
train-question:
	$(CARGO) run --quiet --release --locked -p rubric-validity -- train-question

## Criterion benchmarks (compile, score, raw single-pass limit) on corpus-built inputs.
bench:
	python3 benches/make_data.py
	$(CARGO) bench --locked -p rubric-benches

## Peers (Python re, pyahocorasick, hyperscan, spaCy), score_many 1 vs 2 threads, Node/wasm vs native.
bench-peers:
	bash scripts/bench-peers.sh

## rubric batch over the JSONL corpus and 10x as much: throughput and peak memory.
bench-batch:
	bash benches/scripts/batch.sh

## Serve the browser scoring page on http://127.0.0.1:8765
page:
	bash scripts/serve-page.sh
