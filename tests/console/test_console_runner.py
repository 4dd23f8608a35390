"""The page's check runs, without a lab: one at a time, the learner's command for
this checkout's lab and another lab's, what it printed kept."""
from __future__ import annotations

import asyncio
import sys

from labtools import labdata
from labtools.console import runner
from labtools.console.lab import DEFAULT_SSH_CONFIG, Lab


def test_the_learners_command(tmp_path):
    own = Lab(labdata.LAB_FILE, DEFAULT_SSH_CONFIG)
    assert runner.command(own, 3)[1:] == ["-m", "labtools.exercise", "check", "--task", "3"]
    assert runner.command(own, None)[1:] == ["-m", "labtools.exercise", "check"]
    other = Lab(labdata.LAB_FILE, tmp_path / ".vagrant" / "ssh-config")
    assert runner.command(other, 0)[1:] == ["-m", "labtools.console.lab_check",
                                            str((tmp_path / ".vagrant" / "ssh-config").resolve()), "check", "--task", "0"]


def test_never_two_runs_at_once(monkeypatch, tmp_path):
    lab = Lab(labdata.LAB_FILE, tmp_path / "ssh-config")
    monkeypatch.setattr(runner, "command", lambda lab, task: [sys.executable, "-c",
                                                              f"import time; time.sleep(0.4); print('task', {task!r})"])

    async def scenario():
        runs = runner.Runner(lab)
        assert runs.start(0) is True
        assert runs.busy and runs.current.label == "task 0"
        assert runs.start(None) is False          # refused, not queued
        while runs.busy:
            await asyncio.sleep(0.05)
        assert runs.last.rc == 0 and runs.last.output.strip() == "task 0"
        assert runs.version == 2                  # started, ended: the page's event
        assert runs.start(None) is True
        while runs.busy:
            await asyncio.sleep(0.05)
        assert runs.last.label == "every task" and runs.last.output.strip() == "task None"
    asyncio.run(scenario())
