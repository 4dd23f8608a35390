"""`make check` and `make grade` cannot disagree: both run the exercise's checks
through one engine. Each catalogue case of every pack is checked by `make
check`'s pytest (tests/infra/test_exercise.py, testinfra); its verdict and cause
of every task must be the grader's:
- an exercise whose files make one server (0x1A, `grading.as_left`): the case
  put on a practice server as a student who did the whole exercise leaves it (its
  files at their places, the Gunicorns of tasks 1 to 5 started by hand, the unit
  enabled and started; a unit that cannot serve the page gives its port back to
  the page's Gunicorn started by hand), then checked without a reboot (the
  grader installs each file before its task and reboots for task 6);
- an exercise whose tasks each start from a server of their own (0x0E, 0x0F):
  each task as the grader meets it (its reset, its `before` steps, its files run
  as the checker runs them), then `make check TASK=n`."""
from __future__ import annotations

import os
import queue
import re
import subprocess
import threading
from pathlib import Path

import pytest

from catalogue import OWN_FILES, REFERENCE, all_cases, expected
from labtools import labdata
from labtools.exercise import engine, install, state
from labtools.grading import mapping, submission

ROOT = labdata.ROOT
CASES = all_cases()


def same_cause(cause: str) -> str:
    """A cause without what changes from run to run: PIDs, counts, times; what a
    failing script of the student's said (its words depend on the process table);
    the state a crashing unit was caught in (running, auto-restart, failed) and
    whether systemd had logged its failed command yet."""
    cause = re.sub(r"(failed \(exit \d+\)): .*", r"\1", cause)
    cause = re.sub(r"( does not run) \([^)]*\)", r"\1 (STATE)", cause)
    cause = re.sub(r" \(Exec\w+=[^()]*(\([^()]*\)[^()]*)*\)$", "", cause)
    return re.sub(r"\d+", "N", cause)


def leave_as_student(lab, slot: dict, pack, folder: Path) -> None:
    """The submission on the slot's machines as a student leaves their server."""
    from labtools import grade

    found = submission.load(folder, pack)
    contexts = grade.slot_contexts(lab, pack, slot)
    server = mapping.PracticeServer.from_lab(lab.data())
    for ctx in contexts.values():
        ctx.target.check(ctx.render(pack.grading["reset"]))
    contexts["web"].target.check(contexts["web"].render(pack.grading["runs"]))
    grade.apply_their_server(found, contexts, pack)
    for number in pack.grading["order"]:
        task = pack.task(number)
        roles = task.on or pack.on
        for name in task.files:
            if name not in found.texts:
                continue
            ctx = contexts.get(pack.files[name].on or roles[0], contexts["web"])
            text = mapping.map_file(name, found.texts[name], server, submission.kind(name, pack)).text
            install.install_file(ctx, name, text, found.modes.get(name, 0o644))
            after = pack.grading["as_left"].get(name)
            if after:
                ctx.target.root(ctx.render(after), timeout=120)


def check_task_by_task(lab, slot: dict, pack, folder: Path) -> dict[int, tuple[bool, str]]:
    """Each task of the submission as the grader meets it, checked by `make check
    TASK=n`; task -> (passed, cause)."""
    from labtools import grade

    found_files = submission.load(folder, pack)
    contexts = grade.slot_contexts(lab, pack, slot)
    server = mapping.PracticeServer.from_lab(lab.data())
    for role, ctx in contexts.items():
        command = grade.role_step(pack.grading.get("reset"), role)
        if command:
            ctx.target.check(ctx.render(command))
    grade.apply_their_server(found_files, contexts, pack)
    found: dict[int, tuple[bool, str]] = {}
    for number in pack.grading.get("order", [t.number for t in pack.tasks]):
        task = pack.task(number)
        if any(name not in found_files.texts for name in task.files):
            continue    # the grader's verdict says what is missing; nothing to check
        roles = task.on or pack.on
        for role, command in pack.grading.get("before", {}).get(number, {}).items():
            if role in contexts:
                contexts[role].target.check(contexts[role].render(command))
        for name in task.files:
            ctx = contexts.get(pack.files[name].on or roles[0], contexts["web"])
            text = mapping.map_file(name, found_files.texts[name], server, submission.kind(name, pack)).text
            install.install_file(ctx, name, text, found_files.modes.get(name, 0o644))
        found.update(check_as_make_check(lab, slot, pack, [number]))
    return found


