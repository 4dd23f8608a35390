"""Under load and faults (issue 6), small and bounded: no request fails while
Gunicorn reloads, after a kill -9 of a Gunicorn master or worker the service is
whole again and no request failed, and a short schemathesis run through the
load balancer finds no 5xx and no answer off the API's OpenAPI document.

The clients are bench/loadgen.py's threads on the host, sending to the load
balancer's lab address only after it is checked to route to a local bridge, or
in forwarded-ports mode (Docker Desktop) to its forwarded port on 127.0.0.1.
The full figures: bench/load.py (bench/README.md, "Load and faults").
"""
from __future__ import annotations

import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from labtools import labdata
from facts import API, RELOAD_PLACE, RELOAD_SCRIPT, ROOT, hosts_given, names, unit_of
from probes import main_pid, worker_pids

sys.path.insert(0, str(ROOT / "bench"))
from loadgen import LoadDriver  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.disruptive, pytest.mark.lab]

RELOADS = 3
# What "/" and "/api/v1/states" are served by: the exercise's page (gunicorn.service)
# and the API (spec, tasks 4 and 5).
PAGE_PATH = "/"
API_PATH = "/api/v1/states"


def _needs(request, *machine_names: str) -> None:
    given = hosts_given(request.config)
    missing = [n for n in machine_names if n not in given]
    if missing:
        pytest.skip(f"{', '.join(missing)} not in --hosts")


def _failures(result) -> str:
    return "; ".join(f"+{o.start - result.started:.2f}s HTTP {o.status} {o.error}".strip()
                     for o in result.failed[:5])


def test_no_request_fails_while_gunicorn_reloads(request, lab_host, forwarded):
    """The exercise's reload script on each web server in turn, under light load
    through the load balancer: every request answers 200."""
    lb_name, webs = names("lb")[0], names("web")
    _needs(request, lb_name, *webs)
    hosts = {name: lab_host(name) for name in webs}
    lb_address, lb_port = labdata.front_end(lb_name, forwarded)
    driver = LoadDriver(lb_address, PAGE_PATH, port=lb_port, threads=2, pause=0.05, max_seconds=60).start()
    try:
        time.sleep(0.5)
        for i in range(RELOADS):
            web = hosts[webs[i % len(webs)]]
            with web.sudo():
                reload = web.run(RELOAD_PLACE)
            assert reload.rc == 0, f"{RELOAD_SCRIPT} failed on {webs[i % len(webs)]}: {reload.stderr.strip()}"
        time.sleep(0.5)
    finally:
        result = driver.stop()
    assert result.total >= 20, f"only {result.total} requests were sent during {RELOADS} reloads"
    assert not result.failed, (
        f"{len(result.failed)} of {result.total} requests failed during {RELOADS} reloads "
        f"({result.summary()['by_status']}): {_failures(result)} - a refused connection means the "
        "listening socket closed (restart instead of HUP?); HAProxy's retry-on/redispatch "
        "(provision/files/haproxy/haproxy.cfg) should hide the rest")


@pytest.mark.parametrize("victim", ["master", "worker"])
def test_service_whole_again_after_kill_9(request, lab_host, forwarded, victim):
    """kill -9 of the API's Gunicorn master (systemd restarts it) or of one worker
    (the master replaces it), under load through the load balancer."""
    lb_name, web_name = names("lb")[0], names("web")[0]
    _needs(request, lb_name, web_name)
    web = lab_host(web_name)
    unit = unit_of(API)
    master = main_pid(web, unit)
    assert master, f"{unit} is not running on {web_name} before the test"
    target = master if victim == "master" else min(worker_pids(web, master))
    url = f"http://127.0.0.1:{API['port']}/api/v1/status"

    def whole() -> bool:
        now = main_pid(web, unit)
        return bool(now) and len(worker_pids(web, now)) == API["workers"] and \
            web.run(f"curl -s -o /dev/null -w %{{http_code}} --max-time 2 {shlex.quote(url)}").stdout == "200"

    lb_address, lb_port = labdata.front_end(lb_name, forwarded)
    driver = LoadDriver(lb_address, API_PATH, port=lb_port, threads=2, pause=0.02, max_seconds=60).start()
    try:
        time.sleep(0.5)
        with web.sudo():
            web.run(f"kill -9 {target}")
        killed = time.monotonic()
        back = False
        while time.monotonic() - killed < 30:
            if whole():
                back = True
                break
            time.sleep(0.2)
        recovery = time.monotonic() - killed
        time.sleep(0.5)
    finally:
        with web.sudo():
            web.run(f"systemctl is-active -q {unit} || systemctl start {unit}")
        result = driver.stop()
    assert back, (f"{unit} on {web_name} not whole 30 s after kill -9 of its {victim}: "
                  f"systemctl status {unit}; journalctl -u {unit} (Restart=on-failure?)")
    if victim == "worker":
        assert main_pid(web, unit) == master, "killing a worker restarted the whole service"
    assert not result.failed, (
        f"{len(result.failed)} of {result.total} requests through {lb_name} failed after kill -9 of "
        f"the {victim} (back after {recovery:.1f} s): {_failures(result)} - HAProxy's retry-on "
        "502/504 + redispatch should send them to another web server")


def test_api_fuzzing_finds_no_server_error(request, forwarded):
    """schemathesis (a tiny, seeded run, GET operations only: nothing written)
    through the load balancer: no 5xx, every answer as the OpenAPI document says."""
    lb_name = names("lb")[0]
    _needs(request, lb_name)
    schemathesis = ROOT / ".venv" / "bin" / "schemathesis"
    if not schemathesis.exists():
        schemathesis = Path(sys.executable).with_name("schemathesis")
    assert schemathesis.exists(), "schemathesis is not installed: host/test-deps.sh (requirements-dev.txt)"
    lb_address, lb_port = labdata.front_end(lb_name, forwarded)
    argv = [str(schemathesis), "--config-file", str(Path(__file__).with_name("schemathesis.toml")),
            "run", f"http://{lb_address}:{lb_port}/api/v1/openapi.json",
            "--max-examples", "3", "--workers", "1", "--seed", "1", "--include-method", "GET",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                        "response_schema_conformance"]
    result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    summary = [line for line in result.stdout.splitlines() if "generated" in line or "passed" in line]
    assert result.returncode == 0, (
        f"schemathesis found failures through {lb_name} (exit {result.returncode}):\n"
        + "\n".join(result.stdout.splitlines()[-40:]))
    assert summary, f"schemathesis ran no test case:\n{result.stdout[-2000:]}"
