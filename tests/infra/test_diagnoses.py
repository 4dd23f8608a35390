"""Tests of the checks (markers ``diagnosis`` and ``slow``; destructive, so left out
of `make infra`: run them with `make diagnose`). For each trap of the exercise's
spec (the pack's traps.yml), the last web server is broken that way on purpose,
the task's checks (the engine `make check` runs) must give the trap's verdict with
a cause, or a note, naming it; then the machine is repaired (whatever happened)
and the task passes again. On the reference lab."""
from __future__ import annotations

import re

import pytest

from facts import PACK, hosts_given, names
from labtools import labdata
from labtools.exercise import engine
from labtools.exercise.pack import render
from labtools.exercise.target import TestinfraTarget

pytestmark = [pytest.mark.slow, pytest.mark.disruptive, pytest.mark.diagnosis]

VICTIM = names("web")[-1]


@pytest.fixture(scope="module")
def victim(request, lab_host) -> engine.Context:
    if VICTIM not in hosts_given(request.config):
        pytest.skip(f"{VICTIM} is not in --hosts")
    target = TestinfraTarget(lab_host(VICTIM), VICTIM)
    context = engine.Context(target, PACK, engine.machine_values(target, PACK, labdata.load(), labdata.machine(VICTIM)["ip"]))
    if context.values["layout"]["mode"] != "reference":
        pytest.skip(f"{VICTIM} is a practice machine: the traps break the reference lab")
    return context


def task_on(victim: engine.Context, number: int) -> engine.TaskResult:
    return engine.run_task(PACK, PACK.task(number), [victim])[0]


@pytest.mark.parametrize("trap", PACK.traps, ids=[t["id"] for t in PACK.traps])
def test_the_checks_name_the_trap(victim, trap):
    run = lambda shell: victim.run("mkdir -p /var/backups/hbnb-lab && " + render(shell, victim.values), timeout=120)  # noqa: E731
    broken = run(trap["break"])
    try:
        assert broken.rc == 0, f"could not break {VICTIM} ({trap['id']}): {(broken.err or broken.out).strip()[-300:]}"
        result = task_on(victim, trap["task"])
    finally:
        repaired = run(trap["repair"])
        assert repaired.rc == 0, f"could not repair {VICTIM} after {trap['id']}: {repaired.err.strip()[-300:]}"
    said = result.cause if trap["verdict"] == "fail" else " ".join(result.notes)
    assert result.passed == (trap["verdict"] == "pass"), f"{trap['id']}: task {trap['task']} {result.cause or 'passed'}"
    assert re.search(trap["says"], said), f"{trap['id']}: /{trap['says']}/ not in: {said}"
    # Repaired for real: the task passes again (services may take a moment).
    again = engine.on_each([victim], lambda ctx: engine.wait_until_passes(PACK, PACK.task(trap["task"]), ctx))[0]
    assert again.passed, f"{trap['id']}: after the repair, task {trap['task']} still fails: {again.cause}"
