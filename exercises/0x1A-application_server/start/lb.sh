#!/usr/bin/env bash
# 0x1A's start state on the load balancer: HAProxy round robin over the web servers, as the load balancer project leaves it.
set -euo pipefail
hbnb-provision lb
