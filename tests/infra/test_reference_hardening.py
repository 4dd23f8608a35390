"""The reference lab under attack and overload (issue 12's audit, marker
``reference``): health checks that ask the applications, JSON errors in front of
the API, TLS and redirects, forwarded headers, security headers, limits on writes,
the database account's rights, log rotation, database faults. Each check fails on
the lab as it was before the fix; bench/audit.py measures the same findings."""
import json
import re
import time
import uuid

import pytest

from labtools import haproxy_stats

from facts import ACCESS_LOG, API, EXERCISE_UNIT, LAB, PAGE, address, name_of, names, unit_of
from probes import client_loop, describe, http, status_counts, stop_client, wait_for

pytestmark = pytest.mark.reference

API_LIST = "/api/v1/states"
WRITES_PER_10S = LAB["load_balancer"]["writes_per_10s"]


def haproxy_states(lb_host) -> dict[tuple[str, str], tuple[str, str]]:
    """(back end, server) -> (status, check status), from HAProxy's runtime API."""
    with lb_host.sudo():
        out = lb_host.check_output(haproxy_stats.SHOW_STAT)
    return {key: (row["status"], row["check_status"]) for key, row in haproxy_stats.servers(out).items()}


def is_json_error(response) -> bool:
    if not response.header("Content-Type").startswith("application/json"):
        return False
    try:
        return "error" in json.loads(response.body)
    except ValueError:
        return False


# --- health checks ask the applications ------------------------------------------------

def test_each_back_end_checks_its_application(lb):
    """The page's back end asks / and the API's asks its status route (layer 7),
    on every web server: a check of the port alone (L4OK) would keep a server
    whose Gunicorn is down."""
    states = wait_for(lambda: (s := haproxy_states(lb)) and all(v == ("UP", "L7OK") for v in s.values()
                                                                 if v[1]) and s, timeout=15)
    for backend in ("hbnb_web", "hbnb_api"):
        for server in names("web"):
            assert states.get((backend, server)) == ("UP", "L7OK"), (
                f"{backend}/{server}: {states.get((backend, server))} - option httpchk and http-check send in "
                f"haproxy.cfg's backend {backend} (L4OK: only the port is checked)")


@pytest.mark.disruptive      # stops the API's Gunicorn on a web server
def test_api_down_takes_its_server_out_of_the_api_only(lb, lab_host):
    victim = names("web")[-1]
    web_host = lab_host(victim)
    unit = unit_of(API)
    try:
        with web_host.sudo():
            web_host.check_output(f"systemctl stop {unit}")
        out = wait_for(lambda: haproxy_states(lb).get(("hbnb_api", victim), ("",))[0].startswith("DOWN"),
                       timeout=5, interval=0.1)
        assert out, f"{victim}'s API is stopped but HAProxy keeps it: {haproxy_states(lb)}"
        assert haproxy_states(lb)[("hbnb_web", victim)][0] == "UP", "the page still works there: keep it in"
        answers = [http(lb, f"http://{address(name_of(lb))}{API_LIST}") for _ in range(4)]
        assert all(r.status == 200 for r in answers), (
            f"API requests failed with {victim}'s API down: {[describe(r) for r in answers]}")
    finally:
        with web_host.sudo():
            web_host.run(f"systemctl start {unit}")
    assert wait_for(lambda: haproxy_states(lb).get(("hbnb_api", victim), ("",))[0] == "UP", timeout=15), (
        f"{victim}'s API is back but HAProxy keeps it out")


# --- errors in front of the API are JSON ------------------------------------------------

BIG_URI = f"{API_LIST}?q={'x' * 12_000}"


@pytest.mark.parametrize("method, path, body, status", [
    ("TRACE", API_LIST, None, 405),
    ("GET", BIG_URI, None, 414),
    ("POST", API_LIST, "{" + " " * 1_100_000 + "}", 413),
], ids=["TRACE", "long-URI", "large-body"])
@pytest.mark.parametrize("through", ["load-balancer", "web-server"])
def test_errors_nginx_answers_under_api_are_json(lb, lab_host, method, path, body, status, through):
    target = address(name_of(lb)) if through == "load-balancer" else address(names("web")[-1])
    if body is not None:
        # A file of this case's own: the cases run side by side (xdist), and one
        # rewriting a shared file while another's curl reads it sends half a body.
        big_body = f"/tmp/hbnb-big-body-{through}.json"
        lb.run(f"head -c 1100000 /dev/zero | tr '\\0' ' ' | sed 's/^/{{/; s/$/}}/' > {big_body}")
        body = f"@{big_body}"
    response = http(lb, f"http://{target}{path}", method=method, data=body)
    assert response.status == status and is_json_error(response), (
        f"{method} {path[:40]} through the {through}: {describe(response)} - "
        "error_page ... /hbnb-lab-errors/error.json in the active site")


