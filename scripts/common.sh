# Sourced by the measurement scripts (load.sh, scale.sh, reload_latency.sh).
#
# setup_bench NAME: builds kb (release) into $CARGO_TARGET_DIR (default /tmp/kb-bench-target),
# sets $kb, and makes the work folder $work (NAME.XXXXXX under $TMPDIR), which is removed — and a
# server started by start_kb_serve stopped — when the script exits.
setup_bench() {
    export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/kb-bench-target}
    cargo build --release --quiet
    kb="$CARGO_TARGET_DIR/release/kb"
    work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    server=""
    trap cleanup_bench EXIT
}

cleanup_bench() {
    if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
        kill "$server"
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}

#
# start_kb_serve DIR: starts `kb serve` on DIR/articles (index DIR/index, data DIR/data, log
# DIR/server.log, the per-client suggest limit lifted: one load generator is one client; result
# cache of $RESULT_CACHE pages, default kb's) and returns once it listens and has read its
# articles folder; sets $server (pid) and $addr.
start_kb_serve() {
    local dir=$1
    "$kb" serve --articles "$dir/articles" --index "$dir/index" --data "$dir/data" --addr 127.0.0.1:0 \
        --suggest-rate 1000000000 ${RESULT_CACHE:+--result-cache "$RESULT_CACHE"} 2>"$dir/server.log" &
    server=$!
    addr=""
    for _ in $(seq 1 3600); do
        if ! kill -0 "$server" 2>/dev/null; then
            echo "kb serve exited:" >&2
            cat "$dir/server.log" >&2
            exit 1
        fi
        [[ -z $addr ]] && addr=$(sed -n 's/\x1b\[[0-9;]*m//g; s/.*listening.*addr=\([0-9.:]*\).*/\1/p' "$dir/server.log" | head -n 1)
        [[ -n $addr ]] && grep -q 'watching the articles' "$dir/server.log" && return 0
        sleep 0.5
    done
    echo "kb serve did not start in time" >&2
    exit 1
}
