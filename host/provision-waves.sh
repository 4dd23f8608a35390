#!/usr/bin/env bash
# Provisions the lab's running machines in waves over SSH (db and lb, then web); machines whose stamp is current are skipped.
# Usage: host/provision-waves.sh PROVIDER (after vagrant up and the ssh-config; `make up` runs it)
set -euo pipefail
cd "$(dirname "$0")/.."
lab_tool=lab-up
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh
provider=${1:?usage: host/provision-waves.sh PROVIDER}

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

# A machine counts as provisioned when a stamp names its current machine id and
# the hash of everything provisioning depends on (provisioners, application, lab
# file, mode, secrets); any other machine is provisioned again: the provisioners
# are idempotent.
exercise=exercises/$(lab_rb host/labfile.rb get exercise.id)
inputs_hash=$( { find provision models api web_flask web_dynamic "$exercise/solution" "$exercise/exercise.yml" \
                   -name __pycache__ -prune -o -type f -print0 \
                   | sort -z | xargs -0 cat; cat "$(lab_rb host/labfile.rb path)" requirements.txt;
                 echo "$LAB_MODE"; cat .vagrant/hbnb-lab/secrets/* 2>/dev/null || true; } \
               | lab_sha256)
mkdir -p .vagrant/provisioned .vagrant/logs
stamp_of() { echo "$(cat ".vagrant/machines/$1/$provider/id") $inputs_hash"; }
todo=()
while read -r name _; do
  if [[ "$(cat ".vagrant/provisioned/$name" 2>/dev/null)" == "$(stamp_of "$name")" ]]; then
    lab_log "$name: provisioned and current"
  else
    todo+=("$name")
  fi
done < <(lab_rb host/labfile.rb roles)
((${#todo[@]})) || exit 0

# provision_parallel NAME STEP,STEP ...: runs provisioners on several machines at
# once, over SSH with the script host/labfile.rb makes (the one the Vagrantfile's
# provisioners run: a `vagrant provision` costs 2-3 s of start-up each). Output
# goes to .vagrant/logs/NAME.log, prefixed as Vagrant does. Prints the names that failed.
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
           < /dev/null 2>&1 | sed -u "s/^/    $name: /" >> ".vagrant/logs/$name.log"; then
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

# run_wave NAME=STEP,STEP ...: this wave's provisioners of the machines to do, side
# by side; stops the run on a failure.
run_wave() {
  local pair name args=() failed=()
  for pair in "$@"; do
    name=${pair%%=*}
    [[ " ${todo[*]} " == *" $name "* ]] && args+=("$name" "${pair#*=}")
  done
  ((${#args[@]})) || return 0
  mapfile -t failed < <(provision_parallel "${args[@]}")
  if ((${#failed[@]})); then
    sleep 1; kill "$follower" 2>/dev/null || true
    for name in "${failed[@]}"; do report_failure "$name"; done
    lab_die "provisioning failed on ${failed[*]} (fix the provisioner, then run \`make up\` again)"
  fi
}

# Waves (host/labfile.rb waves): every machine's first steps (common, app) and the
# db and lb roles, then the web role, which logs in to the database. Their logs
# are followed as they grow (prefixed by machine).
logs=()
for name in "${todo[@]}"; do
  : > ".vagrant/logs/$name.log"
  rm -f ".vagrant/provisioned/$name"
  logs+=(".vagrant/logs/$name.log")
done
tail -q -n +1 -F "${logs[@]}" 2>/dev/null &
follower=$!
trap 'kill "$follower" 2>/dev/null || true' EXIT
for wave in "${waves[@]}"; do
  # shellcheck disable=SC2086  # a wave is NAME=STEPS words
  run_wave $wave
done
sleep 1; kill "$follower" 2>/dev/null || true
for name in "${todo[@]}"; do stamp_of "$name" > ".vagrant/provisioned/$name"; done
