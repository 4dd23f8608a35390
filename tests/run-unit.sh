#!/usr/bin/env bash
# Unit and browser tests once per storage engine (file, then db); arguments go to pytest.
# HBNB_PYTEST: the pytest to run (default .venv/bin/pytest; noxfile.py gives its own).
set -euo pipefail
cd "$(dirname "$0")/.."

pytest_bin=${HBNB_PYTEST:-.venv/bin/pytest}
if [[ ! -x "$pytest_bin" ]]; then
  if [[ -n ${HBNB_PYTEST:-} ]]; then
    echo "run-unit: HBNB_PYTEST=$pytest_bin is not an executable" >&2
  else
    echo "run-unit: $pytest_bin missing: run host/test-deps.sh (make deps) first" >&2
  fi
  exit 1
fi

suites=(tests/unit)
if [[ -d tests/browser ]] && find tests/browser -name 'test_*.py' -print -quit | grep -q .; then
  suites+=(tests/browser)
fi

# Arguments naming existing files or directories (test ids included) are
# the suites to run; the others are pytest options.
pytest_args=()
paths=()
for arg in "$@"; do
  if [[ -e ${arg%%::*} ]]; then paths+=("$arg"); else pytest_args+=("$arg"); fi
done
if ((${#paths[@]})); then
  suites=("${paths[@]}")
fi

tests/mysql-server.sh

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT

declare -A results=()

run_engine() {
  local engine=$1
  shift
  echo "=== run-unit: ${engine} storage engine ==="
  if env "$@" "$pytest_bin" "${suites[@]}" -q "${pytest_args[@]}"; then
    results[$engine]=passed
  else
    results[$engine]=FAILED
  fi
}

run_engine file -u HBNB_MYSQL_DB HBNB_TYPE_STORAGE=file \
  HBNB_FILE_STORAGE_PATH="$workdir/file.json"
# The test twin of setup_mysql_test.sql, which tests/mysql-server.sh applied.
run_engine db -u HBNB_MYSQL_PORT HBNB_TYPE_STORAGE=db HBNB_ENV=test \
  HBNB_MYSQL_USER=hbnb_test HBNB_MYSQL_PWD=hbnb_test_pwd \
  HBNB_MYSQL_HOST=127.0.0.1 HBNB_MYSQL_DB=hbnb_test_db

status=0
for engine in file db; do
  echo "run-unit: ${engine} engine: ${results[$engine]}"
  [[ ${results[$engine]} == passed ]] || status=1
done
exit "$status"
