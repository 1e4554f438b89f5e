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

# With a tray host: fakehost stands in for the desktop's host (which cannot run here), reads the real menu
# over D-Bus as Plasma or AppIndicator would, and clicks the first case; the tray must then launch cockpit
# with --case N (a stub cockpit records its arguments).
go build -o "$work/fakehost" ./app/tray/fakehost
printf '#!/bin/sh\necho "$@" >>"%s"\n' "$work/launched" >"$work/cockpit-stub"
chmod +x "$work/cockpit-stub"
run_gui sh -c '
  "$1" --wait-for "#" --click "#" >"$2/menu.txt" 2>&1 & H=$!
  sleep 1
  LANG=en_US.UTF-8 "$3" --data-dir "$4" --cockpit "$2/cockpit-stub" >"$2/tray-host.log" 2>&1 & P=$!
  wait $H; rc=$?
  sleep 2; kill $P; wait $P; exit $rc' sh "$work/fakehost" "$work" "$ROOT/build/bin/cockpit-tray" "$work/data" \
  || { cat "$work/menu.txt" "$work/tray-host.log"; exit 1; }
cp "$work/menu.txt" "$ARTIFACTS/tray-menu.txt"
for line in '^Clocks breached: [0-9]+$' '^Due within 1h: [0-9]+$' '^Open incidents: [1-9][0-9]*$' '^Red alerts$' '^Open Cockpit$' '^Quit$'; do
  grep -Eq "$line" "$work/menu.txt" || { echo "tray menu lacks $line:"; cat "$work/menu.txt"; exit 1; }
done
if grep -q 'No system tray' "$work/tray-host.log"; then echo "the tray missed the host:"; cat "$work/tray-host.log"; exit 1; fi
clicked=$(sed -n 's/^clicked: #\([0-9][0-9]*\) .*/\1/p' "$work/menu.txt")
grep -qx -- "--data-dir $work/data --case $clicked" "$work/launched" \
  || { echo "clicking case $clicked launched: $(cat "$work/launched" 2>/dev/null)"; exit 1; }
echo "tray menu OK; clicking case $clicked opened cockpit --case $clicked"
