"""The host's one Python reader of lab.yml (tests, benchmarks, grader), and the
guard that keeps lab traffic on local bridges."""
from __future__ import annotations

import functools
import ipaddress
import os
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# LAB_FILE picks another lab file (relative to the repository), as the
# Vagrantfile does, so a second lab can run beside the main one.
LAB_FILE = (ROOT / os.environ.get("LAB_FILE", "lab.yml")).resolve()


class LabNotUp(RuntimeError):
    """A lab address does not route to a local bridge: the lab is not up here."""


@functools.lru_cache(maxsize=None)
def load(path: Path = LAB_FILE) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def machines(role: str | None = None) -> list[dict]:
    """The lab's machines, optionally only those having ``role``."""
    found = load()["machines"]
    return [m for m in found if role is None or role in m["roles"]]


def machine(name: str) -> dict:
    for m in machines():
        if m["name"] == name:
            return m
    raise KeyError(f"no machine {name!r} in {LAB_FILE.name}")


def names(role: str | None = None) -> list[str]:
    return [m["name"] for m in machines(role)]


def app(name: str) -> dict:
    for a in load()["apps"]:
        if a["name"] == name:
            return a
    raise KeyError(f"no app {name!r} in {LAB_FILE.name}")


def app_serving(module: str) -> dict:
    """The app whose module is ``module`` (e.g. "api.v1.app:app")."""
    for a in load()["apps"]:
        if a["module"] == module:
            return a
    raise KeyError(f"no app serves {module!r} in {LAB_FILE.name}")


def section(name: str) -> dict:
    """A section of conventions: exercise, load_balancer, reference, practice, database."""
    return load()[name]


def exercise_unit() -> str:
    """The exercise's own unit (task 6): the unit of exercise.app."""
    return app(section("exercise")["app"])["unit"]


def project_path(*parts: str) -> str:
    """Where the machines see a file of the project (read-only)."""
    return "/".join([load()["project_dir"], *parts])


def facts_file() -> str:
    return load()["facts_file"]


def require_local_route(address: str) -> str:
    """Return ``address`` if the kernel routes it to a directly attached bridge.

    Lab traffic must never leave this machine: an address that the routing
    table sends through a gateway (``via``) is not a lab machine here, so we
    stop with "lab not up" rather than send anything to it. Loopback passes.
    """
    ip = ipaddress.ip_address(address)
    if ip.is_loopback:
        return address
    out = subprocess.run(["ip", "route", "get", address], capture_output=True,
                         text=True, check=False)
    route = out.stdout.split()
    if out.returncode != 0 or "via" in route or "dev" not in route:
        raise LabNotUp(f"lab not up: {address} does not route to a local bridge "
                       f"({out.stdout.strip() or out.stderr.strip()})")
    dev = route[route.index("dev") + 1]
    if dev == "lo" and not ip.is_loopback:
        # A local address of this host (not a container): not a lab machine.
        raise LabNotUp(f"lab not up: {address} is an address of this host")
    if not Path(f"/sys/class/net/{dev}/bridge").is_dir():
        raise LabNotUp(f"lab not up: {address} routes to {dev}, not a local bridge")
    return address
