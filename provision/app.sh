#!/usr/bin/env bash
# Step of the db and web machines: the application and its virtual environment.
# It needs no other machine, so make up runs it with the first wave (the db role
# seeds from this copy; the web role's services run it). New code reloads the apps'
# services (HUP: no request lost); new packages or interpreter restart them.
set -euo pipefail
# shellcheck source=provision/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_init app

# Practice mode: a web server is the student's (no reference layout); the db
# machine still seeds from the application.
if [[ $(fact mode) == practice ]] && ! has_role db; then
  log "practice mode: the student's server has no reference layout"
  summary
  exit 0
fi
ensure_app_user
if deploy_app; then
  while read -r unit; do notify "$unit" reload; done < <(app_units)
fi
if ensure_venv; then
  while read -r unit; do notify "$unit" restart; done < <(app_units)
fi
handlers_flush
summary
