#!/usr/bin/env bash
# The JavaScript/WebAssembly tests (`make test-js`), from a fresh machine with Rust, Node >= 20 and npm:
#   1. build the package (crates/rubric-wasm/scripts/build.sh: wasm32 target, wasm-bindgen-cli,
#      npm ci, cargo build, wasm-bindgen --target web and nodejs, wasm-opt -Oz, size report);
#   2. type-check the TypeScript declarations (tsc --noEmit);
#   3. node --test: API, errors, UTF-16 offsets, panics and golden parity, against both builds;
#   4. install Chromium if it is missing, then the end-to-end test of the page in headless Chromium,
#      which saves screenshots to target/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
crate="$root/crates/rubric-wasm"
began=$SECONDS

step() { printf '\n==> %s\n' "$*"; }
die() {
  printf 'test-js: %s\n' "$*" >&2
  exit 1
}

command -v node >/dev/null || die "node is not installed (Node >= 20 is required)"
command -v npm >/dev/null || die "npm is not installed"
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 20)) || die "Node >= 20 is required, found $(node --version)"

bash "$crate/scripts/build.sh"
built=$SECONDS

step "tsc --noEmit (TypeScript declarations)"
(cd "$crate" && node_modules/.bin/tsc -p tests/types)

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

# Runs `node --test` on a folder, fails on any failure and when no test ran at all.
run_node_tests() {
  local name=$1 dir=$2
  (cd "$crate" && node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$logs/$name.tap" "$dir")
  local tests pass
  tests=$(sed -n 's/^# tests \([0-9]*\)$/\1/p' "$logs/$name.tap" | tail -1)
  pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$logs/$name.tap" | tail -1)
  [[ -n "$tests" && "$tests" -gt 0 ]] || die "node --test ran no tests in $dir"
  [[ "$pass" == "$tests" ]] || die "$name: $pass of $tests tests passed"
  printf '%s: %s tests passed\n' "$name" "$tests" >>"$logs/summary"
}

step "node --test tests/node/ (Node and web builds)"
run_node_tests "node tests" tests/node/

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$chromium" ]]; then
  step "apt-get install chromium chromium-driver"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "Chromium is missing and installing it needs root (or set CHROMIUM=/path/to/chromium)"
    sudo="sudo"
  fi
  $sudo apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver
fi

step "node --test tests/e2e/ (headless Chromium, page served from 127.0.0.1)"
CHROMIUM="$chromium" run_node_tests "browser tests" tests/e2e/

printf '\n'
cat "$logs/summary"
printf 'screenshots: %s\n' "$(ls "${CARGO_TARGET_DIR:-$root/target}"/screenshots/page*.png | tr '\n' ' ')"
printf 'test-js: ok (build %ss, tests %ss)\n' "$((built - began))" "$((SECONDS - built))"
