"""The page's "check again": `python -m labtools.exercise check [--task N]` as a
subprocess, one run at a time (a second click while one runs is refused, not
queued), what it printed kept for the page. The results it writes reach the
page as any run's do: the results file changes (events.py)."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from labtools import labdata
from labtools.console.lab import DEFAULT_SSH_CONFIG, Lab


@dataclass
class Run:
    task: int | None        # None: every task
    started: float
    ended: float = 0.0
    rc: int | None = None
    output: str = ""

    @property
    def label(self) -> str:
        return "every task" if self.task is None else f"task {self.task}"


def command(lab: Lab, task: int | None) -> list[str]:
    """The learner's check command for ``lab``: this checkout's own lab as `make
    check` runs it, another lab through lab_check (its ssh-config given)."""
    args = ["check"] + ([] if task is None else ["--task", str(task)])
    if lab.ssh_config.resolve() == DEFAULT_SSH_CONFIG.resolve():
        return [sys.executable, "-m", "labtools.exercise", *args]
    return [sys.executable, "-m", "labtools.console.lab_check", str(lab.ssh_config.resolve()), *args]


class Runner:
    """At most one check run; ``version`` changes whenever a run starts or ends."""

    def __init__(self, lab: Lab):
        self.lab = lab
        self.current: Run | None = None
        self.last: Run | None = None
        self.version = 0
        self.process: asyncio.subprocess.Process | None = None

    @property
    def busy(self) -> bool:
        return self.current is not None

    def start(self, task: int | None) -> bool:
        """A run of ``task`` (None: all) started in the background; False if one runs."""
        if self.busy:
            return False
        self.current = Run(task, time.time())
        self.version += 1
        asyncio.get_running_loop().create_task(self._run(self.current))
        return True

    async def _run(self, run: Run) -> None:
        env = dict(os.environ, LAB_FILE=str(self.lab.lab_file), PYTHONUNBUFFERED="1")
        env.pop("TASK", None)
        env.pop("EXERCISE", None)
        try:
            self.process = await asyncio.create_subprocess_exec(
                *command(self.lab, run.task), cwd=labdata.ROOT, env=env, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
            out, _ = await self.process.communicate()
            run.rc, run.output = self.process.returncode, out.decode(errors="replace")
        except OSError as error:
            run.rc, run.output = 127, f"the check could not start: {error}"
        finally:
            run.ended = time.time()
            self.last, self.current, self.process = run, None, None
            self.version += 1

    def stop(self) -> None:
        """The running check ended, pytest and SSH under it too (the console stops)."""
        if self.process and self.process.returncode is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
