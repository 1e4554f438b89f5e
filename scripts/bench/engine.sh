#!/usr/bin/env bash
# make bench-engine: the case engine's Go benchmarks (classification per message, clock replay, a first
# and an unchanged refresh pass over 300 cases on a real SQLite file, deadline replay for a 50-card board
# window). Figures go to $ARTIFACTS/bench-engine/bench.txt.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
OUT="$ARTIFACTS/bench-engine"
mkdir -p "$OUT"
{
  go test -run '^$' -bench . -benchmem ./backend/classify ./backend/clocks
  # Each engine iteration is a whole pass over 300 cases: a few are enough.
  go test -run '^$' -bench . -benchmem -benchtime "${BENCH_TIME:-3x}" ./backend/engine
} | tee "$OUT/bench.txt"
