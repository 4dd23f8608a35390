#!/usr/bin/env bash
# Undoes install.sh (beside it): the machine answers as its own system again, for another exercise.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
for name in apt-get apt add-apt-repository; do
  link=/usr/local/sbin/$name
  if [[ -L $link && $(readlink "$link") == "$here/"* ]]; then rm -f "$link"; fi
done
rm -f /etc/apt/apt.conf.d/99hbnb-ubuntu2204 /var/lib/hbnb-lab/ubuntu2204-ppas /var/lib/hbnb-lab/ubuntu2204-lists-empty
