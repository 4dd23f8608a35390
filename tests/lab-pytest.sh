#!/usr/bin/env bash
# Runs pytest for the lab suite (tests/infra) with only the plugins it uses:
# testinfra and pytest-xdist. The host's other pytest plugins (hypothesis,
# schemathesis, anyio: the unit tests') cost 1.7 s of start-up in every process,
# the controller's and each xdist worker's alike. Arguments go to pytest.
set -euo pipefail
pytest_bin=$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/pytest
[[ -x $pytest_bin ]] || { echo "lab-pytest: $pytest_bin missing: run host/test-deps.sh (make deps)" >&2; exit 1; }
PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 exec "$pytest_bin" -p testinfra.plugin -p xdist.plugin "$@"
