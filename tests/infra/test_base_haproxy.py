"""The earlier state, HAProxy on the load balancer: round robin over every web
server of lab.yml, health checks (the API status route; / in practice mode), a failed server taken
out and put back without a failed request, HTTPS with a self-signed certificate,
the stats page over HTTPS on the private address behind a password."""
import time

import pytest

from labtools import haproxy_stats

from facts import STATS_PASSWORD_FILE, STATS_PORT, address, name_of, names
from probes import client_loop, describe, http, status_counts, stop_client, wait_for

pytestmark = pytest.mark.base


def stats_csv(lb_host) -> dict[str, str]:
    """Server name -> status (UP, DOWN, ...) from the stats page's CSV."""
    with lb_host.sudo():
        password = lb_host.file(STATS_PASSWORD_FILE).content_string.strip()
    # Over HTTPS (the password never travels in clear); the lab's own certificate.
    csv = lb_host.check_output("curl -sk -u admin:%s https://%s:%s/\\;csv", password,
                               address(name_of(lb_host)), str(STATS_PORT))
    return {server: row["status"] for (backend, server), row in haproxy_stats.servers(csv).items()
            if backend == "hbnb_web"}


def all_up(lb_host) -> bool:
    return set(stats_csv(lb_host).values()) == {"UP"}


def test_haproxy_enabled_running_and_valid(lb):
    assert lb.service("haproxy").is_enabled and lb.service("haproxy").is_running, "systemctl status haproxy"
    with lb.sudo():
        result = lb.run("haproxy -c -f /etc/haproxy/haproxy.cfg")
    assert result.rc == 0, f"haproxy -c: {result.stderr.strip()}"


def test_every_web_server_is_a_healthy_back_end(lb):
    assert wait_for(lambda: all_up(lb), timeout=30), (
        f"back ends not all UP: {stats_csv(lb)} - the health check is GET /api/v1/status (practice mode: /) on each web server")
    assert sorted(stats_csv(lb)) == sorted(names("web")), "the back ends are not lab.yml's web servers"


# Not disruptive, but it needs the load balancer to itself: another check's
# request through lb-01 meanwhile would take a turn of the round robin.
@pytest.mark.disruptive
def test_round_robin_alternates_between_web_servers(lb):
    assert wait_for(lambda: all_up(lb), timeout=30), f"back ends not all UP: {stats_csv(lb)} (stats page, port {STATS_PORT})"
    url = f"http://{address(name_of(lb))}/airbnb-onepage/"
    turns = []

    def round_of_requests_alternates() -> bool:
        turns[:] = [http(lb, url).header("X-Served-By") for _ in range(2 * len(names("web")))]
        return sorted(set(turns)) == sorted(names("web")) and all(a != b for a, b in zip(turns, turns[1:]))
    # A few rounds: a server just back UP may take some turns in a row to catch up.
    if not wait_for(round_of_requests_alternates, timeout=5, interval=0.1):
        assert sorted(set(turns)) == sorted(names("web")), f"served by {turns}: balance roundrobin over every web server"
        pytest.fail(f"not alternating: {turns} (balance roundrobin)")


def test_https_with_a_self_signed_certificate(lb):
    response = http(lb, f"https://{address(name_of(lb))}/", insecure=True)   # / answers in both modes
    assert response.status == 200, f"HTTPS gave {describe(response)}"
    with lb.sudo():
        pem = lb.file("/etc/haproxy/certs/hbnb-lab.pem")
        assert (pem.user, pem.mode) == ("root", 0o600), "the certificate's key must be root's, mode 600"
        subject = lb.check_output("openssl x509 -noout -subject -in /etc/haproxy/certs/hbnb-lab.pem")
    assert name_of(lb) in subject, f"the certificate's subject ({subject}) does not name {name_of(lb)}"


def test_stats_page_private_and_password_protected(lb):
    private = address(name_of(lb))
    assert lb.socket(f"tcp://{private}:{STATS_PORT}").is_listening, (
        f"no stats page on {private}:{STATS_PORT}: the listen hbnb_stats section of haproxy.cfg")
    assert not lb.socket(f"tcp://0.0.0.0:{STATS_PORT}").is_listening, "the stats page listens on every address"
    assert http(lb, f"https://{private}:{STATS_PORT}/", insecure=True).status == 401, (
        "the stats page answers without a password")
    plain = http(lb, f"http://{private}:{STATS_PORT}/")
    assert plain.status in (0, 400), (
        f"the stats page answers plain HTTP ({describe(plain)}): its password would cross the network in clear "
        "(bind ... ssl crt in the listen hbnb_stats section)")
    assert stats_csv(lb), "the stats page refuses the password of the root-only file"
    assert lb.run("cat %s", STATS_PASSWORD_FILE).rc != 0, "the stats password is readable without root"


@pytest.mark.disruptive      # stops Nginx on a web server
def test_failed_back_end_out_and_back_without_failed_requests(lb, lab_host):
    """Nginx stops on one web server: HAProxy takes it out (fall), every request
    still succeeds (retries, redispatch), and it comes back (rise)."""
    victim = names("web")[-1]
    web_host = lab_host(victim)
    assert wait_for(lambda: all_up(lb), timeout=30), f"back ends not all UP before the test: {stats_csv(lb)}"
    url = f"http://{address(name_of(lb))}/"
    try:
        # The client asks until told to stop: before, while and after the server is out.
        lb.run(f"{client_loop(url, 'failover', pause=0.1)} >/dev/null 2>&1 &")
        with web_host.sudo():
            web_host.check_output("systemctl stop nginx")
        assert wait_for(lambda: stats_csv(lb).get(victim, "").startswith("DOWN"), timeout=30, interval=0.1), (
            f"{victim} stopped answering but HAProxy still has it UP: option httpchk, inter/fall")
    finally:
        with web_host.sudo():
            web_host.run("systemctl start nginx")
    back = wait_for(lambda: stats_csv(lb).get(victim) == "UP", timeout=30, interval=0.1)
    time.sleep(0.3)   # a few requests with the server back in
    finished = stop_client(lb, "failover", timeout=60)
    assert back, f"{victim} did not come back (rise)"
    assert finished, "the client loop on the load balancer did not finish"
    counts = status_counts(lb, "failover")
    assert set(counts) == {"200"}, f"requests failed while {victim} was down: {counts} - retry-on / option redispatch"
