"""The "lab not up" guard (labtools.labdata.require_local_route): traffic of the
tests and benchmarks goes to loopback or to an address on a local bridge, never
through a gateway or to this host's own interfaces. `ip route get` only asks the
kernel's routing table: nothing is sent."""
import subprocess

import pytest

from labtools import labdata


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

