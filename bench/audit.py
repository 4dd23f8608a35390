"""The reference lab under attack and overload (issue 12): each finding of the
outside audit measured again, from the host, against the lab's own addresses.

    .venv/bin/python bench/audit.py [--only health,overload,...] [--json FILE]

Prints one block per finding with its figures; with --json, writes them too.
Every address is checked to route to a local bridge first ("lab not up"
otherwise); every load is bounded in connections and seconds; every fault
(a stopped service, a paused database) is undone in a ``finally``. Objects the
audit writes through the API are deleted at the end of their section.
"""
from __future__ import annotations

import argparse
import http.client
import json
import resource
import shlex
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from labtools import haproxy_stats, labdata, remote  # noqa: E402
from loadgen import LoadDriver  # noqa: E402

FINDINGS = ("health", "overload", "database", "errors", "tls", "headers", "writes",
            "privilege", "machines", "logs", "page")
# TLS 1.0 and 1.1 are asked for on purpose: to see them refused.
warnings.filterwarnings("ignore", category=DeprecationWarning, message="ssl.TLSVersion")
API_LIST = "/api/v1/states"
JSON = "application/json"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def lb_name() -> str:
    return labdata.names("lb")[0]


def web_names() -> list[str]:
    return labdata.names("web")


def db_name() -> str:
    return labdata.names("db")[0]


def app_unit(app: str) -> str:
    return labdata.app(app)["unit"]


def sudo(name: str, command: str, timeout: float = 60, check: bool = True) -> str:
    return remote.run(name, f"sudo bash -c {shlex.quote(command)}", timeout=timeout,
                      check=check).stdout


# --- HTTP, raw enough to send what a browser never does ----------------------------

def request(address: str, method: str, path: str, body: bytes | None = None,
            headers: dict | None = None, port: int = 80, tls: bool = False,
            timeout: float = 20) -> tuple[int, dict, bytes, float]:
    """(status, headers lower-cased, body, seconds); status 0 when nothing answered."""
    start = time.perf_counter()
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        conn = http.client.HTTPSConnection(address, port, timeout=timeout, context=context)
    else:
        conn = http.client.HTTPConnection(address, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return (response.status, {k.lower(): v for k, v in response.getheaders()}, data,
                time.perf_counter() - start)
    except (OSError, http.client.HTTPException):
        return 0, {}, b"", time.perf_counter() - start
    finally:
        conn.close()


def raw(address: str, payload: bytes, port: int = 80, wait: float = 15) -> tuple[int, dict, bytes]:
    """Send ``payload`` as is; (status, headers, body) of what comes back."""
    with socket.create_connection((address, port), timeout=wait) as sock:
        sock.sendall(payload)
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except (socket.timeout, ConnectionResetError):
            pass
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        return 0, {}, data
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def is_json(headers: dict, body: bytes) -> bool:
    if not headers.get("content-type", "").startswith(JSON):
        return False
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


def kind(status: int, headers: dict, body: bytes) -> str:
    """"503 JSON (Retry-After 5)", "502 HTML"...: what a client got."""
    if status == 0:
        return "no answer"
    label = "JSON" if is_json(headers, body) else (headers.get("content-type", "?").split(";")[0] or "?")
    label = "HTML" if label == "text/html" else label
    extra = f" (Retry-After {headers['retry-after']})" if "retry-after" in headers else ""
    return f"{status} {label}{extra}"


# --- HAProxy's view ------------------------------------------------------------------

def haproxy_states() -> dict[tuple[str, str], tuple[str, str]]:
    """(backend, server) -> (status, check status), from the runtime API."""
    return {key: (row["status"], row["check_status"])
            for key, row in haproxy_stats.servers(sudo(lb_name(), haproxy_stats.SHOW_STAT)).items()}


def server_state(server: str) -> dict[str, str]:
    return {f"{backend}": f"{status} {check}".strip()
            for (backend, name), (status, check) in haproxy_states().items() if name == server}


# --- 1. health checks ------------------------------------------------------------------

def audit_health() -> dict:
    """The API's Gunicorn stopped on the last web server: HAProxy's view of it, and
    POSTs through the load balancer meanwhile (each deleted after)."""
    server, lb = web_names()[-1], remote.address(lb_name())
    unit = app_unit("api")
    created, outcomes = [], []
    out_after = None
    sudo(server, f"systemctl stop {unit}")
    try:
        stopped = time.monotonic()
        deadline = stopped + 5
        while time.monotonic() < deadline:
            if out_after is None and any(not s.startswith("UP") for s in server_state(server).values()):
                out_after = round(time.monotonic() - stopped, 2)
            status, headers, body, _ = request(lb, "POST", API_LIST, json.dumps(
                {"name": f"audit-{uuid.uuid4().hex[:8]}"}).encode(), {"Content-Type": JSON})
            outcomes.append(kind(status, headers, body))
            if status == 201:
                created.append(json.loads(body)["id"])
            # Under the load balancer's write limit (writes_per_10s in lab.yml).
            time.sleep(5 / 15)
        states = server_state(server)
        direct = request(remote.address(server), "GET", API_LIST)
    finally:
        sudo(server, f"systemctl start {unit}")
        for state_id in created:   # through a web server: not counted as writes at lb-01
            request(remote.address(web_names()[0]), "DELETE", f"{API_LIST}/{state_id}")
    failed = [o for o in outcomes if not o.startswith("201")]
    return {"server": server, "stopped": unit, "haproxy": states,
            "first_seen_out_after_s": out_after,
            "posts": len(outcomes), "posts_failed": len(failed), "failures": sorted(set(failed)),
            "direct_nginx_answer": kind(*direct[:3])}


# --- 2. overload ---------------------------------------------------------------------------

WRK_STATUS_LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(total) do table.insert(parts, string.format('"%d": %d', status, n)) end
  local e = summary.errors
  io.write(string.format('\\nWRK_JSON {"requests": %d, "p50_ms": %.1f, "p99_ms": %.1f, ' ..
    '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, "by_status": {%s}}\\n',
    summary.requests, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect, e.read, e.write, e.timeout, table.concat(parts, ", ")))
end
"""


def wrk(url: str, connections: int, seconds: int, extra_lua: str = "") -> dict:
    """wrk on the host (2 threads), its file limit raised for ``connections``;
    ``extra_lua`` may define request() (what to send)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(extra_lua + WRK_STATUS_LUA)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, connections + 1024)

    def raise_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    try:
        out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "15s",
                              "-s", script.name, url], capture_output=True, text=True,
                             timeout=seconds + 60, preexec_fn=raise_limit, check=False).stdout
    finally:
        Path(script.name).unlink()
    line = next((l for l in out.splitlines() if l.startswith("WRK_JSON ")), None)
    if line is None:
        return {"error": out.strip()[-300:]}
    result = json.loads(line[len("WRK_JSON "):])
    result["non_2xx"] = sum(n for s, n in result["by_status"].items() if not s.startswith("2"))
    result["status_500"] = result["by_status"].get("500", 0)
    return result


