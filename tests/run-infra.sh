#!/usr/bin/env bash
# Runs the lab suite against the running lab, in one pytest run of INFRA_WORKERS
# processes (pytest-xdist, default 3): the checks that only look side by side,
# then the disruptive ones (marker `disruptive`: stop, kill, reload, reboot,
# re-provision) one at a time, after all of those (tests/infra/phases.py), so no
# check sees another one's breakage. Prints each phase's time; exits as pytest.
# Usage: tests/run-infra.sh [MARK-EXPRESSION] [pytest args...]
#   MARK-EXPRESSION selects the checks (default "not diagnosis": the destructive
#   tests of the tests are `make diagnose`'s; "exercise": the exercise's suite,
#   `make check`). INFRA_WORKERS=0 runs everything in this process.
set -euo pipefail
cd "$(dirname "$0")/.."

[[ -x .venv/bin/python ]] || { echo "run-infra: .venv missing: run host/test-deps.sh (make deps)" >&2; exit 1; }
ssh_config=.vagrant/ssh-config
[[ -s $ssh_config ]] || { echo "run-infra: lab not up: no $ssh_config (make up)" >&2; exit 2; }

selection="not diagnosis"
if (($#)) && [[ $1 != -* ]]; then   # a first argument that is an option goes to pytest
  selection=$1
  shift
fi
hosts=$(.venv/bin/python -c 'from labtools import labdata; print(",".join(m["name"] for m in labdata.machines()))')

echo "=== run-infra: -m \"$selection\" on $hosts ==="
started=$SECONDS
status=0
tests/lab-pytest.sh tests/infra -m "$selection" -n "${INFRA_WORKERS:-3}" --hosts="$hosts" --ssh-config="$ssh_config" "$@" \
  || status=$?
case $status in
  0) ;;
  2) echo "run-infra: stopped (lab not up? see above)" >&2 ;;
  3) echo "run-infra: pytest internal error (with -n, also what a misspelt marker gives: pytest --markers)" >&2 ;;
  4) echo "run-infra: pytest usage error" >&2 ;;
  5) echo "run-infra: no check matches -m \"$selection\"" >&2 ;;
  *) echo "run-infra: checks FAILED (status $status)" >&2 ;;
esac
echo "run-infra: lab suite in $((SECONDS - started)) s"
exit "$status"
