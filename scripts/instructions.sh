#!/usr/bin/env bash
# Instructions per suggest request over HTTP (docs/performance.md): `kb serve` under valgrind's
# callgrind, counting only what `kb::web::api::run` executes (the search and its JSON), while one
# client asks every EVERY-th typed prefix of the sample help center's questions, one at a time.
# Unlike req/s on a shared two-core host, whose speed wanders by a fifth within minutes, the
# count repeats to a tenth of a percent: compare two builds with it, then confirm with load.sh.
#
#   scripts/instructions.sh                       # the working tree's build, every 10th prefix
#   scripts/instructions.sh /tmp/kb-old           # another build of kb
#   ARTICLES=DIR PREFIXES=FILE scripts/instructions.sh
#                                                 # another help center and its prefixes
#                                                 # (`lang<TAB>url-encoded prefix` per line)
#
# The first request of each section, headline and term fills the server's memories: the count
# includes that warm-up, as a server's first minutes do. Needs valgrind (apt-get install
# valgrind). Environment: ARTICLES (articles/), PREFIXES (the sample's, made by
# sample_prefixes.py), EVERY (10), CARGO_TARGET_DIR (/tmp/kb-bench-target).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

if [[ $# -gt 0 ]]; then
    kb=$(realpath "$1")
    work=$(mktemp -d "${TMPDIR:-/tmp}/instructions.XXXXXX")
    server=""
    trap cleanup_bench EXIT
else
    setup_bench instructions
fi
articles=$(realpath "${ARTICLES:-articles}")
prefixes=${PREFIXES:-$work/prefixes.txt}
[[ -n ${PREFIXES:-} ]] || python3 scripts/sample_prefixes.py "$articles" "$prefixes" >/dev/null
"$kb" build --articles "$articles" --index "$work/index" >/dev/null

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" --collect-atstart=no \
    --toggle-collect='kb::web::api::run*' \
    "$kb" serve --articles "$articles" --index "$work/index" --data "$work/data" \
    --addr "127.0.0.1:$port" --suggest-rate 1000000000 --result-cache 0 2>"$work/server.log" &
server=$!
requests=$(python3 - "$port" "${EVERY:-10}" "$prefixes" <<'EOF'
import http.client, sys, time
port, every, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lines = [line.rstrip("\n").split("\t") for line in open(path) if "\t" in line][::every]
for _ in range(1200):
    try:
        client = http.client.HTTPConnection("127.0.0.1", port)
        client.request("GET", "/healthz")
        client.getresponse().read()
        break
    except OSError:
        time.sleep(0.5)
for lang, prefix in lines:
    client.request("GET", f"/api/v1/suggest?q={prefix}&lang={lang}")
    response = client.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"HTTP {response.status} for {lang} {prefix}")
print(len(lines))
EOF
)
kill -INT "$server"
wait "$server" || true
server=""
total=$(sed -n 's/^summary: //p' "$work/callgrind.out")
echo "$requests requests, $((total / requests)) instructions a request (kb::web::api::run)"
