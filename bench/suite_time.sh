#!/usr/bin/env bash
# Times the lab suite as `make check` and `make infra` run it: each phase, the slowest checks.
# Usage: bench/suite_time.sh [pytest -m expression: time only that selection]
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/suite_time
mkdir -p "$out"

status=0
# time_run NAME SELECTION: one tests/run-infra.sh run, its log in $out/NAME.log.
time_run() {
  local name=$1 selection=$2 log=$out/$1.log started finished run_status=0
  started=$(date +%s%N)
  tests/run-infra.sh "$selection" --durations=8 -p no:cacheprovider > "$log" 2>&1 || run_status=$?
  finished=$(date +%s%N)
  awk -v ns=$((finished - started)) -v name="$name" -v selection="$selection" -v rc=$run_status -v logfile="$log" '
    BEGIN { printf "suite_time: %s (-m \"%s\"): %.1f s%s (log %s)\n", name, selection, ns / 1e9,
                   rc ? " FAILED, status " rc : "", logfile }
    /^lab suite: / { sub(/^lab suite: /, ""); print "  " $0 }
    /passed|failed|error/ && /^=+ / { gsub(/=+ ?/, ""); print "  pytest: " $0 }
    /^[0-9.]+s (call|setup|teardown) / && shown++ < 8 { print "      " $0 }' "$log"
  ((run_status == 0)) || status=$run_status
}

if (($#)); then
  time_run selection "$1"
else
  time_run exercise exercise
  echo "  target: the exercise's suite within 15 s"
  time_run others "not exercise and not diagnosis"
fi
exit "$status"
