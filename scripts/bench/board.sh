#!/usr/bin/env bash
# make bench-board: fills a tmpfs data dir with 100,000 cases / 1,000,000 messages (kept between runs;
# BENCH_REFILL=1 regenerates), times the backend board queries (p50/p95 over BENCH_RUNS runs), then
# times process start -> first painted board of the real window under Xvfb (BENCH_PAINT_RUNS launches,
# each given BENCH_PAINT_TIMEOUT seconds).
# Figures go to $ARTIFACTS/bench-board/. Targets: board p95 <= 50 ms, search p95 <= 100 ms, paint <= 1.5 s.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
CASES=${BENCH_CASES:-100000}
MESSAGES=${BENCH_MESSAGES:-1000000}
RUNS=${BENCH_RUNS:-30}
PAINT_RUNS=${BENCH_PAINT_RUNS:-5}
TMPFS=${BENCH_TMPFS:-/dev/shm}
DIR="$TMPFS/cockpit-bench-board-$CASES-$MESSAGES"
OUT="$ARTIFACTS/bench-board"
mkdir -p "$OUT"

go build -o "$OUT/boardbench" ./scripts/bench/boardbench
go build -o "$OUT/paintwatch" ./scripts/bench/paintwatch
if [ ! -f "$DIR/.filled" ] || [ "${BENCH_REFILL:-}" = 1 ]; then
  log "generating $CASES cases / $MESSAGES messages in $DIR"
  rm -rf "$DIR"
  "$OUT/boardbench" -dir "$DIR" -cases "$CASES" -messages "$MESSAGES" fill | tee "$OUT/fill.txt"
  touch "$DIR/.filled"
fi
du -sh "$DIR" | tee "$OUT/size.txt"

log "backend queries ($RUNS runs each)"
"$OUT/boardbench" -dir "$DIR" -runs "$RUNS" -json "$OUT/queries.json" measure | tee "$OUT/queries.txt"

log "first paint of the real window under Xvfb ($PAINT_RUNS launches)"
if [ "${BENCH_SKIP_BUILD:-}" != 1 ] || [ ! -x build/bin/cockpit ]; then
  wails build -trimpath >"$OUT/wails-build.log" 2>&1 || { cat "$OUT/wails-build.log"; exit 1; }
fi
# A fresh random password for the bench supervisor each run: never written to a file.
BENCH_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
export BENCH_PASSWORD
"$OUT/boardbench" -dir "$DIR" bench-user
# Xvfb keeps its framebuffer in a file there, which paintwatch reads to see when the board is on screen.
FBDIR=$(mktemp -d "$TMPFS/cockpit-bench-fb.XXXXXX")
trap 'rm -rf "$FBDIR"' EXIT
XVFB_ARGS="-fbdir $FBDIR" run_gui "$ROOT/scripts/bench/board-paint.sh" "$ROOT/build/bin/cockpit" "$DIR" "$PAINT_RUNS" "$OUT" \
  "$FBDIR/Xvfb_screen0" "$OUT/paintwatch" | tee "$OUT/paint.txt"
