#!/usr/bin/env bash
# 0x0F's start state on the load balancer: no HAProxy (the exercise installs it), the machine answering as Ubuntu 22.04.
set -euo pipefail
systemctl stop haproxy 2>/dev/null || true
pkill -KILL -x haproxy || true   # one started by hand, outside the unit
export DEBIAN_FRONTEND=noninteractive
/usr/bin/apt-get purge -y -qq haproxy >/dev/null 2>&1 || true
/usr/bin/apt-get autoremove --purge -y -qq >/dev/null 2>&1 || true
rm -rf /etc/haproxy
"${HBNB_SUPPORT:?the folder of the exercise files on this machine}/ubuntu2204/install.sh"
echo "no HAProxy"
