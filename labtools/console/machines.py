"""Each machine's state (running: SSH answers) and its services (Nginx, every
Gunicorn and practice unit, HAProxy, MariaDB: active or not, their listening
ports), from one SSH command per machine, all machines at once."""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from labtools import labdata
from labtools.console import ssh
from labtools.console.lab import Lab, LabDown

# Run as root on the machine: the units of interest, then every listening TCP
# socket with the unit (or session scope) and the program that holds it.
PROBE = r"""
pat=(nginx.service 'gunicorn*' 'practice-*' haproxy.service mariadb.service)
echo "== units"
units=$({ systemctl list-unit-files --type=service --no-legend --no-pager "${pat[@]}"
          systemctl list-units --all --type=service --no-legend --no-pager --plain "${pat[@]}"; } 2>/dev/null \
        | awk '$1 ~ /\.service$/ && $1 !~ /@\.service$/ {print $1}' | sort -u)
[ -n "$units" ] && systemctl show --no-pager -p Id,LoadState,ActiveState,SubState,UnitFileState $units
echo "== ports"
ss -ltnpH 2>/dev/null | while read -r _ _ _ local _ users; do
  for pid in $(grep -o 'pid=[0-9]*' <<<"$users" | cut -d= -f2 | sort -u); do
    unit=$(grep -o '[^/]*\.\(service\|scope\)' "/proc/$pid/cgroup" 2>/dev/null | tail -1)
    echo "$local ${unit:--} $(cat "/proc/$pid/comm" 2>/dev/null || echo '?')"
  done
done | sort -u
"""
# How long one look at the machines serves the page (several tabs, quick reloads).
FRESH_FOR = 2.0


@dataclass
class Service:
    unit: str
    active: str            # ActiveState: active, inactive, failed...
    sub: str               # SubState: running, dead, exited...
    enabled: str           # UnitFileState: enabled, disabled, static...
    ports: list[str] = field(default_factory=list)


@dataclass
class MachineState:
    name: str
    roles: list[str]
    address: str
    running: bool = False
    reason: str = ""       # why it is not running (SSH's last words, the route guard)
    services: list[Service] = field(default_factory=list)
    others: list[str] = field(default_factory=list)   # listeners outside those units: "python3 :5000"
    seconds: float = 0.0


def port_label(local: str) -> str:
    """ss's local address as the page says it: ':80' on every address, else 'address:port'."""
    address, _, port = local.rpartition(":")
    if address in ("0.0.0.0", "*", "[::]", "::"):
        return f":{port}"
    return f"{address.split('%')[0]}:{port}"


def parse(text: str) -> tuple[list[Service], list[str]]:
    """The services and the other listeners of PROBE's output."""
    units_part, _, ports_part = text.partition("== ports")
    services: dict[str, Service] = {}
    for block in units_part.replace("== units", "").strip().split("\n\n"):
        values = dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
        if values.get("Id") and values.get("LoadState") != "not-found":
            services[values["Id"]] = Service(values["Id"], values.get("ActiveState", "?"),
                                             values.get("SubState", "?"), values.get("UnitFileState", ""))
    others: list[str] = []
    for line in ports_part.strip().splitlines():
        words = line.split()
        if len(words) < 3:
            continue
        label, unit, program = port_label(words[0]), words[1], words[2]
        if unit in services:
            if label not in services[unit].ports:
                services[unit].ports.append(label)
        elif program not in ("sshd", "systemd-resolve") and f"{program} {label}" not in others:
            others.append(f"{program} {label}")
    for service in services.values():
        service.ports.sort(key=_port_order)
    return sorted(services.values(), key=lambda s: s.unit), others


def _port_order(label: str) -> tuple[int, str]:
    port = label.rpartition(":")[2]
    return (int(port) if port.isdigit() else 0, label)


async def look(lab: Lab, spec: dict) -> MachineState:
    """One machine's state, from PROBE run as root (bounded in time)."""
    found = MachineState(spec["name"], spec["roles"], spec["ip"])
    started = time.monotonic()
    try:
        done = await ssh.run(lab, spec["name"], "sudo -n bash -s", timeout=10, stdin=PROBE.encode())
    except (LabDown, labdata.LabNotUp) as error:
        found.reason = str(error)
        return found
    found.seconds = round(time.monotonic() - started, 2)
    if done.rc == 255 or "== units" not in done.out:
        found.reason = (done.err.strip().splitlines() or [f"ssh exited {done.rc}"])[-1]
        return found
    found.running = True
    found.services, found.others = parse(done.out)
    return found


class Watch:
    """The machines' last look, shared by the page's refreshes for FRESH_FOR seconds."""

    def __init__(self, lab: Lab):
        self.lab = lab
        self.states: list[MachineState] = []
        self.when = 0.0
        self.lock = asyncio.Lock()

    async def states_now(self) -> list[MachineState]:
        async with self.lock:
            if time.monotonic() - self.when > FRESH_FOR:
                self.states = list(await asyncio.gather(*(look(self.lab, m) for m in self.lab.machines)))
                self.when = time.monotonic()
            return self.states
