#!/usr/bin/env bash
# Functions of the host scripts (sourced): provider, lock, lab file reader, lab key, LXC and Docker clean-up.
# shellcheck disable=SC2034  # variables set here are used by the sourcing script

# Bash 4 or later (associative arrays, mapfile): macOS's own is 3.2.
if ((BASH_VERSINFO[0] < 4)); then
  echo "hbnb-lab: Bash 4 or later is needed, this is $BASH_VERSION (macOS: brew install bash)" >&2
  exit 1
fi

export VAGRANT_CHECKPOINT_DISABLE=1 VAGRANT_NO_COLOR=${VAGRANT_NO_COLOR:-1}

lab_log() { echo "${lab_tool:-lab}: [${SECONDS}s] $*"; }
# lab_die never runs where its caller discards stderr (tests/host/test_first_run.py
# reads every call site): its message is the only account of why a script stopped.
lab_die() { echo "${lab_tool:-lab}: error: $*" >&2; exit 1; }

# No command fails unsaid: one that stops a script (set -e) names itself, its
# line and its status (set -E: in functions and subshells too). Commands whose
# failure is handled (if, ||, &&) do not count.
set -E
lab_failed() {   # lab_failed STATUS LINE FILE COMMAND
  echo "${lab_tool:-lab}: error: $3 line $2: \`$4\` failed (exit $1); the lines above say why." \
       "Fix that, then run the same command again: every step resumes where it stopped." >&2
}
trap 'lab_failed "$?" "$LINENO" "${BASH_SOURCE[0]}" "$BASH_COMMAND"' ERR

# The provider: LAB_PROVIDER if set; else the one existing machines were made
# with; else VirtualBox, then libvirt, when present; else LXC (set up by us) for
# root on Linux; else Docker when its engine answers (a member of the docker
# group, Docker Desktop), which LXC could not serve; else LXC (which says it needs root).
lab_provider() {
  if [[ -n ${LAB_PROVIDER:-} ]]; then
    case $LAB_PROVIDER in
      virtualbox|libvirt|lxc|docker) echo "$LAB_PROVIDER"; return ;;
      *) lab_die "LAB_PROVIDER must be virtualbox, libvirt, lxc or docker, not '$LAB_PROVIDER'" ;;
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
  elif [[ $(uname -s) == Linux && $(id -u) -eq 0 ]]; then
    echo lxc
  elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    echo docker
  else
    echo lxc
  fi
}

# lab_require_provider PROVIDER: stops, saying what to do, when this user cannot
# run PROVIDER's machines here (before anything is installed or made).
lab_require_provider() {
  case $1 in
    lxc)
      [[ $(uname -s) == Linux ]] || lab_die "LXC machines need a Linux host: LAB_PROVIDER=docker or virtualbox"
      [[ $(id -u) -eq 0 ]] || lab_die "the LXC lab needs root (LXC containers, bridges, id-mapped mounts): sudo make up" ;;
  esac
}

# lab_write_ssh_config: .vagrant/ssh-config of the lab's machines, from Vagrant
# (what the checks, the grader and `ssh -F` use); "lab not up" when Vagrant has none.
lab_write_ssh_config() {
  local tmp=.vagrant/ssh-config.tmp
  mkdir -p .vagrant
  if ! vagrant ssh-config > "$tmp" 2> .vagrant/ssh-config.err 9>&-; then
    cat .vagrant/ssh-config.err >&2
    rm -f "$tmp"
    lab_die "lab not up: \`vagrant ssh-config\` failed (run \`make up\`)"
  fi
  mv "$tmp" .vagrant/ssh-config
  lab_log "wrote .vagrant/ssh-config ($(grep -c '^Host ' .vagrant/ssh-config) machines)"
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

# lab_host_lock NAME: waits for and holds host-wide lock NAME on FD 8, shared by
# every clone of the project and every user of the host. Opened to read: flock
# needs no more, and a sticky /tmp refuses opening another user's file to write.
lab_host_lock() {
  command -v flock >/dev/null 2>&1 || return 0   # (no flock: macOS)
  local file=${TMPDIR:-/tmp}/hbnb-lab-$1.lock
  [[ -e $file ]] || (umask 022; : >> "$file") 2>/dev/null || true
  exec 8<"$file"
  flock 8
}

# lab_sha256: the SHA-256 of standard input, in hex (macOS has shasum, not sha256sum).
lab_sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi | cut -d' ' -f1
}

