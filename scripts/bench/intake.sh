#!/usr/bin/env bash
# bench-intake: file imports (read + validate 5000 CSV rows; import 1000 rows into a real SQLite file through
# the ingest pipeline, rows/s) and regulator-letter PDF text extraction, as Go benchmarks.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
go test -run '^$' -bench . -benchmem -benchtime "${BENCHTIME:-3x}" -count "${COUNT:-3}" ./backend/ingest/importer ./backend/ingest/letters | tee "$ARTIFACTS/bench-intake.txt"
