"""Probes of the lab suite: HTTP through curl on a machine, processes, waiting,
client loops, provisioner runs, and hints for failed routes."""
from __future__ import annotations

import re
import shlex
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from labtools import labdata

DB_ENV = labdata.section("reference")["db_env"]


def on_each(hosts: dict[str, object], action) -> dict[str, object]:
    """``action(host)`` on every host at the same time (a thread each: the work is
    on the machines): name -> its result. An exception is raised again here."""
    with ThreadPoolExecutor(max_workers=len(hosts) or 1) as pool:
        running = {name: pool.submit(action, host) for name, host in hosts.items()}
    return {name: future.result() for name, future in running.items()}


# --- HTTP through curl on a machine -------------------------------------------------

@dataclass
class Response:
    status: int                      # 0: no answer at all (refused, timed out)
    headers: dict[str, str] = field(default_factory=dict)   # lower-case names
    body: str = ""
    error: str = ""                  # curl's message when status is 0

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def http(host, url: str, method: str = "GET", data: str | None = None,
         headers: tuple[str, ...] = (), timeout: int = 15, insecure: bool = False) -> Response:
    """One request made by curl on ``host``; no redirect followed."""
    args = ["curl", "-sS", "-i", "--max-time", str(timeout)]
    if method == "HEAD":
        args.append("-I")
    else:
        args += ["-X", method]
    if data is not None:
        args += ["--data-binary", data, "-H", "Content-Type: application/json"]
    for header in headers:
        args += ["-H", header]
    if insecure:
        args.append("-k")
    args.append(url)
    result = host.run(shlex.join(args))
    if result.rc != 0:
        return Response(0, error=result.stderr.strip() or f"curl exit {result.rc}")
    raw = result.stdout
    head, _, body = raw.partition("\r\n\r\n")
    lines = head.split("\r\n")
    status = int(lines[0].split()[1])
    found = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        found[name.strip().lower()] = value.strip()
    return Response(status, found, body)


def describe(response: Response) -> str:
    """A short account of an answer for assertion messages."""
    if response.status == 0:
        return f"no answer ({response.error})"
    snippet = " ".join(response.body.split())[:80]
    return f"HTTP {response.status}, X-Served-By {response.header('X-Served-By')}, body {snippet!r}"


def gateway_hint(status: int, app_entry: dict) -> str:
    """What a student should look at when a route through Nginx fails (by what
    can be seen from outside, whatever the student named their units or sites)."""
    port = app_entry["port"]
    if status == 502:
        return (f"502 Bad Gateway: nothing listening on 127.0.0.1:{port} - is a Gunicorn running "
                f"{app_entry['module']} on port {port}? ss -ltnp 'sport = :{port}'")
    if status == 404:
        return ("404: Nginx has no matching location, or proxy_pass rewrote the path "
                "(proxy_pass with vs without a URI part) - nginx -T and /var/log/nginx/error.log")
    if status in (301, 302, 307, 308):
        return (f"{status} redirect: Flask's strict_slashes (the route needs strict_slashes=False), "
                "or a location/proxy_pass that drops or adds a slash")
    if status == 0:
        return "nothing answers on port 80 - systemctl status nginx (or the firewall: nft list ruleset)"
    if status == 500:
        return (f"500: the app on port {port} failed - its Gunicorn's error log "
                f"(MySQL settings missing from its environment? {DB_ENV})")
    return f"see /var/log/nginx/error.log and the error log of the Gunicorn on port {port}"


# How long a connection attempt to a lab address may take before the port counts
# as closed: a dropped SYN never answers, a lab address answers in milliseconds.
CONNECT_TIMEOUT = 0.5


def connects(address: str, port: int) -> str:
    """Shell whose exit status is 0 when a TCP connection to address:port opens
    within CONNECT_TIMEOUT (bash's /dev/tcp; nc only waits whole seconds)."""
    return f"timeout {CONNECT_TIMEOUT} bash -c 'exec 3<>/dev/tcp/{address}/{port}' 2>/dev/null"


def listener_pids(host, port: int) -> set[int]:
    """Processes holding a listening TCP socket on ``port`` (a Gunicorn master and
    its workers all do)."""
    with host.sudo():
        out = host.run("ss -Hltnp 'sport = :%s'", str(port)).stdout
    return {int(pid) for pid in re.findall(r"pid=(\d+)", out)}


def master_on_port(host, port: int) -> int:
    """The Gunicorn master serving ``port``: the listener whose parent is not a
    listener too (0 when nothing listens)."""
    pids = listener_pids(host, port)
    for pid in sorted(pids):
        parent = host.run("ps -o ppid= -p %s", str(pid)).stdout.strip()
        if parent and int(parent) not in pids:
            return pid
    return 0


def process_environment(host, pid: int) -> list[str]:
    with host.sudo():
        return host.run("tr '\\0' '\\n' < /proc/%s/environ", str(pid)).stdout.splitlines()


def wait_for(check, timeout: float = 60, interval: float = 0.2):
    """Calls ``check`` until it returns a true value (returned) or time is up
    (the last value is returned). A check is a command or two on a reused SSH
    connection (~15 ms): polling often costs little and ends the wait sooner."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def client_loop(url: str, name: str, pause: float = 0) -> str:
    """Shell for a client on a machine: asks ``url`` until /tmp/<name>-stop exists
    (at most 300 requests), writing each HTTP status (000: no answer) to
    /tmp/<name>-codes, then "end". Run it in the background, touch the stop file
    when done, read the answers with status_counts()."""
    sleep = f"sleep {pause}; " if pause else ""
    return (f"rm -f /tmp/{name}-codes /tmp/{name}-stop; "
            f"(for i in $(seq 300); do [ -e /tmp/{name}-stop ] && break; "
            f"curl -s -o /dev/null -w '%{{http_code}}\\n' --max-time 10 {shlex.quote(url)}; {sleep}done"
            f" > /tmp/{name}-codes; echo end >> /tmp/{name}-codes)")


def stop_client(host, name: str, timeout: float = 30) -> bool:
    """Tells a client_loop on ``host`` to stop; whether it finished within ``timeout``."""
    host.run(f"touch /tmp/{name}-stop")
    return bool(wait_for(lambda: host.run(f"tail -n 1 /tmp/{name}-codes").stdout.strip() == "end",
                         timeout=timeout, interval=0.05))


def status_counts(host, name: str) -> dict[str, int]:
    """{HTTP status: how many} of the answers a client_loop got on ``host``."""
    out = host.check_output(f"grep -v end /tmp/{name}-codes | sort | uniq -c")
    return {status: int(count) for count, status in (line.split() for line in out.splitlines())}


def worker_pids(host, master: int) -> set[int]:
    out = host.run("pgrep -P %s", str(master)).stdout
    return {int(pid) for pid in out.split()}


def main_pid(host, unit: str) -> int:
    return int(host.check_output("systemctl show --property MainPID --value %s", unit) or 0)


def provision(host, script: str):
    """Runs provision/<script>.sh on ``host`` as the Vagrantfile does (root, the
    machine's facts); returns the command's result."""
    with host.sudo():
        return host.run(f"hbnb-provision {script}")


def last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""


def exec_start_options(unit_text: str) -> str:
    """The ExecStart= command of a unit file, continuation lines joined."""
    match = re.search(r"^ExecStart=((?:.*\\\n)*.*)$", unit_text, re.M)
    assert match, "no ExecStart= line"
    return " ".join(match.group(1).replace("\\\n", " ").split())
