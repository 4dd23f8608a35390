"""The learner's commands (make check, hint, solution, practice), on a lab.

    python -m labtools.exercise check [--exercise X] [--task N] [--reboot] [-v]
    python -m labtools.exercise hint --task N [--exercise X]
    python -m labtools.exercise solution --task N [--exercise X] [--apply] [--on MACHINE]
    python -m labtools.exercise practice --exercise X
    python -m labtools.exercise forget           (the hints, as make reset-practice does)
    python -m labtools.exercise list
    ... --ssh-config FILE    another lab (LAB_FILE: its lab file), e.g. host/practice-labs.sh's

`check` runs the exercise's checks (pytest with testinfra: tests/infra/test_exercise.py)
and prints what a learner reads: per task PASS or FAIL, under a failed task each
failed check's cause in one line, and where to go next. pytest's own output goes
to .cache/check/last.log (-v shows it).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from labtools import labdata
from labtools.exercise import pack as packs, state

ROOT = labdata.ROOT
SSH_CONFIG = ROOT / ".vagrant" / "ssh-config"
LOG = ROOT / ".cache" / "check" / "last.log"


def use_lab(ssh_config: Path) -> None:
    """The commands on another lab than this checkout's: its SSH configuration, its
    pytest log in its own state folder (this checkout's .cache/check/ is its lab's)."""
    global SSH_CONFIG, LOG
    SSH_CONFIG = ssh_config.resolve()
    LOG = state.lab_state_dir(SSH_CONFIG) / "check.log"


def lab_machines(pack: packs.Pack, roles: list[str] | None = None) -> list[str]:
    """The lab's machines of the pack's roles (or ``roles``), in lab.yml's order."""
    wanted = roles or pack.on
    return [m["name"] for m in labdata.machines() if set(m["roles"]) & set(wanted)]


def lab_mode() -> str:
    """The lab's mode (practice or reference), as make up kept it."""
    kept = SSH_CONFIG.parent / "hbnb-lab" / "mode"
    return kept.read_text().strip() if kept.is_file() else "reference"


def chosen_pack(exercise: str | None) -> packs.Pack:
    return packs.load(packs.resolve(exercise or state.current_exercise(SSH_CONFIG)))


def task_label(number: int) -> str:
    return "start state" if number < 0 else f"task {number}"


# --- check ------------------------------------------------------------------------------

def check(args) -> int:
    pack = chosen_pack(args.exercise)
    if not SSH_CONFIG.is_file():
        print("check: lab not up: no .vagrant/ssh-config (make up)", file=sys.stderr)
        return 2
    machines = lab_machines(pack)
    tasks = [t.number for t in pack.tasks if not args.task or t.number in args.task]
    env = dict(os.environ, EXERCISE=pack.id, TASK=",".join(map(str, args.task or [])),
               REBOOT="1" if args.reboot else "0")
    command = [str(ROOT / "tests" / "lab-pytest.sh"), "tests/infra/test_exercise.py", f"--hosts={','.join(machines)}",
               f"--ssh-config={SSH_CONFIG}", "-p", "no:cacheprovider", "-o", "addopts=--strict-markers",
               "-q" if not args.verbose else "-v", "--tb=short"]
    print(f"check: {pack.id} ({pack.title}) on {', '.join(machines)}"
          + (f", task {', '.join(map(str, args.task))}" if args.task else ""), flush=True)
    LOG.parent.mkdir(parents=True, exist_ok=True)
    since = state.now()
    with open(LOG, "w") as log:
        done = subprocess.run(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                              stdout=None if args.verbose else log, stderr=subprocess.STDOUT if not args.verbose else None)
    if done.returncode not in (0, 1):
        if not args.verbose:
            print(LOG.read_text()[-3000:], file=sys.stderr)
        print(f"check: the checks could not run (pytest status {done.returncode}; {os.path.relpath(LOG)})", file=sys.stderr)
        return done.returncode
    return report(pack, tasks, machines, with_start=not args.task, since=since)


