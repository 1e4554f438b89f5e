# Tray companion (issue 9): build it (cgo GLFW: the first build takes minutes), check --autostart on/off,
# then run it under Xvfb on a demo workspace. A bare X server has no tray host, so the companion must say
# so once and show its status window; the screenshot of that window is kept in $ARTIFACTS and checked to
# be rendered (many colours, the counts' text present in the log).
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
missing=()
for tool in xvfb-run dbus-run-session import identify; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "tray check needs: ${missing[*]}"
  if [ "${COCKPIT_CI:-}" = 1 ]; then exit 1; fi
  echo "SKIP tray check (set COCKPIT_CI=1 to make this a failure)"; exit 0
fi
work=$(mktemp -d /tmp/cockpit-tray.XXXXXX)
trap 'rm -rf "$work"' EXIT
go build -o build/bin/cockpit-tray ./app/tray

# Autostart: the XDG entry appears with this binary's absolute path and the data dir, and goes away.
entry="$work/cfg/autostart/cockpit-tray.desktop"
XDG_CONFIG_HOME="$work/cfg" build/bin/cockpit-tray --autostart on --data-dir "$work/data" --user li.na
grep -qx "Exec=$ROOT/build/bin/cockpit-tray --data-dir $work/data --user li.na" "$entry" || { cat "$entry"; exit 1; }
XDG_CONFIG_HOME="$work/cfg" build/bin/cockpit-tray --autostart off
test ! -e "$entry"
if build/bin/cockpit-tray --autostart maybe 2>/dev/null; then echo "bad --autostart value accepted"; exit 1; fi

# A demo workspace to read (the built cockpit when 30-build made one).
bin=build/bin/cockpit
if [ ! -x "$bin" ]; then bin="$work/cockpit"; go build -o "$bin" .; fi
"$bin" --data-dir "$work/data" demo >"$ARTIFACTS/tray-demo.log" 2>&1 || { cat "$ARTIFACTS/tray-demo.log"; exit 1; }

shot="$ARTIFACTS/tray-no-host.png"
run_gui sh -c '
  LANG=zh_CN.UTF-8 "$1" --data-dir "$2" --every 2s >"$3/tray.log" 2>&1 & P=$!
  sleep 12
  import -window root "$4"
  kill $P; wait $P || true' sh "$ROOT/build/bin/cockpit-tray" "$work/data" "$work" "$shot"
cp "$work/tray.log" "$ARTIFACTS/tray.log"
test "$(grep -c '没有系统托盘' "$work/tray.log")" = 1 || { echo "the no-tray message must appear exactly once:"; cat "$work/tray.log"; exit 1; }
if grep -q 'cockpit-tray: .*cockpit.db' "$work/tray.log"; then echo "the tray could not read the workspace:"; cat "$work/tray.log"; exit 1; fi
colours=$(identify -format %k "$shot")
echo "tray window screenshot: $colours colours"
[ "$colours" -gt 50 ] || { echo "the tray window looks blank ($colours colours): $shot"; exit 1; }
