"""The lab the console shows: its lab file and SSH configuration, the state
folder beside that configuration (mode, exercise, hints, results), its machines,
and the guard every connection to a machine passes first."""
from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass
from pathlib import Path

from labtools import labdata
from labtools.exercise import state

# Where this checkout keeps its lab's SSH configuration (`make up` writes it).
DEFAULT_SSH_CONFIG = labdata.ROOT / ".vagrant" / "ssh-config"


class LabDown(RuntimeError):
    """The lab cannot be reached: the message says why and what to run."""


@dataclass(frozen=True)
class Lab:
    """A lab: ``lab_file`` (its machines) and ``ssh_config`` (how SSH reaches them).

    labdata's route guard reads the lab file named by LAB_FILE: the console's
    command sets it to ``lab_file`` before labdata is imported (serve.py)."""
    lab_file: Path
    ssh_config: Path

    @property
    def root(self) -> Path:
        """The folder the lab was made in (the one holding .vagrant/)."""
        return self.ssh_config.resolve().parent.parent

    @property
    def state_dir(self) -> Path:
        return state.lab_state_dir(self.ssh_config)

    @functools.cached_property
    def data(self) -> dict:
        return labdata.load(self.lab_file)

    @property
    def machines(self) -> list[dict]:
        return self.data["machines"]

    @property
    def names(self) -> list[str]:
        return [m["name"] for m in self.machines]

    def machine(self, name: str) -> dict:
        for entry in self.machines:
            if entry["name"] == name:
                return entry
        raise KeyError(f"no machine {name!r} in {self.lab_file.name}")

    @property
    def mode(self) -> str:
        """practice or reference, as `make up` kept it (cli.lab_mode's rule)."""
        kept = self.state_dir / "mode"
        return kept.read_text().strip() if kept.is_file() else "reference"

    @property
    def practice_user(self) -> str:
        return self.data["practice"]["user"]

    @property
    def exercise(self) -> str:
        return state.current_exercise(self.ssh_config)

    @functools.cached_property
    def provider(self) -> str:
        """The provider the lab's machines were made with (host/lab-lib.sh's rule,
        run in the lab's own folder: its .vagrant/machines say it)."""
        if not (self.root / "host" / "lab-lib.sh").is_file():
            return labdata.provider()
        try:
            return subprocess.run(["bash", "-c", "source host/lab-lib.sh && lab_provider"], cwd=self.root,
                                  capture_output=True, text=True, timeout=30, check=True).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "unknown"

    @property
    def system(self) -> str:
        """The machines' system, as `make up` kept it (LXC and Docker), else ""."""
        kept = self.state_dir / f"system-{self.provider}"
        return kept.read_text().strip() if kept.is_file() else ""

    def down_reason(self) -> str:
        """Why the lab cannot be shown ("" when it can): no SSH configuration."""
        if not self.ssh_config.is_file():
            return (f"no {self.ssh_config}: the lab is not up. Run `make up` "
                    "(for your school's servers: `LAB_MODE=practice make up`), then reload this page.")
        return ""

    def ssh_text(self) -> str:
        if not self.ssh_config.is_file():
            raise LabDown(self.down_reason())
        return self.ssh_config.read_text(encoding="utf-8")

    @property
    def forwarded(self) -> bool:
        """Forwarded-ports mode (Docker Desktop): SSH and HTTP go to 127.0.0.1 only."""
        return self.ssh_config.is_file() and labdata.forwarded_ports(self.ssh_text(), self.names)

    def guard(self, name: str) -> str:
        """``name`` if it is a machine of the lab file that the ssh-config sends to
        its own lab address, routed to a local bridge (or, forwarded, to a port on
        loopback); else KeyError (not a machine) or LabNotUp/LabDown: nothing is sent."""
        spec = self.machine(name)
        endpoints = labdata.ssh_endpoints(self.ssh_text())
        if name not in endpoints:
            raise LabDown(f"{self.ssh_config} has no {name}: run `make ssh-config`")
        host, port = endpoints[name]
        if self.forwarded:
            if not labdata.forwarded_ports(self.ssh_text(), [name]):
                raise LabDown(f"{self.ssh_config} sends {name} to {host}, not to a forwarded port")
            return name
        if host != spec["ip"]:
            raise LabDown(f"{self.ssh_config} sends {name} to {host}, not to its lab address {spec['ip']} "
                          "(another lab's configuration? run `make ssh-config`)")
        labdata.require_local_route(spec["ip"])
        return name
