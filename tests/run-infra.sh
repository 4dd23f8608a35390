#!/usr/bin/env bash
# Runs the lab suite against the running lab: the checks that only look, side by side.
# Then, in a second pytest without -n, the disruptive ones (stop, kill, reload, reboot,
# re-provision), one at a time, so no check sees another one's breakage.
# Usage: tests/run-infra.sh [MARK-EXPRESSION] [pytest args...]
#   MARK-EXPRESSION selects the checks (default "not diagnosis"; "exercise": the
#   exercise's suite, `make check`). INFRA_WORKERS (default 3) sets -n; 0: no xdist.
set -euo pipefail
cd "$(dirname "$0")/.."

[[ -x .venv/bin/python ]] || { echo "run-infra: .venv missing: make check-deps (host/test-deps.sh --checks)" >&2; exit 1; }
ssh_config=.vagrant/ssh-config
[[ -s $ssh_config ]] || { echo "run-infra: lab not up: no $ssh_config (make up)" >&2; exit 2; }

selection="not diagnosis"
if (($#)) && [[ $1 != -* ]]; then   # a first argument that is an option goes to pytest
  selection=$1
  shift
fi
hosts=$(.venv/bin/python -c 'from labtools import labdata; print(",".join(labdata.names()))')
# --junitxml=FILE: each run writes its own, joined into FILE at the end.
junit='' args=()
for arg in "$@"; do
  if [[ $arg == --junitxml=* ]]; then junit=${arg#--junitxml=}; else args+=("$arg"); fi
done
set -- "${args[@]}"
workers=()
((${INFRA_WORKERS:-3} > 0)) && workers=(-n "${INFRA_WORKERS:-3}")

# phase NAME MARK-EXPRESSION [pytest args...]: one pytest run; 5 (nothing selected) is fine.
status=0
phase() {
  local name=$1 expression=$2 began=$SECONDS run_status=0 report=(); shift 2
  [[ -z $junit ]] || report=("--junitxml=$junit.$((++runs))")
  echo "=== run-infra: $name: -m \"$expression\" on $hosts ==="
  tests/lab-pytest.sh tests/infra -m "$expression" --hosts="$hosts" --ssh-config="$ssh_config" "${report[@]}" "$@" \
    || run_status=$?
  case $run_status in
    0|5) ;;
    2) echo "run-infra: stopped (lab not up? see above)" >&2 ;;
    3) echo "run-infra: pytest internal error (with -n, also what a misspelt marker gives: pytest --markers)" >&2 ;;
    4) echo "run-infra: pytest usage error" >&2 ;;
    *) echo "run-infra: checks FAILED (status $run_status)" >&2 ;;
  esac
  echo "lab suite: $name: $((SECONDS - began)) s"
  ((run_status == 0 || run_status == 5)) || status=$run_status
  ((run_status != 5)) || ((++empty))
}
empty=0 runs=0
started=$SECONDS
phase "checks that only look" "($selection) and not disruptive" "${workers[@]}" "$@"
((status == 2)) || phase "disruptive checks, one at a time" "($selection) and disruptive" "$@"
if [[ -n $junit ]]; then
  .venv/bin/python - "$junit" "$junit".* <<'PY'
import sys, xml.etree.ElementTree as ET
joined = ET.Element("testsuites")
for part in sys.argv[2:]:
    joined.extend(ET.parse(part).getroot().iter("testsuite"))
ET.ElementTree(joined).write(sys.argv[1], encoding="utf-8", xml_declaration=True)
PY
  rm -f "$junit".*
fi
if ((empty == 2)); then
  echo "run-infra: no check matches -m \"$selection\"" >&2
  status=5
fi
echo "run-infra: lab suite in $((SECONDS - started)) s"
exit "$status"
