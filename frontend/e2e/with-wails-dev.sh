#!/usr/bin/env bash
# with-wails-dev.sh DATA_DIR CLI_BIN: start `wails dev` for DATA_DIR on free non-default ports, wait until it
# serves, run the Playwright specs against it, stop it (its whole process group). Needs a display (run_gui).
set -euo pipefail
data=$1 bin=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
ARTIFACTS=${ARTIFACTS:-$root/artifacts}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
export COCKPIT_VITE_PORT=$(free_port) # vite.config.ts reads it: never the developer's 5173
log="$ARTIFACTS/e2e-wails-dev.log"
cd "$root"
# -m/-nosyncgomod: never touch go.mod; -noreload/-nogorebuild: a file saved meanwhile must not restart the app.
setsid wails dev -m -nosyncgomod -noreload -nogorebuild -nocolour -loglevel Warning -viteservertimeout 120 \
  -devserver "127.0.0.1:$port" -appargs "--data-dir $data" >"$log" 2>&1 &
pid=$!
imap_pid=
stop() {
  kill -INT -- "-$pid" 2>/dev/null || true; sleep 2; kill -KILL -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  if [ -n "$imap_pid" ]; then kill -TERM "$imap_pid" 2>/dev/null || true; wait "$imap_pid" 2>/dev/null || true; fi
}
trap stop EXIT
# The first `wails dev` compiles the app in dev mode (about 85 s on 2 cores); give it up to 15 minutes on a busy box.
for _ in $(seq 1 900); do
  if curl -fsS "http://127.0.0.1:$port/wails/ipc.js" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "wails dev exited:"; tail -50 "$log"; exit 1; fi
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/wails/ipc.js" >/dev/null || { echo "wails dev did not serve on $port"; tail -50 "$log"; exit 1; }
# A real IMAP server (Dovecot) for the spec that adds a mailbox through the window; it prints the account
# as JSON (COCKPIT_IMAP). Without Dovecot that spec is skipped, or fails under COCKPIT_CI=1.
imap_json=$(dirname "$data")/imap.json
if command -v dovecot >/dev/null || [ -x /usr/sbin/dovecot ]; then
  go build -o "$(dirname "$data")/imapserver" ./scripts/e2e/imapserver
  "$(dirname "$data")/imapserver" >"$imap_json" 2>"$ARTIFACTS/e2e-imapserver.log" &
  imap_pid=$!
  for _ in $(seq 1 60); do [ -s "$imap_json" ] && break; kill -0 "$imap_pid" 2>/dev/null || break; sleep 0.5; done
fi
COCKPIT_IMAP=$(cat "$imap_json" 2>/dev/null || true) \
COCKPIT_URL="http://127.0.0.1:$port/" COCKPIT_DATA="$data" COCKPIT_BIN="$bin" ARTIFACTS="$ARTIFACTS" node "$root/frontend/e2e/run.mjs"
