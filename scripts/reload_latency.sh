#!/usr/bin/env bash
# How long a one-article edit takes to become searchable (docs/performance.md, "Live reload"):
# writes the generated corpus of benches/suggest.rs (PER_LANG articles × en de fr nl pl), starts
# `kb serve` on it, then EDITS times adds a unique word to a random English article, saves it,
# and polls /api/v1/suggest every 10 ms until the word finds that article. Prints each latency
# (save → first response that finds it) and the median and maximum.
#
#   PER_LANG=2000 EDITS=20 scripts/reload_latency.sh      # 10,000 articles
set -euo pipefail
cd "$(dirname "$0")/.."

PER_LANG=${PER_LANG:-2000}
EDITS=${EDITS:-20}
source scripts/common.sh
setup_bench kb-reload

cargo bench --quiet --bench suggest -- --write-corpus "$work/articles" --articles "$PER_LANG" >/dev/null
# Returns once the server has read the folder (so that the first edit is an update).
start_kb_serve "$work"
echo "articles: $(find "$work/articles" -name '*.md' | wc -l)"
latencies=()
for i in $(seq 1 "$EDITS"); do
    file=$(find "$work/articles/en" -name '*.md' | shuf -n 1)
    word="zqx${RANDOM}w${i}"
    id=$(basename "$file" .md)
    start=$(date +%s%N)
    sed -i "0,/^## /s//Also $word here.\n\n## /" "$file"
    until curl -s "http://$addr/api/v1/suggest?q=$word&lang=en" | grep -q "\"id\":\"$id\""; do
        (( ($(date +%s%N) - start) / 1000000 > 60000 )) && { echo "edit $i: not searchable after 60 s"; exit 1; }
        sleep 0.01
    done
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    latencies+=("$ms")
    echo "edit $i: $ms ms ($id)"
    sleep 0.5
done
printf '%s\n' "${latencies[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median %d ms, max %d ms over %d edits\n", a[int((NR+1)/2)], a[NR], NR}'
grep -o 'index updated.*' "$work/server.log" | sed 's/\x1b\[[0-9;]*m//g' | tail -n 3
