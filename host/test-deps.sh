#!/usr/bin/env bash
# Installs the host-side tools: .venv for the checks and the grader (--checks), or all the maintainers' test tools.
# Usage: host/test-deps.sh [--checks]
#   --checks  what `make check` and `make grade` need, without root, on any host with
#             Python 3.10+ (a student's Linux, macOS or WSL 2): .venv with
#             requirements-checks.txt; shellcheck installed if it can be, else said
#   (none)    the unit tests' and benchmarks' tools too (`make test`): Debian packages
#             (root: MariaDB, Chromium, Shellcheck, wrk, jQuery), .venv with requirements-dev.txt
# PYTHON picks the interpreter .venv is made with (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
lab_tool=test-deps
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh

# Every level: a Python for .venv and SSH for the checks (named if missing).
lab_require_tools checks

level=dev
case ${1:-} in
  --checks) level=checks ;;
  '') ;;
  *) lab_die "usage: host/test-deps.sh [--checks]" ;;
esac

if [[ $level == dev ]]; then
  mapfile -t missing < <(lab_missing_packages mariadb-server mariadb-client chromium chromium-driver \
                           shellcheck wrk libjs-jquery)
  if ((${#missing[@]})); then
    command -v apt-get >/dev/null 2>&1 || lab_die "the unit tests' tools are Debian packages (${missing[*]}): a Debian or Ubuntu host (make check and make grade do without them)"
    [[ $(id -u) -eq 0 ]] || lab_die "installing ${missing[*]} needs root: sudo make deps (make check and make grade do without them)"
    lab_log "installing ${missing[*]}"
    lab_apt_install "${missing[@]}"
  fi
elif ! command -v shellcheck >/dev/null 2>&1; then
  # Task 7's script is checked with it; without it that check says so and fails.
  if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
    lab_log "installing shellcheck"
    lab_apt_install shellcheck
  else
    lab_log "shellcheck is not installed: task 7's check of the reload script needs it (apt install shellcheck, brew install shellcheck)" >&2
  fi
fi

# The virtual environment is rebuilt only when its requirements change. Its stamp
# names the level, so a maintainer's .venv (dev) also serves the checks.
requirements_hash() { cat "$@" | lab_sha256; }
dev_stamp="dev $(requirements_hash requirements.txt requirements-checks.txt requirements-console.txt requirements-dev.txt)"
checks_stamp="checks $(requirements_hash requirements-checks.txt)"
stamp=.venv/.requirements.sha256
have=$(cat "$stamp" 2>/dev/null || true)
if [[ $level == dev ]]; then
  want=$dev_stamp requirements=requirements-dev.txt
else
  want=$checks_stamp requirements=requirements-checks.txt
  [[ $have == "$dev_stamp" ]] && want=$dev_stamp
fi
if [[ -x .venv/bin/python && $have == "$want" ]]; then
  exit 0
fi
if [[ ! -x .venv/bin/python ]]; then
  python=${PYTHON:-python3}
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null \
    || lab_die "the checks need Python 3.10 or later; $python is $("$python" -V 2>/dev/null || echo 'not found') (PYTHON=python3.12 make ... picks another)"
  lab_log "making .venv ($("$python" -V 2>&1))"
  "$python" -m venv .venv || { rm -rf .venv; lab_die "$python -m venv failed (on Debian or Ubuntu: apt install python3-venv)"; }
fi
lab_log "installing $requirements into .venv"
# (The host's pip configuration may list local index folders that do not hold
# every project; pip warns about each, which says nothing here.)
.venv/bin/python -m pip install -q --disable-pip-version-check -r "$requirements" 2>&1 \
  | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
((PIPESTATUS[0] == 0)) || lab_die "pip could not install $requirements into .venv (the error is above)"
echo "$want" > "$stamp"
