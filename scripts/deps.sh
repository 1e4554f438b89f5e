#!/usr/bin/env bash
# deps.sh [run|test]: install what a fresh Debian 12 machine lacks. Idempotent; safe to re-run.
source "$(dirname "$0")/lib.sh"
what=${1:-run}
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
pkgs=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.0-dev fonts-wqy-microhei
      libgl1-mesa-dev xorg-dev xvfb xauth dbus-x11 ca-certificates curl)
if [ "$what" = test ]; then
  pkgs+=(chromium imagemagick xdotool isync poppler-utils dovecot-core dovecot-imapd
         request-tracker5 rt5-db-sqlite rt5-standalone dbconfig-no-thanks msmtp-mta w3m sqlite3 gnome-keyring)
fi
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  # policy-rc.d keeps the system dovecot (and anything else) from starting on install: tests run their own.
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  $SUDO rm -f /usr/sbin/policy-rc.d
fi
if ! command -v wails >/dev/null || ! wails version 2>/dev/null | grep -q "${WAILS_VERSION}"; then
  log "go install wails ${WAILS_VERSION}"
  go install "github.com/wailsapp/wails/v2/cmd/wails@${WAILS_VERSION}"
fi
log "npm ci"
(cd "$ROOT/frontend" && npm ci --no-audit --no-fund --loglevel=error)
