#!/usr/bin/env bash
# Gives a machine 0x0F had back for another exercise: answering as its own system, without the Nginx or HAProxy students' scripts installed (the next start provisions them anew), once.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
"$here/uninstall.sh"
# What the scripts installed and changed goes whole: a re-provisioned web server
# or load balancer is the lab's again, with none of a student's leftovers.
systemctl stop nginx haproxy 2>/dev/null || true
pkill -KILL -x nginx || true
pkill -KILL -x haproxy || true
DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get purge -y -qq nginx nginx-common nginx-core haproxy >/dev/null 2>&1 || true
rm -rf /etc/nginx /var/www/html /var/log/nginx /run/nginx.pid /etc/haproxy
# Once: the exercise's folder goes too (its next start copies it again).
rm -rf "$(dirname "$here")"
