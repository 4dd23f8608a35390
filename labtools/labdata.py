"""The host's one Python reader of lab.yml (tests, benchmarks, grader), the
guard that keeps lab traffic on local bridges, and how the host reaches the
machines (their lab addresses, or forwarded ports on 127.0.0.1)."""
from __future__ import annotations

import functools
import ipaddress
import os
import subprocess
from pathlib import Path

import yaml

from labtools import route

ROOT = Path(__file__).resolve().parent.parent
# LAB_FILE picks another lab file (relative to the repository), as the
# Vagrantfile does, so a second lab can run beside the main one.
LAB_FILE = (ROOT / os.environ.get("LAB_FILE", "lab.yml")).resolve()


# Why a check that would send from the host to a lab address does not, there.
FORWARDED_PORTS = "the host cannot reach the lab network: forwarded-ports mode"


# The "lab not up" guard has one home, labtools.route (the host scripts use it too).
LabNotUp = route.LabNotUp


@functools.lru_cache(maxsize=None)
def load(path: Path = LAB_FILE) -> dict:
    """The lab file, with its exercise pack's apps and reserved ports (the pack
    holds them: exercises/<exercise.id>/exercise.yml), as host/labfile.rb reads it."""
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    pack = exercise_pack(data["exercise"]["id"])
    return {**data, "apps": pack.apps, "reserved_ports": pack.reserved_ports}


@functools.lru_cache(maxsize=None)
def exercise_pack(exercise_id: str):
    from labtools.exercise import pack
    return pack.load(exercise_id)


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


def runs_app(machine_entry: dict) -> bool:
    """Whether a machine deploys the application (one of its roles runs it: lab.yml's roles)."""
    roles = load()["roles"]
    return any(roles.get(role, {}).get("runs_app") for role in machine_entry["roles"])


def provider() -> str:
    """The provider `make up` uses for this lab (host/lab-lib.sh's lab_provider, the
    rule's one home): the one its machines were made with, else the host's choice."""
    return subprocess.run(["bash", "-c", "source host/lab-lib.sh && lab_provider"], cwd=ROOT,
                          capture_output=True, text=True, check=True, timeout=30).stdout.strip()


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
    """The reference exercise's own unit file (0x1A's task 6: gunicorn.service)."""
    pack = exercise_pack(section("exercise")["id"])
    return next(name for name, spec in pack.files.items() if spec.kind == "systemd-unit")


def project_path(*parts: str) -> str:
    """Where the machines see a file of the project (read-only)."""
    return "/".join([load()["project_dir"], *parts])


def facts_file() -> str:
    return load()["facts_file"]


def require_local_route(address: str) -> str:
    """``address`` if it routes to a local bridge (the lab file's LXC bridge, when
    this host has it and the address is on the lab file's network: an extra
    practice lab has a network and bridge of its own), else LabNotUp: see labtools.route."""
    network = load()["network"]
    ours = ipaddress.ip_address(address) in ipaddress.ip_network(network["cidr"], strict=False)
    return route.require_local_route(address, network.get("lxc_bridge") if ours else None)


# --- how the host reaches the machines ---------------------------------------------

def ssh_endpoints(text: str) -> dict[str, tuple[str, int | None]]:
    """Host alias -> (HostName, Port or None) of an ssh-config text (what SSH
    connects to for each machine)."""
    found: dict[str, list] = {}
    alias = None
    for line in text.splitlines():
        words = line.split()
        if len(words) != 2:
            continue
        key, value = words[0].lower(), words[1]
        if key == "host":
            alias = value
            found.setdefault(alias, [None, None])
        elif alias and key == "hostname":
            found[alias][0] = value
        elif alias and key == "port" and value.isdigit():
            found[alias][1] = int(value)
    return {name: (host, port) for name, (host, port) in found.items() if host}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def forwarded_ports(ssh_config_text: str, machine_names: list[str]) -> bool:
    """Whether SSH reaches every one of ``machine_names`` through a port on loopback
    (Docker Desktop, or LAB_DOCKER_PORTS=1): the host then sends to 127.0.0.1 only,
    and the lab addresses need not route here (forwarded-ports mode)."""
    endpoints = ssh_endpoints(ssh_config_text)
    return bool(machine_names) and all(
        name in endpoints and _is_loopback(endpoints[name][0]) and endpoints[name][1] is not None
        for name in machine_names)


def forwarded_mode(ssh_config: Path | str | None = None) -> bool:
    """forwarded_ports() of an ssh-config file (default .vagrant/ssh-config) for
    every machine of the lab file; False without the file."""
    path = Path(ssh_config) if ssh_config else ROOT / ".vagrant" / "ssh-config"
    if not path.is_file():
        return False
    return forwarded_ports(path.read_text(encoding="utf-8"), names())


def forwarded_port(name: str, scheme: str = "http") -> int:
    """The port on 127.0.0.1 where load balancer ``name``'s HTTP or HTTPS is
    forwarded: the one Docker published (Vagrant takes the next free one when
    lab.yml's is taken), else load_balancer.host_ports of the lab file."""
    guest = {"http": 80, "https": 443}[scheme]
    dotfiles = ROOT / os.environ.get("VAGRANT_DOTFILE_PATH", ".vagrant")
    container = dotfiles / "machines" / name / "docker" / "id"
    if container.is_file():
        try:
            out = subprocess.run(["docker", "port", container.read_text().strip(), f"{guest}/tcp"],
                                 capture_output=True, text=True, timeout=20, check=False).stdout
        except (OSError, subprocess.TimeoutExpired):
            out = ""
        for line in out.splitlines():
            host, _, port = line.rpartition(":")
            if _is_loopback(host) and port.isdigit():
                return int(port)
    return int(section("load_balancer")["host_ports"][scheme])


def front_end(name: str, forwarded: bool, scheme: str = "http") -> tuple[str, int]:
    """(address, port) the host sends to for load balancer ``name``: its forwarded
    port on 127.0.0.1 in forwarded-ports mode, else its lab address (checked to
    route to a local bridge)."""
    if forwarded:
        return "127.0.0.1", forwarded_port(name, scheme)
    return require_local_route(machine(name)["ip"]), {"http": 80, "https": 443}[scheme]
