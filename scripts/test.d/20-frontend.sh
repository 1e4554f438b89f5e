# Frontend: bindings generated from the Go services, strict type check, Vitest.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
wails generate module >/dev/null
cd frontend
npx tsc --noEmit
npx vitest run
