#!/usr/bin/env bash
# `make reset-practice MACHINE=web-02`: one machine rebuilt from nothing, the others kept.
set -euo pipefail
cd "$(dirname "$0")/.."
lab_tool=reset-machine
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh

usage="usage: host/reset-machine.sh MACHINE [practice|reference]"
name=${1:?$usage}
mode=${2:-practice}
[[ $mode == practice || $mode == reference ]] || lab_die "$usage"
lab_rb host/labfile.rb names | grep -qx -- "$name" \
  || lab_die "$name is not a machine of $(lab_rb host/labfile.rb path) ($(lab_rb host/labfile.rb names | tr '\n' ' '))"
[[ $(lab_provider) != lxc || $(id -u) -eq 0 ]] || lab_die "the LXC lab needs root: sudo make reset-practice MACHINE=$name"
lab_lock
started=$SECONDS
vagrant destroy -f "$name" 9>&-
# Its stamp goes: the next `make up` (reference mode) provisions it again.
rm -f ".vagrant/provisioned/$name"
# The Vagrantfile hands the host's LAB_MODE to the provisioners.
LAB_MODE=$mode vagrant up "$name" 9>&-
lab_log "$name rebuilt in $mode mode in $((SECONDS - started)) s; the other machines untouched"
