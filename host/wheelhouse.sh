#!/usr/bin/env bash
# Downloads the machines' wheels into .cache/wheels (offline installs), when the pins change.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh

log() { echo "wheelhouse: $*"; }
die() { echo "wheelhouse: error: $*" >&2; exit 1; }

wheels=.cache/wheels
pythons=(3.11 3.10 3.12)   # Debian 12 (the LXC box), Ubuntu 22.04, Ubuntu 24.04
# Practice mode installs the apps' pins globally with the curriculum's Gunicorn.
practice_gunicorn=$(lab_rb host/labfile.rb get practice.gunicorn_version)
stamp=$({ cat requirements.txt "$0"; echo "$practice_gunicorn"; } | sha256sum | cut -d' ' -f1)
if [[ "$(cat "$wheels/.stamp" 2>/dev/null)" == "$stamp" ]]; then
  log "up to date ($(find "$wheels" -name '*.whl' | wc -l) wheels)"
  exit 0
fi

if [[ -x .venv/bin/python ]]; then pip=(.venv/bin/python -m pip); else pip=(python3 -m pip); fi
"${pip[@]}" --version >/dev/null 2>&1 || die "pip is not available on the host (python3 -m pip)"

# Into a fresh folder first: an interrupted download never passes for a complete one.
partial=$wheels.partial
rm -rf "$partial"
mkdir -p "$partial"
for version in "${pythons[@]}"; do
  log "downloading for Python $version"
  # (The host's pip configuration may list local index folders that do not hold
  # every project; pip warns about each, which says nothing here.)
  "${pip[@]}" download --quiet --disable-pip-version-check --dest "$partial" \
    --only-binary=:all: --implementation cp --python-version "$version" \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux2014_x86_64 \
    -r requirements.txt 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
  ((PIPESTATUS[0] == 0)) || die "pip download failed for Python $version"
done
# Practice mode's Gunicorn (pure Python, with what it needs), beside the apps' own.
"${pip[@]}" download --quiet --disable-pip-version-check --dest "$partial" --only-binary=:all: \
  "gunicorn==$practice_gunicorn" 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
((PIPESTATUS[0] == 0)) || die "pip download failed for gunicorn==$practice_gunicorn (lab.yml practice.gunicorn_version)"
echo "$stamp" > "$partial/.stamp"
rm -rf "$wheels"
mv "$partial" "$wheels"
log "$(find "$wheels" -name '*.whl' | wc -l) wheels in $wheels"
