#!/usr/bin/env bash
# `make page`: serves the browser scoring page on http://127.0.0.1:8765 (PORT=... to change it).
# Builds the WebAssembly package first; that is quick when nothing changed (cargo's own up-to-date
# check, and build.sh skips wasm-bindgen and wasm-opt when the .wasm is unchanged).
set -euo pipefail
cd "$(dirname "$0")/.."
bash crates/rubric-wasm/scripts/build.sh
exec node crates/rubric-wasm/scripts/serve.mjs "${PORT:-8765}"
