#!/usr/bin/env bash
# Prepares this Linux host for the Docker lab: a Docker engine running, forwarding on, Vagrant. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh
lab_tool=setup-docker

# Docker Desktop (macOS, Windows) or a user's own engine: nothing of the host to
# set up, only an engine that answers.
if docker info >/dev/null 2>&1 && [[ $(uname -s) != Linux || $(id -u) -ne 0 ]]; then
  exit 0
fi
if [[ $(uname -s) != Linux ]]; then
  lab_die "no Docker engine answers (docker info): start Docker Desktop"
fi

# One host set-up at a time, even from two clones of the project (host/setup.sh's lock).
lab_host_lock setup

if [[ $(id -u) -ne 0 ]]; then
  docker info >/dev/null 2>&1 && exit 0
  lab_die "no Docker engine answers (docker info) and setting one up needs root: sudo make up, or start Docker"
fi

# --- the tools (lab-lib.sh's list, Vagrant's Docker provider is built in), and
# the engine (a docker CLI alone is not one); mmdebstrap makes the machines' base
# from the host's Debian mirror when the system's image cannot be pulled.
lab_require_tools up docker
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
if ((${#missing[@]})); then
  lab_log "installing ${missing[*]}"
  lab_apt_install "${missing[@]}" || lab_die "could not install ${missing[*]} (apt's errors are above)"
fi

# --- forwarding before the engine starts: a dockerd that finds it off turns it on
# and sets the iptables FORWARD policy to DROP, which cuts the LXC labs' NAT and
# bridges on the same host. Enough inotify instances for several systemd machines.
sysctl -qw net.ipv4.ip_forward=1
if (($(sysctl -n fs.inotify.max_user_instances) < 1024)); then
  sysctl -qw fs.inotify.max_user_instances=1024
fi

# --- the engine: started by systemd where it is PID 1, else by hand (a container
# or a chroot as host), its log in /var/log/dockerd.log.
if ! docker info >/dev/null 2>&1; then
  if [[ -d /run/systemd/system ]]; then
    lab_log "starting docker.service"
    systemctl start docker.service
  else
    lab_log "starting dockerd (no systemd on this host; log: /var/log/dockerd.log)"
    setsid dockerd > /var/log/dockerd.log 2>&1 < /dev/null 8>&- 9>&- &
  fi
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { tail -20 /var/log/dockerd.log >&2 2>/dev/null || true; lab_die "the Docker engine did not start"; }
fi
if [[ $(iptables -S FORWARD 2>/dev/null | head -1) == "-P FORWARD DROP" ]]; then
  lab_log "warning: the iptables FORWARD policy is DROP (dockerd started before forwarding was on): LXC labs on this host lose their NAT; iptables -P FORWARD ACCEPT restores it"
fi
lab_log "ready: Docker $(docker version -f '{{.Server.Version}}' 2>/dev/null)"
