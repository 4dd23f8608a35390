#!/usr/bin/env bash
# The lab on each other system and provider in turn: made, checked by the lab suite, destroyed; timed.
# Usage: tests/run-matrix.sh [--setup|--build] [PROVIDER:SYSTEM[:practice] ...]   (default: MATRIX, else the legs below)
#   --setup: only the legs' host set-ups (packages, engines); --build: only their
#   boxes and images (set-up included), no lab: CI builds them beside `make test`.
#   Each leg: the box or image built (cached after its first build), `make up`,
#   the lab suite (tests/run-infra.sh: the exercise's checks and the reference
#   checks), `make destroy`. A practice leg makes a practice lab and runs the
#   earlier state's checks (`base`: the exercise's tasks are the student's to do). MATRIX_REBUILD=1 also times a rebuild (destroy, then up
#   with the box cached). Prints one table line a leg as it ends; a leg's failure
#   fails the run after the others ran. Needs this folder's own lab destroyed first.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh
lab_tool=matrix

only=
case ${1:-} in --setup|--build) only=${1#--}; shift ;; esac
legs=("$@")
if ((!${#legs[@]})); then
  read -r -a legs <<< "${MATRIX:-lxc:debian11 lxc:debian13 lxc:debian13:practice docker:ubuntu2204}"
fi
for leg in "${legs[@]}"; do
  [[ $leg == *:* ]] || lab_die "a leg is PROVIDER:SYSTEM, not '$leg'"
done

# leg_tools PROVIDER: sets setup (the host set-up: what the builder needs and,
# for Docker, the engine started, which a fresh host does not run) and builder.
leg_tools() {
  case $1 in
    lxc) setup=(host/setup.sh) builder=(host/build-box.sh) ;;
    docker) setup=(host/setup-docker.sh) builder=(host/docker-image.sh) ;;
    *) lab_die "$1: the matrix builds LXC boxes and Docker images only" ;;
  esac
}

# --setup / --build: each provider's set-up, or each system's base, once.
if [[ -n $only ]]; then
  declare -A done_for=()
  status=0
  # Docker's first: the engine runs its builds, outside this script's nice.
  mapfile -t legs < <(printf '%s\n' "${legs[@]}" | grep '^docker:'; printf '%s\n' "${legs[@]}" | grep -v '^docker:')
  for leg in "${legs[@]}"; do
    IFS=: read -r provider system _ <<< "$leg"
    key=$provider
    [[ $only == setup ]] || key+=:$system
    [[ -z ${done_for[$key]:-} ]] || continue
    done_for[$key]=1
    leg_tools "$provider"
    logs=.cache/matrix/$provider-$system-$only
    mkdir -p "$logs"
    began=$SECONDS
    if ! "${setup[@]}" > "$logs/setup.log" 2>&1; then
      lab_log "$leg: host set-up failed ($logs/setup.log)"
      tail -5 "$logs/setup.log" | sed "s/^/    $leg: /" >&2
      status=1
      continue
    fi
    if [[ $only == build ]]; then
      if LAB_PROVIDER=$provider LAB_SYSTEM=$system "${builder[@]}" > "$logs/build.log" 2>&1; then
        lab_log "$provider:$system: built in $((SECONDS - began)) s ($logs/build.log)"
      else
        lab_log "$provider:$system: build failed ($logs/build.log)"; status=1
      fi
    else
      lab_log "$provider: set up in $((SECONDS - began)) s"
    fi
  done
  exit "$status"
fi

if compgen -G ".vagrant/machines/*/*/id" >/dev/null; then
  lab_die "this folder's lab is up: make destroy first (the matrix makes its own labs here)"
fi

mkdir -p .cache/matrix
table=.cache/matrix/table.txt
header=$(printf '%-22s %8s %8s %8s %8s  %s' "leg" "build s" "up s" "rebuild" "suite s" "result")
echo "$header" > "$table"
failed=()

# timed LOG COMMAND...: runs it, its output in LOG; sets took (seconds); status as the command's.
timed() {
  local log=$1 began=$SECONDS status=0; shift
  "$@" > "$log" 2>&1 || status=$?
  took=$((SECONDS - began))
  return "$status"
}

for leg in "${legs[@]}"; do
  IFS=: read -r provider system mode <<< "$leg"
  mode=${mode:-reference}
  [[ $mode == reference || $mode == practice ]] || lab_die "$leg: the mode is practice or nothing, not '$mode'"
  export LAB_PROVIDER=$provider LAB_SYSTEM=$system LAB_MODE=$mode
  suite_args=()
  [[ $mode == reference ]] || suite_args=(base)
  logs=.cache/matrix/$provider-$system-$mode
  mkdir -p "$logs"
  build=- up=- rebuild=- suite=- result=passed
  lab_log "$leg: building its ${provider} machines' base (log: $logs/build.log)"
  leg_tools "$provider"
  if ! "${setup[@]}" > "$logs/setup.log" 2>&1; then
    result="host set-up failed ($logs/setup.log)"
    tail -5 "$logs/setup.log" | sed "s/^/    $leg: /" >&2
  elif timed "$logs/build.log" "${builder[@]}"; then
    build=$took
  else
    result="build failed ($logs/build.log)"
  fi
  if [[ $result == passed ]]; then
    lab_log "$leg: make up (log: $logs/up.log)"
    if timed "$logs/up.log" host/lab-up.sh; then
      up=$took
      if [[ ${MATRIX_REBUILD:-0} == 1 ]]; then
        host/lab-destroy.sh > "$logs/destroy-rebuild.log" 2>&1
        if timed "$logs/rebuild.log" host/lab-up.sh; then rebuild=$took; else result="rebuild failed ($logs/rebuild.log)"; fi
      fi
    else
      result="up failed ($logs/up.log)"
    fi
  fi
  if [[ $result == passed ]]; then
    lab_log "$leg: the lab suite (log: $logs/suite.log)"
    if timed "$logs/suite.log" tests/run-infra.sh "${suite_args[@]}"; then suite=$took; else suite=$took result="suite failed ($logs/suite.log)"; fi
    grep -E '^=+ .*(passed|failed|error).* =+$' "$logs/suite.log" | sed "s/^/    $leg: /" || true
  fi
  if [[ $result != passed ]]; then
    failed+=("$leg")
    # The end of the failing step's log, so CI's output says why.
    for log in "$logs"/{setup,build,up,rebuild,suite}.log; do
      [[ -f $log ]] || continue
      [[ $result == *"$log"* ]] && { echo "---- $leg: last lines of $log"; tail -40 "$log"; } >&2
    done
    for log in .vagrant/logs/*.log; do
      [[ -f $log && $result == "up failed"* ]] && { echo "---- $log"; tail -15 "$log"; } >&2
    done
  fi
  host/lab-destroy.sh > "$logs/destroy.log" 2>&1 || { failed+=("$leg (destroy)"); tail -20 "$logs/destroy.log" >&2; }
  line=$(printf '%-22s %8s %8s %8s %8s  %s' "$leg" "$build" "$up" "$rebuild" "$suite" "$result")
  echo "$line" >> "$table"
  lab_log "$line"
done
unset LAB_PROVIDER LAB_SYSTEM LAB_MODE

echo "=== matrix ($(date -u +%Y-%m-%d), $(uname -m), $(nproc) CPUs; seconds) ==="
cat "$table"
if ((${#failed[@]})); then
  lab_die "failed: ${failed[*]}"
fi
