#!/usr/bin/env bash
# Tests are hermetic: no test may create the real data folder or config folder of a display.
# CTest runs "before" first (FIXTURES_SETUP) and "after" last (FIXTURES_CLEANUP) around every
# test; "after" fails when a folder that did not exist before exists now.
# Usage: hermetic_check.sh before|after STATE_FILE
set -euo pipefail
mode=$1
state=$2
folders=(/var/lib/kiosk /etc/kiosk)
case "$mode" in
  before)
    : >"$state"
    for folder in "${folders[@]}"; do
      [ -e "$folder" ] && echo "$folder" >>"$state"
    done
    echo "already present before the tests: $(tr '\n' ' ' <"$state")"
    ;;
  after)
    failed=0
    for folder in "${folders[@]}"; do
      if [ -e "$folder" ] && ! grep -qxF "$folder" "$state"; then
        echo "FAIL: $folder was created by the test run; a test runs kiosk without its own --data-dir/--config"
        failed=1
      fi
    done
    [ "$failed" = 0 ] && echo "PASS: no test created ${folders[*]}"
    exit "$failed"
    ;;
  *)
    echo "usage: $0 before|after STATE_FILE" >&2
    exit 2
    ;;
esac
