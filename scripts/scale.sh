#!/usr/bin/env bash
# How cost grows with the help center (docs/performance.md, "Scale"): for each size, writes the
# generated corpus of benches/suggest.rs (SIZES articles per language × en de fr nl pl), times
# `kb build` and its peak RSS, then starts `kb serve` on that index, measures suggest latency with
# one client (wrk -c1, typed prefixes), the server's resident memory during the run (sampled every
# 0.2 s) and after it, and the peak since start (reading the folder at start is the peak).
#
#   SIZES="200 2000 20000" scripts/scale.sh      # 1k, 10k and 100k articles
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"200 2000 20000"}
DURATION=${DURATION:-15s}
source scripts/common.sh
setup_bench kb-scale

echo "| articles | build s | articles/s | build peak RSS MB | index MB | suggest p50 | p99 | req/s (1 client) | serving RSS MB: most during load / after (peak since start) | of it anonymous / file MB |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for per_lang in $SIZES; do
    dir="$work/$per_lang"
    mkdir -p "$dir"
    cargo bench --quiet --bench suggest -- --write-corpus "$dir/articles" --articles "$per_lang" >/dev/null
    count=$(find "$dir/articles" -name '*.md' | wc -l)
    /usr/bin/time -f '%e %M' -o "$dir/build.time" "$kb" build --articles "$dir/articles" --index "$dir/index" >/dev/null 2>&1
    read -r seconds peak_kb <"$dir/build.time"
    index_mb=$(du -sm "$dir/index" | cut -f1)
    # Measured once the server has read the articles folder (it does so after start).
    start_kb_serve "$dir"
    KB_LOG=warn wrk -t1 -c1 -d"$DURATION" --latency -s scripts/suggest.lua "http://$addr" -- "$dir/prefixes.txt" >"$dir/wrk.txt" &
    load=$!
    during_kb=0
    while kill -0 "$load" 2>/dev/null; do
        sample=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
        ((sample > during_kb)) && during_kb=$sample
        sleep 0.2
    done
    wait "$load"
    p50=$(awk '/^ +50%/ {print $2}' "$dir/wrk.txt")
    p99=$(awk '/^ +99%/ {print $2}' "$dir/wrk.txt")
    rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$dir/wrk.txt")
    rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$server/status")
    hwm=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$server/status")
    anon=$(awk '/RssAnon/ {printf "%.0f", $2/1024}' "/proc/$server/status")
    file=$(awk '/RssFile/ {printf "%.0f", $2/1024}' "/proc/$server/status")
    kill "$server"; wait "$server" 2>/dev/null || true; server=""
    echo "| $count | $seconds | $(awk -v n="$count" -v s="$seconds" 'BEGIN {printf "%.0f", n / s}') | $((peak_kb / 1024)) | $index_mb | $p50 | $p99 | $rps | $((during_kb / 1024)) / $rss ($hwm) | $anon / $file |"
    rm -rf "$dir"
done