@pytest.mark.parametrize("code", [429, 502, 503, 504])
def test_haproxy_errors_for_the_api_are_json(lb, code):
    """HAProxy's own answers for the API's back ends: JSON, 503 and 429 with Retry-After."""
    with lb.sudo():
        config = lb.check_output("cat /etc/haproxy/haproxy.cfg")
        errorfile = config.split("http-errors hbnb_json_errors", 1)[1].split(f"errorfile {code} ", 1)[1].split()[0]
        reply = lb.check_output("cat %s", errorfile)
    head, _, body = reply.replace("\r\n", "\n").partition("\n\n")
    assert "Content-Type: application/json" in head and json.loads(body)["error"], f"{errorfile}: {reply!r}"
    if code in (429, 503):
        assert "Retry-After:" in head, f"{errorfile} says nothing of when to come back"


# --- TLS, redirects, forwarded headers, security headers ---------------------------------

@pytest.mark.parametrize("cipher, offered", [
    ("ECDHE-RSA-AES128-GCM-SHA256", True),
    ("ECDHE-RSA-CHACHA20-POLY1305", True),
    ("AES128-SHA", False), ("AES256-SHA256", False), ("AES128-GCM-SHA256", False),
    ("ECDHE-RSA-AES128-SHA", False),
])
def test_tls_follows_mozillas_intermediate_profile(lb, cipher, offered):
    target = f"{address(name_of(lb))}:443"
    result = lb.run(f"echo | timeout 5 openssl s_client -connect {target} -tls1_2 -cipher {cipher} 2>&1")
    accepted = result.rc == 0 and f"Cipher is {cipher}" in result.stdout
    assert accepted == offered, (
        f"TLS 1.2 with {cipher}: {'offered' if accepted else 'refused'} - ssl-default-bind-ciphers in haproxy.cfg")


def test_tls_1_1_refused(lb):
    result = lb.run(f"echo | timeout 5 openssl s_client -connect {address(name_of(lb))}:443 -tls1_1 2>&1")
    assert result.rc != 0, "TLS 1.1 accepted: ssl-min-ver TLSv1.2"


def test_hsts_over_https_only(lb):
    lb_address = address(name_of(lb))
    https = http(lb, f"https://{lb_address}/", insecure=True)
    assert https.header("Strict-Transport-Security").startswith("max-age="), f"no HSTS over HTTPS: {https.headers}"
    assert not http(lb, f"http://{lb_address}/").header("Strict-Transport-Security"), "HSTS over plain HTTP"


@pytest.mark.parametrize("scheme, headers", [
    ("https", ()),
    ("http", ("Host: evil.example",)),
], ids=["https", "foreign-Host"])
def test_redirects_keep_the_clients_scheme_and_host(lb, scheme, headers):
    response = http(lb, f"{scheme}://{address(name_of(lb))}/airbnb-onepage", headers=headers, insecure=True)
    location = response.header("Location")
    assert response.status in (301, 308) and location.startswith("/airbnb-onepage/"), (
        f"redirect: {describe(response)}, Location {location!r} - absolute_redirect off and proxy_redirect in the site "
        "(a path only: the browser keeps its scheme and host)")


def test_http_1_0_without_host_reveals_no_internal_address(lb):
    lb_address = address(name_of(lb))
    out = lb.check_output(f"printf 'GET /airbnb-onepage HTTP/1.0\\r\\n\\r\\n' | timeout 5 "
                          f"socat - TCP:{lb_address}:80")
    for web_address in (address(name) for name in names("web")):
        assert web_address not in out, f"the answer names {web_address}: {out[:300]!r}"