# lab_missing_packages PKG...: those of the Debian packages PKG not installed, one a line.
lab_missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || echo "$pkg"
  done
}

# lab_apt_install PKG...: installs them without recommends. The package lists
# may be missing or stale on a fresh host: on a failure they are refreshed once
# and the install tried again; the first attempt's errors are shown only if the
# second fails too (a user should not read an error where nothing was wrong).
lab_apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  local install=(apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@")
  local first
  first=$(mktemp)
  if "${install[@]}" >/dev/null 2>"$first"; then rm -f "$first"; return 0; fi
  if apt-get -o DPkg::Lock::Timeout=600 update -qq 2>>"$first" && "${install[@]}" >/dev/null 2>>"$first"; then
    rm -f "$first"; return 0
  fi
  cat "$first" >&2
  rm -f "$first"
  return 1
}

# The host tools each entry point needs, per provider: "TOOL PACKAGE" (the Debian
# package that brings TOOL). `make up` checks them before anything uses them.
lab_tools_of() {   # lab_tools_of PURPOSE [PROVIDER]: "TOOL PACKAGE" a line
  local purpose=$1 provider=${2:-}
  case $purpose in
    # What reading the lab file and building the LXC box take (make up starts the
    # box with these, and installs the rest while it builds).
    box) printf '%s\n' "ruby ruby" "python3 python3" "python3-venv python3-venv" "mmdebstrap mmdebstrap" "zstd zstd" ;;
    up)
      printf '%s\n' "vagrant vagrant" "ruby ruby" "ssh openssh-client" "curl curl" "python3 python3" \
                     "python3-venv python3-venv"
      case $provider in
        lxc) lab_tools_of box
             printf '%s\n' "lxc-create lxc" "lxc-usernsexec lxc" "vagrant-lxc vagrant-lxc" \
                           "dnsmasq dnsmasq-base" "ip iproute2" "nft nftables" "iptables iptables" "rsync rsync" ;;
        docker) printf '%s\n' "docker docker.io" ;;
      esac ;;
    vagrant) printf '%s\n' "vagrant vagrant" ;;
    checks) printf '%s\n' "python3 python3" "ssh openssh-client" ;;
  esac
}

# lab_has_tool TOOL: whether TOOL can be used (vagrant-lxc: a plugin Vagrant sees;
# ruby: the system's or Vagrant's own, as lab_rb looks for it).
lab_has_tool() {
  case $1 in
    vagrant-lxc) vagrant plugin list 2>/dev/null | grep -q '^vagrant-lxc ' ;;
    ruby) command -v ruby >/dev/null 2>&1 || [[ -x /opt/vagrant/embedded/bin/ruby ]] ;;
    python3-venv) python3 -c 'import ensurepip, venv' >/dev/null 2>&1 ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

# lab_missing_tools PURPOSE [PROVIDER]: the "TOOL PACKAGE" lines of lab_tools_of
# that this user cannot use.
lab_missing_tools() {
  local tool package
  while read -r tool package; do
    lab_has_tool "$tool" || echo "$tool $package"
  done < <(lab_tools_of "$@")
}

