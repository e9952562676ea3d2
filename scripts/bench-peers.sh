#!/usr/bin/env bash
# The peer comparison and scaling benchmarks of issue 5, in one run (`make bench-peers`):
#   our Python binding against Python `re`, pyahocorasick, hyperscan and spaCy's PhraseMatcher
#   (same text, same patterns, the same mentions checked before anything is timed), `score_many` on
#   1 against 2 threads, and the Node/wasm build against native Rust.
# Writes target/bench-results/peers.md and prints it. Arguments go to benches/peers/compare.py
# (e.g. `--reps 11`, `--sizes 5k,50k`, `--behaviors 200`, `--skip wasm`).
#
# Needs Python >= 3.9 with venv + pip, Rust, and for the wasm part Node >= 20 with npm. Installs
# the pinned peers (benches/peers/requirements.txt) and our release wheel into target/peers-venv,
# not into .venv, so the test environment never gets them. A peer that cannot be installed is
# reported as not run, and the rest still runs.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
[[ "$target_dir" = /* ]] || target_dir="$root/$target_dir"
venv="$target_dir/peers-venv"
py="$venv/bin/python"
requirements="$root/benches/peers/requirements.txt"

step() { printf '==> [%3ds] %s\n' "$SECONDS" "$*"; }

# 1. The venv with maturin and the peers, each installed on its own so that one without a wheel
#    for this machine does not stop the others. Stamped like scripts/test-python.sh does.
if [ ! -x "$py" ]; then
    step "creating $venv"
    "${PYTHON:-python3}" -m venv "$venv"
fi
stamp="$venv/.peers-requirements"
if [ ! -f "$stamp" ] || ! cmp -s "$stamp" "$requirements"; then
    step "installing maturin and the peers (benches/peers/requirements.txt)"
    "$py" -m pip install --quiet --disable-pip-version-check "maturin>=1.9.4,<2"
    failed=0
    while read -r requirement; do
        # Binary wheels only: a peer is measured as its users install it, never compiled here.
        if ! "$py" -m pip install --quiet --disable-pip-version-check --only-binary=:all: "$requirement"; then
            echo "bench-peers: could not install $requirement; it is reported as not run" >&2
            failed=1
        fi
    done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$requirements")
    # Stamp only a complete install, so a failed peer is tried again next time.
    if [ "$failed" -eq 0 ]; then cp "$requirements" "$stamp"; fi
fi

# 2. Our release wheel, built the way scripts/test-python.sh builds it (into its own folder, so
#    a concurrent test run's crates/rubric-py/dist is left alone).
step "building the rubric wheel (maturin build --release)"
wheels="$target_dir/peers-wheel"
rm -rf "$wheels"
(cd crates/rubric-py && "$venv/bin/maturin" build --release --quiet --out "$wheels" --interpreter "$py")
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/rubric_py-*.whl

# 3. The inputs: transcripts, rubrics, patterns and the corpus of ~5 KB interviews.
if [ ! -f "$target_dir/bench-data/corpus.jsonl" ] || [ ! -f "$target_dir/bench-data/patterns-500.json" ]; then
    step "writing the benchmark inputs (benches/make_data.py)"
    python3 benches/make_data.py
fi

# 4. Native timings (benches/examples/profile.rs: `time` and `batch`).
step "building the native timing example (cargo build --release --example profile)"
cargo build --quiet --release --locked -p rubric-benches --example profile

# 5. The Node build of crates/rubric-wasm (build.sh skips what is up to date). Without Node the
#    wasm comparison is reported as not run.
args=()
if command -v node >/dev/null && command -v npm >/dev/null; then
    step "building the wasm package (crates/rubric-wasm/scripts/build.sh)"
    bash crates/rubric-wasm/scripts/build.sh
else
    echo "bench-peers: node/npm not found; the wasm comparison is not run" >&2
    args+=(--skip wasm)
fi

# 6. The comparison itself.
step "benches/peers/compare.py (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
"$py" benches/peers/compare.py --data "$target_dir/bench-data" --out "$target_dir/bench-results/peers.md" \
    --native "$target_dir/release/examples/profile" "${args[@]}" "$@"
step "done: $target_dir/bench-results/peers.md"
