#!/usr/bin/env bash
# test.sh: everything `make test` runs. Each step is a file in scripts/test.d, run in name order;
# a failing step fails the run after the remaining steps have reported.
source "$(dirname "$0")/lib.sh"
"$ROOT/scripts/deps.sh" test
# deps.sh installed every tool, so a test that finds one missing must fail, not skip.
export COCKPIT_CI=1
failed=()
for step in "$ROOT"/scripts/test.d/*.sh; do
  name=$(basename "$step" .sh)
  log "test step $name"
  start=$(date +%s)
  if bash "$step"; then
    echo "-- $name ok ($(( $(date +%s) - start )) s)"
  else
    echo "-- $name FAILED ($(( $(date +%s) - start )) s)"
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED steps: ${failed[*]}"; exit 1
fi
echo "all test steps passed; artifacts in $ARTIFACTS"
