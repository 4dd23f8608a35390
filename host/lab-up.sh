#!/usr/bin/env bash
# `make up`: host set-up (LXC, Docker), machines up, provisioning in waves (db and lb, then web).
# Safe to re-run; `--ssh-config-only` writes .vagrant/ssh-config of a running lab.
set -euo pipefail
cd "$(dirname "$0")/.."
lab_tool=lab-up
# A command that fails outside the checks below still says where.
trap 'echo "lab-up: error: line $LINENO: \`$BASH_COMMAND\` failed" >&2' ERR
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh

only_ssh_config=0
[[ ${1:-} == --ssh-config-only ]] && only_ssh_config=1
command -v vagrant >/dev/null 2>&1 || [[ $(lab_provider) == lxc || $(lab_provider) == docker ]] \
  || lab_die "Vagrant is not installed: see README.md (Vagrant 2.3 or newer)"

write_ssh_config() {
  local tmp=.vagrant/ssh-config.tmp
  mkdir -p .vagrant
  if ! vagrant ssh-config > "$tmp" 2> .vagrant/ssh-config.err; then
    cat .vagrant/ssh-config.err >&2
    rm -f "$tmp"
    lab_die "lab not up: \`vagrant ssh-config\` failed (run \`make up\`)"
  fi
  mv "$tmp" .vagrant/ssh-config
  lab_log "wrote .vagrant/ssh-config ($(grep -c '^Host ' .vagrant/ssh-config) machines)"
}

if ((only_ssh_config)); then
  write_ssh_config
  exit 0
fi

started=$SECONDS
provider=$(lab_provider)
lab_lock
# The system the machines are built from (LXC, Docker): LAB_SYSTEM, else the one
# this lab was made with (kept until make destroy: a made machine keeps its system).
if lab_rb host/labfile.rb get "boxes.$provider.system" >/dev/null 2>&1; then
  kept=$(cat ".vagrant/hbnb-lab/system-$provider" 2>/dev/null || true)
  LAB_SYSTEM=$(lab_rb host/labfile.rb system "$provider")
  if [[ -n $kept && $kept != "$LAB_SYSTEM" ]] && compgen -G ".vagrant/machines/*/$provider/id" >/dev/null; then
    lab_die "this lab's machines run $kept, not $LAB_SYSTEM: make destroy first to change the system"
  fi
  export LAB_SYSTEM
  mkdir -p .vagrant/hbnb-lab && echo "$LAB_SYSTEM" > ".vagrant/hbnb-lab/system-$provider"
fi
if [[ $provider == lxc ]]; then
  [[ $(id -u) -eq 0 ]] || lab_die "the LXC lab needs root (LXC containers, bridges, id-mapped mounts): sudo make up"
  host/setup.sh 9>&-
  host/build-box.sh
  host/wheelhouse.sh
  lxc_remove_orphans --orphans
  lxc_prune_bases
  lxc_check_addresses
elif [[ $provider == docker ]]; then
  # The engine (installed and started on a Linux host), the machines' image
  # (built once per Dockerfile and key), nothing else on the lab network.
  host/setup-docker.sh 9>&-
  host/docker-image.sh 9>&-
  docker_remove_orphans --orphans
  docker_check_network
fi
# The mode: LAB_MODE, else the one this lab was made in (kept until make destroy).
LAB_MODE=$(lab_rb host/labfile.rb mode)
export LAB_MODE
mkdir -p .vagrant/hbnb-lab && echo "$LAB_MODE" > .vagrant/hbnb-lab/mode
# LAB_DOCKER_PORTS=1 (Docker through ports on 127.0.0.1), kept with the lab as its mode.
if [[ $provider == docker && ${LAB_DOCKER_PORTS:-} == 1 ]]; then
  : > .vagrant/hbnb-lab/docker-ports
elif [[ $provider == docker && ${LAB_DOCKER_PORTS-unset} != unset ]]; then
  rm -f .vagrant/hbnb-lab/docker-ports
fi
lab_log "provider $provider${LAB_SYSTEM:+ ($LAB_SYSTEM)}, lab file $(lab_rb host/labfile.rb path), $LAB_MODE mode"

