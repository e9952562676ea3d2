#!/usr/bin/env bash
# Renders the HTML report in real headless Chromium and saves a screenshot:
#   1. installs Chromium (apt) if it is missing, and checks that it runs;
#   2. builds the `rubric` CLI;
#   3. records a small history (weak then strong coding sessions, one system-design session);
#   4. writes a report for a fixture transcript with that history;
#   5. screenshots it to target/screenshots/report.png (1280x2000) and checks the PNG: the signature,
#      the size in its header and a file size that rules out a blank page.
# Any failure, including a browser that cannot start, exits non-zero: this check never skips.
#
# CHROMIUM picks the browser binary (default: chromium, then chromium-browser, google-chrome).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
step() { printf '==> %s\n' "$*"; }
fail() { printf 'test-report: %s\n' "$*" >&2; exit 1; }

# 1. Chromium.
find_browser() {
    for candidate in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
        if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}
if ! browser="$(find_browser)"; then
    step "installing chromium (apt-get)"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || fail "chromium is missing and installing it needs root (or sudo)"
        sudo="sudo"
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
    browser="$(find_browser)" || fail "chromium is still missing after apt-get install"
fi
version="$("$browser" --version 2>/dev/null)" || fail "$browser does not run"
step "browser: $version"

# 2. The CLI.
step "building the rubric CLI"
cargo build --quiet --locked -p rubric-cli
rubric="$root/target/debug/rubric"

# 3-4. A small history and a report.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
history="$work/history.jsonl"
add() { "$rubric" history add "$history" --candidate "Zoë Lindqvist" "$@" >/dev/null; }
step "recording a small history"
add --date 2024-05-01 fixtures/transcripts/coding-round/weak.json --rubric coding-round
add --date 2024-05-10 fixtures/transcripts/system-design/weak.json --rubric system-design
add --date 2024-05-20 fixtures/transcripts/coding-round/strong.json --rubric coding-round --question two-sum
add --date 2024-06-03 fixtures/transcripts/coding-round/strong.json --rubric coding-round
out_dir="$root/target/screenshots"
mkdir -p "$out_dir"
html="$out_dir/report.html"
png="$out_dir/report.png"
rm -f "$png"
step "writing the report"
"$rubric" report fixtures/transcripts/coding-round/strong.json --rubric coding-round \
    --history "$history" --candidate "Zoë Lindqvist" --out "$html" >/dev/null
grep -q '<svg' "$html" || fail "the report has no SVG chart"
grep -q 'Progress over' "$html" || fail "the report has no trends section"
if grep -Eq '<script|<link|https?://' "$html"; then fail "the report is not self-contained"; fi

# 5. Screenshot.
step "screenshot with headless chromium"
profile="$work/profile"
if ! timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$profile" --window-size=1280,2000 --screenshot="$png" "file://$html" \
    >"$work/chromium.log" 2>&1; then
    cat "$work/chromium.log" >&2
    fail "chromium could not render the report"
fi
[ -f "$png" ] || { cat "$work/chromium.log" >&2; fail "no screenshot was written"; }
signature="$(od -An -tx1 -N8 "$png" | tr -d ' \n')"
[ "$signature" = "89504e470d0a1a0a" ] || fail "$png is not a PNG (signature $signature)"
width=$((16#$(od -An -tx1 -j16 -N4 "$png" | tr -d ' \n')))
height=$((16#$(od -An -tx1 -j20 -N4 "$png" | tr -d ' \n')))
[ "$width" -eq 1280 ] && [ "$height" -eq 2000 ] || fail "screenshot is ${width}x${height}, expected 1280x2000"
bytes="$(wc -c <"$png" | tr -d ' ')"
# A blank 1280x2000 page compresses to a few kilobytes; the report is hundreds.
[ "$bytes" -gt 100000 ] || fail "screenshot is only $bytes bytes: the page looks blank"
step "ok: $png (${width}x${height}, $bytes bytes)"
