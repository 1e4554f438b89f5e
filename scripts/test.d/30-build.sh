# The production binary (frontend embedded), used by the later GUI steps.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
wails build -trimpath -ldflags "-X cockpit/backend/version.Version=$(git describe --always --dirty 2>/dev/null || echo dev)" \
  >"$ARTIFACTS/wails-build.log" 2>&1 || { cat "$ARTIFACTS/wails-build.log"; exit 1; }
test -x build/bin/cockpit
build/bin/cockpit version
