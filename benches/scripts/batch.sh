#!/usr/bin/env bash
# Streaming batch mode: peak memory and throughput of `rubric batch` over the JSONL corpus and over
# ten times as much input, on 1 and 2 threads, in one run. Peak memory is the kernel's high-water
# mark (VmHWM), printed by `rubric batch` itself; it must stay flat as the input grows.
# Writes target/bench-results/batch.md. Usage: bash benches/scripts/batch.sh [rubric]
set -euo pipefail
cd "$(dirname "$0")/../.."
rubric="${1:-coding-round}"
data=target/bench-data
[ -f "$data/corpus-10x.jsonl" ] || python3 benches/make_data.py
cargo build --quiet --release --locked -p rubric-cli
mkdir -p target/bench-results
out=target/bench-results/batch.md
{
  echo "| input | lines | MB | threads | output | seconds | transcripts/s | peak memory |"
  echo "|---|---|---|---|---|---|---|---|"
  for input in corpus corpus-10x; do
    file="$data/$input.jsonl"
    lines=$(wc -l <"$file")
    mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.1f", b / 1e6 }')
    for threads in 1 2; do
      for mode in summary full; do
        flag=(); [ "$mode" = summary ] && flag=(--summary)
        summary=$(target/release/rubric batch "$file" --rubric "$rubric" --threads "$threads" "${flag[@]}" -o /dev/null 2>&1 >/dev/null | grep '^batch:')
        seconds=$(sed -E 's/.*; ([0-9.]+) s;.*/\1/' <<<"$summary")
        peak=$(sed -E 's/.*peak memory ([0-9.]+ MiB).*/\1/' <<<"$summary")
        rate=$(awk -v n="$lines" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
        echo "| $input | $lines | $mb | $threads | $mode | $seconds | $rate | $peak |"
      done
    done
  done
} | tee "$out"
echo "rubric: $rubric; written to $out"
