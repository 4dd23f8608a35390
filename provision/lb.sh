#!/usr/bin/env bash
# Provisioner for the lab's "lb" role (placeholder; grows into the full role set-up).
set -euo pipefail
echo "lb.sh: nothing to do yet"
