# Shared helpers for scripts/*.sh (sourced, not run).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$PATH:/usr/local/go/bin:$(go env GOPATH 2>/dev/null || echo /root/go)/bin"
export ARTIFACTS=${ARTIFACTS:-$ROOT/artifacts}
mkdir -p "$ARTIFACTS"
WAILS_VERSION=v2.16.0
log() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# run_gui CMD...: run a command on a throwaway X display inside its own D-Bus session. XVFB_ARGS adds
# server options (bench-board: -fbdir, to read the screen without screenshots).
run_gui() { xvfb-run -a -s "-screen 0 1440x900x24 ${XVFB_ARGS:-}" dbus-run-session -- "$@"; }
