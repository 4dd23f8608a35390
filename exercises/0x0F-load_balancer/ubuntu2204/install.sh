#!/usr/bin/env bash
# Makes this machine answer the exercise's scripts as the school's Ubuntu 22.04 would (hbnb-lab, exercise 0x0F): apt-get's version pins, add-apt-repository, Nginx's files.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
chmod 755 "$here/apt-get" "$here/add-apt-repository" "$here/conffiles"
ln -sfn "$here/apt-get" /usr/local/sbin/apt-get
ln -sfn "$here/add-apt-repository" /usr/local/sbin/add-apt-repository
printf '%s\n' '// hbnb-lab, exercise 0x0F: a fresh nginx.conf as Ubuntu 22.04 installs it (conffiles, beside apt-get).' \
  "DPkg::Post-Invoke { \"$here/conffiles || true\"; };" > /etc/apt/apt.conf.d/99hbnb-ubuntu2204
rm -f /var/lib/hbnb-lab/ubuntu2204-ppas
