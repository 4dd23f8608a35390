#!/usr/bin/env bash
# Downloads the machines' wheels into .cache/wheels (offline installs) for their Python, when the pins change.
# Usage: host/wheelhouse.sh [VERSION...]   Python versions (3.11 ...); default: the
# Python of the system the lab's machines are built from (lab.yml systems.<s>.python).
set -euo pipefail
cd "$(dirname "$0")/.."
lab_tool=wheelhouse
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh

wheels=.cache/wheels
if (($#)); then
  pythons=("$@")
else
  system=$(lab_rb host/labfile.rb system lxc)
  pythons=("$(lab_rb host/labfile.rb get "systems.$system.python")")
fi
# The machines run on the host's CPU (containers, and VMs without emulation).
case $(uname -m) in
  x86_64|amd64) cpu=x86_64 ;;
  aarch64|arm64) cpu=aarch64 ;;
  *) lab_die "no wheels for CPU $(uname -m) (x86_64 and aarch64 have them)" ;;
esac
# Practice mode installs the apps' pins globally with the curriculum's Gunicorn.
practice_gunicorn=$(lab_rb host/labfile.rb get practice.gunicorn_version)
stamp=$({ cat requirements.txt "$0"; echo "$practice_gunicorn"; } | lab_sha256)
todo=()
for version in "${pythons[@]}"; do
  [[ "$(cat "$wheels/.stamp-$version" 2>/dev/null)" == "$stamp" ]] || todo+=("$version")
done
if ((${#todo[@]} == 0)); then
  lab_log "up to date for Python ${pythons[*]} ($(find "$wheels" -name '*.whl' | wc -l) wheels)"
  exit 0
fi

# The host's pip, in a bare virtual environment of its own (a system's python3 may
# have no pip; the checks' .venv is not needed to bring the lab up).
pip_venv=.cache/pip-venv
if [[ ! -x $pip_venv/bin/python ]]; then
  python3 -m venv "$pip_venv" || { rm -rf "$pip_venv"; lab_die "python3 -m venv failed (Debian, Ubuntu: apt install python3-venv)"; }
fi
pip=("$pip_venv/bin/python" -m pip)

# The pins that apply to Python VERSION: pip downloads for another version, but
# judges the pins' markers by its own.
pins_for() {
  "$pip_venv/bin/python" - "$1" requirements.txt <<'PY'
import sys
from pip._vendor.packaging.requirements import Requirement
version, path = sys.argv[1], sys.argv[2]
for line in open(path):
    line = line.split("#", 1)[0].strip()
    if line:
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate({"python_version": version, "python_full_version": version + ".0"}):
            req.marker = None
            print(req)
PY
}
# (The host's pip configuration may list local index folders that do not hold
# every project; pip warns about each, which says nothing here.)
quiet_pip() { "${pip[@]}" "$@" 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }; }
mkdir -p "$wheels"
for version in "${todo[@]}"; do
  lab_log "downloading for Python $version"
  # Into a folder of its own first: an interrupted download never passes for a
  # complete one (the stamp is written last).
  partial=$wheels.partial-$version
  rm -rf "$partial"
  mkdir -p "$partial"
  pins_for "$version" > "$partial/pins.txt"
  quiet_pip download --quiet --disable-pip-version-check --dest "$partial" \
    --only-binary=:all: --implementation cp --python-version "$version" \
    --platform "manylinux_2_28_$cpu" --platform "manylinux_2_17_$cpu" \
    --platform "manylinux2014_$cpu" -r "$partial/pins.txt"
  ((PIPESTATUS[0] == 0)) || lab_die "pip download failed for Python $version"
  # Practice mode's Gunicorn (pure Python, with what it needs), beside the apps' own.
  quiet_pip download --quiet --disable-pip-version-check --dest "$partial" --only-binary=:all: \
    --python-version "$version" "gunicorn==$practice_gunicorn"
  ((PIPESTATUS[0] == 0)) || lab_die "pip download failed for gunicorn==$practice_gunicorn (lab.yml practice.gunicorn_version)"
  mv -f "$partial"/*.whl "$wheels/"
  rm -rf "$partial"
  echo "$stamp" > "$wheels/.stamp-$version"
done
lab_log "$(find "$wheels" -name '*.whl' | wc -l) wheels in $wheels (Python ${pythons[*]})"
