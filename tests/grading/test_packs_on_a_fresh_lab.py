"""Every exercise pack, as a learner meets it on a practice lab (the first of the
grader's), through the learner's own commands (python -m labtools.exercise: make
practice, check, hint, solution): in its start state every task fails, each with
its cause; the hints come in order, one more each time; after the solution of
each task is applied (make solution TASK=n APPLY=1), every task passes."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from labtools import labdata
from labtools.exercise import pack as packs, state

ROOT = labdata.ROOT
PACKS = [packs.load(i) for i in packs.ids()]


def learner(lab, command: str, *args: str, timeout: float = 1200) -> subprocess.CompletedProcess:
    """`python -m labtools.exercise COMMAND ARGS` on ``lab``, as its learner runs it."""
    return subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "labtools.exercise", command,
                           "--ssh-config", str(lab.ssh_config), *args], cwd=ROOT,
                          env=dict(os.environ, LAB_FILE=str(lab.lab_file)),
                          capture_output=True, text=True, timeout=timeout, check=False)


def verdicts(pack: packs.Pack, lab) -> dict[int, tuple[bool, str]]:
    """Task -> (passes on every machine, the first failed check's cause) of the last check run."""
    records = state.read(pack.id, lab.ssh_config)["records"]
    found = {}
    for task in [-1] + [t.number for t in pack.tasks]:
        mine = [r for r in records if r["task"] == task]
        failed = [r for r in mine if r["verdict"] == "fail"]
        found[task] = (bool(mine) and not failed, failed[0]["cause"] if failed else "")
    return found


@pytest.fixture(scope="module", params=PACKS, ids=[p.id.split("-")[0] for p in PACKS])
def walked(request, graded, grade_labs) -> dict:
    """One pack walked through as a learner does on the first practice lab, after
    the grader's catalogue (the `graded` fixture: the labs are then free): what
    each step showed."""
    pack: packs.Pack = request.param
    lab = grade_labs[0]
    seen: dict = {"pack": pack}
    practice = learner(lab, "practice", "--exercise", pack.id)
    assert practice.returncode == 0, practice.stdout + practice.stderr
    fresh = learner(lab, "check", "--exercise", pack.id)
    seen["fresh"] = (fresh.returncode, fresh.stdout, verdicts(pack, lab))
    seen["hints"] = {task.number: [learner(lab, "hint", "--exercise", pack.id, "--task", str(task.number)).stdout
                                   for _ in range(len(task.hints) + 1)] for task in pack.tasks}
    seen["hint_state"] = json.loads(state.hints_file(lab.ssh_config).read_text()).get(pack.id, {})
    applied = {}
    for task in pack.tasks:
        done = learner(lab, "solution", "--exercise", pack.id, "--task", str(task.number), "--apply")
        applied[task.number] = done.returncode, done.stdout + done.stderr
    seen["applied"] = applied
    solved = learner(lab, "check", "--exercise", pack.id)
    seen["solved"] = (solved.returncode, solved.stdout, verdicts(pack, lab))
    learner(lab, "forget")
    return seen


def test_the_start_state_holds_and_every_task_fails_with_its_cause(walked):
    status, output, found = walked["fresh"]
    assert status == 1, output
    assert found[-1][0] or not walked["pack"].start_checks, f"the start state fails: {found[-1][1]}\n{output}"
    for task in walked["pack"].tasks:
        passed, cause = found[task.number]
        assert not passed, f"task {task.number} passes in the start state:\n{output}"
        assert cause and not cause.startswith("assert"), f"task {task.number} fails without a cause:\n{output}"
    # What the learner reads: a line a task, the cause under it, where to go next.
    for task in walked["pack"].tasks:
        assert f"task {task.number}" in output and "FAIL" in output
    assert "make hint TASK=" in output, output


def test_the_hints_come_in_order_one_more_each_time(walked):
    for task in walked["pack"].tasks:
        given = walked["hints"][task.number]
        for level, hint in enumerate(task.hints, start=1):
            assert f"hint {level} of {len(task.hints)}: {hint}" in given[level - 1], given[level - 1]
        # Past the last: the last again, and the way to the solution.
        assert f"hint {len(task.hints)} of {len(task.hints)}" in given[-1] and "make solution" in given[-1]
        assert walked["hint_state"][str(task.number)] == len(task.hints)


def test_every_task_passes_once_its_solution_is_applied(walked):
    for number, (status, said) in walked["applied"].items():
        assert status == 0, f"task {number}'s solution could not be applied: {said}"
    status, output, found = walked["solved"]
    # The start state is how the exercise begins (0x0E's: the break): once every
    # task passes, make check says it moved on and does not count it.
    failed = {task: cause for task, (passed, cause) in found.items() if not passed and task >= 0}
    assert status == 0 and not failed, f"after the solutions: {failed}\n{output}"
    assert found[-1][0] or "moved on: every task passes" in output, output
