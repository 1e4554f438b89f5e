#!/usr/bin/env bash
# make bench-imap: 10,000 messages (70% plain, 20% with 1-3 attachments of 50-500 KB, 10% GBK) in a
# throwaway Dovecot on tmpfs; times mbsync (isync) pulling the folder into a Maildir and `cockpit sync
# --once` into an empty data dir; prints wall times, the ratio, msg/s and Cockpit's peak RSS, then the
# floor: the least any full ingest does with go-imap v2, go-message and modernc SQLite (fetch, SHA-256, raw
# and attachments to the blob store, parse, FTS5 trigram index; no cases), stage by stage, and the ratio it
# could reach at best on this machine's cores.
# BENCH_IMAP_TEXT=mail (default: complaints amid ordinary prose) or dense (only rule keywords, the
# classifier's worst case). BENCH_IMAP_ROUNDS rounds (default 3) of mbsync then Cockpit on the same mailbox;
# the round with the median ratio is reported, as this machine's speed drifts by a third between runs.
# Targets: ratio <= 1.5, peak RSS <= 300 MB. Figures go to $ARTIFACTS/bench-imap/.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
N=${BENCH_IMAP_MESSAGES:-10000}
TEXT=${BENCH_IMAP_TEXT:-mail}
ROUNDS=${BENCH_IMAP_ROUNDS:-3}
TMPFS=${BENCH_TMPFS:-/dev/shm}
OUT="$ARTIFACTS/bench-imap"
mkdir -p "$OUT"
for tool in dovecot doveadm mbsync; do
  command -v "$tool" >/dev/null || { echo "bench-imap needs $tool (scripts/deps.sh test installs it)"; exit 1; }
done
go build -o "$OUT/imapbench" ./scripts/bench/imapbench
log "bench-imap: $N messages on $TMPFS, $ROUNDS rounds"
"$OUT/imapbench" -dir "$TMPFS/cockpit-bench-imap-$$" -n "$N" -text "$TEXT" -rounds "$ROUNDS" -json "$OUT/result-$TEXT.json" | tee "$OUT/result-$TEXT.txt"
