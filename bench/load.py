"""Load and faults on the lab (issue 6): throughput and latency through each
layer, zero-downtime reloads, failover, crash recovery and API fuzzing.

    .venv/bin/python bench/load.py [--duration 5] [--reloads 10] [--only throughput,reload,...]
    .venv/bin/python bench/report.py      # prints bench/out/report.json, draws report.png

Every figure is saved in bench/out/report.json with the command that produced
it. Traffic goes only to the lab's addresses (each checked to route to a local
bridge first: "lab not up" otherwise) and to loopback inside the machines.
Every loop is bounded in count and time; every fault is undone in a finally.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from labtools import labdata, remote  # noqa: E402
from loadgen import LoadDriver  # noqa: E402

OUT = remote.ROOT / "bench" / "out"
STATS_PORT = labdata.section("load_balancer")["stats_port"]
STATS_PASSWORD_FILE = labdata.section("load_balancer")["stats_password_file"]
REPORT = OUT / "report.json"
WRK_SCRIPT = Path(__file__).with_name("wrk_summary.lua")
REMOTE_WRK_SCRIPT = "/tmp/hbnb-wrk-summary.lua"

# The routes measured, from the exercise's spec (tasks 2, 4, 5), each with the
# lab.yml app that serves it (its port comes from lab.yml).
ROUTES = [("/airbnb-onepage/", "hello"), ("/api/v1/states", "api"), ("/", "hbnb")]
CONCURRENCY = (1, 8, 32)
SCENARIOS = ("throughput", "reload", "failover", "crash", "fuzz", "halt", "reboot")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def web_names() -> list[str]:
    return labdata.names("web")


def lb_name() -> str:
    return labdata.names("lb")[0]


# --- 1. throughput and latency: wrk inside the first web server -------------------

def wrk(vantage: str, url: str, connections: int, duration: int) -> dict:
    threads = min(2, connections)
    command = (f"wrk -t{threads} -c{connections} -d{duration}s --timeout 10s "
               f"-s {REMOTE_WRK_SCRIPT} {shlex.quote(url)}")
    result = remote.run(vantage, command, timeout=duration + 60)
    line = next(l for l in result.stdout.splitlines() if l.startswith("WRK_JSON "))
    figures = json.loads(line[len("WRK_JSON "):])
    seconds = figures["duration_us"] / 1e6
    errors = figures["errors"]
    return {"command": f"ssh {vantage} {command}", "connections": connections,
            "requests": figures["requests"], "rps": round(figures["requests"] / seconds, 1),
            "p50_ms": figures["p50_us"] / 1000, "p99_ms": figures["p99_us"] / 1000,
            "socket_errors": errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
            "non_2xx_3xx": errors["status"]}


def throughput(duration: int) -> dict:
    vantage = web_names()[0]
    lb_address = remote.address(lb_name())
    remote.address(vantage)
    remote.run(vantage, "command -v wrk >/dev/null || sudo DEBIAN_FRONTEND=noninteractive "
               "apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends wrk >/dev/null",
               timeout=600)
    remote.run(vantage, f"cat > {REMOTE_WRK_SCRIPT}", stdin=WRK_SCRIPT.read_text())
    rows = []
    for path, app_name in ROUTES:
        port = labdata.app(app_name)["port"]
        layers = {"gunicorn": f"http://127.0.0.1:{port}{path}",
                  "nginx": f"http://127.0.0.1:80{path}",
                  "haproxy": f"http://{lb_address}:80{path}"}
        for connections in CONCURRENCY:
            # The three layers one after the other, so that the host's load
            # weighs on the three alike: the ratios are the figures to read.
            row = {"path": path, "app": app_name, "connections": connections}
            for layer, url in layers.items():
                row[layer] = wrk(vantage, url, connections, duration)
                log(f"{path} c={connections} {layer}: {row[layer]['rps']} req/s "
                    f"p50 {row[layer]['p50_ms']} ms p99 {row[layer]['p99_ms']} ms "
                    f"errors {row[layer]['socket_errors']} non-2xx {row[layer]['non_2xx_3xx']}")
            base = row["gunicorn"]["rps"] or 1
            row["rps_ratio_nginx"] = round(row["nginx"]["rps"] / base, 2)
            row["rps_ratio_haproxy"] = round(row["haproxy"]["rps"] / base, 2)
            rows.append(row)
    return {"vantage": vantage, "duration_s": duration,
            "note": (f"wrk runs inside {vantage}: Gunicorn at 127.0.0.1:<app port>, Nginx at "
                     f"127.0.0.1:80, HAProxy at {lb_address}:80 (round robin over every web "
                     "server). All machines share the host's CPUs with wrk."),
            "rows": rows}


# --- HAProxy's view of a server, polled on the load balancer ------------------------

def haproxy_poller(server: str, seconds: int) -> subprocess.Popen:
    """Prints "<epoch> <retries> <redispatches> <status>" of ``server`` in the
    back end every 0.25 s for ``seconds`` (stats CSV on lb-01's private address)."""
    lb = lb_name()
    stats = f"https://{remote.address(lb)}:{STATS_PORT}/;csv"
    script = (f'pw=$(cat {STATS_PASSWORD_FILE}); end=$((SECONDS+{int(seconds)})); '
              f'while ((SECONDS<end)); do t=$(date +%s.%N); '
              f'curl -sk --max-time 2 -u "admin:$pw" {shlex.quote(stats)} | '
              f'awk -F, -v t="$t" \'$2=="{server}" && $1=="hbnb_web" {{print t, $16, $17, $18; fflush()}}\'; '
              f'sleep 0.25; done')
    return remote.popen(lb, f"sudo bash -c {shlex.quote(script)}")


def poller_lines(process: subprocess.Popen) -> list[tuple[float, int, int, str]]:
    try:
        out, _ = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    rows = []
    for line in out.splitlines():
        words = line.split()
        if len(words) == 4:
            rows.append((float(words[0]), int(words[1] or 0), int(words[2] or 0), words[3]))
    return rows


def first_time(rows, after: float, want_up: bool) -> float | None:
    for t, _, _, status in rows:
        if t >= after and status.startswith("UP") == want_up:
            return t
    return None


def wait_status(server: str, want_up: bool, limit: float) -> None:
    """Waits (bounded) until HAProxy reports ``server`` UP (or not UP)."""
    lb = lb_name()
    stats = f"https://{remote.address(lb)}:{STATS_PORT}/;csv"
    script = (f'pw=$(cat {STATS_PASSWORD_FILE}); for i in $(seq {int(limit * 2)}); do '
              f's=$(curl -sk --max-time 2 -u "admin:$pw" {shlex.quote(stats)} | '
              f'awk -F, \'$2=="{server}" && $1=="hbnb_web" {{print $18}}\'); '
              f'case $s in UP*) up=1;; *) up=0;; esac; [ "$up" = {int(want_up)} ] && exit 0; sleep 0.5; done; exit 1')
    remote.run(lb, f"sudo bash -c {shlex.quote(script)}", timeout=limit + 30, check=False)


# --- 2. zero-downtime reloads --------------------------------------------------------

def reloads(count: int, threads: int) -> dict:
    """The exercise's reload script ``count`` times on each web server in turn,
    while clients ask the page (the app of gunicorn.service) through the load
    balancer, then through one web server's Nginx directly (no HAProxy retry)."""
    path = next(p for p, a in ROUTES if a == "hbnb")
    # Where the reference lab keeps the exercise's reload script (its pack's place for it).
    pack = labdata.exercise_pack(labdata.section('exercise')['id'])
    spec = next(f for f in pack.files.values() if f.kind == 'bash-script')
    script = f"sudo {spec.place.replace('{home}', labdata.section('reference')['root'])}"
    results = {}
    for label, target, servers in (("through_haproxy", remote.address(lb_name()), web_names()),
                                   ("nginx_direct", remote.address(web_names()[0]), web_names()[:1])):
        driver = LoadDriver(target, path, threads=threads, max_seconds=count * 15 + 30).start()
        done = []
        try:
            time.sleep(1)
            for i in range(count):
                server = servers[i % len(servers)]
                t0 = time.time()
                remote.run(server, script, timeout=90)
                done.append({"server": server, "at": t0, "seconds": round(time.time() - t0, 2)})
                time.sleep(0.5)
            time.sleep(1)
        finally:
            result = driver.stop()
        summary = result.summary()
        summary.update({
            "target": f"http://{target}{path}", "threads": threads, "reloads": len(done),
            "reload_seconds_max": max(d["seconds"] for d in done) if done else None,
            "failures": [{"t": round(o.start - result.started, 2), "status": o.status, "error": o.error}
                         for o in result.failed][:20],
            "command": (f"{len(done)} x `ssh <web> {script}` ({', '.join(servers)} in turn) while "
                        f"{threads} clients GET http://{target}{path}")})
        results[label] = summary
        log(f"reloads {label}: {summary['requests']} requests, {summary['failed']} failed "
            f"{summary['by_status']} over {len(done)} reloads")
    return results


# --- 3. failover: Nginx stopped on a web server, and the whole machine -------------

def nginx_failover(threads: int) -> dict:
    server = web_names()[-1]
    path = ROUTES[0][0]
    lb_address = remote.address(lb_name())
    poller = haproxy_poller(server, 60)
    driver = LoadDriver(lb_address, path, threads=threads, pause=0.02, max_seconds=75).start()
    try:
        time.sleep(2)
        t_stop = time.time()
        remote.run(server, "sudo systemctl stop nginx")
        wait_status(server, want_up=False, limit=20)
        time.sleep(1)
        t_start = time.time()
        remote.run(server, "sudo systemctl start nginx")
        wait_status(server, want_up=True, limit=20)
        time.sleep(2)
    finally:
        remote.run(server, "sudo systemctl start nginx", check=False)
        result = driver.stop()
    rows = poller_lines(poller)
    return failover_figures(result, rows, server, t_stop, t_start,
                            f"`ssh {server} sudo systemctl stop nginx`, then start, while {threads} "
                            f"clients GET http://{lb_address}{path}")


def machine_failover(threads: int) -> dict:
    """The whole machine stopped (vagrant halt) and brought back (vagrant up)."""
    server = web_names()[-1]
    path = ROUTES[0][0]
    lb_address = remote.address(lb_name())
    env = dict(os.environ, VAGRANT_CHECKPOINT_DISABLE="1")
    lock = ["flock", "-w", "600", remote.VAGRANT_LOCK]
    poller = haproxy_poller(server, 240)
    driver = LoadDriver(lb_address, path, threads=threads, pause=0.02, max_seconds=260).start()
    try:
        time.sleep(2)
        t_stop = time.time()
        subprocess.run(lock + ["vagrant", "halt", server], cwd=remote.ROOT, env=env,
                       capture_output=True, text=True, timeout=300, check=True)
        halted = time.time()
        t_start = time.time()
    finally:
        up = subprocess.run(lock + ["vagrant", "up", server], cwd=remote.ROOT, env=env,
                            capture_output=True, text=True, timeout=600, check=False)
        try:
            wait_status(server, want_up=True, limit=60)
            time.sleep(2)
        finally:
            result = driver.stop()
    rows = poller_lines(poller)
    figures = failover_figures(result, rows, server, t_stop, t_start,
                               f"`flock {remote.VAGRANT_LOCK} vagrant halt {server}`, then "
                               f"`vagrant up {server}`, while {threads} clients GET http://{lb_address}{path}")
    figures["halt_seconds"] = round(halted - t_stop, 1)
    figures["vagrant_up_rc"] = up.returncode
    figures["vagrant_up_seconds"] = round(time.time() - t_start, 1)
    return figures


def failover_figures(result, rows, server, t_stop, t_start, command) -> dict:
    served = result.served_by_times(server)
    last_before = max((t for t in served if t < t_start), default=None)
    first_after = min((t for t in served if t >= t_start), default=None)
    down = first_time(rows, t_stop, want_up=False)
    up = first_time(rows, t_start, want_up=True)
    summary = result.summary()
    summary.update({
        "server": server, "command": command,
        "haproxy_marked_down_after_s": round(down - t_stop, 2) if down else None,
        "last_answer_from_it_after_stop_s": round(last_before - t_stop, 2) if last_before else None,
        "haproxy_marked_up_after_start_s": round(up - t_start, 2) if up else None,
        "first_answer_from_it_after_start_s": round(first_after - t_start, 2) if first_after else None,
        "haproxy_retries": (rows[-1][1] - rows[0][1]) if rows else None,
        "haproxy_redispatches": (rows[-1][2] - rows[0][2]) if rows else None,
        "failures": [{"t": round(o.start - result.started, 2), "status": o.status, "error": o.error}
                     for o in result.failed][:20]})
    log(f"failover {server}: {summary['failed']} failed of {summary['requests']}; down seen after "
        f"{summary['haproxy_marked_down_after_s']} s, back after {summary['first_answer_from_it_after_start_s']} s")
    return summary


# --- 4. crash recovery: kill -9 of a Gunicorn master, of a worker --------------------

def crash(victim: str, threads: int) -> dict:
    """kill -9 of the API's Gunicorn master (or one worker) on the first web
    server under load through the load balancer; seconds until the unit is
    whole again (active, all workers, the app answering on its port)."""
    server = web_names()[0]
    app_entry = labdata.app("api")
    unit = app_entry["unit"]
    path = next(p for p, a in ROUTES if a == "api")
    lb_address = remote.address(lb_name())
    local = f"http://127.0.0.1:{app_entry['port']}/api/v1/status"
    pick = "$m" if victim == "master" else "$(pgrep -P $m | head -n1)"
    script = (
        f'm=$(systemctl show -p MainPID --value {unit}); v={pick}; t0=$(date +%s.%N); kill -9 "$v"; '
        f'for i in $(seq 600); do sleep 0.1; n=$(systemctl show -p MainPID --value {unit}); '
        f'if [ "$n" != 0 ] && systemctl is-active -q {unit} && [ "$(pgrep -c -P "$n")" = {app_entry["workers"]} ] '
        f'&& [ "$(curl -s -o /dev/null -w %{{http_code}} --max-time 2 {local})" = 200 ]; then '
        f'echo "$t0 $(date +%s.%N) $m $n $v"; exit 0; fi; done; echo "$t0 never $m $n $v"; exit 1')
    driver = LoadDriver(lb_address, path, threads=threads, pause=0.02, max_seconds=120).start()
    try:
        time.sleep(2)
        out = remote.run(server, f"sudo bash -c {shlex.quote(script)}", timeout=90, check=False)
        time.sleep(2)
    finally:
        remote.run(server, f"sudo systemctl is-active -q {unit} || sudo systemctl start {unit}", check=False)
        result = driver.stop()
    words = out.stdout.split()
    whole = round(float(words[1]) - float(words[0]), 2) if len(words) == 5 and words[1] != "never" else None
    summary = result.summary()
    summary.update({
        "server": server, "unit": unit, "victim": victim, "whole_after_s": whole,
        "master_before": words[2] if words else None, "master_after": words[3] if len(words) > 3 else None,
        "failures": [{"t": round(o.start - result.started, 2), "status": o.status, "error": o.error}
                     for o in result.failed][:20],
        "command": (f"`ssh {server} sudo kill -9 <{unit} {victim}>`, then poll until active with "
                    f"{app_entry['workers']} workers and {local} = 200, while {threads} clients GET "
                    f"http://{lb_address}{path}")})
    log(f"crash {victim}: whole after {whole} s; {summary['failed']} failed of {summary['requests']} "
        f"{summary['by_status']}")
    return summary


# --- 5. API fuzzing: schemathesis through the load balancer --------------------------

def fuzz(max_examples: int, all_methods: bool) -> dict:
    lb_address = remote.address(lb_name())
    OUT.mkdir(parents=True, exist_ok=True)
    junit = (OUT / "schemathesis-junit.xml").relative_to(remote.ROOT)
    st = Path(sys.executable).with_name("schemathesis")
    argv = [str(st), "run", f"http://{lb_address}/api/v1/openapi.json",
            "--max-examples", str(max_examples), "--workers", "1", "--seed", "1",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                        "response_schema_conformance",
            "--report", "junit", "--report-junit-path", str(junit)]
    if not all_methods:
        # GET only by default: the lab's database keeps its seed (no junk rows).
        argv += ["--include-method", "GET"]
    t0 = time.time()
    result = subprocess.run(argv, cwd=remote.ROOT, capture_output=True, text=True, timeout=600,
                            check=False)
    cases = failures = operations = 0
    if junit.is_file():
        import xml.etree.ElementTree as ET
        for case in ET.parse(junit).getroot().iter("testcase"):
            operations += 1
            failures += len(case.findall("failure")) + len(case.findall("error"))
    tail = [l for l in result.stdout.splitlines() if l.strip()][-12:]
    for line in result.stdout.splitlines():
        if "test cases" in line or "generated" in line.lower():
            digits = [int(w) for w in line.replace(",", " ").split() if w.isdigit()]
            if digits:
                cases = max(cases, digits[0])
    summary = {"command": " ".join([Path(argv[0]).name] + argv[1:]), "exit_code": result.returncode,
               "operations": operations, "operations_failed": failures, "test_cases": cases,
               "seconds": round(time.time() - t0, 1), "output_tail": tail}
    log(f"fuzz: exit {result.returncode}, {operations} operations, {failures} failed, {cases} cases")
    return summary


# --- 6. restart safety: every machine rebooted, data written before it kept ---------

def api_call(method: str, path: str, body: dict | None = None) -> tuple[int, dict | list | None]:
    import http.client
    conn = http.client.HTTPConnection(remote.address(lb_name()), 80, timeout=15)
    try:
        payload = json.dumps(body) if body is not None else None
        conn.request(method, path, body=payload, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        raw = response.read()
        return response.status, (json.loads(raw) if raw else None)
    finally:
        conn.close()


def wait_serving(limit: float) -> bool:
    """Until every web server answers the API's status through lb-01 (by
    X-Served-By) or ``limit`` seconds: True when they all did."""
    path = next(p for p, a in ROUTES if a == "api").rsplit("/", 1)[0] + "/status"
    deadline = time.monotonic() + limit
    seen: set[str] = set()
    while time.monotonic() < deadline:
        driver = LoadDriver(remote.address(lb_name()), path, threads=1, max_seconds=2, timeout=3,
                            max_requests_per_thread=len(web_names()) * 2).start()
        time.sleep(1)
        seen |= {o.served_by for o in driver.stop().outcomes if o.status == 200}
        if seen >= set(web_names()):
            return True
        time.sleep(2)
    return False


def reboot_all(run_suite: bool) -> dict:
    """A State written through the API, every machine rebooted (`systemctl
    reboot` inside), then: each machine answers SSH, lb-01 serves from every web
    server, the State is still there (then deleted); the lab suite optionally."""
    env = dict(os.environ, VAGRANT_CHECKPOINT_DISABLE="1")
    name = f"Reboot check {int(time.time())}"
    status, state = api_call("POST", "/api/v1/states", {"name": name})
    if status != 201:
        raise RuntimeError(f"POST /api/v1/states answered {status}: {state}")
    t0 = time.time()
    back: dict[str, float | None] = {}
    try:
        for m in labdata.machines():
            remote.run(m["name"], "sudo systemctl reboot", check=False, timeout=30)
        time.sleep(5)
        for m in labdata.machines():
            back[m["name"]] = None
            for _ in range(60):
                # Back = SSH answers and its PID 1 started after the reboot order.
                since = int(time.time() - t0)
                if remote.run(m["name"], f"systemctl is-system-running --wait >/dev/null 2>&1; "
                              f"test $(ps -o etimes= -p 1) -lt {since}",
                              check=False, timeout=120).returncode == 0:
                    back[m["name"]] = round(time.time() - t0, 1)
                    break
                time.sleep(2)
        serving = wait_serving(120)
        serving_after = round(time.time() - t0, 1)
    finally:
        for m in labdata.machines():
            if back.get(m["name"]) is None:
                # Not back: Vagrant starts it again (the lab is left serving).
                subprocess.run(["flock", "-w", "600", remote.VAGRANT_LOCK, "vagrant", "up", m["name"]],
                               cwd=remote.ROOT, env=env, capture_output=True, timeout=600, check=False)
    status_after, kept = api_call("GET", f"/api/v1/states/{state['id']}")
    deleted, _ = api_call("DELETE", f"/api/v1/states/{state['id']}")
    figures = {"command": ("POST /api/v1/states through lb-01; `ssh <each machine> sudo systemctl "
                           "reboot`; wait for SSH and every web server answering through lb-01; "
                           "GET /api/v1/states/<id>"),
               "machines_back_after_s": back, "serving_through_lb": serving,
               "serving_after_s": serving_after,
               "state_kept": status_after == 200 and isinstance(kept, dict) and kept.get("name") == name,
               "get_after_reboot": status_after, "cleanup_delete": deleted}
    if run_suite:
        hosts = ",".join(m["name"] for m in labdata.machines())
        suite = subprocess.run([str(Path(sys.executable).with_name("pytest")), "tests/infra", "-q",
                                "-p", "no:cacheprovider", f"--hosts={hosts}",
                                f"--ssh-config={remote.SSH_CONFIG.relative_to(remote.ROOT)}"],
                               cwd=remote.ROOT, capture_output=True, text=True, timeout=900, check=False)
        figures["suite_exit"] = suite.returncode
        figures["suite_summary"] = (suite.stdout.strip().splitlines() or [""])[-1]
    log(f"reboot: {figures}")
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="throughput,reload,failover,crash,fuzz",
                        help=f"comma-separated scenarios among {','.join(SCENARIOS)} "
                             "(halt: vagrant halt/up of a web server; reboot: every machine rebooted; "
                             "both not in the default set)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk measurement")
    parser.add_argument("--reloads", type=int, default=10)
    parser.add_argument("--threads", type=int, default=4, help="clients of the fault scenarios")
    parser.add_argument("--max-examples", type=int, default=5)
    parser.add_argument("--all-methods", action="store_true", help="fuzz POST/PUT/DELETE too (writes)")
    parser.add_argument("--suite", action="store_true", help="reboot: run the lab suite afterwards")
    args = parser.parse_args(argv)
    wanted = [s for s in args.only.split(",") if s]
    for name in wanted:
        if name not in SCENARIOS:
            parser.error(f"unknown scenario {name}")
    try:
        for m in labdata.machines():
            remote.address(m["name"])
    except remote.labdata.LabNotUp as error:
        print(f"{error} (run `make up`)", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    report = json.loads(REPORT.read_text()) if REPORT.is_file() else {}
    run_command = "python bench/load.py " + " ".join(argv if argv is not None else sys.argv[1:])
    steps = {
        "throughput": lambda: throughput(args.duration),
        "reload": lambda: reloads(args.reloads, args.threads),
        "failover": lambda: nginx_failover(args.threads),
        "halt": lambda: machine_failover(args.threads),
        "crash": lambda: {"master": crash("master", args.threads), "worker": crash("worker", args.threads)},
        "fuzz": lambda: fuzz(args.max_examples, args.all_methods),
        "reboot": lambda: reboot_all(args.suite),
    }
    for name in wanted:
        log(f"--- {name}")
        report[name] = {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        "run": run_command, **steps[name]()}
        REPORT.write_text(json.dumps(report, indent=2))
    log(f"written {REPORT.relative_to(remote.ROOT)}; `python bench/report.py` prints it and draws the chart")
    return 0


if __name__ == "__main__":
    sys.exit(main())
