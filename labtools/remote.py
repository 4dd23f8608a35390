"""Commands on a lab machine over SSH (Vagrant's ssh-config), for the benchmarks,
after the "lab not up" guard."""
from __future__ import annotations

import shlex
import subprocess

from labtools import labdata

ROOT = labdata.ROOT
SSH_CONFIG = ROOT / ".vagrant" / "ssh-config"
# Serialises Vagrant commands between the helpers of the shared host.
VAGRANT_LOCK = "/tmp/hbnb-lab-vagrant.lock"


def address(name: str) -> str:
    """The lab address of machine ``name``, checked to route to a local bridge."""
    return labdata.require_local_route(labdata.machine(name)["ip"])


def ssh_argv(name: str, command: str) -> list[str]:
    # "lab not up" before any packet leaves: the lab address routes to a local
    # bridge, unless SSH goes to 127.0.0.1 only (forwarded-ports mode).
    if not labdata.forwarded_mode(SSH_CONFIG):
        address(name)
    if not SSH_CONFIG.is_file():
        raise labdata.LabNotUp(f"lab not up: no {SSH_CONFIG.relative_to(ROOT)} (make ssh-config)")
    return ["ssh", "-F", str(SSH_CONFIG), "-o", "ConnectTimeout=10", "-o", "BatchMode=yes",
            name, command]


def run(name: str, command: str, timeout: float = 120, check: bool = True,
        stdin: str | None = None) -> subprocess.CompletedProcess:
    """``command`` (a shell line) on machine ``name``; bounded in time."""
    result = subprocess.run(ssh_argv(name, command), input=stdin, capture_output=True,
                            text=True, timeout=timeout, check=False)
    if check and result.returncode != 0:
        raise RuntimeError(f"{name}: `{command}` exited {result.returncode}: "
                           f"{(result.stderr or result.stdout).strip()[-400:]}")
    return result


def popen(name: str, command: str) -> subprocess.Popen:
    """``command`` on machine ``name`` in the background (stdout captured)."""
    return subprocess.Popen(ssh_argv(name, command), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def quote(text: str) -> str:
    return shlex.quote(text)