def check_as_make_check(lab, slot: dict, pack, tasks: list[int] | None = None) -> dict[int, tuple[bool, str]]:
    """`make check`'s pytest on the slot's machines; task -> (passed, cause) (from
    the results file it writes), for ``tasks`` (default: those the grader grades)."""
    tasks = tasks or pack.grading["order"]
    hosts = ",".join(spec["name"] for spec in slot.values())
    env = dict(os.environ, LAB_FILE=str(lab.lab_file), EXERCISE=pack.id, TASK=",".join(map(str, tasks)), REBOOT="0")
    subprocess.run([str(ROOT / "tests" / "lab-pytest.sh"), "tests/infra/test_exercise.py", f"--hosts={hosts}",
                    f"--ssh-config={lab.ssh_config}", "-p", "no:cacheprovider", "-q"],
                   cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    records = state.read(pack.id, lab.ssh_config)["records"]
    found = {}
    for number in tasks:
        mine = [r for r in records if r["task"] == number and r["machine"] in hosts.split(",")]
        failed = [r for r in mine if r["verdict"] == "fail"]
        found[number] = (bool(mine) and not failed, failed[0]["cause"] if failed else "")
    return found


@pytest.fixture(scope="session")
def checked(graded, grade_labs) -> dict:
    """(pack id, case) -> {task: (passed, cause)} from make check, every case left
    on a lab's slot as a student leaves it, the labs side by side."""
    from labtools import grade

    results: dict = {}
    for pack in sorted({p.id: p for p, _ in CASES}.values(), key=lambda p: p.id):
        folders = [case for p, case in CASES if p.id == pack.id]
        if pack.id == REFERENCE:
            folders.append(graded[(REFERENCE, OWN_FILES)].folder)
        for lab in grade_labs:     # as the grader begins a class: start state, then grading.prepare
            grade.prepare_lab(lab, pack)
        work: queue.Queue = queue.Queue()
        for folder in folders:
            work.put(folder)
        lock = threading.Lock()

        def worker(lab: grade.Lab, slot: dict, pack=pack, work=work) -> None:
            while True:
                try:
                    folder = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    if pack.grading.get("as_left") is not None:
                        leave_as_student(lab, slot, pack, folder)
                        found = check_as_make_check(lab, slot, pack)
                    else:
                        found = check_task_by_task(lab, slot, pack, folder)
                except Exception as error:   # said by the test of this case
                    found = {"error": f"{type(error).__name__}: {error}"}
                finally:
                    try:     # the slot as the next case needs it (a reset a role, or one for all)
                        for role, ctx in grade.slot_contexts(lab, pack, slot).items():
                            command = grade.role_step(pack.grading.get("reset"), role)
                            if command:
                                ctx.target.root(ctx.render(command), timeout=300)
                    except Exception as error:
                        found = {"error": f"after it, the slot's reset failed: {type(error).__name__}: {error}"}
                with lock:
                    results[(pack.id, folder.name)] = found
        threads = [threading.Thread(target=worker, args=(lab, slot), daemon=True)
                   for lab in grade_labs for slot in lab.slots(pack)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return results


REFERENCE_PACK = next(p for p, _ in CASES if p.id == REFERENCE)


@pytest.mark.parametrize("pack, case", CASES + [(REFERENCE_PACK, REFERENCE_PACK.folder / "solution")],
                         ids=[f"{p.id.split('-')[0]}/{c.name}" for p, c in CASES] + ["0x1A/lab-own-files"])
def test_make_check_gives_the_graders_verdicts(pack, case, graded, checked):
    name = OWN_FILES if case.name == "solution" else case.name
    by_check = checked[(pack.id, name)]
    assert "error" not in by_check, f"{name}: could not be checked: {by_check['error']}"
    by_grade = {v.task: (v.passed, v.cause) for v in graded[(pack.id, name)].verdicts}
    tasks = expected(case)["tasks"] if name != OWN_FILES else {}
    varies = {int(t) for t, spec in tasks.items() if isinstance(spec, dict) and spec.get("varies")}
    differ = []
    for task, (passed, cause) in by_grade.items():
        if task not in by_check and cause.endswith("not handed in"):
            continue    # a missing file: the grader's word alone
        checked_passed, checked_cause = by_check[task]
        if passed != checked_passed:
            differ.append(f"task {task}: grade {'pass' if passed else 'fail'} ({cause}); "
                          f"check {'pass' if checked_passed else 'fail'} ({checked_cause})")
        elif task in varies:
            continue    # both fail; the cause depends on the moment (expected.yml says why)
        elif same_cause(cause) != same_cause(checked_cause):
            differ.append(f"task {task}: both fail, the causes differ: grade {cause!r}; check {checked_cause!r}")
    assert not differ, f"{name}:\n  " + "\n  ".join(differ)
