#!/usr/bin/env bash
# `make up`: the lab's machines made, provisioned and serving, in named steps; safe to re-run.
# `--ssh-config-only` writes .vagrant/ssh-config of a running lab (make ssh-config).
set -euo pipefail
cd "$(dirname "$0")/.."
lab_tool=lab-up
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh

if [[ ${1:-} == --ssh-config-only ]]; then
  lab_require_tools vagrant
  lab_write_ssh_config
  exit 0
fi
started=$SECONDS

# 1. The provider, and the tools this host needs for it: first, since every later
#    step uses them (root on Debian installs what is missing, others are told).
provider=$(lab_provider)
lab_log "step 1: host tools for $provider"
lab_require_provider "$provider"
if [[ $provider == lxc ]]; then
  # What the box takes first: the rest installs while it builds (step 3).
  lab_require_tools box
else
  lab_require_tools up "$provider"
fi
lab_lock

# 2. The lab file (LAB_FILE), read whole once: a broken one stops here, naming its
#    file and line. Then what this lab keeps until make destroy: the system its
#    machines are built from (LXC, Docker) and the mode.
lab_rb host/labfile.rb check
keep_system() {   # LAB_SYSTEM, else the one this lab's machines were made with
  lab_rb host/labfile.rb builds "$provider" || return 0
  local kept
  kept=$(cat ".vagrant/hbnb-lab/system-$provider" 2>/dev/null || true)
  LAB_SYSTEM=$(lab_rb host/labfile.rb system "$provider")
  if [[ -n $kept && $kept != "$LAB_SYSTEM" ]] && compgen -G ".vagrant/machines/*/$provider/id" >/dev/null; then
    lab_die "this lab's machines run $kept, not $LAB_SYSTEM: make destroy first to change the system"
  fi
  export LAB_SYSTEM
  mkdir -p .vagrant/hbnb-lab && echo "$LAB_SYSTEM" > ".vagrant/hbnb-lab/system-$provider"
}
keep_mode() {   # LAB_MODE, else the one this lab was made in; LAB_DOCKER_PORTS likewise
  LAB_MODE=$(lab_rb host/labfile.rb mode)
  export LAB_MODE
  mkdir -p .vagrant/hbnb-lab && echo "$LAB_MODE" > .vagrant/hbnb-lab/mode
  if [[ $provider == docker && ${LAB_DOCKER_PORTS:-} == 1 ]]; then
    : > .vagrant/hbnb-lab/docker-ports
  elif [[ $provider == docker && ${LAB_DOCKER_PORTS-unset} != unset ]]; then
    rm -f .vagrant/hbnb-lab/docker-ports
  fi
}
keep_system
keep_mode
# A build left running by a failure or an interrupt stops with this script.
box_builder=
trap '[[ -z $box_builder ]] || kill -TERM -- "-$box_builder" 2>/dev/null || true' EXIT
lab_log "provider $provider${LAB_SYSTEM:+ ($LAB_SYSTEM)}, lab file $(lab_rb host/labfile.rb path), $LAB_MODE mode"

# 3. The host set-up and what the machines are made from: the LXC box and the
#    wheelhouse side by side (one builds a root file system, the other downloads),
#    or the Docker engine and image. Each is cached and rebuilt only on a change.
# The Pythons of the machines' system (and of its fallback, which a Docker image
# is built on when the system's image cannot be pulled): the wheelhouse's.
machine_pythons() {
  local other
  lab_rb host/labfile.rb get "systems.$LAB_SYSTEM.python"
  other=$(lab_rb host/labfile.rb get-optional "systems.$LAB_SYSTEM.else")
  [[ -z $other ]] || lab_rb host/labfile.rb get "systems.$other.python"
}
host_and_box() {
  lab_log "step 3: host set-up and box"
  local wheelhouse pythons
  case $provider in
    lxc)
      lxc_check_project_reachable
      # The box's root file system is built (a minute, cold) while the host's
      # other tools install and the wheels download; then it is added to Vagrant.
      # In a session of its own: stopped with everything it started if this stops.
      setsid host/build-box.sh --no-add 9>&- &
      box_builder=$!
      lab_require_tools up lxc
      host/setup.sh 9>&-
      mapfile -t pythons < <(machine_pythons)
      host/wheelhouse.sh "${pythons[@]}" 9>&- &
      wheelhouse=$!
      wait "$box_builder" || lab_die "host/build-box.sh failed (its lines above say why)"
      box_builder=
      host/build-box.sh 9>&-
      wait "$wheelhouse" || lab_die "host/wheelhouse.sh failed (its lines above say why)"
      lxc_remove_orphans --orphans
      lxc_prune_bases
      lxc_check_addresses ;;
    docker)
      host/setup-docker.sh 9>&-
      mapfile -t pythons < <(machine_pythons)
      host/wheelhouse.sh "${pythons[@]}" 9>&- &
      wheelhouse=$!
      host/docker-image.sh 9>&-
      wait "$wheelhouse" || lab_die "host/wheelhouse.sh failed (its lines above say why)"
      docker_remove_orphans --orphans
      docker_check_network ;;
  esac
}
host_and_box

# 4. The machines created and running, not yet provisioned: LXC and Docker side by
#    side, VirtualBox and libvirt one after the other. A VM left running by an
#    interrupted run may lack what `vagrant up` does after boot (shared folders,
#    hostname) and `vagrant up` skips running machines: those not known to be
#    provisioned are reloaded first. (LXC and Docker mounts are part of the
#    container's config; provision/common.sh sets the hostname.)
machines_up() {
  local name kind state up_args=(--provider="$provider" --no-provision)
  if [[ $provider == lxc || $provider == docker ]]; then
    up_args+=(--parallel)
  else
    while IFS=, read -r _ name kind state _; do
      [[ $kind == state && $state == running && ! -s .vagrant/provisioned/$name ]] || continue
      lab_log "$name: running but not provisioned by a complete run: reloading it"
      vagrant reload "$name" --no-provision 9>&-
    done < <(vagrant status --machine-readable 9>&- 2>/dev/null)
  fi
  mkdir -p .vagrant/logs
  lab_log "step 4: vagrant up ${up_args[*]}"
  if ! vagrant up "${up_args[@]}" 9>&- 2>&1 | tee .vagrant/logs/up.log; then
    lab_die "vagrant up failed (log: .vagrant/logs/up.log)"
  fi
  # Written now: the machines can be reached even if provisioning fails, and
  # provisioning does not change how to reach them.
  lab_write_ssh_config
}
machines_up

# 5. Provisioning in waves over SSH (db and lb, then web), machines whose stamp is
#    current skipped; 6. the front end answering through each load balancer.
lab_log "step 5: provisioning"
host/provision-waves.sh "$provider" 9>&-
lab_log "step 6: the front ends"
urls=$(host/front-ends.sh "$provider" 9>&-)
lab_log "lab up and serving in $((SECONDS - started)) s: $urls"