def test_forwarded_proto_believed_from_the_load_balancer_only(lb, lab_host):
    """A client talking to a web server directly cannot make Gunicorn believe it
    came over HTTPS; the load balancer can (it ended the TLS)."""
    victim = names("web")[-1]
    web_host = lab_host(victim)
    other = lab_host(names("web")[0])
    direct, via_lb = f"/hbnb-direct-{uuid.uuid4().hex[:8]}", f"/hbnb-via-lb-{uuid.uuid4().hex[:8]}"

    def logged(path: str) -> str:
        """The victim's first access log line of ``path`` ("" if none)."""
        with web_host.sudo():
            lines = web_host.run(f"grep -F -- {path} /var/log/nginx/access.log").stdout.splitlines()
        return lines[0] if lines else ""
    http(other, f"http://{address(victim)}{direct}", headers=("X-Forwarded-Proto: https",))
    # Round robin, shared with the checks running beside this one: ask until a
    # request reaches the victim (a fixed count could all land on the other).
    via_lb_line = ""
    for _ in range(20):
        http(lb, f"https://{address(name_of(lb))}{via_lb}", insecure=True)
        if via_lb_line := logged(via_lb):
            break
    direct_line = logged(direct)
    assert direct_line.endswith("forwarded_proto=http"), (
        f"a direct client's X-Forwarded-Proto: https was believed: {direct_line!r} (geo/map in conf.d/hbnb-lab.conf)")
    assert via_lb_line.endswith("forwarded_proto=https"), f"the load balancer's word was not: {via_lb_line!r}"


