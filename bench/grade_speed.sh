#!/usr/bin/env bash
# Times the grader: one submission, and a class of 20 on 1, 2 and 3 practice labs and in 2 shards.
# Needs this lab in practice mode and root; BENCH_DESTROY_LABS=1 removes the extra labs after.
set -euo pipefail
cd "$(dirname "$0")/.."
die() { echo "grade_speed: error: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "run as root (the extra labs are LXC containers)"
[[ -x .venv/bin/python ]] || die "host test tools missing: run host/test-deps.sh"
[[ -s .vagrant/ssh-config ]] || die "lab not up: LAB_MODE=practice make rebuild"
runs=${RUNS:-3}
out=bench/out/grade_speed
rm -rf "$out"; mkdir -p "$out"
python=.venv/bin/python
# The lab's exercise: its solution is the one submission, its catalogue the class.
pack=$("$python" -c 'from labtools import labdata; from labtools.exercise import pack; print(pack.load(labdata.section("exercise")["id"]).folder)')

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}'; }

echo "grade_speed: $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "one submission ($(basename "$pack")'s solution) on one lab, reset included, $runs runs:"
times=()
for ((i = 1; i <= runs; i++)); do
  t0=$(now)
  "$python" -m labtools.grade "$pack/solution" --out "$out/one" > "$out/one-$i.log" 2>&1 \
    || { cat "$out/one-$i.log" >&2; die "grading the solution failed"; }
  times+=("$(since "$t0")")
done
printf '  seconds: %s\n' "${times[*]}"
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {printf "  min %.1f s, median %.1f s (target: at most 20 s)\n", a[1], a[int((NR + 1) / 2)]}'

class=$out/class
mkdir -p "$class"
mapfile -t cases < <(find "$pack/cases" -mindepth 1 -maxdepth 1 -type d | sort | head -n 20)
for case in "${cases[@]}"; do cp -r "$case" "$class/"; done
count=${#cases[@]}

mapfile -t labs < <(host/practice-labs.sh up 3 2>"$out/labs.log")
((${#labs[@]} == 3)) || { cat "$out/labs.log" >&2; die "the three practice labs did not come up"; }

echo "a class of $count, one grader process:"
for n in 1 2 3; do
  args=()
  for ((k = 0; k < n; k++)); do args+=(--lab "${labs[k]}"); done
  t0=$(now)
  "$python" -m labtools.grade --class "$class" --out "$out/labs-$n" "${args[@]}" > "$out/labs-$n.log" 2>&1 \
    || { tail -5 "$out/labs-$n.log" >&2; die "grading the class on $n labs failed"; }
  t=$(since "$t0")
  awk -v n="$n" -v t="$t" -v c="$count" \
    'BEGIN {printf "  %d lab%s side by side   %6.1f s   %5.1f submissions a minute   %5.1f s a submission\n", n, (n > 1 ? "s" : " "), t, 60 * c / t, t / c}'
done

echo "the same class as 2 machines would grade it (--shard 1/2 and 2/2, each on its own lab):"
t0=$(now)
"$python" -m labtools.grade --class "$class" --out "$out/shard-1" --shard 1/2 --lab "${labs[0]}" > "$out/shard-1.log" 2>&1 &
first=$!
"$python" -m labtools.grade --class "$class" --out "$out/shard-2" --shard 2/2 --lab "${labs[1]}" > "$out/shard-2.log" 2>&1 \
  || die "shard 2/2 failed ($out/shard-2.log)"
wait "$first" || die "shard 1/2 failed ($out/shard-1.log)"
t=$(since "$t0")
{ head -n 1 "$out/shard-1/results.csv"; tail -q -n +2 "$out"/shard-*/results.csv; } > "$out/shards.csv"
awk -v t="$t" -v c="$count" 'BEGIN {printf "  2 shards                %6.1f s   %5.1f submissions a minute\n", t, 60 * c / t}'
# The shards' CSV holds the same verdicts as one process's.
if diff <(cut -d, -f1-3 "$out/labs-1/results.csv" | sort) <(cut -d, -f1-3 "$out/shards.csv" | sort) >/dev/null; then
  echo "  joined CSV: the same task results as the single run"
else
  echo "  joined CSV DIFFERS from the single run: $out/shards.csv"
fi
[[ ${BENCH_DESTROY_LABS:-0} == 1 ]] && host/practice-labs.sh destroy
echo "grade_speed: logs and reports in $out/"
