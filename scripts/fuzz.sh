#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ (see fuzz/src/lib.rs for what each one does and checks):
#   1. installs cargo-fuzz if it is missing (the nightly toolchain must be present);
#   2. builds a seed corpus per target in target/fuzz-corpus/<target>/ from rubrics/, fixtures/
#      (transcripts, bad inputs if any, fuzz-regressions/<target>/) and the examples in docs/;
#   3. runs each target for FUZZ_SECONDS (default 60), one at a time;
#   4. appends one line per target to target/fuzz-stats.txt (executions, seconds, result).
# A crash, timeout or out-of-memory exits non-zero and prints the input that caused it
# (target/fuzz-artifacts/<target>/). Replay one with
#   fuzz/target/x86_64-unknown-linux-gnu/release/<target> <file>
# then copy it into fixtures/fuzz-regressions/<target>/ so the Rust tests replay it for ever.
#
# Usage:
#   scripts/fuzz.sh [smoke]                 every target, FUZZ_SECONDS each (the smoke run `make test` uses)
#   scripts/fuzz.sh smoke TARGET...         only these targets
#   FUZZ_SECONDS=3600 scripts/fuzz.sh       the longer run (an hour per target)
# Corpora grow across runs (libFuzzer adds new inputs to them) and stay outside the repository.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
step() { printf '==> %s\n' "$*"; }
fail() { printf 'fuzz: %s\n' "$*" >&2; exit 1; }

seconds="${FUZZ_SECONDS:-60}"
case "$seconds" in '' | *[!0-9]*) fail "FUZZ_SECONDS must be a whole number of seconds, not \"$seconds\"" ;; esac
mode="${1:-smoke}"
[ "$mode" = smoke ] || fail "unknown mode \"$mode\"; expected: smoke [TARGET...]"
shift || true
all_targets=(rubric_yaml import_json import_text import_vtt import_srt import_utterances import_stt import_auto score_bundled)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi
for target in "${targets[@]}"; do
    [ -f "fuzz/fuzz_targets/$target.rs" ] || fail "no fuzz target \"$target\"; targets: ${all_targets[*]}"
done

# 1. Tools.
cargo +nightly --version >/dev/null 2>&1 || fail "the nightly toolchain is required (rustup toolchain install nightly)"
if ! cargo fuzz --version >/dev/null 2>&1; then
    step "installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

# 2. Seed corpora. Files are named after their source path, so reruns overwrite rather than add.
corpus_root="target/fuzz-corpus"
artifact_root="target/fuzz-artifacts"
seed() { # seed TARGET FILE...
    local dir="$corpus_root/$1" file
    shift
    mkdir -p "$dir"
    for file in "$@"; do
        [ -f "$file" ] || continue
        cp "$file" "$dir/seed-$(printf '%s' "$file" | tr '/' '_')"
    done
}
# Fenced code blocks of a Markdown file, one seed file per block whose info string matches $2.
seed_docs() { # seed_docs TARGET DOC LANG-REGEX
    local dir="$corpus_root/$1"
    mkdir -p "$dir"
    awk -v dir="$dir" -v doc="$(basename "$2" .md)" -v lang="$3" '
        /^```/ && !open { open = 1; keep = (substr($0, 4) ~ lang); n++; out = dir "/seed-doc-" doc "-" n; next }
        /^```/ && open { open = 0; if (keep) close(out); next }
        open && keep { print > out }
    ' "$2"
}
shopt -s nullglob globstar
transcripts=(fixtures/transcripts/**/*.* fixtures/bad/transcripts/**/*.*)
for target in "${targets[@]}"; do
    case "$target" in
        rubric_yaml)
            seed "$target" rubrics/*.yaml fixtures/bad/rubrics/**/*.yaml
            seed_docs "$target" docs/rubric-format.md '^yaml'
            ;;
        import_json) seed "$target" fixtures/transcripts/**/*.json fixtures/bad/transcripts/**/*.json ;;
        import_text) seed "$target" fixtures/transcripts/**/*.txt fixtures/bad/transcripts/**/*.txt ;;
        import_vtt) seed "$target" fixtures/transcripts/**/*.vtt fixtures/bad/transcripts/**/*.vtt ;;
        import_srt) seed "$target" fixtures/transcripts/**/*.srt fixtures/bad/transcripts/**/*.srt ;;
        import_utterances) seed "$target" fixtures/transcripts/**/*utterances*.json fixtures/bad/transcripts/**/*utterances*.json ;;
        import_stt) seed "$target" fixtures/transcripts/formats/*.json fixtures/bad/transcripts/**/*.json ;;
        *) seed "$target" "${transcripts[@]}" ;;
    esac
    case "$target" in import_*|score_bundled) seed_docs "$target" docs/transcript-format.md '^(json|text|vtt|srt)?$' ;; esac
    regressions=()
    for file in fixtures/fuzz-regressions/"$target"/*; do
        [ "$(basename "$file")" = README.md ] || regressions+=("$file")
    done
    seed "$target" "${regressions[@]}"
done

# 3. Build once, then run each target in turn.
step "building fuzz targets (nightly, address sanitizer)"
(cd fuzz && cargo +nightly fuzz build) || fail "cargo fuzz build failed"
# The binaries run directly rather than through `cargo fuzz run`, which would rebuild (and fuzz a
# different engine) whenever the sources change during a long run.
bin_dir="fuzz/target/$(rustc +nightly -vV | sed -n 's/^host: //p')/release"

stats="target/fuzz-stats.txt"
mkdir -p target
failed=()
for target in "${targets[@]}"; do
    # Rubrics are ~32 KB; transcripts up to ~24 KB. Inputs larger than the largest seed add little.
    case "$target" in rubric_yaml) max_len=40000 dict=fuzz/dict/rubric.dict ;; *) max_len=32000 dict=fuzz/dict/transcript.dict ;; esac
    mkdir -p "$artifact_root/$target"
    log="target/fuzz-$target.log"
    step "fuzzing $target for ${seconds}s (log: $log)"
    started=$(date +%s)
    status=0
    # -timeout: one input running longer than 10 s is a hang; -rss_limit_mb: 2 GB is an OOM.
    "$bin_dir/$target" "$corpus_root/$target" \
        -max_total_time="$seconds" -max_len="$max_len" -dict="$dict" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$artifact_root/$target/" >"$log" 2>&1 || status=$?
    elapsed=$(($(date +%s) - started))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n1)
    corpus=$(find "$corpus_root/$target" -type f | wc -l)
    if [ "$status" -eq 0 ]; then
        result=ok
    else
        result="FAILED (exit $status)"
        failed+=("$target")
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n1)
        printf 'fuzz: %s failed; last lines of %s:\n' "$target" "$log" >&2
        tail -n 30 "$log" >&2
        if [ -n "$artifact" ]; then
            printf 'fuzz: crashing input: %s (replay: %s)\n' "$artifact" "$bin_dir/$target $artifact" >&2
        fi
    fi
    line="$(date -u +%Y-%m-%dT%H:%M:%SZ) target=$target seconds=$elapsed max_total_time=$seconds"
    line+=" executions=${execs:-?} exec_per_sec=${rate:-?} peak_rss_mb=${rss:-?} corpus_files=$corpus result=$result"
    printf '%s\n' "$line" | tee -a "$stats"
done

if [ "${#failed[@]}" -gt 0 ]; then
    fail "failing targets: ${failed[*]} (inputs under $artifact_root/, stats in $stats)"
fi
step "all ${#targets[@]} fuzz targets ran ${seconds}s each without a crash (stats in $stats)"
