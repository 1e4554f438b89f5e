# Real-window check: the production binary (30-build) on a fresh demo workspace under Xvfb. Signs in as a demo
# supervisor with xdotool, screenshots the board, a case (keys j, Enter) and the daily review (keys g r) with
# `import -window root`, and checks each is a rendered screen: many colours, and far from the blank frame
# taken before the window opened. Screenshots stay in $ARTIFACTS.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
missing=()
for tool in xvfb-run dbus-run-session xdotool import compare identify; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ -x build/bin/cockpit ] || missing+=("build/bin/cockpit (30-build)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "window check needs: ${missing[*]}"
  if [ "${COCKPIT_CI:-}" = 1 ]; then exit 1; fi
  echo "SKIP window check (set COCKPIT_CI=1 to make this a failure)"; exit 0
fi
work=$(mktemp -d /tmp/cockpit-window.XXXXXX)
trap 'rm -rf "$work"' EXIT
build/bin/cockpit --data-dir "$work/data" demo >"$ARTIFACTS/window-demo.log" 2>&1 || { cat "$ARTIFACTS/window-demo.log"; exit 1; }
run_gui "$ROOT/frontend/e2e/window-shots.sh" "$work/data" "$ARTIFACTS"
