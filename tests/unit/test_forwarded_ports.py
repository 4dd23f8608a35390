"""Forwarded-ports mode (labtools.labdata.forwarded_ports), told from an ssh-config
text: Docker Desktop (or LAB_DOCKER_PORTS=1) sends every machine to a port on
127.0.0.1, and the host then must not send to the lab addresses."""
from __future__ import annotations

from labtools import labdata

NAMES = ["web-01", "web-02", "lb-01"]


def ssh_config(*entries: tuple[str, str, int | None]) -> str:
    """An ssh-config as `vagrant ssh-config` writes it: (name, HostName, Port or None)."""
    blocks = []
    for name, host, port in entries:
        lines = [f"Host {name}", f"  HostName {host}", "  User vagrant"]
        if port is not None:
            lines.append(f"  Port {port}")
        lines += ["  IdentitiesOnly yes", "  LogLevel FATAL", ""]
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


FORWARDED = ssh_config(("web-01", "127.0.0.1", 2222), ("web-02", "127.0.0.1", 2201),
                       ("lb-01", "127.0.0.1", 2200))
DIRECT = ssh_config(("web-01", "192.168.70.11", 22), ("web-02", "192.168.70.12", 22),
                    ("lb-01", "192.168.70.10", 22))


def test_every_machine_on_a_loopback_port_is_forwarded_ports_mode():
    assert labdata.forwarded_ports(FORWARDED, NAMES)


def test_lab_addresses_are_not():
    # Vagrant writes Port 22 there too: the loopback HostName is what tells.
    assert not labdata.forwarded_ports(DIRECT, NAMES)


def test_one_machine_at_its_lab_address_is_not():
    mixed = ssh_config(("web-01", "127.0.0.1", 2222), ("web-02", "192.168.70.12", 22),
                       ("lb-01", "127.0.0.1", 2200))
    assert not labdata.forwarded_ports(mixed, NAMES)
    assert labdata.forwarded_ports(mixed, ["web-01", "lb-01"])


def test_loopback_without_a_port_is_not():
    # Port 22 of the host itself, not a machine's forwarded port.
    no_port = ssh_config(("web-01", "127.0.0.1", None), ("web-02", "127.0.0.1", 2201),
                         ("lb-01", "127.0.0.1", 2200))
    assert not labdata.forwarded_ports(no_port, NAMES)


def test_a_machine_missing_from_the_config_is_not():
    assert not labdata.forwarded_ports(FORWARDED, NAMES + ["web-03"])


def test_no_machine_or_no_config_is_not():
    assert not labdata.forwarded_ports(FORWARDED, [])
    assert not labdata.forwarded_ports("", NAMES)


def test_endpoints_read_per_host_block():
    assert labdata.ssh_endpoints(FORWARDED)["web-02"] == ("127.0.0.1", 2201)
    assert labdata.ssh_endpoints(DIRECT)["lb-01"] == ("192.168.70.10", 22)