# Every provisioner a machine needs should exist; say so now if one does not (the
# machine's provisioning then stops there, naming the missing script).
mapfile -t waves < <(lab_rb host/labfile.rb waves)
for wave in "${waves[@]}"; do
  for pair in $wave; do
    steps=${pair#*=}
    for script in ${steps//,/ }; do
      [[ -f provision/$script.sh ]] || lab_log "warning: provision/$script.sh is missing (${pair%%=*})" >&2
    done
  done
done

# 0. A VM left running by an interrupted run may lack what `vagrant up` does
#    after boot (shared folders, hostname), and `vagrant up` skips running
#    machines: reload those not known to be provisioned. (LXC and Docker mounts
#    are part of the container's config; provision/common.sh sets the hostname.)
if [[ $provider != lxc && $provider != docker ]]; then
  while IFS=, read -r _ name kind state _; do
    [[ $kind == state && $state == running && ! -s .vagrant/provisioned/$name ]] || continue
    lab_log "$name: running but not provisioned by a complete run: reloading it"
    vagrant reload "$name" --no-provision 9>&-
  done < <(vagrant status --machine-readable 9>&- 2>/dev/null)
fi

# 1. Machines created and running, not yet provisioned. LXC and Docker bring them
#    up in parallel; VirtualBox and libvirt one after the other.
up_args=(--provider="$provider" --no-provision)
[[ $provider == lxc || $provider == docker ]] && up_args+=(--parallel)
mkdir -p .vagrant/logs
lab_log "vagrant up ${up_args[*]}"
vagrant up "${up_args[@]}" 9>&- 2>&1 | tee .vagrant/logs/up.log
((PIPESTATUS[0] == 0)) || lab_die "vagrant up failed (log: .vagrant/logs/up.log)"
# Written now, once: the machines can be reached even if provisioning fails, and
# provisioning does not change how to reach them.
write_ssh_config

# 2. Provisioning. A machine counts as provisioned when a stamp names its current
#    machine id and the hash of everything provisioning depends on (provisioners,
#    application, lab file, mode, secrets); any other machine is provisioned again:
#    the provisioners are idempotent.
inputs_hash=$( { find provision models api web_flask web_dynamic -name __pycache__ -prune -o -type f -print0 \
                   | sort -z | xargs -0 cat; cat "$(lab_rb host/labfile.rb path)" requirements.txt;
                 echo "$LAB_MODE"; cat .vagrant/hbnb-lab/secrets/* 2>/dev/null || true; } \
               | lab_sha256)
mkdir -p .vagrant/provisioned
stamp_of() { echo "$(cat ".vagrant/machines/$1/$provider/id") $inputs_hash"; }
declare -A pending=()   # machine -> the provisioners of its next wave
todo=()
while read -r name _; do
  if [[ "$(cat ".vagrant/provisioned/$name" 2>/dev/null)" == "$(stamp_of "$name")" ]]; then
    lab_log "$name: provisioned and current"
  else
    todo+=("$name")
  fi
done < <(lab_rb host/labfile.rb roles)

# Runs provisioners on several machines at once (NAME STEP,STEP... pairs), over
# SSH with the script host/labfile.rb makes (the one the Vagrantfile's provisioners
# run: a `vagrant provision` costs 2-3 s of start-up each). Output goes to
# .vagrant/logs/NAME.log, prefixed as Vagrant does. Prints the names that failed.
provision_parallel() {
  local -A pids=()
  local name with
  while (($#)); do
    name=$1 with=$2; shift 2
    lab_log "$name: provisioning ($with)" >&2
    (
      begun=$SECONDS
      script=$(lab_rb host/labfile.rb provision "$name" "$with")
      if ssh -F .vagrant/ssh-config -o BatchMode=yes "$name" "sudo bash -c $(printf '%q' "$script")" \
           < /dev/null 2>&1 9>&- | sed -u "s/^/    $name: /" >> ".vagrant/logs/$name.log"; then
        status=0
      else
        status=${PIPESTATUS[0]}
      fi
      outcome=finished
      ((status == 0)) || outcome=failed
      lab_log "$name: $with $outcome in $((SECONDS - begun)) s" >&2
      exit "$status"
    ) &
    pids[$name]=$!
  done
  for name in "${!pids[@]}"; do
    if ! wait "${pids[$name]}"; then
      echo "$name"
    fi
  done
}

report_failure() {
  local name=$1 step
  step=$(grep -o 'hbnb-lab: provisioner [a-z0-9_-]*' ".vagrant/logs/$name.log" | tail -1 | cut -d' ' -f3)
  echo "---- $name: provisioner ${step:-?} failed; last lines of .vagrant/logs/$name.log:" >&2
  tail -25 ".vagrant/logs/$name.log" >&2
}

# The machines' pending provisioners, side by side; stops the run on a failure.
run_wave() {
  local name args=() failed=()
  for name in "${!pending[@]}"; do args+=("$name" "${pending[$name]}"); done
  ((${#args[@]})) || return 0
  pending=()
  mapfile -t failed < <(provision_parallel "${args[@]}")
  if ((${#failed[@]})); then
    sleep 1; kill "$follower" 2>/dev/null || true
    for name in "${failed[@]}"; do report_failure "$name"; done
    lab_die "provisioning failed on ${failed[*]} (fix the provisioner, then run \`make up\` again)"
  fi
}

if ((${#todo[@]})); then
  # Waves (host/labfile.rb waves): every machine's first steps (common, app) and
  # the db and lb roles, then the web role, which logs in to the database.
  logs=()
  for name in "${todo[@]}"; do
    : > ".vagrant/logs/$name.log"
    rm -f ".vagrant/provisioned/$name"
    logs+=(".vagrant/logs/$name.log")
  done
  # Follow the provisioning as it happens (all machines' logs, prefixed by Vagrant).
  tail -q -n +1 -F "${logs[@]}" 2>/dev/null &
  follower=$!
  trap 'kill "$follower" 2>/dev/null || true' EXIT
  for wave in "${waves[@]}"; do
    for pair in $wave; do
      name=${pair%%=*}
      [[ " ${todo[*]} " == *" $name "* ]] && pending[$name]=${pending[$name]:+${pending[$name]},}${pair#*=}
    done
    run_wave
  done
  sleep 1; kill "$follower" 2>/dev/null || true
  for name in "${todo[@]}"; do stamp_of "$name" > ".vagrant/provisioned/$name"; done
fi

# 3. The front end answers through each load balancer (HAProxy adds a web server
#    within a second of its health check passing): the lab is up and serving.
#    Forwarded-ports mode (Docker Desktop, LAB_DOCKER_PORTS=1: .vagrant/ssh-config
#    sends every machine to a port on 127.0.0.1): the host cannot reach the lab
#    addresses, only the load balancer's forwarded port on 127.0.0.1.
forwarded_ports() {   # whether .vagrant/ssh-config is in forwarded-ports mode
  awk -v want="$(lab_rb host/labfile.rb names | tr '\n' ' ')" '
    tolower($1) == "host" { name = $2 }
    tolower($1) == "hostname" && ($2 ~ /^127\./ || $2 == "localhost" || $2 == "::1") { loopback[name] = 1 }
    tolower($1) == "port" && $2 ~ /^[0-9]+$/ { port[name] = 1 }
    END {
      n = split(want, names, " "); if (n == 0) exit 1
      for (i = 1; i <= n; i++) if (!(loopback[names[i]] && port[names[i]])) exit 1
    }' .vagrant/ssh-config
}
forwarded_port() {   # NAME: the port on 127.0.0.1 its HTTP is forwarded to: Docker's, else lab.yml's
  local id published=''
  id=$(cat ".vagrant/machines/$1/$provider/id" 2>/dev/null || true)
  if [[ -n $id ]] && command -v docker >/dev/null 2>&1; then
    published=$(docker port "$id" 80/tcp 2>/dev/null | sed -n 's/^127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' | head -n 1)
  fi
  echo "${published:-$(lab_rb host/labfile.rb get load_balancer.host_ports.http)}"
}
front_end() {   # NAME ADDRESS URL: waits up to 20 s for HTTP 200 on URL, sent to ADDRESS
  local name=$1 address=$2 url=$3 code deadline=$((SECONDS + 20))
  if [[ $address != 127.0.0.1 ]]; then
    if ! command -v ip >/dev/null 2>&1; then
      lab_log "$name: front end not checked (no ip command to check its route)"; return 0
    fi
    # Only a lab address on a local bridge or host-only network is ever sent to.
    [[ $(ip route get "$address" 2>/dev/null) != *" via "* ]] || lab_die "lab not up: $address does not route to a local network"
  fi
  until code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url"); [[ $code == 200 ]]; do
    ((SECONDS < deadline)) || lab_die "$name: $url answers HTTP $code, not 200: the lab is up but not serving (make check says why)"
    sleep 0.5
  done
}
forwarded=0
forwarded_ports && forwarded=1
mapfile -t front_ends < <(lab_rb host/labfile.rb front-ends)
urls=()
for line in "${front_ends[@]}"; do
  read -r name address <<< "$line"
  if ((forwarded)); then
    address=127.0.0.1 url="http://127.0.0.1:$(forwarded_port "$name")/"
  else
    url="http://$address/"
  fi
  front_end "$name" "$address" "$url"
  urls+=("$url")
done

lab_log "lab up and serving in $((SECONDS - started)) s: ${urls[*]}"
