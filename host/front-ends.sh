#!/usr/bin/env bash
# Waits until the site answers through each load balancer (HTTP 200) and prints the URLs students open.
# Usage: host/front-ends.sh PROVIDER (after provisioning; `make up` runs it)
set -euo pipefail
cd "$(dirname "$0")/.."
lab_tool=lab-up
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh
provider=${1:?usage: host/front-ends.sh PROVIDER}

# Forwarded-ports mode (Docker Desktop, LAB_DOCKER_PORTS=1: .vagrant/ssh-config
# sends every machine to a port on 127.0.0.1): the host cannot reach the lab
# addresses, only the load balancer's forwarded port on 127.0.0.1.
forwarded_ports() {
  awk -v want="$(lab_rb host/labfile.rb names | tr '\n' ' ')" '
    tolower($1) == "host" { name = $2 }
    tolower($1) == "hostname" && ($2 ~ /^127\./ || $2 == "localhost" || $2 == "::1") { loopback[name] = 1 }
    tolower($1) == "port" && $2 ~ /^[0-9]+$/ { port[name] = 1 }
    END {
      n = split(want, names, " "); if (n == 0) exit 1
      for (i = 1; i <= n; i++) if (!(loopback[names[i]] && port[names[i]])) exit 1
    }' .vagrant/ssh-config
}
forwarded_port() {   # NAME: the port on 127.0.0.1 its HTTP is forwarded to: Docker's, else lab.yml's
  local id published=''
  id=$(cat ".vagrant/machines/$1/$provider/id" 2>/dev/null || true)
  if [[ -n $id ]] && command -v docker >/dev/null 2>&1; then
    published=$(docker port "$id" 80/tcp 2>/dev/null | sed -n 's/^127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' | head -n 1)
  fi
  echo "${published:-$(lab_rb host/labfile.rb get load_balancer.host_ports.http)}"
}
wait_seconds=20
front_end() {   # NAME ADDRESS URL: waits up to $wait_seconds for HTTP 200 on URL, sent to ADDRESS
  local name=$1 address=$2 url=$3 code deadline=$((SECONDS + wait_seconds))
  # Only a lab address on a local bridge is ever sent to (labtools/route.py, the
  # guard's one home; Python's standard library only).
  if [[ $address != 127.0.0.1 ]]; then
    local guard=0
    python3 -m labtools.route "$address" "$(lab_rb host/labfile.rb get network.lxc_bridge)" || guard=$?
    case $guard in
      0) ;;
      3) lab_log "$name: front end not checked (the line above says why; nothing was sent)" >&2; return 0 ;;
      *) lab_die "$name: not checked, $address is not a lab address here (the line above says why)" ;;
    esac
  fi
  until code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url"); [[ $code == 200 ]]; do
    if ((SECONDS >= deadline)); then
      # A practice lab is the student's: an exercise may start without a load balancer.
      [[ $mode == practice ]] || lab_die "$name: $url answers HTTP $code, not 200: the lab is up but not serving (make check says why)"
      lab_log "$name: $url answers HTTP $code (practice mode: the exercise's to mend; make check says what)" >&2
      return 0
    fi
    sleep 0.5
  done
}
mode=$(lab_rb host/labfile.rb mode)
# A practice lab's front end is given one chance (no 20 s of waiting on an exercise's work).
[[ $mode != practice ]] || wait_seconds=5

forwarded=0
forwarded_ports && forwarded=1
urls=()
while read -r name address; do
  if ((forwarded)); then
    address=127.0.0.1 url="http://127.0.0.1:$(forwarded_port "$name")/"
  else
    url="http://$address/"
  fi
  front_end "$name" "$address" "$url"
  urls+=("$url")
done < <(lab_rb host/labfile.rb front-ends)
echo "${urls[*]}"
