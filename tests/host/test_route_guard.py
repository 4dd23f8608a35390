"""The "lab not up" guard (labtools.labdata.require_local_route): traffic of the
tests and benchmarks goes to loopback or to an address on a local bridge, never
through a gateway or to this host's own interfaces. `ip route get` only asks the
kernel's routing table: nothing is sent."""
import ipaddress
import subprocess
import sys
from pathlib import Path

import pytest

from labtools import labdata, route

ROOT = Path(__file__).resolve().parents[2]


def host_addresses() -> list[str]:
    """This host's own IPv4 addresses, loopback aside."""
    out = subprocess.run(["ip", "-o", "-4", "addr", "show"], capture_output=True, text=True, check=True).stdout
    return [line.split()[3].split("/")[0] for line in out.splitlines() if " lo " not in line]


def test_loopback_is_allowed():
    assert labdata.require_local_route("127.0.0.1") == "127.0.0.1"


@pytest.mark.parametrize("address", ["198.51.100.7", "203.0.113.200", "8.8.8.8"])
def test_an_address_beyond_a_gateway_is_refused(address):
    # Documentation ranges and a public resolver: routed "via" the default gateway,
    # or not at all on a machine without one. Either way not a lab machine.
    with pytest.raises(labdata.LabNotUp, match="lab not up"):
        labdata.require_local_route(address)


def test_this_hosts_own_address_is_refused():
    own = host_addresses()
    assert own, "this host has no IPv4 address besides loopback"
    with pytest.raises(labdata.LabNotUp, match="lab not up"):
        labdata.require_local_route(own[0])



# --- the guard's command line, which the host scripts use (labtools/route.py) -----

def route_cli(*args: str, path: str | None = None) -> subprocess.CompletedProcess:
    env = None if path is None else {"PATH": path}
    return subprocess.run([sys.executable, "-m", "labtools.route", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=30, check=False)


def test_the_command_line_passes_loopback_and_refuses_a_gateway():
    assert route_cli("127.0.0.1").returncode == 0
    refused = route_cli("198.51.100.7")
    assert refused.returncode == 2 and "lab not up" in refused.stderr


def test_the_command_line_says_when_the_route_cannot_be_checked(tmp_path):
    """No `ip` (macOS): nothing can be said about the route, so nothing is sent (3)."""
    unknown = route_cli("192.168.56.10", path=str(tmp_path))
    assert unknown.returncode == 3 and "cannot be checked" in unknown.stderr


def bridges() -> dict[str, str]:
    """Bridge -> one of its IPv4 networks' other addresses, for this host's bridges."""
    out = subprocess.run(["ip", "-o", "-4", "addr", "show"], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        dev, cidr = line.split()[1], line.split()[3]
        if Path(f"/sys/class/net/{dev}/bridge").is_dir():
            network = ipaddress.ip_interface(cidr).network
            found[dev] = str(next(h for h in network.hosts() if str(h) != cidr.split("/")[0]))
    return found


def test_an_address_on_another_bridge_than_the_labs_is_refused():
    found = bridges()
    if len(found) < 2:
        pytest.skip(f"this host has {len(found)} bridge(s) with an address; two are needed (lxcbr0 and a lab's)")
    (one, address), (other, _) = list(found.items())[:2]
    assert route.require_local_route(address, one) == address
    with pytest.raises(route.LabNotUp, match=f"not to the lab bridge {other}"):
        route.require_local_route(address, other)