@pytest.mark.parametrize("header, wanted", [
    ("Content-Security-Policy", "default-src 'self'"),
    ("Content-Security-Policy", "frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
])
def test_page_security_headers(lb, header, wanted):
    response = http(lb, f"http://{address(name_of(lb))}/")
    assert wanted in response.header(header), f"{header}: {response.header(header)!r} - add_header in the active site"


# --- limits ----------------------------------------------------------------------------------

def test_layers_sized_for_load(lb, web):
    with lb.sudo():
        config = lb.check_output("cat /etc/haproxy/haproxy.cfg")
    for backend in ("hbnb_web", "hbnb_api", "hbnb_api_writes"):
        section = config.split(f"backend {backend}\n", 1)[1].split("\n\n", 1)[0]
        assert "maxconn" in section, f"backend {backend} has no maxconn per server: excess load should queue"
    assert "timeout queue" in config, "no timeout queue: a queued request waits forever"
    with web.sudo():
        nginx = web.check_output("nginx -T 2>/dev/null")
    connections = int(nginx.split("worker_connections", 1)[1].split(";")[0])
    assert connections >= 4096, f"worker_connections {connections}: 1,024 clients exhausted 768"


@pytest.mark.disruptive      # fills lb-01's write counter for its own address
def test_write_flood_gets_429_json(lb):
    """More writes than the limit from one address: the excess gets 429 JSON with
    Retry-After. The bodies lack a name: the API refuses them, nothing is written."""
    url = f"http://{address(name_of(lb))}{API_LIST}"
    statuses = lb.check_output(
        f"for i in $(seq {WRITES_PER_10S + 5}); do curl -s -o /dev/null -w '%{{http_code}}\\n' "
        f"-X POST -H 'Content-Type: application/json' --data '{{}}' {url}; done").split()
    assert statuses[:WRITES_PER_10S] == ["400"] * WRITES_PER_10S, f"within the limit: {statuses}"
    assert set(statuses[WRITES_PER_10S + 1:]) == {"429"}, f"beyond {WRITES_PER_10S} writes in 10 s: {statuses}"
    limited = http(lb, url, method="POST", data="{}")
    assert limited.status == 429 and is_json_error(limited) and limited.header("Retry-After"), describe(limited)
    # Reads are not counted.
    assert http(lb, url).status == 200, "reads limited with the writes"


@pytest.mark.disruptive      # pauses the API's Gunicorn on every web server
def test_abandoned_requests_leave_the_queue(lb, lab_host):
    """Clients that give up while their requests wait in HAProxy's queue: the
    requests are dropped at once (option abortonclose), not sent to the servers
    later, ahead of the clients still waiting."""
    with lb.sudo():     # (/usr/sbin: not on the login user's PATH on Debian 11)
        version = re.search(r"version (\d+)\.(\d+)", lb.check_output("haproxy -v"))
    if version and tuple(map(int, version.groups())) < (2, 6):
        pytest.skip(f"HAProxy {version[1]}.{version[2]} (Debian 11's 2.2 measured) keeps a request "
                    "whose client left in the queue until a server takes it; 2.6 drops it at once")
    webs = [lab_host(name) for name in names("web")]
    unit = unit_of(API)
    clients = 60          # far more than the servers' slots (maxconn per server)
    url = f"http://{address(name_of(lb))}{API_LIST}?abandoned={uuid.uuid4().hex[:6]}"

    def queued() -> int:
        with lb.sudo():
            return int(haproxy_stats.backends(lb.check_output(haproxy_stats.SHOW_STAT))["hbnb_api"]["qcur"] or 0)
    try:
        for web in webs:
            with web.sudo():
                web.check_output(f"systemctl kill --signal=STOP {unit}")
        # Each client gives up after 1 s; all are gone when the loop ends.
        lb.check_output(f"for i in $(seq {clients}); do curl -s -o /dev/null --max-time 1 '{url}' & done; wait")
        left = wait_for(lambda: queued() == 0 or None, timeout=2, interval=0.2)
        waiting = queued()
    finally:
        for web in webs:
            with web.sudo():
                web.run(f"systemctl kill --signal=CONT {unit}")
    assert left is not None, (
        f"{waiting} requests still queued for the API after their clients left: "
        "option abortonclose in haproxy.cfg's defaults")
    assert wait_for(lambda: http(lb, f"http://{address(name_of(lb))}{API_LIST}").status == 200, timeout=15), (
        "the API did not answer through lb-01 after its Gunicorns went on")


# --- least privilege -----------------------------------------------------------------------------

def test_run_time_database_account_reads_and_writes_rows_only(db):
    user = LAB["database"]["user"]
    with db.sudo():
        hosts = db.check_output(f"mysql -N -B -e \"SELECT Host FROM mysql.user WHERE User = '{user}'\"").split()
        assert hosts, f"no account {user}"
        for host_name in hosts:
            grants = db.check_output(f"mysql -N -B -e \"SHOW GRANTS FOR '{user}'@'{host_name}'\"")
            on_db = [g for g in grants.splitlines() if f"`{LAB['database']['name']}`" in g]
            assert on_db and all(g.startswith("GRANT SELECT, INSERT, UPDATE, DELETE ON") for g in on_db), (
                f"{user}@{host_name}: {grants} - the apps need rows only; tables are the schema account's")
        schema_hosts = db.check_output(
            f"mysql -N -B -e \"SELECT Host FROM mysql.user WHERE User = '{user}_schema'\"").split()
    assert schema_hosts == ["localhost"], f"the schema account should exist on localhost only: {schema_hosts}"


# --- logs ------------------------------------------------------------------------------------------

def test_gunicorn_logs_rotated_by_a_timer(web):
    with web.sudo():
        result = web.run("logrotate --debug --state /dev/null /etc/logrotate.d/hbnb-gunicorn")
        config = web.file("/etc/logrotate.d/hbnb-gunicorn").content_string
    assert result.rc == 0, f"logrotate refuses /etc/logrotate.d/hbnb-gunicorn: {result.stderr}"
    assert ACCESS_LOG in config and "USR1" in config, config
    assert web.service("hbnb-logrotate.timer").is_running, "systemctl status hbnb-logrotate.timer"


@pytest.mark.disruptive      # rotates the page's logs
def test_log_rotation_loses_no_line(web):
    """Requests before, during and after a forced rotation: every one of them is
    in the access log or its rotated copy (Gunicorn reopens on USR1)."""
    marker = f"rotation-{uuid.uuid4().hex[:8]}"
    port = PAGE["port"]
    url = f"http://127.0.0.1:{port}/?{marker}"
    web.run(f"{client_loop(url, 'rotation', pause=0.02)} >/dev/null 2>&1 &")
    time.sleep(1)
    with web.sudo():
        rotated = web.run("logrotate -f --state /var/lib/logrotate/hbnb-gunicorn.status "
                          "/etc/logrotate.d/hbnb-gunicorn")
    time.sleep(1)
    assert stop_client(web, "rotation"), "the client loop did not finish"
    assert rotated.rc == 0, f"logrotate -f: {rotated.stderr}"
    answered = sum(status_counts(web, "rotation").values())
    time.sleep(0.5)   # the last access lines
    with web.sudo():
        logged = int(web.check_output(f"cat {ACCESS_LOG} {ACCESS_LOG}.1 | grep -c {marker} || true") or 0)
        new_lines = int(web.check_output(f"grep -c {marker} {ACCESS_LOG} || true") or 0)
    assert new_lines > 0, f"nothing logged in the new {ACCESS_LOG} after the rotation: Gunicorn did not reopen (USR1)"
    assert logged == answered, f"{answered} requests answered, {logged} logged across the rotation ({EXERCISE_UNIT})"


# --- database faults ----------------------------------------------------------------------------

def database_unit(db_host) -> str:
    """mariadb.service: provision/db.sh installs MariaDB on every system."""
    return "mariadb.service"


@pytest.mark.disruptive      # stops the database
def test_database_stopped_api_answers_503_json(lb, db):
    unit = database_unit(db)
    lb_url = f"http://{address(name_of(lb))}"
    try:
        with db.sudo():
            db.check_output(f"systemctl stop {unit}")
        api = http(lb, f"{lb_url}{API_LIST}?stopped={uuid.uuid4().hex[:6]}")
        page = http(lb, f"{lb_url}/")
    finally:
        with db.sudo():
            db.run(f"systemctl start {unit}")
    assert api.status == 503 and is_json_error(api) and api.header("Retry-After"), (
        f"the API with its database stopped: {describe(api)} (models/unavailable.py, api/v1/errors.py)")
    assert page.status in (200, 503) and (page.status == 200 or page.header("Retry-After")), (
        f"the page with its database stopped: {describe(page)} (a cached page, or 503 with Retry-After)")
    assert wait_for(lambda: http(lb, f"{lb_url}{API_LIST}").status == 200, timeout=30), "the API did not come back"


@pytest.mark.disruptive      # restarts the database under load
def test_no_failed_get_across_a_database_restart(lb, db):
    """GETs of the API and the page through lb-01 while MariaDB restarts: a pooled
    connection the restart cut is retried once it is back (models/read_retry.py)."""
    unit = database_unit(db)
    lb_address = address(name_of(lb))
    lb.run(f"{client_loop(f'http://{lb_address}{API_LIST}', 'dbrestart-api', pause=0.02)} >/dev/null 2>&1 &")
    lb.run(f"{client_loop(f'http://{lb_address}/', 'dbrestart-page', pause=0.05)} >/dev/null 2>&1 &")
    try:
        time.sleep(1)
        with db.sudo():
            db.check_output(f"systemctl restart {unit}")
        time.sleep(2)
    finally:
        finished = [stop_client(lb, name, timeout=60) for name in ("dbrestart-api", "dbrestart-page")]
    assert all(finished), "a client loop did not finish"
    for name in ("dbrestart-api", "dbrestart-page"):
        counts = status_counts(lb, name)
        assert set(counts) == {"200"}, f"{name}: {counts} across `systemctl restart {unit}`"


@pytest.mark.disruptive      # pauses the database
def test_hung_database_answered_within_seconds(lb, db):
    """MariaDB paused (SIGSTOP): a read is answered 503 JSON within a few seconds,
    not held until Gunicorn's timeout (HBNB_MYSQL_*_TIMEOUT)."""
    unit = database_unit(db)
    with db.sudo():
        pid = db.check_output(f"systemctl show -p MainPID --value {unit}")
        db.check_output(f"kill -STOP {pid}")
    try:
        started = time.monotonic()
        answer = http(lb, f"http://{address(name_of(lb))}{API_LIST}?hung={uuid.uuid4().hex[:6]}", timeout=40)
        seconds = time.monotonic() - started
    finally:
        with db.sudo():
            db.run(f"kill -CONT {pid}")
    assert answer.status == 503 and is_json_error(answer), f"with the database hung: {describe(answer)}"
    assert seconds < 15, f"answered after {seconds:.1f} s: the timeouts do not bound the wait"
