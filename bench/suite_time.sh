#!/usr/bin/env bash
# Times the lab's checks as a learner and a maintainer run them: `make check` (RUNS times), then `make infra`'s other checks.
# Usage: bench/suite_time.sh [pytest -m expression: time only that selection of tests/infra]
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/suite_time
mkdir -p "$out"
[[ -s .vagrant/ssh-config ]] || { echo "suite_time: lab not up: no .vagrant/ssh-config (make up)" >&2; exit 2; }

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

# time_check: `make check` as a learner runs it (the lab's exercise, every task),
# RUNS times; the slowest checks of the last run from its pytest log.
time_check() {
  local runs=${RUNS:-3} i started finished times=() run_status
  for ((i = 1; i <= runs; i++)); do
    run_status=0
    started=$(date +%s%N)
    PYTEST_ADDOPTS="--durations=8" make -s check > "$out/check-$i.log" 2>&1 || run_status=$?
    finished=$(date +%s%N)
    times+=("$(awk -v ns=$((finished - started)) 'BEGIN {printf "%.1f", ns / 1e9}')")
    ((run_status == 0)) || { status=$run_status; echo "suite_time: make check run $i: status $run_status (log $out/check-$i.log)"; }
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v all="${times[*]}" -v mode="$(cat .vagrant/hbnb-lab/mode 2>/dev/null || echo reference)" '
    {a[NR] = $1} END {printf "suite_time: make check (%s lab): %s s; min %.1f s, median %.1f s (target: at most 10 s)\n",
                      mode, all, a[1], a[int((NR + 1) / 2)]}'
  cp .cache/check/last.log "$out/check-pytest.log" 2>/dev/null || true
  awk '/^[0-9.]+s (call|setup|teardown) / && shown++ < 8 { print "      " $0 }' "$out/check-pytest.log" 2>/dev/null || true
}

if (($#)); then
  time_run selection "$1"
else
  time_check
  time_run others "not exercise and not diagnosis"
fi
exit "$status"
