#!/usr/bin/env bash
# Rebuilds kb and prints the search-quality table of docs/quality.md (see scripts/eval.py).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
python3 scripts/eval.py "$@"
