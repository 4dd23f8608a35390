#!/usr/bin/env bash
# Grades a student's submission on a practice lab: installs the six files of the
# exercise on the web servers, runs the task checks, prints a per-task report and
# writes JUnit XML. Usage: host/grade.sh FOLDER  (`make grade SUBMISSION=FOLDER`).
#
# FOLDER holds 2-, 3-, 4-, 5-app_server-nginx_config, gunicorn.service and
# 4-reload_gunicorn_no_downtime. What the grader provides (the student would do
# it by hand): the Gunicorns of tasks 1, 3 and 4 (ports 5000-5002), as systemd
# units rendered from the lab's own template. Everything else is the student's:
# the sites (5 made active), gunicorn.service (enabled and started), the reload
# script (run by the task 7 checks where the machines see it).
# The lab should be a practice lab (LAB_MODE=practice make rebuild); the files
# are installed over whatever the web servers have. Exit status: pytest's.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
die() { echo "grade: error: $*" >&2; exit 1; }
[[ $# -eq 1 && -d $1 ]] || die "usage: host/grade.sh FOLDER (a folder with the exercise's six files)"
source_dir=$(cd "$1" && pwd)
python=$repo/.venv/bin/python
[[ -x $python ]] || die "host test tools missing: run host/test-deps.sh"
ssh_config=.vagrant/ssh-config
[[ -s $ssh_config ]] || die "lab not up: no $ssh_config (make up, or make ssh-config)"

files=(2-app_server-nginx_config 3-app_server-nginx_config 4-app_server-nginx_config
       5-app_server-nginx_config gunicorn.service 4-reload_gunicorn_no_downtime)
# The submission goes inside the project, which the machines see as /vagrant.
work=.cache/grade
rm -rf "$work"
mkdir -p "$work/submission" "$work/units"
missing=()
for file in "${files[@]}"; do
  if [[ -f $source_dir/$file ]]; then cp -p "$source_dir/$file" "$work/submission/"; else missing+=("$file"); fi
done
((${#missing[@]} == 0)) || echo "grade: missing from $source_dir: ${missing[*]} (their tasks fail)" >&2

# The Gunicorns the student starts by hand in tasks 1, 3 and 4, from lab.yml's apps
# and the lab's unit template (the same values provision/web.sh uses).
"$python" - "$work/units" <<'PY'
import sys
from pathlib import Path
sys.path.insert(0, "tests/infra")
import stack_helpers as lab

template = Path("provision/files/systemd/gunicorn-app.service").read_text()
for app in (lab.HELLO, lab.NUMBER, lab.API):
    values = {"APP_NAME": app["name"], "APP_MODULE": app["module"], "APP_PORT": app["port"],
              "APP_WORKERS": app["workers"], "APP_USER": lab.SERVICE_USER, "APP_DIR": lab.APP_DIR,
              "VENV_DIR": lab.VENV, "DB_ENV": lab.DB_ENV}
    text = template
    for key, value in values.items():
        text = text.replace(f"@{key}@", str(value))
    Path(sys.argv[1], f"gunicorn-{app['name']}.service").write_text(text)
PY
mapfile -t web_servers < <("$python" -c 'import sys; sys.path.insert(0, "tests/infra"); import stack_helpers as s; print("\n".join(s.names("web")))')
mapfile -t all_machines < <(ruby host/labfile.rb names)
for name in "${all_machines[@]}"; do
  "$python" -c 'import sys; sys.path.insert(0, "tests/infra"); import stack_helpers as s; from labtools import labdata; labdata.require_local_route(s.address(sys.argv[1]))' "$name" \
    || die "lab not up: $name does not route to a local bridge (make up)"
done

# On each web server, as root: the grader's units, then the student's files.
# shellcheck disable=SC2016  # expanded on the machine, not here
install_script='
set -uo pipefail
sub=/vagrant/.cache/grade/submission units=/vagrant/.cache/grade/units
install -m 644 "$units"/*.service /etc/systemd/system/
[ -f "$sub/gunicorn.service" ] && install -m 644 "$sub/gunicorn.service" /etc/systemd/system/gunicorn.service
systemctl daemon-reload
for unit in "$units"/*.service "$sub/gunicorn.service"; do
  [ -f "$unit" ] || continue
  unit=$(basename "$unit")
  systemctl enable --quiet "$unit" 2>/dev/null
  systemctl restart "$unit" || echo "grade: $(hostname): $unit did not start (systemctl status $unit)" >&2
done
for site in 2 3 4 5; do
  [ -f "$sub/$site-app_server-nginx_config" ] && install -m 644 "$sub/$site-app_server-nginx_config" /etc/nginx/sites-available/
done
if [ -f "$sub/5-app_server-nginx_config" ]; then
  previous=$(readlink /etc/nginx/sites-enabled/hbnb || true)
  ln -sfn /etc/nginx/sites-available/5-app_server-nginx_config /etc/nginx/sites-enabled/hbnb
  if ! out=$(nginx -t 2>&1); then
    printf "%s\n" "$out" | sed "s/^/grade: $(hostname): /" >&2
    echo "grade: $(hostname): nginx -t refused 5-app_server-nginx_config; the previous site stays" >&2
    [ -n "$previous" ] && ln -sfn "$previous" /etc/nginx/sites-enabled/hbnb
  fi
  systemctl reload nginx
fi
true'
for name in "${web_servers[@]}"; do
  echo "grade: installing the submission on $name"
  ssh -F "$ssh_config" "$name" "sudo bash -c $(printf %q "$install_script")"
done

# The task checks, against the submission's files; the report from the JUnit XML.
hosts=$(IFS=,; echo "${all_machines[*]}")
junit=$work/junit.xml
status=0
HBNB_SUBMISSION=$work/submission tests/lab-pytest.sh tests/infra --hosts="$hosts" --ssh-config="$ssh_config" \
  -m "task0 or task1 or task2 or task3 or task4 or task5 or task6 or task7" -n 3 -p no:cacheprovider -q --tb=no -o junit_family=xunit2 \
  --junitxml="$junit" > "$work/pytest.log" 2>&1 || status=$?
tail -n 1 "$work/pytest.log"
[[ -s $junit ]] || { cat "$work/pytest.log" >&2; die "pytest wrote no report (its output above)"; }
"$python" - "$junit" <<'PY'
import re
import sys
import xml.etree.ElementTree as ET

tasks = {}
for case in ET.parse(sys.argv[1]).getroot().iter("testcase"):
    site = re.search(r"\[(\d)-app_server", case.get("name"))
    task = int(site.group(1)) if site else int(re.search(r"test_task(\d)", case.get("classname")).group(1))
    problem = case.find("failure") if case.find("failure") is not None else case.find("error")
    entry = tasks.setdefault(task, {"passed": 0, "failed": []})
    if problem is not None:
        message = (problem.get("message") or "").splitlines()[0][:200]
        entry["failed"].append(f"{case.get('name')}: {message}")
    elif case.find("skipped") is None:
        entry["passed"] += 1
print("task  result  checks")
for task in sorted(tasks):
    entry = tasks[task]
    total = entry["passed"] + len(entry["failed"])
    print(f"{task:>4}  {'PASS' if not entry['failed'] else 'FAIL':6}  {entry['passed']}/{total}")
    for line in entry["failed"][:4]:
        print(f"        - {line}")
    if len(entry["failed"]) > 4:
        print(f"        ... {len(entry['failed']) - 4} more")
PY
echo "grade: JUnit XML in $junit, pytest's output in $work/pytest.log"
exit "$status"