def audit_overload(seconds: int) -> dict:
    lb = remote.address(lb_name())
    results = {}
    for connections in (1024, 4096):
        result = wrk(f"http://{lb}{API_LIST}", connections, seconds)
        results[f"c{connections}"] = result
        log(f"  {connections} connections: {result}")
        results[f"c{connections}"]["queue_drained_after_s"] = wait_for_empty_queues()
    return results


def wait_for_empty_queues(limit: float = 30) -> float | None:
    """Seconds until HAProxy holds no request queued or in flight (what wrk left
    behind), so the next finding is measured on an idle lab; None if still busy
    at ``limit``. The back ends' totals count: round robin queues a request there,
    not on a server."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        rows = haproxy_stats.backends(sudo(lb_name(), haproxy_stats.SHOW_STAT)).values()
        busy = sum(int(row["qcur"] or 0) + int(row["scur"] or 0) for row in rows)
        if busy == 0:
            return round(time.monotonic() - started, 1)
        time.sleep(0.5)
    return None


# --- 3. database faults ------------------------------------------------------------------

def db_unit() -> str:
    return sudo(db_name(), "systemctl list-unit-files mariadb.service mysql.service --no-legend "
                "| awk '{print $1; exit}'").strip() or "mariadb.service"


def audit_database() -> dict:
    lb, db = remote.address(lb_name()), db_name()
    unit = db_unit()
    result = {}
    # Stopped.
    sudo(db, f"systemctl stop {unit}")
    try:
        time.sleep(1)
        for path in (API_LIST, "/"):
            status, headers, body, seconds = request(lb, "GET", path)
            result[f"stopped {path}"] = f"{kind(status, headers, body)} in {seconds:.2f} s"
    finally:
        sudo(db, f"systemctl start {unit}")
    time.sleep(2)
    # Restarted under load.
    drivers = [LoadDriver(lb, API_LIST, threads=4, max_seconds=40),
               LoadDriver(lb, "/", threads=2, max_seconds=40)]
    for driver in drivers:
        driver.start()
    try:
        time.sleep(2)
        sudo(db, f"systemctl restart {unit}")
        time.sleep(4)
    finally:
        loads = [driver.stop() for driver in drivers]
    result["restart under load"] = {
        load.path: {"requests": load.total, "failed": len(load.failed),
                    "failures": sorted({f"{o.status} {o.error}".strip() for o in load.failed})[:5]}
        for load in loads}
    # Hung (SIGSTOP for 10 s).
    pids = sudo(db, f"systemctl show -p MainPID --value {unit}").strip()
    answers = []
    sudo(db, f"kill -STOP {pids}")
    try:
        stopped = time.monotonic()
        threads = []

        def ask(path):
            status, headers, body, seconds = request(lb, "GET", path, timeout=30)
            answers.append((path, kind(status, headers, body), round(seconds, 2)))
        for path in (API_LIST, f"{API_LIST}?audit={uuid.uuid4().hex}", "/api/v1/stats", "/"):
            threads.append(threading.Thread(target=ask, args=(path,)))
            threads[-1].start()
        for thread in threads:
            thread.join(max(0.0, 10 - (time.monotonic() - stopped)))
    finally:
        time.sleep(max(0.0, 10 - (time.monotonic() - stopped)))
        sudo(db, f"kill -CONT {pids}")
    for thread in threads:
        thread.join(30)
    result["hung 10 s"] = answers
    return result


# --- 4. errors in front of the API ----------------------------------------------------------

def audit_errors() -> dict:
    lb = remote.address(lb_name())
    web = web_names()[-1]
    result = {}

    def note(label, answer):
        result[label] = kind(*answer[:3])

    host = f"Host: {lb}\r\n".encode()
    note("400 CONNECT via lb", raw(lb, b"CONNECT /api/v1/states HTTP/1.1\r\n" + host + b"\r\n"))
    note("400 bad header via lb", raw(lb, b"GET /api/v1/states HTTP/1.1\r\n" + host + b"Bad Header\r\n\r\n"))
    note("405 TRACE via lb", request(lb, "TRACE", API_LIST))
    note("405 TRACE direct", request(remote.address(web), "TRACE", API_LIST))
    note("413 2 MB body via lb", request(lb, "POST", API_LIST, b"{" + b" " * 2_000_000 + b"}",
                                         {"Content-Type": JSON}))
    note("414 70 kB URI via lb", request(lb, "GET", f"{API_LIST}?q={'x' * 70_000}"))
    note("414 70 kB URI direct", request(remote.address(web), "GET", f"{API_LIST}?q={'x' * 70_000}"))
    t0 = time.monotonic()
    answer = raw(lb, b"GET /api/v1/states HTTP/1.1\r\n" + host, wait=40)
    result["408 unfinished request via lb"] = f"{kind(*answer)} after {time.monotonic() - t0:.1f} s"
    # 502 and 504 come from a web server's Nginx when its API is down or hung.
    unit = app_unit("api")
    sudo(web, f"systemctl stop {unit}")
    try:
        note("502 API stopped, direct", request(remote.address(web), "GET", API_LIST))
    finally:
        sudo(web, f"systemctl start {unit}")
    time.sleep(2)
    sudo(web, f"systemctl kill -s STOP {unit}")
    try:
        t0 = time.monotonic()
        answer = request(remote.address(web), "GET", API_LIST, timeout=70)
        result["504 API hung, direct"] = f"{kind(*answer[:3])} after {time.monotonic() - t0:.1f} s"
    finally:
        sudo(web, f"systemctl kill -s CONT {unit}")
    return result


# --- 5. TLS, redirects, forwarded headers --------------------------------------------------

def tls12_ciphers() -> list[str]:
    out = subprocess.run(["openssl", "ciphers", "-tls1_2", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"],
                         capture_output=True, text=True, check=True).stdout
    return [c for c in out.strip().split(":") if not c.startswith("TLS_")]


def accepts(address: str, cipher: str | None = None, version=ssl.TLSVersion.TLSv1_2) -> bool:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    context.minimum_version = context.maximum_version = version
    try:
        if cipher:
            context.set_ciphers(f"{cipher}:@SECLEVEL=0")
        else:
            context.set_ciphers("ALL:@SECLEVEL=0")
    except ssl.SSLError:
        return False
    try:
        with socket.create_connection((address, 443), timeout=5) as sock, \
                context.wrap_socket(sock) as tls:
            return tls.version() is not None
    except (ssl.SSLError, OSError):
        return False


def audit_tls() -> dict:
    lb, web = remote.address(lb_name()), remote.address(web_names()[-1])
    offered = [c for c in tls12_ciphers() if accepts(lb, c)]
    no_fs = [c for c in offered if not c.startswith(("ECDHE", "DHE"))]
    versions = {v.name: accepts(lb, version=v) for v in
                (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1, ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3)}
    https = request(lb, "GET", "/", port=443, tls=True)
    redirect_https = request(lb, "GET", "/airbnb-onepage", port=443, tls=True)
    evil = request(lb, "GET", "/airbnb-onepage", headers={"Host": "evil.example"})
    no_host = raw(lb, b"GET /airbnb-onepage HTTP/1.0\r\n\r\n")
    static_dir = request(lb, "GET", "/static", port=443, tls=True)
    # What Nginx forwards as the scheme when a client talks to it directly and claims https.
    marker = f"/audit-forwarded-{uuid.uuid4().hex[:8]}"
    request(web, "GET", marker, headers={"X-Forwarded-Proto": "https"})
    name = web_names()[-1]
    logged = sudo(name, f"grep -h -- {shlex.quote(marker)} /var/log/nginx/access.log | tail -1", check=False)
    return {"ciphers_offered_tls12": len(offered), "without_forward_secrecy": no_fs,
            "versions": versions, "hsts": https[1].get("strict-transport-security"),
            "redirect over https": redirect_https[1].get("location"),
            "redirect with Host: evil.example": evil[1].get("location"),
            "redirect HTTP/1.0 without Host": no_host[1].get("location"),
            "nginx redirect /static over https": static_dir[1].get("location"),
            "direct client claiming https, nginx log": logged.strip()[-160:]}


# --- 6. security headers --------------------------------------------------------------------

SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options",
                    "referrer-policy", "strict-transport-security")


def audit_headers() -> dict:
    lb = remote.address(lb_name())
    result = {}
    for label, answer in (("http /", request(lb, "GET", "/")),
                          ("https /", request(lb, "GET", "/", port=443, tls=True)),
                          ("http /api/v1/status", request(lb, "GET", "/api/v1/status"))):
        headers = answer[1]
        result[label] = {h: headers.get(h) for h in SECURITY_HEADERS}
    return result


# --- 7. write flood -----------------------------------------------------------------------

WRK_USER_POSTS_LUA = """
local counter = 0
function request()
  counter = counter + 1
  local body = string.format('{"email": "%s%d-%d-%d@example.com", "password": "pw"}',
                             PREFIX, math.random(1000000000), os.time(), counter)
  return wrk.format("POST", "/api/v1/users", {["Content-Type"] = "application/json"}, body)
