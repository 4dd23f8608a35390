#!/usr/bin/env bash
# 0x0E's start state on a web server: Nginx runs, but its enabled default site is a copy of its own that listens on 8080, not a link to the available one (port 80).
set -euo pipefail
if ! command -v nginx >/dev/null 2>&1 || [[ ! -s /var/lib/hbnb-lab/practice-state/trees ]]; then
  hbnb-provision web >/dev/null
fi
hbnb-practice-reset >/dev/null
available=/etc/nginx/sites-available/default enabled=/etc/nginx/sites-enabled/default
# The break, as the exercise's container has it: what is enabled is no longer
# what is available (IPv4 and IPv6 on 8080); Nginx restarted on it.
rm -f "$enabled"
sed -E 's/^([[:space:]]*listen[[:space:]]+)80([[:space:];])/\18080\2/; s/^([[:space:]]*listen[[:space:]]+\[::\]:)80([[:space:];])/\18080\2/' \
  "$available" > "$enabled"
grep -qE '^[[:space:]]*listen[[:space:]]+8080' "$enabled" || { echo "start: no listen 80 in $available to break" >&2; exit 1; }
nginx -t -q
systemctl restart nginx
echo "Nginx on port 8080 only: curl 127.0.0.1 is refused"
