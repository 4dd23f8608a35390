#!/usr/bin/env bash
# Times the lab suite against the running lab (what `make infra` runs: every
# check but the destructive diagnoses) and prints the slowest checks.
# Usage: bench/suite_time.sh [pytest -m expression for the whole run]
set -euo pipefail
cd "$(dirname "$0")/.."
die() { echo "suite_time: error: $*" >&2; exit 1; }
[[ -x .venv/bin/pytest ]] || die "host test tools missing: run host/test-deps.sh"
[[ -s .vagrant/ssh-config ]] || die "lab not up: no .vagrant/ssh-config (make up)"
hosts=$(ruby host/labfile.rb names | paste -sd,)
whole=${1:-not diagnosis}
out=bench/out/suite_time
mkdir -p "$out"

run() {   # LABEL MARKEXPR [pytest args...]: prints "LABEL  SECONDS  pytest's summary"
  local label=$1 expr=$2 start status=0; shift 2
  start=$(date +%s.%N)
  .venv/bin/pytest tests/infra --hosts="$hosts" --ssh-config=.vagrant/ssh-config -m "$expr" \
    -p no:cacheprovider -q "$@" > "$out/$label.log" 2>&1 || status=$?
  printf '  %-10s %7.1f s  %s\n' "$label" "$(echo "$(date +%s.%N) - $start" | bc)" "$(tail -n 1 "$out/$label.log")"
  return "$status"
}

echo "suite_time: lab suite against $hosts (logs in $out/)"
status=0
run whole "$whole" --durations=12 || status=$?
sed -n '/slowest/,/^=.*passed\|^=.*failed/p' "$out/whole.log" | grep -E '^[0-9.]+s ' | head -12 | sed 's/^/    /'
exit "$status"
