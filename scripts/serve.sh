# Sourced by the measurement scripts (load.sh, scale.sh, reload_latency.sh); needs $kb.
#
# start_kb_serve DIR: starts `kb serve` on DIR/articles (index DIR/index, data DIR/data, log
# DIR/server.log, the per-client suggest limit lifted: one load generator is one client) and
# returns once it listens and has read its articles folder; sets $server (pid) and $addr.
start_kb_serve() {
    local dir=$1
    "$kb" serve --articles "$dir/articles" --index "$dir/index" --data "$dir/data" --addr 127.0.0.1:0 \
        --suggest-rate 1000000000 2>"$dir/server.log" &
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
