#!/usr/bin/env bash
# Downloads the machines' wheels into .cache/wheels (offline installs), when the pins change.
set -euo pipefail
cd "$(dirname "$0")/.."
lab_tool=wheelhouse
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh


wheels=.cache/wheels
# The machines' system Pythons: Debian 11, Ubuntu 22.04, Debian 12, Ubuntu 24.04, Debian 13.
pythons=(3.9 3.10 3.11 3.12 3.13)
# The machines run on the host's CPU (containers, and VMs without emulation).
case $(uname -m) in
  x86_64|amd64) cpu=x86_64 ;;
  aarch64|arm64) cpu=aarch64 ;;
  *) lab_die "no wheels for CPU $(uname -m) (x86_64 and aarch64 have them)" ;;
esac
# Practice mode installs the apps' pins globally with the curriculum's Gunicorn.
practice_gunicorn=$(lab_rb host/labfile.rb get practice.gunicorn_version)
stamp=$({ cat requirements.txt "$0"; echo "$practice_gunicorn"; } | sha256sum | cut -d' ' -f1)
if [[ "$(cat "$wheels/.stamp" 2>/dev/null)" == "$stamp" ]]; then
  lab_log "up to date ($(find "$wheels" -name '*.whl' | wc -l) wheels)"
  exit 0
fi

# The host's pip: .venv's (made if missing: a system's python3 may have no pip).
[[ -x .venv/bin/python ]] || host/test-deps.sh --checks
pip=(.venv/bin/python -m pip)

# Into a fresh folder first: an interrupted download never passes for a complete one.
partial=$wheels.partial
rm -rf "$partial"
mkdir -p "$partial"
# The pins that apply to Python VERSION: pip downloads for another version, but
# judges the pins' markers by its own.
pins_for() {
  "${pip[@]:0:1}" - "$1" requirements.txt <<'PY'
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
for version in "${pythons[@]}"; do
  lab_log "downloading for Python $version"
  pins_for "$version" > "$partial.pins"
  # (The host's pip configuration may list local index folders that do not hold
  # every project; pip warns about each, which says nothing here.)
  "${pip[@]}" download --quiet --disable-pip-version-check --dest "$partial" \
    --only-binary=:all: --implementation cp --python-version "$version" \
    --platform "manylinux_2_28_$cpu" --platform "manylinux_2_17_$cpu" \
    --platform "manylinux2014_$cpu" \
    -r "$partial.pins" 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
  ((PIPESTATUS[0] == 0)) || lab_die "pip download failed for Python $version"
done
rm -f "$partial.pins"
# Practice mode's Gunicorn (pure Python, with what it needs), beside the apps' own.
"${pip[@]}" download --quiet --disable-pip-version-check --dest "$partial" --only-binary=:all: \
  "gunicorn==$practice_gunicorn" 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
((PIPESTATUS[0] == 0)) || lab_die "pip download failed for gunicorn==$practice_gunicorn (lab.yml practice.gunicorn_version)"
echo "$stamp" > "$partial/.stamp"
rm -rf "$wheels"
mv "$partial" "$wheels"
lab_log "$(find "$wheels" -name '*.whl' | wc -l) wheels in $wheels"
