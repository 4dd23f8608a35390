#!/usr/bin/env bash
# The lab on each other system and provider in turn: made, checked by the lab suite, destroyed; timed.
# Usage: tests/run-matrix.sh [--setup|--build] [PROVIDER:SYSTEM[:MODE[:user]] ...]   (default: MATRIX, else the legs below)
#   --setup: only the legs' host set-ups (packages, engines); --build: only their
#   boxes and images (set-up included), no lab: CI builds them beside `make test`.
#   Each leg: the box or image built (cached after its first build), `make up`,
#   the lab suite (tests/run-infra.sh: the exercise's checks and the reference
#   checks), `make destroy`. A practice leg makes a practice lab and runs the
#   earlier state's checks (`base`: the exercise's tasks are the student's to do).
#   A leg ending in :user runs as a student runs Docker: not root, but a member of
#   the docker group (hbnb-matrix, made if missing), in a copy of this tree in its
#   home, with the student's commands (`make up`, the checks, `make grade` of a
#   correct submission, `make destroy`). MATRIX_REBUILD=1 also times a rebuild (destroy, then up
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
  read -r -a legs <<< "${MATRIX:-lxc:debian11 lxc:debian13 lxc:debian13:practice docker:ubuntu2204 docker:ubuntu2204:practice:user}"
fi
for leg in "${legs[@]}"; do
  [[ $leg =~ ^[a-z]+:[a-z0-9]+(:(reference|practice)(:user)?)?$ ]] \
    || lab_die "a leg is PROVIDER:SYSTEM[:MODE[:user]] (MODE reference or practice), not '$leg'"
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
header=$(printf '%-32s %8s %8s %8s %8s  %s' "leg" "build s" "up s" "rebuild" "suite s" "result")
echo "$header" > "$table"
failed=()

# timed LOG COMMAND...: runs it, its output in LOG; sets took (seconds); status as the command's.
timed() {
  local log=$1 began=$SECONDS status=0; shift
  "$@" > "$log" 2>&1 || status=$?
  took=$((SECONDS - began))
  return "$status"
}