end
"""
FLOOD_PREFIX = "audit-flood-"


def audit_writes(seconds: int) -> dict:
    """12 clients posting users as fast as they can (wrk; a password hash each)
    while 2 clients read the states; the reads' latency idle first. Every user
    created is deleted after, through a web server (not counted as a write at
    the load balancer)."""
    lb = remote.address(lb_name())
    idle = LoadDriver(lb, API_LIST, threads=2, max_seconds=seconds).start()
    time.sleep(seconds)
    idle_result = idle.stop().summary()
    result = {}

    def flood():
        result.update(wrk(f"http://{lb}/api/v1/users", 12, seconds + 2,
                          extra_lua=WRK_USER_POSTS_LUA.replace("PREFIX", f'"{FLOOD_PREFIX}"')))
    flooder = threading.Thread(target=flood)
    flooder.start()
    try:
        time.sleep(1)
        busy = LoadDriver(lb, API_LIST, threads=2, max_seconds=seconds).start()
        time.sleep(seconds)
        busy_result = busy.stop().summary()
    finally:
        flooder.join(seconds + 90)
        deleted = delete_flood_users()
    return {"writes": result.get("by_status"), "write_requests": result.get("requests"),
            "users_created_then_deleted": deleted,
            "reads_idle": {k: idle_result[k] for k in ("requests", "p50_ms", "p99_ms")},
            "reads_during_flood": {k: busy_result[k] for k in ("requests", "failed", "p50_ms", "p99_ms")},
            "p50_ratio": ratio(busy_result["p50_ms"], idle_result["p50_ms"]),
            "p99_ratio": ratio(busy_result["p99_ms"], idle_result["p99_ms"])}


def ratio(a, b):
    return round(a / b, 2) if a and b else None


def delete_flood_users() -> int:
    web = remote.address(web_names()[0])
    status, _, body, _ = request(web, "GET", "/api/v1/users", timeout=60)
    if status != 200:
        return -1
    gone = 0
    for user in json.loads(body):
        if str(user.get("email", "")).startswith(FLOOD_PREFIX):
            gone += request(web, "DELETE", f"/api/v1/users/{user['id']}")[0] == 200
    return gone


# --- 8. privileges ------------------------------------------------------------------------------

def audit_privilege() -> dict:
    db = labdata.section("database")
    grants = sudo(db_name(), f"mysql -N -B -e \"SELECT CONCAT(User,'@',Host) FROM mysql.user "
                             f"WHERE User LIKE '{db['user']}%'\" | while read -r a; do "
                             f"mysql -N -B -e \"SHOW GRANTS FOR '${{a%@*}}'@'${{a#*@}}'\"; done")
    lb = remote.address(lb_name())
    port = labdata.section("load_balancer")["stats_port"]
    plain = request(lb, "GET", "/", port=port, timeout=5)
    tls = request(lb, "GET", "/", port=port, tls=True, timeout=5)
    by_account: dict[str, set] = {}
    for line in grants.splitlines():
        if " TO " in line and " ON `" in line:
            what, _, account = line.partition(" TO ")
            by_account.setdefault(account.split(" IDENTIFIED")[0], set()).add(what.split(" ON ")[0])
    return {"grants on the database": {k: sorted(v) for k, v in sorted(by_account.items())},
            "stats over plain http": kind(*plain[:3]), "stats over https": kind(*tls[:3])}


# --- 9. what the machines see of the host ------------------------------------------------------

def audit_machines() -> dict:
    result = {}
    project = labdata.load()["project_dir"]
    for name in labdata.names():
        mounts = sudo(name, f"findmnt -rn -o TARGET,OPTIONS | awk '$1 ~ \"^{project}\"'", check=False)
        uid_map = sudo(name, "cat /proc/self/uid_map", check=False).split()
        result[name] = {"shares": [" ".join((m.split()[0], "ro" if ",ro" in f",{m.split()[1]}" else "rw"))
                                   for m in mounts.splitlines() if m],
                        "root is host root": uid_map[:3] == ["0", "0", "4294967295"],
                        "secret visible": sudo(name, f"ls {project}/.vagrant/hbnb-lab 2>/dev/null | head -3",
                                               check=False).strip() or None}
    return result


# --- 10. logs ---------------------------------------------------------------------------------------

def audit_logs() -> dict:
    web = web_names()[0]
    out = sudo(web, "ls -la /tmp/airbnb-*.log* 2>/dev/null; "
                    "ls /etc/logrotate.d/ | tr '\\n' ' '; echo; "
                    "systemctl list-timers --no-legend 2>/dev/null | awk '{print $(NF-1)}' | tr '\\n' ' '",
               check=False)
    return {"listing": out.strip().splitlines()}


# --- 11. the page ------------------------------------------------------------------------------------

def audit_page(seconds: int) -> dict:
    web = web_names()[0]
    address = remote.address(web)
    status, headers, body, _ = request(address, "GET", "/")
    result = {"page_bytes": len(body), "articles": body.count(b"<article")}
    for label, path in (("page /", "/"), ("hello /airbnb-onepage/", "/airbnb-onepage/"),
                        ("states API", API_LIST)):
        summary = wrk(f"http://{address}{path}", 8, seconds)
        result[label] = {"req_s": round(summary.get("requests", 0) / seconds, 1),
                         "p50_ms": summary.get("p50_ms"), "non_2xx": summary.get("non_2xx")}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(FINDINGS),
                        help=f"comma-separated findings ({', '.join(FINDINGS)})")
    parser.add_argument("--seconds", type=int, default=10, help="length of each load (default 10)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    wanted = [f for f in args.only.split(",") if f]
    unknown = set(wanted) - set(FINDINGS)
    if unknown:
        parser.error(f"unknown finding(s): {', '.join(sorted(unknown))}")
    try:
        for name in labdata.names():
            remote.address(name)
    except labdata.LabNotUp as error:
        print(error, file=sys.stderr)
        return 2
    runners = {"health": audit_health, "overload": lambda: audit_overload(args.seconds),
               "database": audit_database, "errors": audit_errors, "tls": audit_tls,
               "headers": audit_headers, "writes": lambda: audit_writes(args.seconds),
               "privilege": audit_privilege, "machines": audit_machines, "logs": audit_logs,
               "page": lambda: audit_page(args.seconds)}
    figures = {}
    for number, name in enumerate(FINDINGS, 1):
        if name not in wanted:
            continue
        log(f"finding {number} ({name})")
        started = time.monotonic()
        figures[name] = runners[name]()
        print(json.dumps(figures[name], indent=2), flush=True)
        log(f"  ({time.monotonic() - started:.0f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
