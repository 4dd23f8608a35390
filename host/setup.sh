#!/usr/bin/env bash
# Prepares this Linux host for the LXC lab: its tools, kernel settings, lxc-net, the lab bridge. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
lab_tool=setup
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh
# One host set-up at a time, even from two clones of the project.
lab_host_lock setup

[[ $(id -u) -eq 0 ]] || lab_die "run as root (LXC, the lab bridge, the lab's subordinate ids): sudo make up"

# --- the tools (lab-lib.sh's list): Debian packages without recommends (vagrant
# would otherwise pull vagrant-libvirt and qemu, over a gigabyte).
lab_require_tools up lxc

bridge=$(lab_rb host/labfile.rb get network.lxc_bridge)
host_address=$(lab_rb host/labfile.rb get network.host_address)/$(lab_rb host/labfile.rb prefix)

# --- kernel settings: forwarding for the NAT of lxcbr0; enough inotify instances
# for several systemd containers (each takes a few; the default 128 runs out).
sysctl -qw net.ipv4.ip_forward=1
if (($(sysctl -n fs.inotify.max_user_instances) < 1024)); then
  sysctl -qw fs.inotify.max_user_instances=1024
fi

# --- the host ids of the unprivileged containers (the box's lxc.idmap): reserved
# for root, so no user gets them as subordinate ids (useradd hands out ranges
# from 100000) and reaches the containers' files.
for file in /etc/subuid /etc/subgid; do
  grep -qx 'root:100000:65536' "$file" 2>/dev/null || echo 'root:100000:65536' >> "$file"
done

# --- lxc-net: the containers' first NIC (eth0) gets DHCP, DNS and NAT from lxcbr0.
# It keeps its state in /run/lxc; after an interrupted run that state can claim a
# network that is not there (no bridge, dnsmasq gone): stop it and start afresh.
lxc_net=/usr/libexec/lxc/lxc-net
lxc_net_ok() {
  [[ -f /run/lxc/network_up && -d /sys/class/net/lxcbr0 ]] || return 1
  local pid
  pid=$(cat /run/lxc/dnsmasq.pid 2>/dev/null) || return 1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null
}
if ! lxc_net_ok; then
  if [[ -f /run/lxc/network_up || -d /sys/class/net/lxcbr0 ]]; then
    lab_log "lxc-net: stale state, restarting"
    "$lxc_net" stop >/dev/null 2>&1 8>&- 9>&- || true
    rm -f /run/lxc/network_up
    [[ -d /sys/class/net/lxcbr0 ]] && ip link del lxcbr0
  fi
  lab_log "lxc-net: starting"
  "$lxc_net" start 8>&- 9>&-
  lxc_net_ok || lab_die "lxc-net did not come up (see $lxc_net start above)"
fi

# --- the lab's network must be this lab's alone: another interface with an address
# in it (a second lab on the same network, say) would take its traffic.
taken=$(lab_interfaces_on_network "$bridge")
[[ -z $taken ]] || lab_die "the lab network $(lab_rb host/labfile.rb get network.cidr) is already in use on" \
  "$(echo "$taken" | tr '\n' ' ')- another lab? Give this one its own network and bridge (LAB_FILE)"

# --- the lab bridge: a plain bridge, the containers' second NIC (eth1) with the
# lab file's fixed addresses. No NAT: outside traffic leaves through lxcbr0.
if [[ ! -d /sys/class/net/$bridge ]]; then
  lab_log "bridge $bridge: creating"
  ip link add "$bridge" type bridge
fi
[[ -d /sys/class/net/$bridge/bridge ]] || lab_die "$bridge exists but is not a bridge"
if ! ip -o -4 addr show dev "$bridge" | grep -qw "inet $host_address"; then
  lab_log "bridge $bridge: address $host_address"
  ip addr add "$host_address" dev "$bridge"
fi
ip link set "$bridge" up
lab_log "ready: lxcbr0 $(ip -o -4 addr show dev lxcbr0 | awk '{print $4}'), $bridge $host_address"
