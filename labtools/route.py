"""The one home of the "lab not up" guard: nothing is sent to a lab address unless
the kernel routes it to a bridge of this host (never through a gateway, never to
this host's own addresses). Python's standard library only, so the host scripts
use it too before anything else is installed:

    python3 -m labtools.route ADDRESS [BRIDGE]
        exit 0: a lab address; 2: not one ("lab not up: ..."); 3: cannot be checked here

``ip route get`` only asks the routing table: nothing is sent.
"""
from __future__ import annotations

import ipaddress
import subprocess
import sys
from pathlib import Path


class LabNotUp(RuntimeError):
    """A lab address does not route to a local bridge: the lab is not up here."""


class RouteUnknown(LabNotUp):
    """This host cannot tell where an address routes (no `ip` command: macOS)."""


def route_of(address: str) -> list[str]:
    """The words of ``ip route get ADDRESS``; LabNotUp when it cannot say."""
    try:
        out = subprocess.run(["ip", "route", "get", address], capture_output=True, text=True, check=False)
    except OSError as error:   # no `ip` (macOS): the route cannot be checked, so nothing is sent
        raise RouteUnknown(f"lab not up: the route to {address} cannot be checked here ({error})") from error
    if out.returncode != 0:
        raise LabNotUp(f"lab not up: {address} has no route ({out.stderr.strip() or out.stdout.strip()})")
    return out.stdout.split()


def require_local_route(address: str, bridge: str | None = None) -> str:
    """``address`` if the kernel routes it to a directly attached bridge (and to
    ``bridge`` when that one exists on this host: not another lab's on the same
    network). Loopback passes. Else LabNotUp naming why."""
    ip = ipaddress.ip_address(address)
    if ip.is_loopback:
        return address
    route = route_of(address)
    if "via" in route or "dev" not in route:
        raise LabNotUp(f"lab not up: {address} does not route to a local bridge ({' '.join(route)})")
    dev = route[route.index("dev") + 1]
    if dev == "lo":
        # A local address of this host (not a container): not a lab machine.
        raise LabNotUp(f"lab not up: {address} is an address of this host")
    if not Path(f"/sys/class/net/{dev}/bridge").is_dir():
        raise LabNotUp(f"lab not up: {address} routes to {dev}, not a local bridge")
    if bridge and Path(f"/sys/class/net/{bridge}").exists() and dev != bridge:
        raise LabNotUp(f"lab not up: {address} routes to {dev}, not to the lab bridge {bridge} "
                       "(another lab on the same network?)")
    return address


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print("usage: python3 -m labtools.route ADDRESS [BRIDGE]", file=sys.stderr)
        return 64
    try:
        require_local_route(*argv)
    except RouteUnknown as error:
        print(error, file=sys.stderr)
        return 3
    except (LabNotUp, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
