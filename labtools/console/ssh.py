"""Commands on a lab machine through the lab's own ssh-config (the OpenSSH client
the checks use), after the lab's guard: short ones over one shared connection
per machine, so the page's refreshes cost milliseconds, not a handshake."""
from __future__ import annotations

import asyncio
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from labtools.console.lab import Lab

# The console's own control sockets (never the grader's: another run may use those).
CONTROL = Path(tempfile.gettempdir()) / f"hbnb-console-ssh-{os.getuid()}"


@dataclass
class Result:
    rc: int
    out: str
    err: str


def base(lab: Lab, shared: bool = True) -> list[str]:
    """ssh with the lab's configuration; ``shared``: through the machine's master connection."""
    argv = ["ssh", "-F", str(lab.ssh_config), "-o", "ConnectTimeout=5", "-o", "BatchMode=yes",
            "-o", "ServerAliveInterval=15"]
    if shared:
        CONTROL.mkdir(mode=0o700, exist_ok=True)
        argv += ["-o", "ControlMaster=auto", "-o", f"ControlPath={CONTROL}/%C", "-o", "ControlPersist=60"]
    return argv


def argv(lab: Lab, name: str, command: str, shared: bool = True) -> list[str]:
    """The command line that runs ``command`` on machine ``name`` (guarded)."""
    return base(lab, shared) + [lab.guard(name), command]


async def run(lab: Lab, name: str, command: str, timeout: float = 15, stdin: bytes | None = None) -> Result:
    """``command`` on machine ``name``; rc 255 with the reason when SSH cannot get in."""
    process = await asyncio.create_subprocess_exec(
        *argv(lab, name, command), stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(process.communicate(stdin), timeout)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        return Result(255, "", f"no answer within {timeout:.0f} s")
    return Result(process.returncode, out.decode(errors="replace"), err.decode(errors="replace"))


def close_shared(lab: Lab) -> None:
    """The console's master connections to the lab's machines stopped (at exit)."""
    if not lab.ssh_config.is_file():
        return
    for name in lab.names:
        subprocess.run(base(lab) + ["-O", "exit", name], capture_output=True, timeout=10, check=False)
