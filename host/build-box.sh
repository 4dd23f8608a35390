#!/usr/bin/env bash
# Builds the lab's Debian box for vagrant-lxc (mmdebstrap from the host's own mirror); --force rebuilds.
# The system: LAB_SYSTEM, else the lab file's boxes.lxc.system (one box per system, cached).
# --no-add: built and packed, not yet added to Vagrant (make up builds it while the
# host's other tools install; the next run without it adds the packed box).
set -euo pipefail
cd "$(dirname "$0")/.."
lab_tool=build-box
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh

[[ $(id -u) -eq 0 ]] || lab_die "run as root (the box's root file system and its file owners need it)"
force=0 add=1
for arg in "$@"; do
  case $arg in
    --force) force=1 ;;
    --no-add) add=0 ;;
    *) lab_die "usage: host/build-box.sh [--force] [--no-add]" ;;
  esac
done

system=$(lab_rb host/labfile.rb system lxc)
suite=$(lab_rb host/labfile.rb get-optional "systems.$system.suite")
[[ -n $suite ]] \
  || lab_die "system $system is not a Debian suite: LXC boxes are built from Debian ($(lab_rb host/labfile.rb get systems | grep -o 'debian[0-9]*' | tr '\n' ' '))"
box=$(lab_rb host/labfile.rb box lxc)
arch=$(dpkg --print-architecture)
# Packages every lab machine needs before its provisioners run: systemd as init
# (with networkd for DHCP on eth0 and resolved for DNS), SSH and sudo for Vagrant,
# Python with venv for the applications, the host's CAs for HTTPS, and the tools
# the provisioners and the tests use.
packages=(systemd-sysv dbus systemd-resolved libpam-systemd openssh-server sudo
          ca-certificates iproute2 iputils-ping netcat-openbsd curl procps less
          python3 python3-venv python3-yaml apt-utils)
# Debian 11's systemd still contains resolved (a package of its own from Debian 12).
if [[ $suite == bullseye ]]; then
  mapfile -t packages < <(printf '%s\n' "${packages[@]}" | grep -vx systemd-resolved)
fi

# The lab's SSH key (host/lab-lib.sh), which the box trusts.
vagrant_home=${VAGRANT_HOME:-$HOME/.vagrant.d}
lab_key=$(lab_ssh_key)

# The role provisioners' packages, baked in with their services disabled, so a
# rebuilt machine need not unpack them again. The provisioners still install what
# their role needs where it is missing (the Ubuntu boxes), and enable and start
# its services (lb-01 must not run the database because the box has it).
# Practice mode's global Python tools too: pip, and apt's own Gunicorn.
baked=(mariadb-server nginx libjs-jquery haproxy nftables rsync python3-pip gunicorn logrotate)

# The stamp: this script, the box's LXC template, the host CAs it copies and the
# lab key. Any change to one of them makes a new box.
shopt -s nullglob
host_cas=(/usr/local/share/ca-certificates/*.crt)
shopt -u nullglob
stamp=$( { cat "$0" host/box/lxc-template "${host_cas[@]}" "$lab_key.pub"; echo "$suite"; } | sha256sum | cut -d' ' -f1)

box_dir=$vagrant_home/boxes/${box//\//-VAGRANTSLASH-}
# One build of a box at a time, even from two clones of the project.
mkdir -p "$vagrant_home"
exec 8>"$vagrant_home/hbnb-lab-box-$system.lock"
flock 8
installed_stamp() {
  local meta
  for meta in "$box_dir"/*/lxc/metadata.json; do
    [[ -f $meta ]] && sed -n 's/.*"hbnb-lab-builder": *"\([0-9a-f]*\)".*/\1/p' "$meta"
  done
}
if ((!force)) && [[ "$(installed_stamp)" == "$stamp" ]]; then
  lab_log "$box is up to date"
  exit 0
fi

