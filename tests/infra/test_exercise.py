"""The exercise's checks on the lab (exercises/<id>/exercise.yml), run by the one
engine `make grade` runs too: the start state (what the earlier projects leave),
then each task in order, every machine of the exercise's roles in --hosts at
once. Each failure says its cause in one line; every run writes its results
(JSON) beside the lab's ssh-config for `make check` and the console to read.

EXERCISE picks the exercise (default: the one the lab practises, `make practice`),
TASK the tasks (TASK=3, or 2,5), REBOOT=1 reboots the machines before a task the
school's checker reboots for (task 6 of 0x1A), as the grader does.

Every task is checked once, up front, as the engine schedules them
(engine.run_tasks: the start state and the tasks that only look side by side,
those `beside` Nginx's site in the background, then the others one at a time,
in order: a task that swaps Nginx's site or reloads Gunicorn never runs under
another's checks); each test then reports its own task."""
from __future__ import annotations

import os

import pytest

from facts import session_names
from labtools import labdata
from labtools.exercise import engine, pack as packs, state
from labtools.exercise.target import TestinfraTarget

# The tasks change what the machines run (a site as the only one, a reboot, a reload):
# one at a time, after the checks that only look (tests/run-infra.sh).
pytestmark = [pytest.mark.exercise, pytest.mark.disruptive]


def exercise_pack(config: pytest.Config) -> packs.Pack:
    chosen = os.environ.get("EXERCISE") or state.current_exercise(config.option.ssh_config)
    return packs.load(packs.resolve(chosen))


def selected_tasks(pack: packs.Pack) -> list[packs.Task]:
    wanted = {int(n) for n in os.environ.get("TASK", "").replace(" ", ",").split(",") if n.strip()}
    unknown = wanted - {t.number for t in pack.tasks}
    if unknown:
        raise pytest.UsageError(f"{pack.id} has no task {', '.join(map(str, sorted(unknown)))} "
                                f"(tasks {', '.join(str(t.number) for t in pack.tasks)})")
    return [t for t in pack.tasks if not wanted or t.number in wanted]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "task" in metafunc.fixturenames:
        tasks = selected_tasks(exercise_pack(metafunc.config))
        metafunc.parametrize("task", tasks, ids=[f"task{t.number}" for t in tasks])


@pytest.fixture(scope="module")
def pack(request) -> packs.Pack:
    return exercise_pack(request.config)


@pytest.fixture(scope="module")
def contexts(request, pack, lab_host) -> list[engine.Context]:
    """The machines of the exercise's roles that --hosts names, each with its values
    (hostname, address, layout), looked up side by side."""
    names = list(dict.fromkeys(n for role in pack.on for n in session_names(request.config, role)))
    if not names:
        pytest.skip(f"no machine of {pack.id}'s roles ({', '.join(pack.on)}) in --hosts")
    lab = labdata.load()

    def context(name: str) -> engine.Context:
        target = TestinfraTarget(lab_host(name), name)
        return engine.Context(target, pack, engine.machine_values(target, pack, lab, labdata.machine(name)["ip"]))
    return engine.on_each(names, context)


def said(results: list[engine.TaskResult]) -> str:
    return "\n".join(f"{r.machine}: {r.cause}" for r in results if not r.passed)


@pytest.fixture(scope="module")
def checked(pack, contexts) -> dict:
    """Every selected task (and the start state) checked once, as the engine
    schedules them: task number (engine.START) -> its results, or its error."""
    return engine.run_tasks(pack, selected_tasks(pack), contexts, reboot=os.environ.get("REBOOT") == "1",
                            with_start=not os.environ.get("TASK"))


def results_of(checked: dict, number: int) -> list[engine.TaskResult]:
    """The task's results (the error it raised, raised here)."""
    found = checked[number]
    if isinstance(found, BaseException):
        raise found
    return found


def test_start_state(request, pack, contexts, checked):
    """What the curriculum's earlier projects leave on the machines (the start of the exercise)."""
    if os.environ.get("TASK"):
        pytest.skip("TASK picks the tasks checked")
    results = results_of(checked, engine.START)
    state.record(results, request.config.option.ssh_config)
    assert all(r.passed for r in results), said(results)


def test_task(request, checked, task):
    results = results_of(checked, task.number)
    state.record(results, request.config.option.ssh_config)
    assert all(r.passed for r in results), said(results)
