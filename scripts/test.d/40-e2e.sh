# End-to-end: the real frontend in Debian's Chromium (playwright-core) against `wails dev` serving the real Go
# services on a non-default port, over a fresh demo workspace in a temp data dir. Runs inside run_gui because
# wails dev opens its (dev) window too.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
missing=()
for tool in chromium xvfb-run dbus-run-session wails node; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e needs: ${missing[*]}"
  if [ "${COCKPIT_CI:-}" = 1 ]; then exit 1; fi
  echo "SKIP e2e (set COCKPIT_CI=1 to make this a failure)"; exit 0
fi
work=$(mktemp -d /tmp/cockpit-e2e.XXXXXX)
trap 'rm -rf "$work"' EXIT
# The CLI half of the same program builds the demo workspace (the built binary when 30-build made one).
bin=build/bin/cockpit
if [ ! -x "$bin" ]; then bin="$work/cockpit"; go build -o "$bin" .; fi
"$bin" --data-dir "$work/data" demo >"$ARTIFACTS/e2e-demo.log" 2>&1 || { cat "$ARTIFACTS/e2e-demo.log"; exit 1; }
run_gui "$ROOT/frontend/e2e/with-wails-dev.sh" "$work/data" "$bin"
