#!/usr/bin/env bash
# Times the README's first command on a fresh host: a cold `make up` (host set-up, box, machines), then a warm one.
# Usage: bench/first_up.sh [--fresh-host]
#   --fresh-host  first makes this Debian host as fresh as it was before the lab's
#                 first run: the set-up's packages purged, apt's downloads, the
#                 Vagrant home, LXC's and the lab's state gone (root; refuses while
#                 any LXC container exists). Without it the host's set-up is kept
#                 and only the box and the caches are removed ("cold lab").
# Each run is a fresh clone of HEAD (BENCH_REV picks another commit) with its own
# output; the figures come from `make up`'s own time stamps ([N s] at each step).
set -euo pipefail
cd "$(dirname "$0")/.."
lab_tool=first_up
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh

fresh=0
[[ ${1:-} == --fresh-host ]] && fresh=1
[[ $(id -u) -eq 0 ]] || lab_die "root only: it brings the LXC lab up from nothing"
if command -v lxc-ls >/dev/null 2>&1 && [[ -n $(lxc-ls -1) ]]; then
  lab_die "LXC containers exist on this host ($(lxc-ls -1 | tr '\n' ' ')): make destroy first"
fi
vagrant_home=${VAGRANT_HOME:-$HOME/.vagrant.d}
# Docker depends on iptables, which the purge takes: its images and containers
# (/var/lib/docker) would go with it, and giving the package back does not bring them back.
if ((fresh)) && dpkg-query -W -f='${Status}' docker.io 2>/dev/null | grep -q 'ok installed'; then
  lab_die "docker.io is installed: --fresh-host would purge it with iptables, and with it Docker's images; purge it yourself first (apt-get purge docker.io) or run this on a host without Docker"
fi

# What host/setup.sh installs (lab-lib.sh's lab_tools_of up lxc), less what a
# fresh Debian host has; apt's autoremove takes what they pulled in.
forget_the_host() {
  local packages=() tool package
  while read -r tool package; do
    [[ $tool == python3 || $tool == ssh || $tool == curl || $tool == zstd || $tool == ip ]] && continue
    packages+=("$package")
  done < <(lab_tools_of up lxc)
  mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)
  lab_log "fresh host: purging ${packages[*]}, apt's downloads, the Vagrant home, LXC's and the lab's state"
  [[ ! -x /usr/libexec/lxc/lxc-net ]] || /usr/libexec/lxc/lxc-net stop >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "${packages[@]}" >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get autoremove --purge -y -qq >/dev/null 2>&1 || true
  apt-get clean
  rm -rf "$vagrant_home" /var/lib/lxc /var/lib/hbnb-lab /run/lxc
  local bridge
  for bridge in lxcbr0 $(ip -o link show type bridge | awk -F': ' '{print $2}' | grep '^hbnblab' || true); do
    [[ ! -d /sys/class/net/$bridge ]] || ip link del "$bridge"
  done
}
# Without --fresh-host: the box, the unpacked bases and the download caches go.
forget_the_lab() {
  lab_log "cold lab: removing the lab's boxes, unpacked bases and caches"
  rm -rf "$vagrant_home/boxes/hbnb-lab-"* "$vagrant_home/hbnb-lab/build" /var/lib/hbnb-lab/lxc-bases
}

# The purge takes more than the lab's packages (what depended on them, a MariaDB
# on rsync; python3-venv, which make up only installs when its python3 lacks
# venv): every package the host had asked for and then lacks is installed again
# at the end, even after a failed run.
manual_before=''
give_back_the_host() {
  [[ -n $manual_before ]] || return 0
  local missing
  mapfile -t missing < <(comm -23 <(echo "$manual_before") <(apt-mark showmanual | sort))
  ((${#missing[@]})) || return 0
  lab_log "giving the host back what the purge took: ${missing[*]}"
  lab_apt_install "${missing[@]}" || lab_log "could not reinstall ${missing[*]} (apt's errors are above)"
}

work=$(mktemp -d)
chmod 755 "$work"   # the containers' root must reach the clone (lxc_check_project_reachable)
# Kept when a run fails (its logs and .vagrant/logs), removed otherwise.
trap 'status=$?; give_back_the_host; if ((status)); then lab_log "kept for reading: $work" >&2; else rm -rf "$work"; fi' EXIT
git clone -q . "$work/lab"
[[ -z ${BENCH_REV:-} ]] || git -C "$work/lab" checkout -q "$BENCH_REV"
rev=$(git -C "$work/lab" rev-parse --short HEAD)

if ((fresh)); then manual_before=$(apt-mark showmanual | sort); forget_the_host; else forget_the_lab; fi

# up LOG: `make up` in the clone, its output in LOG; prints its seconds.
up() {
  local began=$SECONDS
  (cd "$work/lab" && make up > "$1" 2>&1) || { tail -30 "$1" >&2; lab_die "make up failed (log above)"; }
  echo $((SECONDS - began))
}
# steps LOG: the time stamp of each step of make up, "step N: ... at S s" a line.
steps() {
  sed -n 's/^lab-up: \[\([0-9]*\)s\] \(step [0-9]*\): \([^(]*\).*/  \2 (\3) from \1 s/p' "$1"
  sed -n 's/^lab-up: \[\([0-9]*\)s\] lab up and serving.*/  serving at \1 s/p' "$1"
}

cold=$(up "$work/cold.log")
(cd "$work/lab" && make destroy >/dev/null 2>&1)
warm=$(up "$work/warm.log")
(cd "$work/lab" && make destroy >/dev/null 2>&1)

echo "first_up: $rev, $( ((fresh)) && echo "fresh host" || echo "host set up, lab cold")"
echo "cold make up: $cold s"
steps "$work/cold.log"
grep -h -E '^(build-box|wheelhouse|setup): .*(done|added|wheels|installing|ready)' "$work/cold.log" | sed 's/^/    /' || true
echo "warm make up (box and caches kept, machines new): $warm s"
steps "$work/warm.log"