# A leg's user (:user legs, when this runs as root): a member of the docker group,
# in a copy of this tree in its home (its .venv kept from run to run). It gets
# this host's lab key, so the image built ahead (by root) serves it unchanged.
leg_user=hbnb-matrix
leg_user_tree() {   # prints its home; 1 (and why, on stderr) when it cannot
  local home key keys
  getent group docker >/dev/null || { echo "no docker group (host/setup-docker.sh makes it)" >&2; return 1; }
  if ! id "$leg_user" >/dev/null 2>&1; then
    useradd --system --create-home --home-dir "/var/lib/$leg_user" --shell /bin/bash \
      --groups docker "$leg_user" || return 1
  fi
  home=$(getent passwd "$leg_user" | cut -d: -f6)
  lab_tree_copy "$home/hbnb-lab" --chown="$leg_user:$leg_user" || return 1
  # Its host tools as it finds them, installed by root: root's PATH may reach a
  # Python with venv (pyenv's) where the user's reaches the system's, without it.
  local packages
  # shellcheck disable=SC2016  # expanded by the user's shell
  mapfile -t packages < <(runuser -u "$leg_user" -- bash -c 'cd "$1" && source host/lab-lib.sh &&
    { lab_missing_tools up "$2"; lab_missing_tools checks; }' leg_tools "$home/hbnb-lab" "$provider" \
    | cut -d' ' -f2 | sort -u)
  if ((${#packages[@]})); then
    echo "installing what $leg_user lacks: ${packages[*]}" >&2
    lab_apt_install "${packages[@]}" || return 1
  fi
  keys=$home/.vagrant.d/hbnb-lab
  key=$(lab_ssh_key) || return 1
  install -d -o "$leg_user" -g "$leg_user" -m 700 "$home/.vagrant.d" "$keys" \
    && install -o "$leg_user" -g "$leg_user" -m 600 "$key" "$keys/lxc_rsa" \
    && install -o "$leg_user" -g "$leg_user" -m 644 "$key.pub" "$keys/lxc_rsa.pub" || return 1
  echo "$home"
}
# as_leg COMMAND...: runs it as the leg's user in its tree, or here.
as_leg() {
  if [[ -z $leg_home ]]; then "$@"; return; fi
  # shellcheck disable=SC2016  # expanded by the user's shell
  runuser -u "$leg_user" -- env HOME="$leg_home" VAGRANT_HOME="$leg_home/.vagrant.d" \
    bash -c 'cd "$HOME/hbnb-lab" && exec "$@"' as_leg "$@"
}

# A :user leg stopped half-way (CI's deadline, Ctrl-C) leaves no lab behind: its
# Docker network holds the lab addresses the next lab needs. (This folder's own
# lab is `make destroy`'s.)
trap 'if [[ -n ${leg_home:-} ]]; then as_leg host/lab-destroy.sh > /dev/null 2>&1 || true; fi' EXIT

# The lab suite of a leg; a :user leg's as a student runs it: the checks' tools
# made first (no root), then a correct submission graded (practice mode).
leg_suite() {   # (run in a condition, where set -e does not stop it: each step checked)
  if [[ -n $as_user ]]; then as_leg make check-deps || return; fi
  as_leg tests/run-infra.sh "${suite_args[@]}" || return
  if [[ -n $as_user && $LAB_MODE == practice ]]; then
    as_leg make grade SUBMISSION=exercises/0x1A-application_server/cases/correct-usr-bin || return
  fi
}

for leg in "${legs[@]}"; do
  IFS=: read -r provider system mode as_user <<< "$leg"
  mode=${mode:-reference}
  export LAB_PROVIDER=$provider LAB_SYSTEM=$system LAB_MODE=$mode
  suite_args=()
  [[ $mode == reference ]] || suite_args=(base)
  logs=.cache/matrix/$provider-$system-$mode${as_user:+-$as_user}
  mkdir -p "$logs"
  build=- up=- rebuild=- suite=- result=passed leg_home=''
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
  if [[ $result == passed && -n $as_user && $(id -u) -eq 0 ]]; then
    if leg_home=$(leg_user_tree 2> "$logs/user.log"); then
      lab_log "$leg: as $leg_user (docker group), in $leg_home/hbnb-lab"
    else
      leg_home='' result="the leg's user could not be made ($logs/user.log)"
    fi
  fi
  if [[ $result == passed ]]; then
    lab_log "$leg: make up (log: $logs/up.log)"
    if timed "$logs/up.log" as_leg make up; then
      up=$took
      if [[ ${MATRIX_REBUILD:-0} == 1 ]]; then
        as_leg host/lab-destroy.sh > "$logs/destroy-rebuild.log" 2>&1
        if timed "$logs/rebuild.log" as_leg make up; then rebuild=$took; else result="rebuild failed ($logs/rebuild.log)"; fi
      fi
    else
      result="up failed ($logs/up.log)"
    fi
  fi
  if [[ $result == passed ]]; then
    lab_log "$leg: the lab suite (log: $logs/suite.log)"
    if timed "$logs/suite.log" leg_suite; then suite=$took; else suite=$took result="suite failed ($logs/suite.log)"; fi
    grep -E '^=+ .*(passed|failed|error).* =+$|^grade: .* tasks pass' "$logs/suite.log" | sed "s/^/    $leg: /" || true
  fi
  if [[ $result != passed ]]; then
    failed+=("$leg")
    # The end of the failing step's log, so CI's output says why.
    for log in "$logs"/{setup,build,user,up,rebuild,suite}.log; do
      [[ -f $log ]] || continue
      [[ $result == *"$log"* ]] && { echo "---- $leg: last lines of $log"; tail -40 "$log"; } >&2
    done
    for log in "${leg_home:+$leg_home/hbnb-lab/}".vagrant/logs/*.log; do
      [[ -f $log && $result == "up failed"* ]] && { echo "---- $log"; tail -15 "$log"; } >&2
    done
  fi
  as_leg host/lab-destroy.sh > "$logs/destroy.log" 2>&1 || { failed+=("$leg (destroy)"); tail -20 "$logs/destroy.log" >&2; }
  leg_home=''
  line=$(printf '%-32s %8s %8s %8s %8s  %s' "$leg" "$build" "$up" "$rebuild" "$suite" "$result")
  echo "$line" >> "$table"
  lab_log "$line"
done
unset LAB_PROVIDER LAB_SYSTEM LAB_MODE

echo "=== matrix ($(date -u +%Y-%m-%d), $(uname -m), $(nproc) CPUs; seconds) ==="
cat "$table"
if ((${#failed[@]})); then
  lab_die "failed: ${failed[*]}"
fi
