"""Tests of the tests (markers ``diagnosis`` and ``slow``; destructive, so left
out of `make infra`: run them with `make diagnose`). For each trap of the
exercise's spec, the last web server is broken that way on purpose, the task's
checks are run in a pytest of their own against it, and they must fail naming
the trap; then the machine is repaired (whatever happened) and the same checks
must pass again. Works on the reference lab and on a graded practice lab."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from facts import (
    ACCESS_LOG, API, APP_DIR, ENABLED_SITE, EXERCISE_UNIT, HELLO, PAGE, RELOAD_SCRIPT, SITES,
    SUBMISSION, hosts_given, names, submitted,
)
from probes import exec_start_options, http, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.disruptive, pytest.mark.diagnosis]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BROKEN_MACHINE = names("web")[-1]
STATIC = f"{APP_DIR}/web_dynamic/static"
SAVED = "/var/backups/hbnb-lab/diagnose"        # what a trap changed, kept for its repair
PORT_UNIT = f"{SAVED}/unit-on-port"


def unit_on_port(port: int) -> str:
    """Shell: the systemd unit of the process listening on ``port``, into PORT_UNIT."""
    return (f"mkdir -p {SAVED} && pid=$(ss -Hltnp 'sport = :{port}' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2) "
            f"&& [ -n \"$pid\" ] && ps -o unit= -p $pid | tr -d ' ' > {PORT_UNIT} && [ -s {PORT_UNIT} ]")


def unit_dropin(lines: str) -> str:
    """Shell: a drop-in for the exercise's unit, then a restart."""
    return (f"mkdir -p /etc/systemd/system/{EXERCISE_UNIT}.d && "
            f"printf %s {shlex.quote(lines)} > /etc/systemd/system/{EXERCISE_UNIT}.d/zz-diagnose.conf && "
            f"systemctl daemon-reload && systemctl restart {EXERCISE_UNIT}")


UNDO_DROPIN = (f"rm -rf /etc/systemd/system/{EXERCISE_UNIT}.d/zz-diagnose.conf && systemctl daemon-reload && "
               f"systemctl restart {EXERCISE_UNIT}")


def edited_active_site(sed: str) -> str:
    """Shell: the active site replaced by an edited copy (the link kept for repair)."""
    return (f"mkdir -p {SAVED} && cp -P {ENABLED_SITE} {SAVED}/site-link && "
            f"sed {shlex.quote(sed)} \"$(readlink -f {ENABLED_SITE})\" > /etc/nginx/sites-available/zz-diagnose && "
            f"ln -sfn /etc/nginx/sites-available/zz-diagnose {ENABLED_SITE} && nginx -t && systemctl reload nginx")


UNDO_SITE = (f"cp -P {SAVED}/site-link {ENABLED_SITE} && rm -f /etc/nginx/sites-available/zz-diagnose "
             "&& nginx -t && systemctl reload nginx")


def edited_app_file(path: str, sed: str, restart_port: int | None = None) -> str:
    """Shell: a deployed application file edited (its original kept), the app restarted."""
    restart = f" && {unit_on_port(restart_port)} && systemctl restart $(cat {PORT_UNIT})" if restart_port else ""
    return f"mkdir -p {SAVED} && cp -p {path} {SAVED}/app-file && sed -i {shlex.quote(sed)} {path}{restart}"


def undo_app_file(path: str, restart_port: int | None = None) -> str:
    restart = f" && systemctl restart $(cat {PORT_UNIT})" if restart_port else ""
    return f"cp -p {SAVED}/app-file {path}{restart}"


@dataclass
class Trap:
    id: str
    marker: str          # the task whose checks must catch it
    keyword: str         # pytest -k: the check(s) concerned
    diagnosis: str       # regular expression the failure output must show
    breaks: str = ""     # shell, as root on the victim
    repairs: str = ""
    submission_edit: tuple[str, str, str] | None = None   # (file, old, new): a broken copy of the files


WORKERS = PAGE["workers"]
SUBMITTED_FILES = [*SITES.values(), EXERCISE_UNIT, RELOAD_SCRIPT]
TRAPS = [
    Trap("nothing-on-upstream-port-502", "task2", "test_onepage_body",
         r"502 Bad Gateway: nothing listening on 127\.0\.0\.1:%d" % HELLO["port"],
         f"{unit_on_port(HELLO['port'])} && systemctl stop $(cat {PORT_UNIT})",
         f"systemctl start $(cat {PORT_UNIT})"),
    Trap("strict-slashes", "task0", "without_the_slash", r"strict_slashes",
         edited_app_file(f"{APP_DIR}/web_flask/text_routes.py", "s/strict_slashes=False/strict_slashes=True/g",
                         HELLO["port"]),
         undo_app_file(f"{APP_DIR}/web_flask/text_routes.py", HELLO["port"])),
    Trap("proxy-pass-uri-part", "task4", "test_states_is_a_list",
         r"proxy_pass with vs without a URI part",
         edited_active_site(f"s|proxy_pass http://127.0.0.1:{API['port']};|proxy_pass http://127.0.0.1:{API['port']}/;|"),
         UNDO_SITE),
    Trap("static-files-403", "task5", "test_every_asset_loads_from_nginx",
         r"gave 403: .*www-data needs x on every folder",
         f"chmod o-x {STATIC}/styles", f"chmod o+x {STATIC}/styles"),
    Trap("two-location-slash-blocks", "task5", "test_site_answers_its_routes_when_active and 5-app",
         r"nginx -t refused 5-app_server-nginx_config \(two `location /` blocks",
         submission_edit=(SITES[5], "    location / {", "    location / {\n        return 404;\n    }\n    location / {")),
    Trap("page-calls-fixed-api-address", "task5", "relative_url", r"hard-coded address",
         edited_app_file(f"{STATIC}/scripts/hbnb.js", "s|'/api/v1'|'http://0.0.0.0:5001/api/v1'|"),
         undo_app_file(f"{STATIC}/scripts/hbnb.js")),
    Trap("hup-to-the-workers", "task7", "keeps_the_master", r"HUP sent to the workers instead of the master",
         submission_edit=(RELOAD_SCRIPT, 'systemctl reload "$service"',
                          "pkill -HUP -f 'gunicorn.*web_dynamic.2-hbnb'")),
    Trap("mysql-settings-missing-from-unit", "task6", "mysql_settings", r"MySQL settings missing from",
         unit_dropin("[Service]\nEnvironmentFile=\n"), UNDO_DROPIN),
    Trap("port-6000-taken", "task1", "reserved_port_is_free", r"port 6000 taken",
         "systemd-run --unit hbnb-diagnose-6000 python3 -m http.server --bind 127.0.0.1 6000 && "
         "for i in $(seq 50); do ss -Hltn 'sport = :6000' | grep -q . && break; sleep 0.1; done",
         "systemctl stop hbnb-diagnose-6000"),
    Trap("wrong-worker-count", "task6", "workers_on_its_port", r"wrong worker count",
         "", UNDO_DROPIN),          # the drop-in is made from the installed unit (below)
    Trap("wrong-log-paths", "task6", "log_files", r"log paths:",
         "", UNDO_DROPIN + " && rm -f /tmp/airbnb-access-wrong.log"),
]


