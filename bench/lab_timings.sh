#!/usr/bin/env bash
# Times host set-up, a cold `make up` and a rebuild, in a throw-away clone on its own network.
# Needs root (LXC). BENCH_KEEP=1 keeps the clone; BENCH_OCTETS=x.y.z picks the network;
# BENCH_REV=REV times that commit instead of HEAD (two runs give a ratio).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "lab_timings: error: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "run as root (the LXC lab needs it)"
[[ -x $repo/.venv/bin/pytest ]] || die "host test tools missing: run host/test-deps.sh"

octets=${BENCH_OCTETS:-192.168.58}
bridge=hbnbbench${octets##*.}
clone=$(mktemp -d "${TMPDIR:-/tmp}/labbench.XXXXXX")
chmod 755 "$clone"   # mktemp makes it private; the machines' vagrant user reads /vagrant
git clone -q "$repo" "$clone"
git -C "$clone" checkout -q "${BENCH_REV:-HEAD}"
cd "$clone"
ln -s "$repo/.venv" .venv   # the host's test tools, for the suite below
# shellcheck source=host/lab-lib.sh
source host/lab-lib.sh
# The bench lab: the lab file with its network and bridge replaced (generated here,
# never committed, so lab.yml stays the one description of the lab).
mkdir -p .cache
lab_rb host/labfile.rb relocate "$octets" "$bridge" > .cache/lab-bench.yml
export LAB_FILE=.cache/lab-bench.yml VAGRANT_HOME=$clone/.vagrant.d
mapfile -t names < <(lab_rb host/labfile.rb names)
hosts=$(IFS=,; echo "${names[*]}")

out=$repo/bench/out/lab_timings
finish() {
  # The logs of every step stay in bench/out/lab_timings/ (ignored by git).
  rm -rf "$out"; mkdir -p "$out"
  cp .cache/*.log "$out/" 2>/dev/null || true
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then
    echo "lab_timings: kept $clone (LAB_FILE=$LAB_FILE VAGRANT_HOME=$VAGRANT_HOME)"
  else
    host/lab-destroy.sh >/dev/null 2>&1 || true
    [[ -d /sys/class/net/$bridge ]] && ip link del "$bridge" 2>/dev/null
    rm -rf "$clone"
  fi
}
trap finish EXIT

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}'; }
# Runs a step quietly (its log in the clone), sets REPLY to its seconds and prints
# "LABEL  SECONDS" at once, so a later failure still leaves the figures so far.
timed() {
  local label=$1 log=$2; shift 2
  local t0; t0=$(now)
  "$@" > "$log" 2>&1 || { tail -30 "$log" >&2; die "$* failed (log above; all logs in bench/out/lab_timings/)"; }
  REPLY=$(since "$t0")
  printf '  %-44s %6s s\n' "$label" "$REPLY"
}
# host/lab-up.sh, and once more if it fails (it resumes where it stopped): a
# provisioner's failure is reported with the figures, which include both runs.
lab_up() {
  host/lab-up.sh && return 0
  echo "lab_timings: host/lab-up.sh failed; resuming it once" >&2
  echo "RESUMED: $(grep -m1 -E 'error' .vagrant/logs/*.log | cut -c1-200)" >&2
  host/lab-up.sh
}
# Bytes of the apt caches' downloaded packages and lists (the host-shared folders).
cache_bytes() { find .cache/apt -type f \( -name '*.deb' -o -path '*/lists/*' \) -printf '%s\n' 2>/dev/null | awk '{s += $1} END {print s + 0}'; }
debs() { find .cache/apt -name '*.deb' -printf '%f\n' 2>/dev/null | sort; }
# Bytes the machines received on eth0 (their only way out) since they booted.
received() {
  local name id total=0
  for name in "${names[@]}"; do
    id=$(cat ".vagrant/machines/$name/lxc/id")
    total=$((total + $(lxc-attach -n "$id" -- cat /sys/class/net/eth0/statistics/rx_bytes)))
  done
  echo "$total"
}

echo "lab_timings: $(git log -1 --format='%h %s' | cut -c1-60), clone $clone, lab $octets.0/24 on $bridge, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
# Says so when a step needed the second run of host/lab-up.sh.
resumed() {
  grep -h '^RESUMED: ' "$1" | sed 's/^RESUMED: /  NOTE: a provisioner failed, host\/lab-up.sh ran twice (time includes both): /' || true
}
verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print (v <= t) ? "ok" : "OVER"}'; }

# 1. Host set-up as on a fresh machine, as far as can be simulated: the packages
#    stay (other labs use them), but the bridge, the box (own Vagrant home) and
#    every cache (fresh clone) start from nothing.
echo "host set-up, fresh (packages already installed):"
[[ -d /sys/class/net/$bridge ]] && ip link del "$bridge"
timed "host/setup.sh (bridge, lxc-net)" .cache/setup.log host/setup.sh
timed "host/build-box.sh (mmdebstrap, pack, add)" .cache/box.log host/build-box.sh
timed "host/wheelhouse.sh" .cache/wheels.log host/wheelhouse.sh

# 2. `make up` from nothing, box built (host/lab-up.sh: `make up` without the host's
#    test tools); then the lab suite proves the lab really is up.
echo "make up from nothing, box built (target 180 s):"
timed "host/lab-up.sh" .cache/up-cold.log lab_up
t_cold=$REPLY
resumed .cache/up-cold.log
echo "  verdict: $(verdict "$t_cold" 180); apt caches after it: $(( $(cache_bytes) / 1024 )) KiB"
"$repo/.venv/bin/pytest" -q -p no:cacheprovider --hosts="$hosts" \
  --ssh-config=.vagrant/ssh-config "$clone/tests/infra/test_lab.py" > .cache/suite.log 2>&1 \
  || { tail -30 .cache/suite.log >&2; die "the lab suite failed on the cold lab"; }
echo "  lab suite (test_lab.py): $(tail -1 .cache/suite.log)"

# 3. Rebuild with warm caches: destroy, up; what got downloaded meanwhile.
echo "rebuild: destroy + up, caches warm (target 40 s):"
debs_before=$(debs)
cache_before=$(cache_bytes)
timed "host/lab-destroy.sh" .cache/destroy.log host/lab-destroy.sh
t_destroy=$REPLY
timed "host/lab-up.sh" .cache/up-warm.log lab_up
t_warm=$REPLY
resumed .cache/up-warm.log
t_rebuild=$(awk -v a="$t_destroy" -v b="$t_warm" 'BEGIN {printf "%.1f", a + b}')
new_debs=$(comm -13 <(echo "$debs_before") <(debs) | grep -c . || true)
cache_growth=$(( $(cache_bytes) - cache_before ))
pip_downloads=$(grep -c -E 'Downloading |Collecting .* from https?:' .cache/up-warm.log || true)
cat <<EOF
  rebuild total                                $t_rebuild s: $(verdict "$t_rebuild" 40)
  rebuild / cold up                            $(awk -v a="$t_rebuild" -v b="$t_cold" 'BEGIN {printf "%.2f", a / b}')
  apt packages downloaded                      $new_debs (expected 0)
  apt cache growth (debs + lists)              $cache_growth B (expected 0)
  pip downloads in provisioning logs           $pip_downloads (expected 0)
  bytes received by the machines (eth0)        $(received) B (DHCP, DNS and any download)
EOF

# 4. The lab suite on the rebuilt lab, as `make infra` runs it (tests/run-infra.sh
#    of the commit under test), and the exercise's suite (`make check`).
# A failing check is reported with the time, not fatal: the figure is the point.
suite() {
  local label=$1 log=$2 t0 status=0; shift 2
  t0=$(now)
  "$@" > "$log" 2>&1 || status=$?
  printf '  %-44s %6s s%s\n' "$label" "$(since "$t0")" \
    "$( ((status == 0)) || echo " (FAILED, status $status: $(grep -m3 '^FAILED' "$log" | tr '\n' ' '))")"
}
echo "lab suite on the rebuilt lab:"
suite "tests/run-infra.sh exercise (make check)" .cache/check.log tests/run-infra.sh exercise
suite "tests/run-infra.sh (make infra)" .cache/infra.log tests/run-infra.sh
