"""Every machine's firewall: the nftables table inet hbnb_lab (input policy
drop) loaded at boot, SSH always open, each role's ports and nothing else: the
Gunicorn ports bound on 0.0.0.0 stay unreachable from other machines."""
import pytest

from facts import LAB, STATS_PORT, address, name_of, names
from probes import connects

pytestmark = pytest.mark.base

# Which web servers' Gunicorn ports a load balancer reaches: "web-01:5000", ...
_reached_from: dict[str, set[str]] = {}


def reaches_gunicorn_port(lb, target: str, port: int) -> bool:
    """Whether ``lb`` connects to ``target:port``. The first call probes every
    Gunicorn port of every web server at once: a dropped SYN waits the whole
    timeout, so once in all rather than once per port."""
    if name_of(lb) not in _reached_from:
        probes = [f"({connects(address(t), a['port'])} && echo {t}:{a['port']}) &"
                  for t in names("web") for a in LAB["apps"]]
        _reached_from[name_of(lb)] = set(lb.run(" ".join(probes) + " wait").stdout.split())
    return f"{target}:{port}" in _reached_from[name_of(lb)]


def test_firewall_loaded_at_boot(host):
    assert host.service("hbnb-firewall").is_enabled, "hbnb-firewall.service is not enabled: the rules vanish at reboot"
    with host.sudo():
        chain = host.check_output("nft list chain inet hbnb_lab input")
    assert "policy drop;" in chain, "the input chain does not drop by default"
    assert "tcp dport 22 accept" in chain, "no SSH rule: Vagrant would be locked out"


@pytest.mark.parametrize("app", LAB["apps"], ids=[a["name"] for a in LAB["apps"]])
@pytest.mark.parametrize("target", names("web"))
def test_gunicorn_ports_closed_to_other_machines(lb, target, app):
    assert not reaches_gunicorn_port(lb, target, app["port"]), (
        f"{target}:{app['port']} is reachable from another machine: the firewall should drop it")


@pytest.mark.parametrize("target", names("web"))
def test_web_port_open_to_the_load_balancer(lb, target):
    assert lb.run("nc -z -w 3 %s 80", address(target)).rc == 0, f"{target}:80 is closed to the load balancer"


def test_stats_port_closed_on_web_servers(web):
    with web.sudo():
        chain = web.check_output("nft list chain inet hbnb_lab input")
    assert f"dport {STATS_PORT}" not in chain, f"the web servers open the stats port {STATS_PORT}: only lb-01 serves it"