def grouped(records: list[dict]) -> list[tuple[str, str]]:
    """(cause, "web-01, web-02") for each distinct cause of ``records``, in order;
    the machine's own name in a cause reads as "the machine"."""
    order: dict[str, list[str]] = {}
    for r in records:
        cause = r["cause"].replace(f" on {r['machine']}", "")
        order.setdefault(cause, [])
        if r["machine"] not in order[cause]:
            order[cause].append(r["machine"])
    return [(cause, ", ".join(where)) for cause, where in order.items()]


def report(pack: packs.Pack, tasks: list[int], machines: list[str], with_start: bool, since: str = "") -> int:
    """The learner's summary of the results of ``tasks`` on ``machines`` (of the run
    that began at ``since``: a task it did not check says so, no older verdict)."""
    records = [r for r in state.read(pack.id, SSH_CONFIG)["records"]
               if r["machine"] in machines and r["time"] >= since]
    failed_tasks = []
    # Once every task passes, the start state (how the exercise begins, say the
    # break a debugging exercise starts from) no longer decides: said, not counted.
    solved = len(tasks) == len(pack.tasks) and all(
        any(r["task"] == n for r in records) and not any(r["task"] == n and r["verdict"] == "fail" for r in records)
        for n in tasks)
    for number in ([-1] if with_start and pack.start_checks else []) + tasks:
        mine = [r for r in records if r["task"] == number]
        if number < 0 and solved and any(r["verdict"] == "fail" for r in mine):
            print(f"  {task_label(number):12} moved on: every task passes")
            for cause, where_seen in grouped([r for r in mine if r["verdict"] == "fail"]):
                print(f"      (as the exercise began, not now{' on ' + where_seen if len(machines) > 1 else ''}: {cause})")
            continue
        if not mine:
            print(f"  {task_label(number):12} not checked: the checks stopped before it ({os.path.relpath(LOG)} says why)")
            failed_tasks.append(number)
            continue
        failing = [r for r in mine if r["verdict"] == "fail"]
        verdict = "FAIL" if failing else "PASS"
        by_machine = sorted({r["machine"] for r in failing})
        where = f" on {', '.join(by_machine)}" if failing and len(machines) > 1 else ""
        print(f"  {task_label(number):12} {verdict}{where}")
        # Each cause once, with the machines it was seen on.
        for cause, where_seen in grouped(failing):
            print(f"      {where_seen + ': ' if len(machines) > 1 else ''}{cause}")
        for note, where_seen in grouped([r for r in mine if r["verdict"] == "note"]):
            print(f"      (note{' on ' + where_seen if len(machines) > 1 else ''}: {note})")
        if failing:
            failed_tasks.append(number)
    print(f"results: {os.path.relpath(state.results_file(pack.id, SSH_CONFIG))}; pytest's output: {os.path.relpath(LOG)}"
          " (make check V=1 shows it)")
    todo = [n for n in failed_tasks if n >= 0]
    if -1 in failed_tasks:
        print(f"next: the start state is not as {pack.id} begins: make practice EXERCISE={pack.id.split('-')[0]}")
    elif todo:
        print(f"next: task {todo[0]}: {pack.task(todo[0]).title}; stuck? make hint TASK={todo[0]}")
    else:
        print("every task passes" + (" (the ones checked)" if len(tasks) < len(pack.tasks) else ""))
    return 1 if failed_tasks else 0


# --- hints and solutions -------------------------------------------------------------------

def hint(args) -> int:
    pack = chosen_pack(args.exercise)
    task = pack.task(args.task[0])
    level = state.next_hint(pack.id, task.number, len(task.hints), SSH_CONFIG)
    print(f"{pack.id} task {task.number}: {task.title}")
    print(f"hint {level} of {len(task.hints)}: {task.hints[level - 1]}")
    if level < len(task.hints):
        print(f"(make hint TASK={task.number} gives the next one)")
    else:
        print(f"(that was the last hint; the answer: make solution TASK={task.number})")
    return 0