work=$(lab_build_dir "box-$system")
packed=$work/lab-lxc.box
# add_packed: the packed box into Vagrant (Vagrant's command, from outside the
# project: VAGRANT_CWD=/, so it does not load the Vagrantfile), then it is gone.
add_packed() {
  VAGRANT_CWD=/ vagrant box add --force --name "$box" "$packed" >/dev/null
  rm -f "$packed" "$packed.stamp"
  [[ "$(installed_stamp)" == "$stamp" ]] || lab_die "the box $box was added but its stamp is not found under $box_dir"
  lab_log "$box added"
}
if ((!force)) && [[ -s $packed && $(cat "$packed.stamp" 2>/dev/null) == "$stamp" ]]; then
  if ((add)); then add_packed; else lab_log "$box is built, not yet added"; fi
  exit 0
fi

lab_debian_mirrors "$suite" \
  || lab_die "no Debian mirror in the host's apt sources (apt-get indextargets is empty: run apt-get update)"

rootfs=$work/rootfs
cache=$work/apt-cache
mkdir -p "$cache"
# Leftovers of an interrupted build: mounts first (the tree's own last), then the tree.
forget_rootfs() {
  local mnt
  for mnt in proc sys dev/pts dev ''; do
    if mountpoint -q "$rootfs/$mnt" 2>/dev/null; then umount -l "$rootfs/$mnt"; fi
  done
  rm -rf "$rootfs"
}
forget_rootfs
rm -rf "$work/box" "$packed" "$packed.stamp"

# The root file system is built in memory where the host has room for it (a
# tmpfs of its own, gone with the build: lab-lib.sh's lab_tmpfs), else on disk.
if lab_tmpfs "$rootfs" 2048; then   # the rootfs (about 600 MiB) and its downloads, with room to spare
  trap forget_rootfs EXIT
else
  lab_log "building on disk (less than 4 GiB of memory available, or no tmpfs here)"
fi

# dpkg's settings in the box (kept there for later installs): no fsync from the
# first package on (a lab container is thrown away, not recovered after a power
# cut: installs go several times faster), and no documentation, manual pages or
# message translations (a smaller box is a faster `vagrant up`; licences stay)
# from dpkg's first install on: given to mmdebstrap as a --dpkgopt, the
# path-excludes would filter its first extraction of the essential packages
# through a Python program started once a package (mmtarfilter: 14.6 s against
# 5.6 s for that step here); that extraction's documentation is deleted below.
printf '%s\n' "# hbnb-lab box: dpkg without fsync (a lab container is thrown away, not recovered)." \
  force-unsafe-io > "$work/lab-unsafe-io"
printf '%s\n' "# hbnb-lab box: leave documentation and translations out (licences stay)." \
  'path-exclude=/usr/share/doc/*' 'path-include=/usr/share/doc/*/copyright' 'path-exclude=/usr/share/man/*' \
  'path-exclude=/usr/share/info/*' 'path-exclude=/usr/share/locale/*' 'path-include=/usr/share/locale/locale.alias' \
  > "$work/lab-nodoc"

# mmdebstrap: apt resolves and downloads everything at once (debootstrap took
# 2.6x as long here), from the host's mirrors (the suite, its updates and
# security); the packages are kept in $cache for the next build of this system.
lab_log "mmdebstrap $suite (host mirror) ..."
started=$SECONDS
all_packages=("${packages[@]}" "${baked[@]}")
sources=("deb $debian_mirror $suite main" "deb $debian_mirror $suite-updates main")
[[ -z $debian_security ]] || sources+=("deb $debian_security $suite-security main")
# Its eatmydata hook (where this mmdebstrap has it) takes the fsyncs out of the
# maintainer scripts too, and leaves no trace in the box: 0.94x the build's wall
# time (farm-bench, 3 builds each in turn, warm package cache).
hooks=()
eatmydata_hook=/usr/share/mmdebstrap/hooks/eatmydata
[[ ! -d $eatmydata_hook ]] || hooks=(--hook-dir="$eatmydata_hook")
mmdebstrap --variant=minbase --include="$(IFS=,; echo "${all_packages[*]}")" \
  --dpkgopt="$work/lab-unsafe-io" --skip=essential/unlink "${hooks[@]}" \
  --extract-hook="cp $(printf '%q' "$work/lab-nodoc") \"\$1/etc/dpkg/dpkg.cfg.d/99hbnb-lab-nodoc\"" \
  --setup-hook="mkdir -p \"\$1/var/cache/apt/archives\" && find $(printf '%q' "$cache") -name '*.deb' -exec cp -t \"\$1/var/cache/apt/archives/\" {} +" \
  --customize-hook="sync-out /var/cache/apt/archives $(printf '%q' "$cache")" \
  "$suite" "$rootfs" "${sources[@]}" > "$work/mmdebstrap.log" 2>&1 \
  || { tail -20 "$work/mmdebstrap.log" >&2; lab_die "mmdebstrap failed (log: $work/mmdebstrap.log)"; }
