#!/usr/bin/env bash
# First provisioner of every machine: apt set-up, base tools, hostname, /etc/hosts.
set -euo pipefail
# shellcheck source=provision/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_init common

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
  ((waited % 30)) || log "waiting for the first-boot apt jobs (unattended-upgrades) to finish"
  ((waited < 900)) || die "apt-daily jobs still running after 15 minutes"
  sleep 3; ((waited += 3))
done

# --- apt: keep every downloaded package in /var/cache/apt/archives (a per-machine
# folder shared with the host: a rebuilt machine installs from it without
# downloading), and wait for locks instead of failing.
install_text '// hbnb-lab (provision/common.sh): keep downloads for the host-shared cache and
// wait for the apt/dpkg locks held by first-boot jobs instead of failing.
Binary::apt::APT::Keep-Downloaded-Packages "true";
APT::Keep-Downloaded-Packages "true";
DPkg::Lock::Timeout "600";' /etc/apt/apt.conf.d/10hbnb-lab 644 || true
# Docker-style images delete every downloaded package after each install.
ensure_absent /etc/apt/apt.conf.d/docker-clean || true

# Package lists live in a host-shared folder too: refreshed only when older than a
# day (or missing), so a rebuilt machine downloads nothing.
have_lists() { compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; }
# apt-get update succeeds even when it could fetch nothing (a machine whose first
# network is still coming up: only warnings), so success is lists on disk.
apt_update() {
  local try
  for try in 1 2 3 4 5; do
    if apt-get -o DPkg::Lock::Timeout=600 update -qq && have_lists; then
      lists_refreshed
      changed apt-lists
      return 0
    fi
    log "apt-get update failed or fetched no package lists (try $try), retrying"; sleep $((try * 3))
  done
  die "apt-get update keeps failing (network? apt sources in /etc/apt)"
}
if [[ -z $(find "$APT_LISTS_STAMP" -mmin -1440 2>/dev/null) ]] || ! have_lists; then
  # A new machine's way out (DHCP on its first NIC) may still be coming up.
  wait_until 60 "a default route (the machine's network: ip route; networkctl)" \
    sh -c 'ip -4 route show default | grep -q .'
  apt_update
fi

# --- base tools every machine and the tests use (lists a day old can name
# versions the mirror no longer has: ensure_packages refreshes them once).
ensure_packages ca-certificates curl iproute2 iputils-ping netcat-openbsd procps python3 python3-venv less

# The LAB_* environment file of earlier versions: the facts file replaced it.
ensure_absent /etc/hbnb-lab/env || true
# Runs one of this machine's provisioners again by hand: sudo hbnb-provision web
steps=common
has_role db || has_role web && steps+="|app"
install_text "$(render "$FILES_DIR/common/hbnb-provision" PROJECT_DIR="$PROJECT_DIR" LAB_FACTS="$LAB_FACTS" \
                 STEPS="$steps|$(fact machine.roles | tr ' ' '|')")" /usr/local/sbin/hbnb-provision 755 bash -n || true

# --- the hostname: Vagrant sets it too, but a `vagrant up` interrupted before
# that step and resumed on the running machine skips it.
self_name=$(fact machine.name)
[[ $(ip -o -4 addr show) == *" inet $(fact machine.ip)/"* ]] \
  || die "$(fact machine.ip) ($self_name in $(fact lab_file)) is not an address of this machine"
if [[ "$(hostname)" != "$self_name" || "$(cat /etc/hostname 2>/dev/null)" != "$self_name" ]]; then
  hostnamectl set-hostname "$self_name" 2>/dev/null || { echo "$self_name" > /etc/hostname; hostname "$self_name"; }
  changed hostname
fi

# --- /etc/hosts: every lab machine by name, in a block this script owns. Written
# in place (not renamed): a container's /etc/hosts may be a bind mount.
begin='# BEGIN hbnb-lab machines (provision/common.sh)'
end='# END hbnb-lab machines'
block=$begin
for ((i = 0; i < $(fact machines.#); i++)); do
  block+=$'\n'"$(fact "machines.$i.ip") $(fact "machines.$i.name")"
done
block+=$'\n'$end
# (An earlier version's block began with a longer line: any BEGIN line of ours goes.)
hosts=$(awk -v e="$end" '/^# BEGIN hbnb-lab machines/ {skip = 1} !skip {print} $0 == e {skip = 0}' /etc/hosts)
# No block where every machine is already there by its address: Docker writes
# /etc/hosts anew at each start with the lab's names in it (--add-host, Vagrantfile);
# a block would go at each reboot and the next run rewrite it (a change each time).
listed=1
for ((i = 0; i < $(fact machines.#); i++)); do
  grep -Eq "^$(fact "machines.$i.ip" | sed 's/\./\\./g')[[:space:]]+$(fact "machines.$i.name")([[:space:]]|\$)" <<<"$hosts" || listed=0
done
((listed)) || hosts+=$'\n'$block
if [[ $(cat /etc/hosts) != "$hosts" ]]; then
  printf '%s\n' "$hosts" > /etc/hosts
  changed /etc/hosts
fi

# --- practice mode: the student logs in as on the school's server. The practice
# user (created here on every machine; the web role sets up the rest of its
# home) takes the lab's key, so `ssh ubuntu@<address>` works with it, and an
# interactive login as vagrant (`vagrant ssh`) continues as that user, in its
# home. Commands (vagrant ssh -c, the provisioners, the checks) are not
# interactive logins and stay vagrant's.
if [[ $(fact mode) == practice ]]; then
  user=$(fact practice.user) home=$(dirname "$(fact practice.checkout)")
  if ! id -u "$user" >/dev/null 2>&1; then
    useradd --create-home --home-dir "$home" --shell /bin/bash --user-group "$user" || die "could not create the user $user"
    changed "user $user"
  fi
  usermod -a -G sudo "$user" 2>/dev/null || true
  install_text "# hbnb-lab (provision/common.sh): $user has sudo without a password, as on the school's servers.
$user ALL=(ALL) NOPASSWD:ALL" "/etc/sudoers.d/90-hbnb-lab-$user" 440 visudo -c -q -f || true
  keys=$(cat /home/vagrant/.ssh/authorized_keys 2>/dev/null || true)
  if [[ -n $keys && ( $(cat "$home/.ssh/authorized_keys" 2>/dev/null) != "$keys" || $(stat -c %U "$home/.ssh/authorized_keys" 2>/dev/null) != "$user" ) ]]; then
    install -d -m 700 -o "$user" -g "$user" "$home/.ssh"
    install -m 600 -o "$user" -g "$user" /dev/null "$home/.ssh/authorized_keys"
    printf '%s\n' "$keys" > "$home/.ssh/authorized_keys"
    changed "$home/.ssh/authorized_keys (the lab's key)"
  fi
  install_text "# hbnb-lab (provision/common.sh): an interactive login (vagrant ssh) continues as $user,
# in its home, as on the school's server; commands (vagrant ssh -c) stay vagrant's.
[[ \$- == *i* ]] && exec sudo -iu $user" /home/vagrant/.bash_profile 644 || true
fi

summary
