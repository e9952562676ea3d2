# The one front door for every task. CI runs `make test` (see .ci/run).
.PHONY: demo test test-rust test-python test-js lint fmt page

CARGO ?= cargo

## Score a bundled example transcript with a bundled rubric (the main job).
demo:
	$(CARGO) run --quiet --release --locked -p rubric-cli -- score fixtures/transcripts/coding-round/strong.json --rubric coding-round

## Every test: Rust (unit, golden, property, CLI), lints, Python and JavaScript/browser.
test: lint test-rust test-python test-js

test-rust:
	$(CARGO) test --workspace --locked

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

fmt:
	$(CARGO) fmt --all

test-python:
	bash scripts/test-python.sh

test-js:
	bash scripts/test-js.sh

## Serve the browser scoring page on http://127.0.0.1:8765
page:
	bash scripts/serve-page.sh
