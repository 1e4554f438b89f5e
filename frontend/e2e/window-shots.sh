#!/usr/bin/env bash
# window-shots.sh DATA_DIR OUT_DIR (run by scripts/test.d/50-window.sh inside run_gui).
# Drives the real Wails window and checks each screenshot.
set -euo pipefail
data=$1 out=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
user=zhang.wei password=cockpit-demo # the demo staff (backend/demo/staff.go)

import -window root "$out/window-blank.png"
COCKPIT_PAINT_LOG=1 "$root/build/bin/cockpit" --data-dir "$data" >"$out/window-app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true; wait $app 2>/dev/null || true' EXIT

# check NAME MIN_COLOURS: the screenshot differs from the blank frame in at least 30% of its pixels and has
# at least MIN_COLOURS distinct colours (text, icons and cards antialias into hundreds; a blank or single-colour
# WebView has a handful).
check() {
  local f="$out/window-$1.png" colours diff total
  colours=$(identify -format %k "$f")
  diff=$(compare -metric AE "$out/window-blank.png" "$f" null: 2>&1 || true)
  total=$(identify -format '%[fx:w*h]' "$f")
  echo "window-$1.png: $colours colours, $diff of $total pixels differ from the blank frame"
  [ "$colours" -ge "$2" ] || { echo "window-$1.png looks blank ($colours colours)"; return 1; }
  # compare prints large counts in scientific notation (1.296e+06): let awk do the arithmetic.
  awk -v d="$diff" -v t="$total" 'BEGIN { exit !(d * 100 / t >= 30) }' || { echo "window-$1.png is too close to the blank frame"; return 1; }
}
# wait_for_window: the WebKit window maps a few seconds after start.
wid=
for _ in $(seq 1 60); do
  wid=$(xdotool search --name '^Cockpit$' 2>/dev/null | head -1 || true)
  [ -n "$wid" ] && break
  kill -0 $app 2>/dev/null || { echo "cockpit exited:"; cat "$out/window-app.log"; exit 1; }
  sleep 1
done
[ -n "$wid" ] || { echo "no Cockpit window appeared"; cat "$out/window-app.log"; exit 1; }
sleep 6 # first paint of the sign-in screen
import -window root "$out/window-signin.png"
check signin 40
xdotool windowfocus --sync "$wid" 2>/dev/null || true
# The username field has autofocus: type the demo supervisor, Tab to the password, Enter signs in.
xdotool type --delay 40 "$user"; xdotool key Tab; xdotool type --delay 40 "$password"; xdotool key Return
sleep 8
import -window root "$out/window-board.png"
check board 200
# j selects the first card, Enter opens it.
xdotool key j; sleep 1; xdotool key Return; sleep 5
import -window root "$out/window-case.png"
check case 150
# g r jumps to the daily review.
xdotool key g r; sleep 8
import -window root "$out/window-review.png"
check review 150
if grep -q 'first-paint' "$out/window-app.log"; then grep 'first-paint' "$out/window-app.log"; fi
