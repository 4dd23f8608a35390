"""One lab machine over SSH, as the grader uses it: commands as root, files in.

Every command goes through one SSH connection per machine (ControlMaster), so a
command costs milliseconds; the machine must route to a local bridge first.
"""
from __future__ import annotations

import io
import os
import shlex
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from labtools import labdata
from labtools.exercise.target import Result, as_user
from labtools.exercise.target import reboot as reboot_target


class Machine:
    """A lab machine reached with ``ssh -F ssh_config name``."""

    def __init__(self, name: str, ssh_config: Path, address: str | None = None):
        self.name = name
        self.address = labdata.require_local_route(address or labdata.machine(name)["ip"])
        control = Path(tempfile.gettempdir()) / f"hbnb-grade-ssh-{os.getuid()}"
        control.mkdir(mode=0o700, exist_ok=True)
        self.ssh = ["ssh", "-F", str(ssh_config), "-o", "ControlMaster=auto",
                    "-o", f"ControlPath={control}/%C", "-o", "ControlPersist=120",
                    "-o", "ConnectTimeout=5", "-o", "BatchMode=yes", name]

    def root(self, script: str, timeout: float = 120, stdin: bytes | None = None) -> Result:
        """Runs Bash ``script`` as root on the machine."""
        return self.run(script, "root", timeout, stdin)

    def run(self, script: str, user: str = "root", timeout: float = 120, stdin: bytes | None = None) -> Result:
        """Runs Bash ``script`` as ``user`` on the machine (a check engine's target)."""
        command = self.ssh + [as_user(script, user)]
        try:
            done = subprocess.run(command, input=stdin, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return Result(124, "", f"timed out after {timeout:.0f} s")
        return Result(done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace"))

    def check(self, script: str, timeout: float = 120) -> str:
        result = self.root(script, timeout)
        if result.rc != 0:
            raise RuntimeError(f"{self.name}: {script.splitlines()[0]}: exit {result.rc}: {result.err.strip()[-300:]}")
        return result.out

    def put(self, folder: str, files: dict[str, tuple[str, int]], owner: str) -> None:
        """Writes ``files`` (name -> (text, mode)) into ``folder`` (made anew), owned by ``owner``."""
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            for name, (text, mode) in files.items():
                data = text.encode()
                info = tarfile.TarInfo(name)
                info.size, info.mode, info.mtime = len(data), mode & 0o777, int(time.time())
                tar.addfile(info, io.BytesIO(data))
        quoted = shlex.quote(folder)
        result = self.root(f"rm -rf {quoted} && mkdir -p {quoted} && tar -C {quoted} --no-same-owner -xf - "
                           f"&& chown -R {shlex.quote(owner)}: {quoted}", stdin=buffer.getvalue())
        if result.rc != 0:
            raise RuntimeError(f"{self.name}: could not copy the submission into {folder}: {result.err.strip()}")

    def put_file(self, path: str, text: str, mode: int, owner: str = "root") -> None:
        """``text`` as the file ``path`` (mode, owner and owner's group), its folder
        made for the owner when missing (a folder in a home stays the user's)."""
        folder, quoted, user = shlex.quote(path.rsplit("/", 1)[0] or "/"), shlex.quote(path), shlex.quote(owner)
        result = self.root(f"[ -d {folder} ] || install -d -m 755 -o {user} -g {user} {folder}; "
                           f"tmp=$(mktemp) && cat > \"$tmp\" && install -m {mode & 0o7777:o} -o {user} -g {user} \"$tmp\" {quoted}; "
                           "status=$?; rm -f \"$tmp\"; exit $status", stdin=text.encode())
        if result.rc != 0:
            raise RuntimeError(f"{self.name}: could not write {path}: {result.err.strip()}")

    def reboot(self, timeout: float = 120) -> float:
        """Reboots the machine and waits until it has booted; the seconds it took."""
        return reboot_target(self, timeout)

    def close(self) -> None:
        subprocess.run(self.ssh[:-1] + ["-O", "exit", self.name], capture_output=True, check=False)
