#!/usr/bin/env bash
# First provisioner of every lab machine (Ubuntu 22.04/24.04, Debian 12): waits for
# first-boot apt activity, sets apt up to keep its downloads in the host-shared
# cache, makes sure fresh package lists and the base tools are there, sets the
# hostname, writes every lab machine into /etc/hosts, keeps the environment in
# /etc/hbnb-lab/env. Idempotent: a second run changes nothing and says so.
set -euo pipefail

die() { echo "common: error: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "run as root"
for var in LAB_HOSTS LAB_NETWORK LAB_PROJECT_DIR; do
  [[ -n ${!var:-} ]] || die "$var is not set (the Vagrantfile passes it; to re-run by hand: set -a; . /etc/hbnb-lab/env)"
done

export DEBIAN_FRONTEND=noninteractive
changed=()

# Writes CONTENT to FILE with MODE when it differs; records NAME as changed.
put_file() {
  local file=$1 mode=$2 name=$3 content=$4
  if [[ -f $file ]] && [[ "$(cat "$file")" == "$content" ]] \
     && [[ "$(stat -c %a "$file")" == "$mode" ]]; then
    return 0
  fi
  mkdir -p "$(dirname "$file")"
  # Written in place (not renamed) so a bind-mounted file such as /etc/hosts works.
  printf '%s\n' "$content" > "$file"
  chmod "$mode" "$file"
  changed+=("$name")
}

# --- the provisioner environment, kept for re-runs and tests (root only: it
# describes the lab and may one day carry more than addresses).
env_content=$(while IFS= read -r var; do printf 'export %s=%q\n' "$var" "${!var}"; done \
              < <(compgen -e | grep '^LAB_' | sort))
put_file /etc/hbnb-lab/env 600 env "$env_content"
chmod 700 /etc/hbnb-lab

# --- first boot: cloud-init and the periodic apt jobs of Ubuntu images hold the
# apt and dpkg locks for minutes. Wait for them, then let apt itself wait for any
# lock still held (DPkg::Lock::Timeout, set below) instead of failing.
if command -v cloud-init >/dev/null 2>&1; then
  cloud-init status --wait >/dev/null 2>&1 || true
fi
apt_jobs_running() {
  local unit state
  for unit in apt-daily.service apt-daily-upgrade.service; do
    state=$(systemctl show -p ActiveState --value "$unit" 2>/dev/null || true)
    [[ $state == activating || $state == active || $state == deactivating ]] && return 0
  done
  return 1
}
waited=0
while apt_jobs_running; do
  ((waited % 30)) || echo "common: waiting for the first-boot apt jobs (unattended-upgrades) to finish"
  ((waited < 900)) || die "apt-daily jobs still running after 15 minutes"
  sleep 3; ((waited += 3))
done

# --- apt: keep every downloaded package in /var/cache/apt/archives (a per-machine
# folder shared with the host: a rebuilt machine installs from it without
# downloading), and wait for locks instead of failing.
put_file /etc/apt/apt.conf.d/10hbnb-lab 644 apt-config \
'// hbnb-lab (provision/common.sh): keep downloads for the host-shared cache and
// wait for the apt/dpkg locks held by first-boot jobs instead of failing.
Binary::apt::APT::Keep-Downloaded-Packages "true";
APT::Keep-Downloaded-Packages "true";
DPkg::Lock::Timeout "600";'
# Docker-style images delete every downloaded package after each install.
if [[ -f /etc/apt/apt.conf.d/docker-clean ]]; then
  rm -f /etc/apt/apt.conf.d/docker-clean
  changed+=(docker-clean)
fi

# Package lists live in a host-shared folder too: refreshed only when older than a
# day (or missing), so a rebuilt machine downloads nothing.
lists_stamp=/var/lib/apt/lists/.hbnb-lab-updated
apt_update() {
  local try
  for try in 1 2 3 4 5; do
    if apt-get -o DPkg::Lock::Timeout=600 update -qq; then
      touch "$lists_stamp"
      changed+=(apt-lists)
      return 0
    fi
    echo "common: apt-get update failed (try $try), retrying"; sleep $((try * 5))
  done
  die "apt-get update keeps failing (network? apt sources in /etc/apt)"
}
if [[ -z $(find "$lists_stamp" -mmin -1440 2>/dev/null) ]] \
   || ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
  apt_update
fi

# --- base tools every machine and the tests use.
base_packages=(ca-certificates curl iproute2 iputils-ping netcat-openbsd procps
               python3 python3-venv less)
missing=()
for pkg in "${base_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  install_missing() {
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  }
  # Lists a day old can name versions the mirror no longer has: refresh once.
  install_missing || { apt_update; install_missing; } || die "could not install ${missing[*]}"
  changed+=("packages(${missing[*]})")
fi

# --- the hostname: this machine is the LAB_HOSTS entry whose address it has.
# Vagrant sets it too, but a `vagrant up` interrupted before that step and resumed
# on the running machine skips it.
mapfile -t local_addresses < <(ip -o -4 addr show | awk '{split($4, a, "/"); print a[1]}')
self_name=""
for pair in $LAB_HOSTS; do
  for address in "${local_addresses[@]}"; do
    [[ ${pair#*=} == "$address" ]] && self_name=${pair%%=*}
  done
done
[[ -n $self_name ]] || die "no address of LAB_HOSTS ($LAB_HOSTS) is on this machine"
if [[ "$(hostname)" != "$self_name" || "$(cat /etc/hostname 2>/dev/null)" != "$self_name" ]]; then
  hostnamectl set-hostname "$self_name" 2>/dev/null || { echo "$self_name" > /etc/hostname; hostname "$self_name"; }
  changed+=(hostname)
fi

# --- /etc/hosts: every lab machine by name, in a block this script owns.
begin='# BEGIN hbnb-lab machines (provision/common.sh, from LAB_HOSTS)'
end='# END hbnb-lab machines'
block=$begin
for pair in $LAB_HOSTS; do
  [[ $pair == *=* ]] || die "LAB_HOSTS entry '$pair' is not name=address"
  block+=$'\n'"${pair#*=} ${pair%%=*}"
done
block+=$'\n'$end
others=$(awk -v b="$begin" -v e="$end" '$0 == b {skip = 1} !skip {print} $0 == e {skip = 0}' /etc/hosts)
put_file /etc/hosts 644 hosts "$others"$'\n'"$block"

if ((${#changed[@]})); then
  echo "common: changed: ${changed[*]}"
else
  echo "common: nothing changed"
fi
