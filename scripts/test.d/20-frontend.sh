# Frontend: bindings generated from the Go services, strict type check, Vitest.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
# The generator prints every known struct on stderr; keep that in a log unless it fails.
wails generate module >"$ARTIFACTS/wails-generate.log" 2>&1 || { cat "$ARTIFACTS/wails-generate.log"; exit 1; }
cd frontend
npx tsc --noEmit
npx vitest run
