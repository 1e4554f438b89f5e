# The production binary (frontend embedded), used by the later GUI steps.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
wails build -s -trimpath >/dev/null 2>"$ARTIFACTS/wails-build.log" || wails build -trimpath
test -x build/bin/cockpit
build/bin/cockpit version
