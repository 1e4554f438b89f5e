#!/usr/bin/env bash
# bench-evidence: evidence verify (re-hash 200 x 256 KiB with custody chains), ZIP export (50 x 256 KiB) and
# the filing packet PDF of a large case (300 events, 200 evidence items, CJK font subset), as Go benchmarks.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
go test -run '^$' -bench . -benchmem -count "${COUNT:-3}" ./backend/evidence ./backend/filings | tee "$ARTIFACTS/bench-evidence.txt"
