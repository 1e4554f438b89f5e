#!/usr/bin/env bash
# Run inside an X display (scripts/bench/board.sh calls it through run_gui): launches BIN on DIR RUNS
# times and reports the milliseconds from just before exec to the frontend's first painted board, which
# the binary prints when COCKPIT_PAINT_LOG=1 (app.Board.MarkPainted). Keeps a screenshot of the last run.
set -euo pipefail
BIN=$1 DIR=$2 RUNS=$3 OUT=$4
times=()
for i in $(seq "$RUNS"); do
  log="$OUT/paint-$i.log"
  start=$(date +%s%3N)
  COCKPIT_PAINT_LOG=1 "$BIN" --data-dir "$DIR" 2>"$log" >/dev/null &
  pid=$!
  painted=""
  for _ in $(seq 600); do # up to 60 s
    painted=$(sed -n 's/.*first-paint unix_ms=\([0-9]*\).*/\1/p' "$log" | head -1)
    [ -n "$painted" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$painted" ]; then
    echo "run $i: no first paint within 60 s (see $log)"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    exit 1
  fi
  ms=$((painted - start))
  times+=("$ms")
  echo "run $i: first paint after $ms ms"
  if [ "$i" = "$RUNS" ]; then
    sleep 1
    import -window root "$OUT/board-100k.png" || true
  fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
echo "first paint: median $median ms, all: $(echo $sorted | tr '\n' ' ')(target <= 1500 ms)"
