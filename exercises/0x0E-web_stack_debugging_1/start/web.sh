#!/usr/bin/env bash
# 0x0E's start state on a web server: the exercise container's break (an enabled site of its own on 8080, served by an Nginx master the init system does not know).
set -euo pipefail
if ! command -v nginx >/dev/null 2>&1 || [[ ! -s /var/lib/hbnb-lab/practice-state/trees || ! -d /var/www/html ]]; then
  # A student's Nginx started by hand would stop the package's (its start fails).
  pkill -KILL -x nginx || true
  hbnb-provision web >/dev/null
fi
hbnb-practice-reset >/dev/null
available=/etc/nginx/sites-available/default enabled=/etc/nginx/sites-enabled/default
# The break: what is enabled is no longer what is available, but a copy of its
# own listening on 8080 (IPv4 and IPv6).
rm -f "$enabled"
sed -E 's/^([[:space:]]*listen[[:space:]]+)80([[:space:];])/\18080\2/; s/^([[:space:]]*listen[[:space:]]+\[::\]:)80([[:space:];])/\18080\2/' \
  "$available" > "$enabled"
grep -qE '^[[:space:]]*listen[[:space:]]+8080' "$enabled" || { echo "start: no listen 80 in $available to break" >&2; exit 1; }
nginx -t -q
# As in the exercise's container: a master started by hand serves 8080, and its
# pid file is gone, so the init system (here systemd) says Nginx is not running.
systemctl stop nginx
setsid nginx </dev/null >/dev/null 2>&1
for _ in $(seq 50); do [[ -s /run/nginx.pid ]] && break; sleep 0.1; done
rm -f /run/nginx.pid
echo "Nginx on port 8080 only, outside its service: curl 127.0.0.1 is refused"