find "$cache" -name '*.deb' -mtime +30 -delete   # versions no build wants any more
lab_log "mmdebstrap done in $((SECONDS - started)) s"

in_root() { chroot "$rootfs" "$@"; }

# Apt: the same mirrors as the host.
lab_debian_sources "$rootfs" "$suite"

# The host's extra certificate authorities, so HTTPS from the machines works
# wherever the host's does (TLS-inspecting proxies included).
if ((${#host_cas[@]})); then
  cp "${host_cas[@]}" "$rootfs/usr/local/share/ca-certificates/"
  in_root update-ca-certificates >/dev/null 2>&1 || lab_die "update-ca-certificates failed in the box"
fi

# Network: DHCP on eth0 (lxcbr0) by systemd-networkd, DNS by resolved. eth1, the
# lab address, is configured by LXC itself and left alone. Not ifupdown: Vagrant's
# hostname step would restart ifup@eth0, which waits for a udev event that a
# container never gets. No /etc/hostname: each container is named by LXC after
# its machine (lxc.uts.name, in the Vagrantfile) and systemd keeps that name, so
# Vagrant's hostname step finds it set and does nothing (it restarted networkd:
# 3-4 s a machine); provision/common.sh writes /etc/hostname.
rm -f "$rootfs/etc/hostname"
printf '127.0.0.1\tlocalhost\n' > "$rootfs/etc/hosts"
mkdir -p "$rootfs/etc/systemd/network"
cat > "$rootfs/etc/systemd/network/10-eth0.network" <<'EOF'
# The container's first NIC: address, route and DNS from lxc-net's dnsmasq.
[Match]
Name=eth0

[Network]
DHCP=ipv4
EOF
in_root systemctl enable systemd-networkd.service systemd-resolved.service >/dev/null 2>&1
ln -sfn ../run/systemd/resolve/stub-resolv.conf "$rootfs/etc/resolv.conf"

# The vagrant user: passwordless sudo and the lab key (not Vagrant's public
# insecure key).
in_root useradd -m -s /bin/bash -U vagrant
echo 'vagrant ALL=(ALL) NOPASSWD:ALL' > "$rootfs/etc/sudoers.d/vagrant"
chmod 0440 "$rootfs/etc/sudoers.d/vagrant"
install -d -m 0700 -o 1000 -g 1000 "$rootfs/home/vagrant/.ssh"
install -m 0600 -o 1000 -g 1000 "$lab_key.pub" "$rootfs/home/vagrant/.ssh/authorized_keys"

# SSH host keys are made per container at first boot, never shared by the box.
rm -f "$rootfs"/etc/ssh/ssh_host_*
cat > "$rootfs/etc/systemd/system/ssh-host-keys.service" <<'EOF'
# Each container gets its own SSH host keys at first boot.
[Unit]
Description=Generate missing SSH host keys
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
WantedBy=multi-user.target
EOF
in_root systemctl enable ssh-host-keys.service >/dev/null 2>&1
printf '# Vagrant connects by address; no reverse lookups.\nUseDNS no\n' > "$rootfs/etc/ssh/sshd_config.d/lab.conf"

# The baked packages' services stay off until a role provisioner enables them:
# every unit enabled by a package that only the baked packages pulled in (their
# dependency closure minus that of the base packages) is disabled again.
# shellcheck disable=SC2016  # dpkg-query's own format syntax
in_root dpkg-query -W -f='${Package}\t${Pre-Depends}, ${Depends}\n' > "$work/depends.tsv"
mapfile -t baked_only < <(python3 - "$work/depends.tsv" "${#packages[@]}" "${packages[@]}" "${baked[@]}" <<'PY'
import sys
deps = {}
for line in open(sys.argv[1]):
    name, _, rest = line.rstrip("\n").partition("\t")
    deps[name] = [alt.strip().split()[0].split(":")[0] for group in rest.split(",")
                  for alt in group.split("|") if alt.strip()]
count = int(sys.argv[2])
def closure(roots):
    seen, todo = set(), [r for r in roots if r in deps]
    while todo:
        pkg = todo.pop()
        if pkg not in seen:
            seen.add(pkg)
            todo += [d for d in deps.get(pkg, []) if d in deps]
    return seen
base = closure(sys.argv[3:3 + count])
print("\n".join(sorted(closure(sys.argv[3 + count:]) - base)))
PY
)
for pkg in "${baked_only[@]}"; do
  while read -r unit; do
    in_root systemctl disable "$(basename "$unit")" >/dev/null 2>&1 || true
  done < <(in_root dpkg -L "$pkg" | grep -E '^/(usr/)?lib/systemd/system/[^/@]+\.(service|socket|timer)$' || true)
done
rm -f "$work/depends.tsv"

# What the essential packages' first extraction left of the documentation
# (mmdebstrap unpacks them before dpkg, and the path-excludes, run).
find "$rootfs/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
find "$rootfs/usr/share/man" "$rootfs/usr/share/info" -mindepth 1 -delete
find "$rootfs/usr/share/locale" -mindepth 1 ! -name locale.alias -delete 2>/dev/null || true

# A machine id per container (systemd makes one at first boot).
: > "$rootfs/etc/machine-id"
rm -f "$rootfs/var/lib/dbus/machine-id"
# Units that have nothing to do in a container and would fail there.
# (Debian 13's systemd-modules-load runs in a container and fails: no module loading there.)
for unit in getty@tty1.service serial-getty@ttyS0.service systemd-journald-audit.socket \
            sys-kernel-config.mount sys-kernel-debug.mount sys-kernel-tracing.mount \
            systemd-modules-load.service; do
  in_root systemctl mask "$unit" >/dev/null 2>&1
done
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

# Pack in vagrant-lxc 1.x format: the template strips two path components from
# rootfs.tar.gz (./rootfs/...); the plugin rejects template options (keep them
# empty). The box brings its own template (lxc-template, which the plugin prefers
# to its own): machines are copies of one unpacked copy of the rootfs. The
# plugin's fixed name holds a zstd archive (the template reads gzip or zstd):
# 3 s to pack here on two cores, against 25 s with gzip; the box around it is a
# plain tar (it held a gzip of the gzip).
lab_log "packing ..."
mkdir -p "$work/box"
install -m 0755 host/box/lxc-template "$work/box/lxc-template"
tar --numeric-owner --xattrs --xattrs-include='*' -C "$work" -cf - ./rootfs | zstd -q -T0 -3 > "$work/box/rootfs.tar.gz"
cat > "$work/box/lxc-config" <<'EOF'
# Container settings of the lab's Debian box (network and limits come from the Vagrantfile).
lxc.include = /usr/share/lxc/config/common.conf
lxc.include = /usr/share/lxc/config/userns.conf
# Unprivileged: the container's root is host uid and gid 100000, its users the
# 65536 ids from there (host/setup.sh reserves them; lxc-template shifts the rootfs).
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536
# common.conf's mounts again: userns.conf's read-write /sys makes systemd-networkd
# wait for udev forever (eth0 never gets its DHCP address).
lxc.mount.auto =
lxc.mount.auto = cgroup:mixed proc:mixed sys:mixed
EOF
echo "lxc.arch = $arch" >> "$work/box/lxc-config"
cat > "$work/box/metadata.json" <<EOF
{
  "provider": "lxc",
  "version": "1.0.0",
  "built-on": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "hbnb-lab-builder": "$stamp",
  "template-opts": {}
}
EOF
tar -C "$work/box" -cf "$packed.partial" metadata.json lxc-config lxc-template rootfs.tar.gz
mv "$packed.partial" "$packed"
echo "$stamp" > "$packed.stamp"
forget_rootfs
rm -rf "$work/box"
lab_log "$box built and packed ($((SECONDS - started)) s)"
((add == 0)) || add_packed
