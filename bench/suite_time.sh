#!/usr/bin/env bash
# Times the lab suite against the running lab (what `make infra` runs:
# tests/run-infra.sh, the parallel checks then the disruptive ones) and prints
# each phase's time and the slowest checks of each.
# Usage: bench/suite_time.sh [pytest -m expression, default "not diagnosis"]
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/suite_time
mkdir -p "$out"

echo "suite_time: tests/run-infra.sh against the running lab (log in $out/run-infra.log)"
status=0
tests/run-infra.sh "${1:-not diagnosis}" --durations=8 -p no:cacheprovider > "$out/run-infra.log" 2>&1 || status=$?
# Each phase's summary line and time, then its slowest checks.
awk '/^=== run-infra:/ {print "  " $0}
     /^run-infra: / {print "  " $0}
     /passed|failed/ && /^=+ / {print "    pytest: " $0}
     /^[0-9.]+s (call|setup|teardown) / && shown[phase]++ < 8 {print "      " $0}
     /^=== run-infra:/ {phase++}' "$out/run-infra.log"
exit "$status"
