#!/usr/bin/env bash
# Makes this machine answer the exercise's scripts as a brand new Ubuntu 22.04 server would (hbnb-lab, exercise 0x0F): empty package lists, apt-get's version pins, add-apt-repository, Nginx's files.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
chmod 755 "$here/apt-get" "$here/add-apt-repository" "$here/conffiles"
ln -sfn "$here/apt-get" /usr/local/sbin/apt-get
ln -sfn "$here/apt-get" /usr/local/sbin/apt
ln -sfn "$here/add-apt-repository" /usr/local/sbin/add-apt-repository
printf '%s\n' '// hbnb-lab, exercise 0x0F: a fresh nginx.conf as Ubuntu 22.04 installs it (conffiles, beside apt-get).' \
  "DPkg::Post-Invoke { \"$here/conffiles || true\"; };" > /etc/apt/apt.conf.d/99hbnb-ubuntu2204
rm -f /var/lib/hbnb-lab/ubuntu2204-ppas
# A brand new server: no package lists until apt-get update (apt-get, beside this file).
mkdir -p /var/lib/hbnb-lab
touch /var/lib/hbnb-lab/ubuntu2204-lists-empty
