#!/usr/bin/env bash
# Functions of the host scripts (sourced): provider, lock, lab file reader, LXC clean-up.
# shellcheck disable=SC2034  # variables set here are used by the sourcing script

export VAGRANT_CHECKPOINT_DISABLE=1 VAGRANT_NO_COLOR=${VAGRANT_NO_COLOR:-1}

lab_log() { echo "${lab_tool:-lab}: [${SECONDS}s] $*"; }
lab_die() { echo "${lab_tool:-lab}: error: $*" >&2; exit 1; }

# The provider: LAB_PROVIDER if set; else the one existing machines were made
# with; else VirtualBox, then libvirt, when present; else LXC (set up by us).
lab_provider() {
  if [[ -n ${LAB_PROVIDER:-} ]]; then
    case $LAB_PROVIDER in
      virtualbox|libvirt|lxc) echo "$LAB_PROVIDER"; return ;;
      *) lab_die "LAB_PROVIDER must be virtualbox, libvirt or lxc, not '$LAB_PROVIDER'" ;;
    esac
  fi
  local id
  for id in .vagrant/machines/*/*/id; do
    [[ -s $id ]] && { basename "$(dirname "$id")"; return; }
  done
  if command -v VBoxManage >/dev/null 2>&1; then
    echo virtualbox
  elif command -v virsh >/dev/null 2>&1 && [[ -S /var/run/libvirt/libvirt-sock ]]; then
    echo libvirt
  else
    echo lxc
  fi
}

# One lab command at a time in this project folder (a second `make up` waits).
lab_lock() {
  command -v flock >/dev/null 2>&1 || return 0   # (no flock: macOS)
  mkdir -p .vagrant
  exec 9>.vagrant/lab.lock
  if ! flock -n 9; then
    lab_log "another lab command runs in this folder; waiting for it"
    flock 9
  fi
}

# Ruby reads the lab file (host/labfile.rb, as the Vagrantfile does): the system's
# Ruby, else the one inside Vagrant's own installer (Linux and macOS packages).
lab_rb() {
  local ruby
  for ruby in ruby /opt/vagrant/embedded/bin/ruby; do
    if command -v "$ruby" >/dev/null 2>&1; then "$ruby" "$@"; return; fi
  done
  lab_die "no Ruby to read the lab file (install Vagrant from its official package, or ruby)"
}

# The project folder a container mounts (vagrant-lxc writes a bind mount entry
# for /vagrant, or /vagrant/provision, into its config): which project owns it.
lxc_project_of() {
  sed -n -e 's|^lxc\.mount\.entry *= *\([^ ]*\)/provision vagrant/provision none .*|\1|p' \
         -e 's|^lxc\.mount\.entry *= *\([^ ]*\) vagrant none .*|\1|p' "/var/lib/lxc/$1/config" 2>/dev/null | head -1
}

# LXC containers of this project that no machine of .vagrant refers to: left by a
# run interrupted between `lxc-create` and Vagrant recording the machine, or by a
# deleted .vagrant folder. They would hold the lab's addresses on the bridge.
# With --all, every container of this project goes (after a failed destroy).
lxc_remove_orphans() {
  command -v lxc-ls >/dev/null 2>&1 || return 0
  local known=" " id container
  for id in .vagrant/machines/*/lxc/id; do
    [[ -s $id ]] && known+="$(cat "$id") "
  done
  [[ ${1:-} == --all ]] && known=" "   # every container of this project goes
  while read -r container; do
    [[ -n $container ]] || continue
    [[ "$(lxc_project_of "$container")" == "$PWD" ]] || continue
    [[ $known == *" $container "* ]] && continue
    lab_log "removing container $container left by an earlier run"
    lxc-stop -k -n "$container" >/dev/null 2>&1 || true
    lxc-destroy -f -n "$container" >/dev/null
  done < <(lxc-ls -1)
  # Machines whose recorded container is gone: forget them, Vagrant makes new ones.
  for id in .vagrant/machines/*/lxc/id; do
    [[ -s $id ]] || continue
    if [[ ! -d /var/lib/lxc/$(cat "$id") ]]; then
      lab_log "$(basename "$(dirname "$(dirname "$id")")"): its container $(cat "$id") is gone, forgetting it"
      rm -rf "$(dirname "$id")"   # its id, key and state: all about the lost container
    fi
  done
}

# Unpacked box copies (host/box/lxc-template; privileged machines are overlays on
# them, unprivileged ones copies) that no container uses and whose box is gone or
# was rebuilt. The current box's copy stays, so the next machine needs no unpacking.
lxc_prune_bases() {
  local bases base source
  bases=$(host/box/lxc-template --bases)
  [[ -d $bases ]] || return 0
  (
    flock 9   # not while a template unpacks
    for base in "$bases"/*/; do
      base=${base%/}
      [[ $base == *.partial ]] && { rm -rf "$base"; continue; }
      grep -qsF "overlay:$base/rootfs:" /var/lib/lxc/*/config && continue
      source=$(cat "$base/source" 2>/dev/null || true)
      if [[ -f $source && "$(host/box/lxc-template --base-of "$source" "$(cat "$base/map" 2>/dev/null)")" == "$base" ]]; then
        continue
      fi
      lab_log "removing the unpacked copy of an old box ($base)"
      rm -rf "$base"
    done
  ) 9> "$bases/.lock"
}

# Fails when a running container of another project holds one of this lab's
# addresses on this lab's bridge (two labs on one network cannot both work).
lxc_check_addresses() {
  command -v lxc-ls >/dev/null 2>&1 || return 0
  local bridge container config ip
  bridge=$(lab_rb host/labfile.rb get network.lxc_bridge)
  local -A ours=()
  while read -r ip; do ours[$ip]=1; done < <(lab_rb host/labfile.rb ips)
  while read -r container; do
    [[ -n $container ]] || continue
    [[ "$(lxc_project_of "$container")" == "$PWD" ]] && continue
    config=/var/lib/lxc/$container/config
    grep -Eq "^lxc\.net\.1\.link *= *$bridge\$" "$config" 2>/dev/null || continue
    ip=$(sed -n 's|^lxc\.net\.1\.ipv4\.address *= *\([0-9.]*\).*|\1|p' "$config")
    if [[ -n $ip && -n ${ours[$ip]:-} ]] && [[ "$(lxc-info -s -H -n "$container" 2>/dev/null)" == RUNNING ]]; then
      lab_die "address $ip on $bridge is held by container $container of $(lxc_project_of "$container" || echo 'another project');" \
              "destroy that lab first, or use another lab file (LAB_FILE) with its own network and bridge"
    fi
  done < <(lxc-ls -1)
}
