#!/usr/bin/env bash
# Builds the JavaScript/WebAssembly package into crates/rubric-wasm/pkg/:
#   pkg/web/   ES module for browsers and bundlers (`import init, { Rubric } from ...; await init()`)
#   pkg/node/  CommonJS for Node (`const { Rubric } = require(...)`)
# Installs what is missing first: the wasm32 target, wasm-bindgen-cli (pinned, must match the
# wasm-bindgen crate) and the npm devDependencies (binaryen's wasm-opt; Debian's wasm-opt 108 emits
# modules that fail to load).
set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130
crate="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$crate/../.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
[[ "$target_dir" = /* ]] || target_dir="$root/$target_dir"
out="$crate/pkg"

step() { printf '\n==> %s\n' "$*"; }

if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes minutes, once per machine)"
  # Not --locked: one of the CLI's locked dependency versions is not available any more.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# npm ci when node_modules is missing or older than the lock file.
if [[ ! -f "$crate/node_modules/.package-lock.json" || "$crate/package-lock.json" -nt "$crate/node_modules/.package-lock.json" ]]; then
  step "npm ci (devDependencies: binaryen, playwright-core, typescript)"
  (cd "$crate" && npm ci --no-audit --no-fund)
fi

# Speed over size: opt-level 3 with fat LTO scores 1.1-1.4x faster in Node than opt-level "s" (50 KB,
# 200 behaviors, 14 paired runs, 13 won) for 13% more bytes (2.35 -> 2.64 MB, 846 -> 966 KB gzipped).
# Browser apps score on every keystroke; the module is fetched once. Only this wasm32 build uses
# these settings.
step "cargo build --release --target wasm32-unknown-unknown -p rubric-wasm"
(cd "$root" && cargo build --release --locked --target wasm32-unknown-unknown -p rubric-wasm \
  --config 'profile.release.opt-level=3' \
  --config 'profile.release.lto="fat"' \
  --config 'profile.release.codegen-units=1' \
  --config 'profile.release.debug=false')
wasm="$target_dir/wasm32-unknown-unknown/release/rubric_wasm.wasm"

# Skip the post-processing (wasm-opt takes about a minute) when its inputs have not changed.
key="$( (cat "$wasm" "$crate/scripts/build.sh" "$crate/scripts/patch-glue.mjs" "$crate/package-lock.json"
  wasm-bindgen --version) | sha256sum | cut -d' ' -f1)"
if [[ -f "$out/.build-key" && "$(cat "$out/.build-key")" == "$key" && -f "$out/node/rubric_wasm.js" ]]; then
  step "pkg/ is up to date"
  printf '\nrubric_wasm_bg.wasm: %s bytes, %s bytes gzipped (-9)\n' \
    "$(wc -c <"$out/web/rubric_wasm_bg.wasm")" "$(gzip -9 -c "$out/web/rubric_wasm_bg.wasm" | wc -c)"
  exit 0
fi

step "wasm-bindgen --target web / --target nodejs"
rm -rf "$out.tmp"
wasm-bindgen --target web --out-dir "$out.tmp/web" "$wasm"
wasm-bindgen --target nodejs --out-dir "$out.tmp/node" "$wasm"
node "$crate/scripts/patch-glue.mjs" "$out.tmp/web/rubric_wasm.js" "$out.tmp/node/rubric_wasm.js"

step "wasm-opt -Oz"
raw_size=$(wc -c <"$out.tmp/web/rubric_wasm_bg.wasm")
optimise() { "$crate/node_modules/.bin/wasm-opt" -Oz "$1/rubric_wasm_bg.wasm" -o "$1/opt.wasm" && mv "$1/opt.wasm" "$1/rubric_wasm_bg.wasm"; }
if cmp -s "$out.tmp/web/rubric_wasm_bg.wasm" "$out.tmp/node/rubric_wasm_bg.wasm"; then
  # wasm-bindgen emits the same module for both targets (only the glue differs): optimise it once.
  optimise "$out.tmp/web"
  cp "$out.tmp/web/rubric_wasm_bg.wasm" "$out.tmp/node/rubric_wasm_bg.wasm"
else
  optimise "$out.tmp/web"
  optimise "$out.tmp/node"
fi
# Tell Node which module system each glue file uses (the crate's package.json sets none).
echo '{ "type": "module" }' >"$out.tmp/web/package.json"
echo '{ "type": "commonjs" }' >"$out.tmp/node/package.json"
echo "$key" >"$out.tmp/.build-key"
rm -rf "$out"
mv "$out.tmp" "$out"

size=$(wc -c <"$out/web/rubric_wasm_bg.wasm")
gzipped=$(gzip -9 -c "$out/web/rubric_wasm_bg.wasm" | wc -c)
printf '\nrubric_wasm_bg.wasm: %s bytes before wasm-opt, %s bytes after, %s bytes gzipped (-9)\n' \
  "$raw_size" "$size" "$gzipped"
