#!/usr/bin/env bash
# rt-down.sh DIR: stop the RT that rt-up.sh DIR started (SIGTERM, then SIGKILL to its process group).
DIR=${1:?usage: rt-down.sh DIR}
[ -f "$DIR/server.pid" ] || exit 0
pid=$(cat "$DIR/server.pid")
kill -TERM -- -"$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.25; done
kill -KILL -- -"$pid" 2>/dev/null; true
