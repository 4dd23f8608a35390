#!/usr/bin/env bash
# Provisioner for the lab's "db" role (placeholder; grows into the full role set-up).
set -euo pipefail
echo "db.sh: nothing to do yet"
