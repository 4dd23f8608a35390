#!/usr/bin/env bash
# Provisioner for the lab's "web" role (placeholder; grows into the full role set-up).
set -euo pipefail
echo "web.sh: nothing to do yet"
