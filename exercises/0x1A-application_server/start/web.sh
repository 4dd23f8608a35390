#!/usr/bin/env bash
# 0x1A's start state on a web server: the practice provisioning (the earlier projects' Nginx, the clone, Gunicorn installed globally), the server reset to it.
set -euo pipefail
# Another exercise may have taken packages away (0x0F grades on a server without
# Nginx): the practice provisioning puts them back, then the reset its files.
if ! command -v nginx >/dev/null 2>&1 || [[ ! -s /var/lib/hbnb-lab/practice-state/trees || ! -d /var/www/html ]]; then
  # A student's Nginx started by hand would stop the package's (its start fails).
  pkill -KILL -x nginx || true
  hbnb-provision web
fi
hbnb-practice-reset
