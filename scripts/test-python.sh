#!/usr/bin/env bash
# Builds the Python wheel (crates/rubric-py) and runs its checks: mypy, then pytest (API, errors,
# offsets, pickling, threads, batches, DataFrames, the practice loop (checked against the `rubric`
# CLI, which it builds), the README's snippets, the example notebook, the Dask example and the
# cross-language golden test).
#
# Needs only CPython >= 3.9 with venv + pip, and Rust. Creates .venv at the repository root on first
# use and reuses it after (idempotent). PYTHON picks the interpreter (default python3).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
venv="$root/.venv"
py="$venv/bin/python"
crate="$root/crates/rubric-py"

step() { printf '==> [%3ds] %s\n' "$SECONDS" "$*"; }

# 1. A virtual environment with the build and test tools. The requirement list is stamped into the
#    venv so an unchanged list skips pip entirely on later runs.
requirements=(
    "maturin>=1.9.4,<2"
    "pytest>=8"
    "mypy>=1.10"
    "pandas>=1.5"
    "pandas-stubs"
    "matplotlib>=3.6"
    "nbclient>=0.10"
    "nbformat>=5.9"
    "ipykernel>=6"
    "distributed>=2024.1"
    "scikit-learn>=1.3"
    "krippendorff>=0.6"
)
if [ ! -x "$py" ]; then
    step "creating $venv"
    "${PYTHON:-python3}" -m venv "$venv"
fi
stamp="$venv/.rubric-requirements"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${requirements[*]}" ]; then
    step "installing build and test tools into .venv"
    "$py" -m pip install --quiet --disable-pip-version-check "${requirements[@]}"
    printf '%s' "${requirements[*]}" >"$stamp"
fi

# 2. Build the release wheel (abi3: one wheel for CPython >= 3.9) and install it like a user would.
step "building the wheel (maturin build --release)"
rm -rf "$crate/dist"
(cd "$crate" && "$venv/bin/maturin" build --release --quiet --out dist --interpreter "$py")
wheel="$(ls "$crate"/dist/rubric_py-*.whl)"
step "installing $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB)"
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"

# 3. The CLI, for the tests that check the practice loop's results against it (tests/test_practice.py).
step "building the CLI for the cross-checks (cargo build -p rubric-cli)"
cargo build --quiet --locked -p rubric-cli
export RUBRIC_CLI="$root/target/debug/rubric"

# 4. Type-check the package (against its .pyi stubs), the tests and the examples.
step "mypy"
(cd "$crate" && "$venv/bin/mypy" --no-error-summary)
echo "mypy: no issues"

# 5. The tests, against the installed wheel (not the source tree). Exit code 5 (no tests collected)
#    is a failure like any other non-zero code.
step "pytest"
set +e
(cd "$crate" && "$py" -m pytest -q -p no:cacheprovider "$@")
status=$?
set -e
step "done"
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests" >&2
    exit 1
fi
exit "$status"
