#!/usr/bin/env bash
# Unit and browser tests once per storage engine (file and db, side by side); arguments go to pytest.
# HBNB_PYTEST: the pytest to run (default .venv/bin/pytest; noxfile.py gives its own).
# UNIT_JOBS=1: the engines one after the other, output unprefixed (for --pdb, or a
# machine with one core); by default both run at once, each line prefixed [file]/[db].
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

# tests/host (the host scripts: Bash, Ruby) with the file engine only: they do
# not depend on the storage engine.
suites=(tests/unit tests/host)
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

# Each engine's pytest is a single process: on two cores the two take turns on
# nothing but port 5000, which the tests that need it lock (tests/unit/conftest.py).
# Only the db run uses the database (tests/conftest.py locks it per run).
run_engine() {   # run_engine ENGINE: pytest on the suites; its verdict in $workdir/ENGINE
  local engine=$1 verdict=FAILED environment
  case $engine in
    file) environment=(-u HBNB_MYSQL_DB HBNB_TYPE_STORAGE=file HBNB_FILE_STORAGE_PATH="$workdir/file.json") ;;
    # The test twin of setup_mysql_test.sql, which tests/mysql-server.sh applied.
    db) environment=(-u HBNB_MYSQL_PORT HBNB_TYPE_STORAGE=db HBNB_ENV=test
                     HBNB_MYSQL_USER=hbnb_test HBNB_MYSQL_PWD=hbnb_test_pwd
                     HBNB_MYSQL_HOST=127.0.0.1 HBNB_MYSQL_DB=hbnb_test_db) ;;
  esac
  local skip=()
  [[ $engine == file ]] || skip=(--ignore=tests/host)
  echo "=== run-unit: ${engine} storage engine ==="
  if env "${environment[@]}" "$pytest_bin" "${suites[@]}" -q "${skip[@]}" "${pytest_args[@]}"; then verdict=passed; fi
  echo "$verdict" > "$workdir/$engine"
}

pids=()
for engine in file db; do
  if [[ ${UNIT_JOBS:-2} == 1 ]]; then
    run_engine "$engine"
  else
    # Lines, not bytes, prefixed: pytest's progress shows as each line of dots ends.
    { run_engine "$engine" 2>&1 | sed -u "s/^/[$engine] /"; } &
    pids+=($!)
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || true; done

status=0
for engine in file db; do
  verdict=$(cat "$workdir/$engine" 2>/dev/null || echo "FAILED (no verdict)")
  echo "run-unit: ${engine} engine: $verdict"
  [[ $verdict == passed ]] || status=1
done
exit "$status"
