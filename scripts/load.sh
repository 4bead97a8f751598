#!/usr/bin/env bash
# Load test of `GET /api/v1/suggest` over loopback (docs/performance.md): writes the generated
# corpus of benches/suggest.rs (10,000 articles × en de fr nl pl) as Markdown files, starts
# `kb serve` on it (the first start builds the index), and runs wrk with scripts/suggest.lua,
# which cycles through the typed prefixes of the corpus.
#
#   scripts/load.sh                        # one run, server and wrk sharing both cores
#   RUNS="shared pinned" scripts/load.sh   # plus a run with the server on CPU 0, wrk on CPU 1
#   RUNS="empty" scripts/load.sh           # baseline: empty queries (HTTP, JSON, logging only)
#   RUNS="edits" DURATION=60s scripts/load.sh
#                                          # while an article is rewritten and saved every
#                                          # EDIT_EVERY seconds (0.5): live reloads under load
#
#   RESULT_CACHE=0 scripts/load.sh        # every request searched (no result cache)
#   PER_LANG=1000 scripts/load.sh          # a smaller help center: 1,000 articles per language
#   CORPUS=sample scripts/load.sh          # the sample help center (articles/), typed prefixes
#                                          # of its writers' questions and support-questions.tsv
#
# The 5,500 prefixes repeat every couple of seconds: with the default result cache (4,096 pages)
# about half the requests are answered from it; RESULT_CACHE=8192 holds them all.
#
# Environment: CORPUS (generated or sample), PER_LANG (articles per language, 10,000), DURATION (30s), THREADS (2), CONNECTIONS (32), RUNS ("shared"), RESULT_CACHE,
# CARGO_TARGET_DIR (/tmp/kb-bench-target), KB_LOG (the server's log filter; default: every
# request logged at info, as in production, to a file).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-30s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
RUNS=${RUNS:-shared}
if ! command -v wrk >/dev/null; then
    echo "== installing wrk"
    apt-get update && apt-get install -y wrk
fi

echo "== building kb (release)"
source scripts/common.sh
setup_bench kb-load

if [[ ${CORPUS:-generated} == sample ]]; then
    echo "== copying the sample help center to $work/articles"
    cp -r articles "$work/articles"
    python3 scripts/sample_prefixes.py "$work/articles" "$work/prefixes.txt"
else
    echo "== writing the corpus to $work/articles"
    cargo bench --quiet --bench suggest -- --write-corpus "$work/articles" ${PER_LANG:+--articles "$PER_LANG"}
fi

echo "== starting kb serve (builds the index first)"
started=$(date +%s.%N)
start_kb_serve "$work"
echo "listening on $addr after $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
sed 's/\x1b\[[0-9;]*m//g' "$work/server.log" | grep -m1 'index built' || true

echo "== sample responses"
head -n 3 "$work/prefixes.txt" | while IFS=$'\t' read -r lang prefix; do
    url="http://$addr/api/v1/suggest?q=$prefix&lang=$lang"
    status=$(curl -s -o "$work/response.json" -w '%{http_code}' "$url")
    echo "$status $url"
    head -c 300 "$work/response.json"
    echo
done

for run in $RUNS; do
    script=(-s scripts/suggest.lua "http://$addr" -- "$work/prefixes.txt")
    case $run in
        shared) pin_server="" pin_wrk="" ;;
        pinned) pin_server="0" pin_wrk="taskset -c 1" ;;
        empty) pin_server="" pin_wrk="" script=("http://$addr/api/v1/suggest?q=&lang=en") ;;
        edits) pin_server="" pin_wrk="" ;;
        *) echo "unknown run $run (shared, pinned, empty or edits)" >&2; exit 2 ;;
    esac
    editor=""
    if [[ $run == edits ]]; then
        article=$(find "$work/articles/en" -name '*.md' -print -quit)
        cp "$article" "$work/original.md"
        (
            edits=0
            while true; do
                edits=$((edits + 1))
                sed "s/^title: .*/title: Edited article number $edits/" "$work/original.md" >"$article.tmp"
                mv "$article.tmp" "$article"
                echo "$edits" >"$work/edits"
                sleep "${EDIT_EVERY:-0.5}"
            done
        ) &
        editor=$!
    fi
    if [[ -n $pin_server ]]; then
        taskset -a -p -c "$pin_server" "$server" >/dev/null
    else
        taskset -a -p -c "0-$(($(nproc) - 1))" "$server" >/dev/null
    fi
    echo "== run: $run (wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency${pin_wrk:+, server on CPU $pin_server, $pin_wrk})"
    $pin_wrk wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${script[@]}"
    if [[ -n $editor ]]; then
        kill "$editor"
        wait "$editor" 2>/dev/null || true
        echo "== edits saved during the run: $(cat "$work/edits")"
        curl -s "http://$addr/metrics" | grep -E '^kb_reload' || true
    fi
    curl -s "http://$addr/metrics" | grep -E '^kb_result_cache' || true
done

if ! kill -0 "$server" 2>/dev/null; then
    echo "kb serve died during the load test" >&2
    cat "$work/server.log" >&2
    exit 1
fi
plain_log() { sed 's/\x1b\[[0-9;]*m//g' "$work/server.log"; }
echo "== server: $(plain_log | grep -c 'status=' || true) requests logged," \
    "$(plain_log | grep 'status=' | grep -vc 'status=200' || true) with a status other than 200"