def solution(args) -> int:
    pack = chosen_pack(args.exercise)
    task = pack.task(args.task[0])
    print(f"{pack.id} task {task.number}: {task.title}")
    if task.runs:
        print("run by hand:")
        for command in task.runs:
            print(f"    {command}")
    from labtools.exercise.install import solution_text
    practice = lab_mode() == "practice"
    values = {**pack.values(), "home": labdata.section("practice")["checkout"].rsplit("/", 1)[0]}
    for name in task.files:
        text, notes = solution_text(pack, name, practice)
        print(f"--- {name} (goes to {packs.render(pack.files[name].place, values, strict=False)}) ---")
        print(text.rstrip("\n"))
        if notes:
            print(f"--- (the reference lab's file, made the practice server's: {'; '.join(n.split(': ', 1)[1] for n in notes)})")
    if not args.apply:
        if task.files or task.runs:
            print(f"(make solution TASK={task.number} APPLY=1 puts this on the practice lab)")
        return 0
    from labtools.exercise.install import apply_solution
    machines = [args.on] if args.on else lab_machines(pack, task.on or None)
    for name in machines:
        try:
            said = apply_solution(pack, task, name, SSH_CONFIG)
        except RuntimeError as error:
            print(f"solution: not applied on {name}: {error}", file=sys.stderr)
            return 1
        print(f"applied on {name}" + (f": {said}" if said else ""))
    return 0


def practice(args) -> int:
    from labtools.exercise.install import put_in_start_state
    pack = chosen_pack(args.exercise)
    if not SSH_CONFIG.is_file():
        print("practice: lab not up: no .vagrant/ssh-config (LAB_MODE=practice make up)", file=sys.stderr)
        return 2
    for machine, said in put_in_start_state(pack, SSH_CONFIG):
        print(f"  {machine}: {said}")
    state.set_exercise(pack.id, SSH_CONFIG)
    state.forget_hints(pack.id, SSH_CONFIG)
    print(f"practice: the lab is in {pack.id}'s start state; its tasks: make check; a hint: make hint TASK=n")
    return 0


def list_packs(_args) -> int:
    current = state.current_exercise(SSH_CONFIG) if SSH_CONFIG.is_file() else ""
    for exercise in packs.ids():
        pack = packs.load(exercise)
        mark = "*" if exercise == current else " "
        print(f"{mark} {exercise:32} {pack.title} ({len(pack.tasks)} tasks)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="labtools.exercise", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def tasks(text: str) -> list[int]:
        return [int(n) for n in text.replace(" ", ",").split(",") if n]
    for name in ("check", "hint", "solution", "practice", "forget", "list"):
        one = sub.add_parser(name)
        one.add_argument("--exercise", default=os.environ.get("EXERCISE") or None)
        one.add_argument("--ssh-config", type=Path, default=None,
                         help="another lab's SSH configuration (LAB_FILE names its lab file); "
                              "its results, hints and pytest log are kept beside it")
        one.add_argument("--task", type=tasks, default=tasks(os.environ.get("TASK", "")))
        if name == "check":
            one.add_argument("--reboot", action="store_true", help="reboot before the tasks the checker reboots for")
            one.add_argument("-v", "--verbose", action="store_true", help="show pytest's output")
        if name == "solution":
            one.add_argument("--apply", action="store_true")
            one.add_argument("--on", default="", help="one machine (default: every machine of the task's roles)")
    args = parser.parse_args(argv)
    if args.ssh_config:
        use_lab(args.ssh_config)
    try:
        if args.command in ("hint", "solution") and len(args.task) != 1:
            parser.error(f"{args.command} takes one task: TASK=n")
        if args.command == "forget":
            state.forget_hints(None, SSH_CONFIG)
            print("hints forgotten")
            return 0
        return {"check": check, "hint": hint, "solution": solution, "practice": practice, "list": list_packs}[args.command](args)
    except (packs.PackError, KeyError, labdata.LabNotUp) as error:
        print(f"{args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
