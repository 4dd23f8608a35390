"""What the console's lab tests share (conftest.py's fixtures, the tests): the
lab CONSOLE_LAB names, its learner's commands, a patient wait."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass
class LabPaths:
    lab_file: Path
    ssh_config: Path

    def env(self) -> dict:
        return dict(os.environ, LAB_FILE=str(self.lab_file))

    @property
    def own_checkout(self) -> Path | None:
        """The checkout the lab was made from, when it is another one with its own
        code (a worktree, .cache/labs/N): its machines were provisioned by that code."""
        root = self.ssh_config.parent.parent
        if root != REPO and self.ssh_config == root / ".vagrant" / "ssh-config" \
                and (root / "labtools" / "exercise").is_dir():
            return root
        return None

    def learner(self, *args: str, ok: tuple[int, ...] = (0, 1)) -> subprocess.CompletedProcess:
        """`python -m labtools.exercise ARGS` on this lab with the console's code (as
        its "check again" runs it); ``ok``: the statuses that are no failure."""
        return self._run([sys.executable, "-m", "labtools.console.lab_check", str(self.ssh_config), *args], REPO, ok)

    def practice(self, exercise: str) -> subprocess.CompletedProcess:
        """The lab in ``exercise``'s start state, by the code that provisioned it."""
        own = self.own_checkout
        if own is None:
            return self.learner("practice", "--exercise", exercise, ok=(0,))
        return self._run([sys.executable, "-m", "labtools.exercise", "practice", "--exercise", exercise], own, (0,))

    def root(self, machine: str, command: str) -> subprocess.CompletedProcess:
        """``command`` as root on a machine of the lab (its ssh-config)."""
        return self._run(["ssh", "-F", str(self.ssh_config), machine, f"sudo -n {command}"], REPO, (0,))

    def _run(self, argv: list[str], cwd: Path, ok: tuple[int, ...]) -> subprocess.CompletedProcess:
        done = subprocess.run(argv, cwd=cwd, env=self.env(), capture_output=True, text=True, timeout=900)
        # A traceback exits 1 too: never a verdict.
        if done.returncode not in ok or "Traceback (most recent call last)" in done.stderr:
            raise AssertionError(f"{' '.join(argv[1:])} (in {cwd}) exited {done.returncode}:\n"
                                 f"{done.stdout}{done.stderr[-3000:]}")
        return done


@dataclass
class Console:
    url: str          # with the token
    base: str         # http://127.0.0.1:PORT
    port: int
    process: subprocess.Popen


def lab_paths() -> LabPaths | None:
    given = os.environ.get("CONSOLE_LAB", "")
    if not given:
        return None
    lab_file, _, ssh_config = given.rpartition(":")
    return LabPaths(Path(lab_file or REPO / "lab.yml").resolve(), Path(ssh_config).resolve())


def wait_for(condition, timeout: float = 30, every: float = 0.25, what: str = "the condition"):
    """``condition()``'s first true value within ``timeout`` seconds, else a failure naming ``what``."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = condition()
        except Exception as error:   # an element swapped out by htmx meanwhile: ask again
            last = error
        else:
            if last:
                return last
        time.sleep(every)
    raise AssertionError(f"waited {timeout:.0f} s for {what}; last: {last!r}")
