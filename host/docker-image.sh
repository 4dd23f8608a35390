#!/usr/bin/env bash
# Builds the Docker lab's machine image hbnb-lab/<system> from host/docker/Dockerfile (cached; --force rebuilds).
# The system: LAB_SYSTEM, else the lab file's boxes.docker.system. Its base: the system's
# published image when the host's Docker has it or can pull it, else (and for Debian
# systems) its Debian suite, built by mmdebstrap from the host's own apt mirror and imported.
set -euo pipefail
shopt -s inherit_errexit   # a failure inside $(function) stops the script too
cd "$(dirname "$0")/.."
lab_tool=docker-image
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh

force=0
[[ ${1:-} == --force ]] && force=1
command -v docker >/dev/null 2>&1 || lab_die "no docker command (host/setup-docker.sh installs the engine)"
docker info >/dev/null 2>&1 || lab_die "no Docker engine answers (docker info): host/setup-docker.sh starts one"

system=$(lab_rb host/labfile.rb system docker)
image=$(lab_rb host/labfile.rb box docker)
lab_key=$(lab_ssh_key)

# One build per host at a time, even from two clones of the project.
lab_host_lock docker-image

# image_label IMAGE LABEL: a label of a local image, empty when it has none.
image_label() {
  docker image inspect -f "{{index .Config.Labels \"$2\"}}" "$1" 2>/dev/null | sed 's/^<no value>$//'
}

# --- the base: the published image (a pull bounded in time: a host without a
# registry fails at once, a slow one within a minute), else a Debian suite.
built_on=$system
base=""
bounded=()   # (macOS has no timeout: there Docker Desktop pulls)
if command -v timeout >/dev/null 2>&1; then bounded=(timeout 60); fi
published=$(lab_rb host/labfile.rb get-optional "systems.$system.image")
if [[ -n $published ]]; then
  if docker image inspect "$published" >/dev/null 2>&1; then
    base=$published
  elif "${bounded[@]}" docker pull -q "$published" >/dev/null 2>&1; then
    base=$published
  else
    built_on=$(lab_rb host/labfile.rb get-optional "systems.$system.else")
    [[ -n $built_on ]] || lab_die "$published cannot be pulled and system $system names no other system (else:)"
    lab_log "$published cannot be pulled: building on $built_on from the host's apt mirror instead"
  fi
fi

# debian_base SYSTEM: a local image of SYSTEM's Debian suite (minbase,
# the host's mirrors in its apt sources), made once: hbnb-lab-base/SYSTEM.
debian_base() {
  local system=$1 suite name=hbnb-lab-base/$1
  suite=$(lab_rb host/labfile.rb get-optional "systems.$system.suite")
  [[ -n $suite ]] || lab_die "system $system has neither an image that can be had nor a Debian suite"
  if docker image inspect "$name" >/dev/null 2>&1 && ((!force)); then
    echo "$name"; return
  fi
  [[ $(id -u) -eq 0 ]] || lab_die "building the $suite base needs root (mmdebstrap): sudo make up"
  command -v mmdebstrap >/dev/null 2>&1 || lab_die "no mmdebstrap (apt-get install mmdebstrap; host/setup-docker.sh installs it)"
  lab_debian_mirrors "$suite" \
    || lab_die "no Debian mirror in the host's apt sources (apt-get indextargets is empty: run apt-get update)"
  local work began=$SECONDS
  work=$(lab_build_dir "docker-$system")
  lab_log "mmdebstrap $suite (host mirror) for the base image $name ..." >&2
  # The root file system as a tar on stdout, imported as it comes; apt's sources
  # in it are the host's mirrors (mmdebstrap writes the ones it used).
  local sources=("deb $debian_mirror $suite main" "deb $debian_mirror $suite-updates main")
  [[ -z $debian_security ]] || sources+=("deb $debian_security $suite-security main")
  # mmdebstrap's own chroot in memory where the host has room (lab_tmpfs: 12.7 s
  # against 18.2 s on disk here).
  local chroot_tmp=$work/tmp
  lab_tmpfs "$chroot_tmp" 1024 || true
  TMPDIR=$chroot_tmp mmdebstrap --variant=minbase "$suite" - "${sources[@]}" 2> "$work/mmdebstrap.log" \
    | docker import --change "LABEL hbnb-lab.suite=$suite" - "$name" >/dev/null \
    || { tail -20 "$work/mmdebstrap.log" >&2; lab_die "mmdebstrap or docker import of the $suite base failed (log: $work/mmdebstrap.log)"; }
  if mountpoint -q "$chroot_tmp"; then umount "$chroot_tmp"; fi
  lab_log "base image $name imported ($((SECONDS - began)) s)" >&2
  echo "$name"
}
[[ -n $base ]] || base=$(debian_base "$built_on")
base_id=$(docker image inspect -f '{{.Id}}' "$base")

# --- the build context: the Dockerfile's folder, the host's extra CAs.
context=.cache/docker/context
rm -rf "$context"
mkdir -p "$context/cas"
cp -r host/docker/. "$context/"
shopt -s nullglob
host_cas=(/usr/local/share/ca-certificates/*.crt)
shopt -u nullglob
((${#host_cas[@]} == 0)) || cp "${host_cas[@]}" "$context/cas/"

# The stamp: this script, the Dockerfile's folder, the base, the CAs, the lab key.
# Any change to one of them makes a new image.
stamp=$( { cat "$0"; find "$context" -type f -print0 | sort -z | xargs -0 cat; echo "$base_id"; cat "$lab_key.pub"; } \
         | lab_sha256)
if ((!force)) && [[ $(image_label "$image" hbnb-lab.stamp) == "$stamp" ]]; then
  lab_log "$image is up to date (built on $(image_label "$image" hbnb-lab.built-on))"
  rm -rf "$context"
  exit 0
fi
lab_log "building $image on $base ($built_on) ..."
began=$SECONDS
mkdir -p .cache/docker
if ! docker build --build-arg BASE="$base" --build-arg LAB_KEY="$(cat "$lab_key.pub")" \
       --label hbnb-lab.stamp="$stamp" --label hbnb-lab.built-on="$built_on" \
       -t "$image" "$context" > .cache/docker/build.log 2>&1; then
  tail -25 .cache/docker/build.log >&2
  lab_die "docker build failed (log: .cache/docker/build.log)"
fi
rm -rf "$context"
docker image prune -f --filter label=hbnb-lab.stamp >/dev/null 2>&1 || true   # its untagged predecessors
lab_log "$image built on $built_on in $((SECONDS - began)) s"