def exec_start_dropin(host, old: str, new: str) -> str:
    """Shell: a drop-in whose ExecStart is the installed unit's with one option changed."""
    options = exec_start_options(host.file(f"/etc/systemd/system/{EXERCISE_UNIT}").content_string)
    assert old in options, f"the installed {EXERCISE_UNIT} has no '{old}' to break"
    return unit_dropin(f"[Service]\nExecStart=\nExecStart={options.replace(old, new)}\n")


def run_checks(config, trap: Trap, submission: str | None = None) -> subprocess.CompletedProcess:
    """The trap's task checks, in a pytest of their own, against the victim only."""
    env = dict(os.environ)
    if submission:
        env["HBNB_SUBMISSION"] = submission
    command = [str(ROOT / "tests" / "lab-pytest.sh"), str(HERE), f"--hosts={BROKEN_MACHINE}",
               f"--ssh-config={config.option.ssh_config}", "-m", trap.marker, "-k", trap.keyword,
               "-p", "no:cacheprovider", "-q", "--tb=short", "-o", "addopts=--strict-markers"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def outcome(result: subprocess.CompletedProcess) -> str:
    lines = result.stdout.strip().splitlines()
    return lines[-1] if lines else result.stderr.strip()[-300:]


@pytest.mark.parametrize("trap", TRAPS, ids=[t.id for t in TRAPS])
def test_suite_names_the_trap(request, lab_host, trap, tmp_path):
    if BROKEN_MACHINE not in hosts_given(request.config):
        pytest.skip(f"{BROKEN_MACHINE} is not in --hosts")
    host = lab_host(BROKEN_MACHINE)
    submission = None
    if trap.submission_edit:
        # A broken copy of the files under judgement, inside the project (the checks need that).
        folder = ROOT / ".cache" / "diagnose" / trap.id
        folder.mkdir(parents=True, exist_ok=True)
        for file in SUBMITTED_FILES:
            (folder / file).write_text(submitted(file), encoding="utf-8")
            (folder / file).chmod((SUBMISSION / file).stat().st_mode & 0o777)
        name, old, new = trap.submission_edit
        text = (folder / name).read_text(encoding="utf-8")
        assert old in text, f"{name} has no {old!r} to break"
        (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
        submission = str(folder.relative_to(ROOT))
    breaks = trap.breaks
    if trap.id == "wrong-worker-count":
        breaks = exec_start_dropin(host, f"--workers {WORKERS}", f"--workers {WORKERS - 1}")
    elif trap.id == "wrong-log-paths":
        breaks = exec_start_dropin(host, f"--access-logfile {ACCESS_LOG}",
                                   "--access-logfile /tmp/airbnb-access-wrong.log")
    try:
        if breaks:
            with host.sudo():
                done = host.run(breaks)
            assert done.rc == 0, f"could not break {BROKEN_MACHINE} ({trap.id}): {done.stderr.strip()[-300:]}"
        broken = run_checks(request.config, trap, submission)
    finally:
        if trap.repairs:
            with host.sudo():
                repaired = host.run(trap.repairs)
            assert repaired.rc == 0, f"could not repair {BROKEN_MACHINE} after {trap.id}: {repaired.stderr.strip()[-300:]}"
    assert broken.returncode == 1, f"{trap.id}: the checks did not fail ({outcome(broken)})"
    assert re.search(trap.diagnosis, broken.stdout), (
        f"{trap.id}: the failure does not say /{trap.diagnosis}/:\n{broken.stdout[-1500:]}")
    # Repaired for real: the same checks pass again (services may take a moment).
    again = run_checks(request.config, trap)
    if again.returncode != 0:
        wait_for(lambda: http(host, f"http://127.0.0.1:{PAGE['port']}/").status == 200, timeout=20, interval=0.5)
        again = run_checks(request.config, trap)
    assert again.returncode == 0, f"{trap.id}: after the repair the checks still fail:\n{again.stdout[-1500:]}"
