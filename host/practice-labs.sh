#!/usr/bin/env bash
# Extra practice labs beside this one, for grading a class side by side (LXC; N=1: this lab alone, any provider).
# Usage: host/practice-labs.sh up N | destroy | list
#   up N      labs 2..N (copies of this tree in .cache/labs/<k>, own network and bridge),
#             printing one LAB_FILE:SSH_CONFIG line per lab, this one first
#   destroy   every extra lab gone;  list   the lines of the labs that are up
set -euo pipefail
cd "$(dirname "$0")/.."
lab_tool=practice-labs
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh
repo=$PWD
log() { lab_log "$@" >&2; }   # stdout carries the labs' lines
labs=.cache/labs
# The first lab is this folder's, with its own lab file (LAB_FILE, as every command).
first_lab_file=$(lab_rb host/labfile.rb path)

# The lab file of lab K: this lab's file on the K-th /24 from its own, bridge hbnblabK.
lab_file_of() {
  local k=$1 dir=$labs/$1 base
  mkdir -p "$dir/.cache"
  base=$(lab_rb host/labfile.rb get network.cidr | cut -d. -f1-3)
  lab_rb host/labfile.rb relocate "${base%.*}.$((${base##*.} + k - 1))" "hbnblab$k" > "$dir/.cache/lab.yml"
}

line_of() { echo "$1/.cache/lab.yml:$1/.vagrant/ssh-config"; }

case ${1:-} in
  up)
    count=${2:?usage: host/practice-labs.sh up N}
    [[ $count =~ ^[1-9]$ ]] || lab_die "N must be 1 to 9"
    # This lab alone (N=1) is whatever it runs on; the extra ones are LXC.
    if ((count > 1)); then
      provider=$(lab_provider)
      [[ $provider == lxc ]] || lab_die "labs side by side are LXC only (this lab runs on $provider): LABS=1, or SHARD=K/N on N hosts"
      [[ $(id -u) -eq 0 ]] || lab_die "the LXC labs need root"
    fi
    echo "$first_lab_file:$repo/.vagrant/ssh-config"
    declare -A ups=()
    for ((k = 2; k <= count; k++)); do
      dir=$labs/$k
      mkdir -p "$dir"
      lab_tree_copy "$dir"
      mkdir -p "$dir/.cache"
      rsync -a --delete "$repo/.cache/wheels/" "$dir/.cache/wheels/"
      lab_file_of "$k"
      log "lab $k: up in practice mode ($dir)"
      # All at once: a lab's start is mostly waiting (Vagrant, systemd, apt from the
      # cache), and what they share takes turns (host/setup.sh and the box's build lock).
      # Bounded: a lab that hangs coming up fails the run with its log, not the run's deadline.
      (cd "$dir" && LAB_FILE=.cache/lab.yml LAB_MODE=practice timeout --kill-after=30 1200 host/lab-up.sh \
         > .cache/up.log 2>&1) &
      ups[$k]=$!
    done
    failed=0
    for ((k = 2; k <= count; k++)); do
      dir=$labs/$k status=0
      wait "${ups[$k]}" || status=$?
      if ((status)); then
        tail -30 "$dir/.cache/up.log" >&2
        ((status != 124)) || log "lab $k: still not up after 20 minutes; stopped"
        log "lab $k did not come up (log: $dir/.cache/up.log)"
        failed=1
      else
        log "lab $k: $(grep -o 'up and serving in [0-9]* s' "$dir/.cache/up.log" | tail -n 1 || true)"
        line_of "$repo/$dir"
      fi
    done
    ((failed == 0)) || lab_die "not every lab came up"
    ;;
  destroy)
    compgen -G "$labs/*/" >/dev/null || exit 0
    [[ $(id -u) -eq 0 ]] || lab_die "the LXC labs need root"
    # A lab's folder holds Vagrant's record of its machines: it goes only once its
    # destroy succeeded, so a failed one leaves its machines findable (and says so).
    kept=()
    for dir in "$labs"/*/; do
      [[ -d $dir ]] || continue
      k=$(basename "$dir")
      log "lab $k: destroying"
      if (cd "$dir" && LAB_FILE=.cache/lab.yml host/lab-destroy.sh > .cache/destroy.log 2>&1); then
        [[ ! -d /sys/class/net/hbnblab$k ]] || ip link del "hbnblab$k"
        rm -rf "$dir"
      else
        tail -15 "$dir/.cache/destroy.log" >&2
        kept+=("$dir")
      fi
    done
    ((${#kept[@]} == 0)) || lab_die "could not destroy ${kept[*]} (log: .cache/destroy.log in each; its machines are still recorded there: make destroy again)"
    ;;
  list)
    echo "$first_lab_file:$repo/.vagrant/ssh-config"
    for dir in "$labs"/*/; do
      if [[ -s $dir/.vagrant/ssh-config ]]; then line_of "$repo/${dir%/}"; fi
    done
    ;;
  *) lab_die "usage: host/practice-labs.sh up N | destroy | list" ;;
esac
