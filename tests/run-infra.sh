#!/usr/bin/env bash
# Runs the lab suite against the running lab in two phases: the checks that only
# look, side by side (pytest-xdist), then the disruptive ones (marker `disruptive`:
# stop, kill, reload, reboot, re-provision) one at a time, so no check ever sees
# another one's breakage. Prints each phase's time; exits non-zero if either failed.
# Usage: tests/run-infra.sh [MARK-EXPRESSION [pytest args...]]
#   MARK-EXPRESSION selects within both phases (default "not diagnosis": the
#   destructive tests of the tests are `make diagnose`'s). INFRA_WORKERS (default 3)
#   sets the parallel phase's processes; 0 runs it in this process.
set -euo pipefail
cd "$(dirname "$0")/.."

[[ -x .venv/bin/python ]] || { echo "run-infra: .venv missing: run host/test-deps.sh (make deps)" >&2; exit 1; }
ssh_config=.vagrant/ssh-config
[[ -s $ssh_config ]] || { echo "run-infra: lab not up: no $ssh_config (make up)" >&2; exit 2; }

selection=${1:-not diagnosis}
(($#)) && shift
hosts=$(.venv/bin/python -c 'from labtools import labdata; print(",".join(m["name"] for m in labdata.machines()))')
workers=${INFRA_WORKERS:-3}

# pytest's exit codes that mean the run itself could not go on.
explain() {
  case $1 in
    2) echo "run-infra: stopped (lab not up? see above)" >&2 ;;
    3) echo "run-infra: pytest internal error (with -n, also what a misspelt marker gives: pytest --markers)" >&2 ;;
    4) echo "run-infra: pytest usage error" >&2 ;;
  esac
}

# PHASE EXPRESSION [pytest args...]: one pytest run; sets REPLY to its exit status
# (5, nothing selected, counts as success: a selection may lie in one phase only;
# none in either phase is exit 5 at the end).
empty_phases=0
phase() {
  local name=$1 expr=$2 start=$SECONDS status=0
  shift 2
  echo "=== run-infra: $name checks (-m \"$expr\") ==="
  tests/lab-pytest.sh tests/infra -m "$expr" --hosts="$hosts" --ssh-config="$ssh_config" "$@" || status=$?
  ((status == 5)) && { echo "run-infra: no $name check selected"; status=0; empty_phases=$((empty_phases + 1)); }
  echo "run-infra: $name checks: $( ((status == 0)) && echo passed || echo "FAILED (status $status)") in $((SECONDS - start)) s"
  REPLY=$status
}

started=$SECONDS
phase parallel "not disruptive and ($selection)" -n "$workers" "$@"
first=$REPLY
if ((first == 2 || first == 3 || first == 4)); then
  explain "$first"
  exit "$first"
fi
phase disruptive "disruptive and ($selection)" "$@"
second=$REPLY
explain "$second"
echo "run-infra: lab suite in $((SECONDS - started)) s"
((empty_phases < 2)) || { echo "run-infra: no check matches -m \"$selection\"" >&2; exit 5; }
((first == 0)) || exit "$first"
exit "$second"
