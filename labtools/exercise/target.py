"""A machine the checks probe: commands as root (or a user) over SSH, a reboot.
Two ways in, one interface: the grader's SSH connection (labtools.grading.machine)
and testinfra's host (pytest --hosts=... --ssh-config=..., `make check`)."""
from __future__ import annotations

import shlex
import time
from dataclasses import dataclass
from typing import Protocol


@dataclass
class Result:
    rc: int
    out: str
    err: str


class Target(Protocol):
    name: str

    def run(self, script: str, user: str = "root", timeout: float = 60) -> Result: ...

    def reboot(self, timeout: float = 120) -> float: ...


def as_user(script: str, user: str) -> str:
    """The command line that runs Bash ``script`` as ``user`` through sudo."""
    if user == "root":
        return f"sudo -n bash -c {shlex.quote(script)}"
    return f"sudo -n -u {shlex.quote(user)} -H bash -c {shlex.quote(script)}"


def boot_id(target: Target) -> str:
    result = target.run("cat /proc/sys/kernel/random/boot_id", timeout=10)
    return result.out.strip() if result.rc == 0 else ""


def reboot(target: Target, timeout: float = 120) -> float:
    """Reboots the machine and waits until it has booted (systemd's start-up finished,
    degraded or not); the seconds it took."""
    started = time.monotonic()
    before = boot_id(target)
    target.run("systemd-run --on-active=0.2 --timer-property=AccuracySec=10ms systemctl reboot "
               ">/dev/null 2>&1 || (sleep 0.2; systemctl reboot) >/dev/null 2>&1 &", timeout=10)
    closer = getattr(target, "close", None)
    if closer:
        closer()
    deadline = started + timeout
    while time.monotonic() < deadline:
        now = boot_id(target)
        if now and now != before:
            target.run("systemctl is-system-running --wait >/dev/null 2>&1; true", timeout=60)
            return time.monotonic() - started
        time.sleep(0.3)
    raise RuntimeError(f"{target.name} did not come back within {timeout:.0f} s of a reboot")


class TestinfraTarget:
    """A testinfra host (pytest-testinfra's `host`) as a target."""
    __test__ = False     # not a pytest test class

    def __init__(self, host, name: str | None = None):
        self.host = host
        self.name = name or host.backend.get_hostname()

    def run(self, script: str, user: str = "root", timeout: float = 60) -> Result:
        # `timeout` bounds the command on the machine (testinfra waits for it).
        done = self.host.run(f"timeout {int(timeout)} {as_user(script, user)}")
        # Bytes that are not UTF-8 (an image's body) must not stop a check.
        return Result(done.rc, done.stdout_bytes.decode(errors="replace"), done.stderr_bytes.decode(errors="replace"))

    def reboot(self, timeout: float = 120) -> float:
        return reboot(self, timeout)
