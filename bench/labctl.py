"""The lab as the benchmarks see it: addresses and ports from lab.yml, commands
run on a machine over SSH (Vagrant's ssh-config), and the "lab not up" guard
before anything is sent to a lab address."""
from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from labtools import labdata  # noqa: E402

LAB_FILE = labdata.LAB_FILE
SSH_CONFIG = ROOT / ".vagrant" / "ssh-config"
# Where the lab's project folder is inside every machine (the Vagrantfile's
# LAB_PROJECT_DIR) and the exercise's reload script in it.
PROJECT_DIR = "/vagrant"
RELOAD_SCRIPT = "4-reload_gunicorn_no_downtime"
# HAProxy's statistics page (provision/lb.sh): port and the password file on lb-01.
STATS_PORT = 8404
STATS_PASSWORD_FILE = "/etc/hbnb-lab/haproxy-stats-password"
# Serialises Vagrant commands between the helpers of the shared host.
VAGRANT_LOCK = "/tmp/hbnb-lab-vagrant.lock"


def lab() -> dict:
    return labdata.load(LAB_FILE)


def machines(role: str | None = None) -> list[dict]:
    return [m for m in lab()["machines"] if role is None or role in m["roles"]]


def address(name: str) -> str:
    """The lab address of machine ``name``, checked to route to a local bridge."""
    ip = next(m["ip"] for m in lab()["machines"] if m["name"] == name)
    return labdata.require_local_route(ip)


def app(name: str) -> dict:
    return next(a for a in lab()["apps"] if a["name"] == name)


def unit_of(app_name: str) -> str:
    """The systemd unit of a lab.yml app (provision/web.sh: the exercise's own
    gunicorn.service for the app "hbnb", gunicorn-<name>.service otherwise)."""
    return "gunicorn.service" if app_name == "hbnb" else f"gunicorn-{app_name}.service"


def ssh_argv(name: str, command: str) -> list[str]:
    address(name)  # "lab not up" before any packet leaves
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
