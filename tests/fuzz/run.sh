#!/usr/bin/env bash
# Runs the libFuzzer targets of a KIOSK_FUZZ build for a fixed time each (`make fuzz` calls this).
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS TARGET...
#
# Each target starts from the seed corpus in the repository (tests/fuzz/corpus/<target>/, read only),
# the saved findings (tests/fuzz/regressions/<target>/) and what earlier runs found
# (BUILD_DIR/fuzz-corpus/<target>/, where new inputs are written).
# A crash, a failed invariant, a timeout (FUZZ_TIMEOUT s per input, default 10), memory beyond
# FUZZ_RSS_MB (default 1536) or a leak is saved to BUILD_DIR/fuzz-findings/<target>/ and makes the
# run fail; turn it into a regression with tests/fuzz/regressions/README.md. Runs under
# `nice -n FUZZ_NICE` (default 15): the machine is shared.
# FUZZ_FINDINGS=report prints and saves a new finding but exits 0 (`.ci/run`: a time-bounded run
# explores differently on every machine, so a finding there is news to act on, not a verdict on
# the commit; the saved seeds and regressions are replayed as a gate by `make test`). Default: fail.
# Prints one line per target: executions, exec/s, coverage (libFuzzer's cov: edges and ft:
# features), corpus size, peak memory; the full logs stay in BUILD_DIR/fuzz-logs/.
set -uo pipefail

if [ $# -lt 3 ]; then
  echo "usage: $0 BUILD_DIR SECONDS TARGET..." >&2
  exit 2
fi
build=$1
seconds=$2
shift 2
source_dir=$(cd "$(dirname "$0")" && pwd)
timeout_s=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-1536}
nice_level=${FUZZ_NICE:-15}

mkdir -p "$build/fuzz-logs"
# Targets that need files make them under TMPDIR, removed at the end. A RAM disk when there is one:
# the pack targets write a pack and fsync it for most inputs.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  scratch=$(mktemp -d /dev/shm/kiosk-fuzz-XXXXXX)
else
  scratch=$(mktemp -d "$build/fuzz-tmp-XXXXXX")
fi
trap 'rm -rf "$scratch"' EXIT
export TMPDIR=$scratch
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
# UBSan findings abort (the build has -fno-sanitize-recover); print a stack for them.
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

printf '%-12s %10s %8s %8s %8s %8s %8s %8s  %s\n' target execs exec/s cov ft corpus new rss_mb result
failed=0
for target in "$@"; do
  exe=$build/tests/fuzz/kiosk-fuzz-$target
  if [ ! -x "$exe" ]; then
    echo "$exe is missing: build it with \`make fuzz-build\`" >&2
    exit 2
  fi
  corpus=$build/fuzz-corpus/$target
  findings=$build/fuzz-findings/$target
  log=$build/fuzz-logs/$target.log
  mkdir -p "$corpus" "$findings"
  before=$(find "$findings" -type f | wc -l)
  extra=()
  [ -f "$source_dir/dict/$target.dict" ] && extra+=("-dict=$source_dir/dict/$target.dict")
  # The saved findings run first too, under libFuzzer's memory and time limits, which the CTest
  # replay (tests/fuzz/CMakeLists.txt) does not have.
  regressions=()
  [ -d "$source_dir/regressions/$target" ] && regressions+=("$source_dir/regressions/$target")
  nice -n "$nice_level" "$exe" -max_total_time="$seconds" -print_final_stats=1 -timeout="$timeout_s" \
    -rss_limit_mb="$rss_mb" -artifact_prefix="$findings/" "${extra[@]}" \
    "$corpus" "$source_dir/corpus/$target" "${regressions[@]}" >"$log" 2>&1
  rc=$?
  after=$(find "$findings" -type f | wc -l)
  stat() { grep -o "^stat::$1: *[0-9]*" "$log" | tail -1 | grep -o '[0-9]*$'; }
  last=$(grep -E '^#[0-9]+' "$log" | grep ' cov: ' | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  result=ok
  if [ "$rc" -ne 0 ] || [ "$after" -gt "$before" ]; then
    result="FOUND (exit $rc): $(ls -t "$findings" | head -1) -- see $log"
    failed=1
  fi
  printf '%-12s %10s %8s %8s %8s %8s %8s %8s  %s\n' "$target" "$(stat number_of_executed_units)" \
    "$(stat average_exec_per_sec)" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$(stat new_units_added)" \
    "$(stat peak_rss_mb)" "$result"
  if [ "$result" != ok ]; then
    grep -m1 -E 'Assertion|fuzz invariant failed|runtime error|ERROR: |SUMMARY' "$log" | sed 's/^/    /'
  fi
done
if [ "$failed" -ne 0 ] && [ "${FUZZ_FINDINGS:-fail}" = report ]; then
  echo "FUZZ FINDING (reported, not failing this run): reproduce with the saved input named above," \
    "then add it to tests/fuzz/regressions/ (tests/fuzz/regressions/README.md)"
  exit 0
fi
exit $failed
