#!/usr/bin/env bash
# `make destroy`: the lab's machines gone (half-made ones too); box, image and caches kept.
set -euo pipefail
cd "$(dirname "$0")/.."
lab_tool=lab-destroy
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh

lab_lock
provider=$(lab_provider)
if [[ $provider == lxc ]]; then
  [[ $(id -u) -eq 0 ]] || lab_die "the LXC lab needs root: sudo make destroy"
fi
started=$SECONDS
destroy_args=(-f)
if [[ $provider == lxc ]]; then
  # Nothing to keep: stop the containers hard and at once rather than one by one
  # through a clean shutdown.
  for id in .vagrant/machines/*/lxc/id; do
    [[ -s $id ]] && { lxc-stop -k -n "$(cat "$id")" >/dev/null 2>&1 & }
  done
  wait
  destroy_args+=(--parallel)
elif [[ $provider == docker ]]; then
  # The same: killed at once (a kill counts as a stop: no restart), then removed.
  for id in .vagrant/machines/*/docker/id; do
    [[ -s $id ]] && { docker kill "$(cat "$id")" >/dev/null 2>&1 & }
  done
  wait
  destroy_args+=(--parallel)
fi
# Machines Vagrant knows of need Vagrant to go; with none, nothing does.
if compgen -G ".vagrant/machines/*/*/id" >/dev/null; then
  lab_require_tools vagrant
fi
if command -v vagrant >/dev/null 2>&1 && [[ -f Vagrantfile ]]; then
  if ! vagrant destroy "${destroy_args[@]}" 9>&-; then
    [[ $provider == lxc || $provider == docker ]] || lab_die "vagrant destroy failed"
    lab_log "vagrant destroy failed; removing this project's containers directly"
  fi
fi
if [[ $provider == lxc ]]; then
  lxc_remove_orphans --all
  lxc_prune_bases
  lxc_remove_unused_bridge
fi
kept="box and caches kept"
if [[ $provider == docker ]]; then
  docker_remove_orphans --all
  image=$(lab_rb host/labfile.rb box docker)
  kept="image $image and caches kept; \`docker image rm $image hbnb-lab-base/$(docker_base_system)\` removes it"
fi
rm -rf .vagrant/provisioned .vagrant/ssh-config .vagrant/hbnb-lab/mode .vagrant/hbnb-lab/system* .vagrant/hbnb-lab/docker-ports
lab_log "lab destroyed in $((SECONDS - started)) s ($kept)"