# lab_require_tools PURPOSE [PROVIDER]: every tool of lab_tools_of there, or this
# stops naming those that are not. Root on a Debian or Ubuntu host installs the
# missing ones first (the host set-up); anyone else is told what to install.
lab_require_tools() {
  local tool package missing=() packages=()
  while read -r tool package; do
    missing+=("$tool"); packages+=("$package")
  done < <(lab_missing_tools "$@")
  ((${#missing[@]})) || return 0
  mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    lab_log "installing what this host lacks: ${missing[*]} (Debian packages ${packages[*]})"
    lab_apt_install "${packages[@]}" \
      || lab_die "could not install ${packages[*]} for ${missing[*]} (apt's errors are above)"
    local still=()
    for tool in "${missing[@]}"; do lab_has_tool "$tool" || still+=("$tool"); done
    ((${#still[@]} == 0)) && return 0
    lab_die "${still[*]}: still not found after installing their packages (on PATH? PATH=$PATH)"
  fi
  local how="install them (Vagrant from its official package brings its own Ruby)"
  command -v apt-get >/dev/null 2>&1 && how="sudo apt-get install ${packages[*]}, or run this as root, which installs them"
  lab_die "this host lacks ${missing[*]}: $how"
}

# lab_tree_copy DEST [RSYNC-OPTION...]: this working tree as it is (uncommitted
# changes too) in DEST, without its state (git, Vagrant's, caches, .venv).
lab_tree_copy() {
  local dest=$1; shift
  rsync -a --delete "$@" --exclude /.git --exclude /.vagrant --exclude /.cache --exclude /.venv \
    --exclude /bench/out ./ "$dest/"
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

# The lab's SSH key for the machines built here (LXC boxes, Docker images), one
# per Vagrant home (the Vagrantfile points Vagrant at it): made with ssh-keygen,
# so Vagrant need not generate and insert a key per machine at every `vagrant up`
# (seconds of Ruby each). PEM: Vagrant 2.3 reads no other RSA key format.
# Prints its path.
lab_ssh_key() {
  local key=${VAGRANT_HOME:-$HOME/.vagrant.d}/hbnb-lab/lxc_rsa
  if [[ ! -s $key || ! -s $key.pub ]]; then
    mkdir -p "$(dirname "$key")"
    # One maker at a time (CI builds boxes beside `make up`): the next finds it made.
    (
      if command -v flock >/dev/null 2>&1; then flock 7; fi
      if [[ ! -s $key || ! -s $key.pub ]]; then
        rm -f "$key" "$key.pub"
        ssh-keygen -q -t rsa -b 3072 -m PEM -N '' -C hbnb-lab -f "$key" >&2
      fi
    ) 7>"$key.lock"
  fi
  echo "$key"
}

# Where a box or base image is built (prints DIR/NAME, made): beside the
# boxes, not in the project folder. Web machines mount that folder whole, and a
# mount beneath it when one starts or reboots (the builder's /proc, during a
# build beside a running lab) makes LXC fail its idmapped mount ("Failed to create
# detached mount"): the machine stays stopped.
lab_build_dir() {
  local dir=${VAGRANT_HOME:-$HOME/.vagrant.d}/hbnb-lab/build/$1
  mkdir -p "$dir"
  echo "$dir"
}

# lab_tmpfs DIR MIB: a tmpfs of at most MIB MiB mounted on DIR (made if missing;
# an interrupted build's tmpfs there unmounted first), when the host has twice that
# memory available and root may mount one; fails otherwise, and the caller works
# on disk. A root file system built in memory: dpkg's file operations made the box
# build bound by the kernel's work on ext4 (0.65x the build's time in a tmpfs,
# bench/README.md). Linux only.
lab_tmpfs() {
  local dir=$1 mib=$2 available
  if mountpoint -q "$dir" 2>/dev/null; then umount -l "$dir"; fi
  available=$(awk '/^MemAvailable:/ {print int($2 / 1024)}' /proc/meminfo 2>/dev/null)
  mkdir -p "$dir"
  [[ -n $available ]] && ((available >= 2 * mib)) \
    && mount -t tmpfs -o "mode=0755,size=${mib}m" hbnb-lab-build "$dir" 2>/dev/null
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

# Fails, saying what to do, when the containers cannot reach this project folder:
# their root is host uid 100000, "other" to every folder above it, and LXC makes
# their id-mapped mounts of it as that user ("Permission denied - Failed to create
# detached mount": a project under /root, or in a mktemp -d folder, both mode 700).
lxc_check_project_reachable() {
  local dir=$PWD
  while [[ $dir != / ]]; do
    if [[ $(( 0$(stat -c %a "$dir") & 1 )) -eq 0 ]]; then
      lab_die "the LXC machines cannot reach this project: $dir is mode $(stat -c %a "$dir")," \
              "closed to other users (the containers' root is one): chmod o+x $dir, or clone the project elsewhere"
    fi
    dir=$(dirname "$dir")
  done
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

# After an LXC lab is destroyed: its bridge goes once no LXC container (of any
# project, running or not) is configured on it, so a Docker lab can take the same
# network (one host cannot route one subnet to two bridges). host/setup.sh makes
# it again for the next LXC lab.
lxc_remove_unused_bridge() {
  local bridge
  bridge=$(lab_rb host/labfile.rb get network.lxc_bridge)
  [[ -d /sys/class/net/$bridge/bridge ]] || return 0
  [[ -z $(ls -A "/sys/class/net/$bridge/brif" 2>/dev/null) ]] || return 0
  grep -Eqs "^lxc\.net\.[0-9]+\.link *= *$bridge\$" /var/lib/lxc/*/config && return 0
  lab_log "removing the LXC lab bridge $bridge (no container uses it)"
  ip link del "$bridge"
}

# Interfaces of this host with an address in the lab network, but for the ones
# named: "DEV (ADDRESS/PREFIX)" a line.
lab_interfaces_on_network() {
  local cidr
  cidr=$(lab_rb host/labfile.rb get network.cidr)
  command -v ip >/dev/null 2>&1 || return 0
  # shellcheck disable=SC2016  # Ruby code
  ip -o -4 addr show | awk '{print $2, $4}' | lab_rb -ripaddr -e '
    net = IPAddr.new(ARGV.shift)
    STDIN.each_line do |line|
      dev, cidr = line.split
      next if ARGV.include?(dev)
      other = IPAddr.new(cidr)
      puts "#{dev} (#{cidr})" if net.include?(other.to_range.first) || other.include?(net.to_range.first)
    end' "$cidr" "$@"
}

# The Docker network of the lab (Vagrant's name for a private network: its subnet).
docker_network_name() { echo "vagrant_network_$(lab_rb host/labfile.rb get network.cidr)"; }

# The host-side bridge of a Docker network, when it exists.
docker_bridge_of() {
  local id name
  id=$(docker network inspect -f '{{.Id}}' "$1" 2>/dev/null) || return 0
  name=$(docker network inspect -f '{{index .Options "com.docker.network.bridge.name"}}' "$1" 2>/dev/null)
  [[ -n $name && $name != "<no value>" ]] && { echo "$name"; return; }
  echo "br-${id:0:12}"
}

# Fails, naming it, when something else holds the lab network on this host: an
# interface with an address in it (the LXC lab's bridge, another Docker network),
# or a container of another project at one of this lab's addresses.
docker_check_network() {
  local network bridge taken cidr
  network=$(docker_network_name)
  cidr=$(lab_rb host/labfile.rb get network.cidr)
  bridge=$(docker_bridge_of "$network")
  taken=$(lab_interfaces_on_network ${bridge:+"$bridge"})
  if [[ -n $taken ]]; then
    local hint="another lab?"
    [[ $taken == "$(lab_rb host/labfile.rb get network.lxc_bridge) "* ]] \
      && hint="the LXC lab's bridge: destroy the LXC lab first (its make destroy removes the bridge once no container uses it), or ip link del $(lab_rb host/labfile.rb get network.lxc_bridge)"
    lab_die "the lab network $cidr is already on $(echo "$taken" | tr '\n' ' ')- $hint; or give this lab its own network (LAB_FILE, host/labfile.rb relocate)"
  fi
  [[ -n $bridge ]] || return 0
  local -A ours=()
  local ip container project
  while read -r ip; do ours[$ip]=1; done < <(lab_rb host/labfile.rb ips)
  while read -r container ip; do
    [[ -n $container && -n ${ours[${ip%/*}]:-} ]] || continue
    project=$(docker inspect -f '{{index .Config.Labels "hbnb-lab.project"}}' "$container" 2>/dev/null || true)
    [[ $project == "$PWD" ]] && continue
    lab_die "address ${ip%/*} on the Docker network $network is held by container $container of ${project:-another project}: destroy that lab first, or use another lab file (LAB_FILE) with its own network"
  done < <(docker network inspect -f '{{range .Containers}}{{.Name}} {{.IPv4Address}}{{"\n"}}{{end}}' "$network" 2>/dev/null)
}

# Docker containers of this project that no machine of .vagrant refers to (an
# interrupted run, a deleted .vagrant folder); with --all, every one of them. Then
# the lab network, once no container uses it.
docker_remove_orphans() {
  command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 || return 0
  local known=" " id container
  for id in .vagrant/machines/*/docker/id; do
    [[ -s $id ]] && known+="$(cat "$id") "
  done
  [[ ${1:-} == --all ]] && known=" "
  while read -r container; do
    [[ -n $container ]] || continue
    [[ $known == *" $container "* ]] && continue
    lab_log "removing container $(docker inspect -f '{{.Name}}' "$container" 2>/dev/null | tr -d /) left by an earlier run"
    docker rm -f "$container" >/dev/null
  done < <(docker ps -aq --no-trunc --filter "label=hbnb-lab.project=$PWD")
  # Machines whose recorded container is gone: forget them, Vagrant makes new ones.
  for id in .vagrant/machines/*/docker/id; do
    [[ -s $id ]] || continue
    if ! docker inspect "$(cat "$id")" >/dev/null 2>&1; then
      lab_log "$(basename "$(dirname "$(dirname "$id")")"): its container is gone, forgetting it"
      rm -rf "$(dirname "$id")"
    fi
  done
  if [[ ${1:-} == --all ]]; then
    local network
    network=$(docker_network_name)
    if docker network inspect "$network" >/dev/null 2>&1 \
       && [[ -z $(docker network inspect -f '{{range .Containers}}{{.Name}}{{end}}' "$network") ]]; then
      lab_log "removing the Docker network $network"
      docker network rm "$network" >/dev/null
    fi
  fi
}

# The Debian system the Docker image's base is built from (mmdebstrap), when it is
# not pulled (the system's else:, or the system itself).
docker_base_system() {
  local system
  system=$(lab_rb host/labfile.rb system docker)
  local other
  other=$(lab_rb host/labfile.rb get-optional "systems.$system.else")
  echo "${other:-$system}"
}

# The host's own Debian mirrors for SUITE, as apt sees them (one-line or deb822
# sources): sets debian_mirror (SUITE's, else any main archive: a host of another
# release) and debian_security; fails when apt knows none.
lab_debian_mirrors() {
  local suite=$1 entry uri release repos
  debian_mirror="" debian_security=""
  # shellcheck disable=SC2016  # $(...) is apt's own format syntax
  mapfile -t repos < <(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' | sort -u)
  for entry in "${repos[@]}"; do
    read -r uri release <<<"$entry"
    case $release in
      "$suite") debian_mirror=$uri ;;
      *-security) debian_security=$uri ;;
    esac
  done
  if [[ -z $debian_mirror ]]; then
    for entry in "${repos[@]}"; do
      read -r uri release <<<"$entry"
      [[ $release == *-* || -n $debian_mirror ]] || debian_mirror=$uri
    done
  fi
  [[ -n $debian_mirror ]]
}

# ROOTFS's apt sources for SUITE: the mirrors lab_debian_mirrors found, in deb822 form.
lab_debian_sources() {
  local rootfs=$1 suite=$2
  rm -f "$rootfs/etc/apt/sources.list"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$debian_mirror" "$suite" "$suite"
    if [[ -n $debian_security ]]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$debian_security" "$suite"
    fi
  } > "$rootfs/etc/apt/sources.list.d/debian.sources"
}
