"""The results of `make check` (the JSON records state.record writes) as the
page shows them: per task its verdict and causes, per check its verdict on each
machine. Pure: the pack, the records and the hint levels in, views out."""
from __future__ import annotations

from dataclasses import dataclass, field

from labtools.exercise import pack as packs
from labtools.exercise.cli import grouped

# A check's verdicts on several machines, the worst first.
ORDER = ("fail", "note", "pass", "skip")


@dataclass
class CheckView:
    id: str
    what: str
    grade: str
    verdict: str                                   # fail, note, pass, skip or unchecked
    on: list[tuple[str, str, str]] = field(default_factory=list)   # (machine, verdict, cause)


@dataclass
class TaskView:
    number: int
    label: str                                     # "start state" or "task 0"
    title: str
    brief: str
    verdict: str                                   # pass, fail or unchecked
    causes: list[tuple[str, str]] = field(default_factory=list)    # (cause, "web-01, web-02")
    notes: list[tuple[str, str]] = field(default_factory=list)
    checks: list[CheckView] = field(default_factory=list)
    checked: str = ""                              # when it was last checked (ISO time)
    hints: list[str] = field(default_factory=list)  # the hints taken, in order
    hints_total: int = 0
    files: list[str] = field(default_factory=list)


def combined(verdicts: list[str]) -> str:
    """One verdict of a check's machines: the worst one, "unchecked" without any."""
    for verdict in ORDER:
        if verdict in verdicts:
            return verdict
    return "unchecked"


def check_view(check_id: str, what: str, grade: str, records: list[dict]) -> CheckView:
    mine = [r for r in records if r["check"] == check_id]
    return CheckView(check_id, what, grade, combined([r["verdict"] for r in mine]),
                     [(r["machine"], r["verdict"], r["cause"]) for r in mine])


def task_view(number: int, title: str, brief: str, checks: list[packs.Check], records: list[dict],
              hints: list[str] = (), level: int = 0, files: list[str] = ()) -> TaskView:
    """One task (or the start state, number -1) from its records: it fails when a
    required check failed on a machine, passes when it was checked and none did."""
    mine = [r for r in records if r["task"] == number]
    failing = [r for r in mine if r["verdict"] == "fail"]
    verdict = "unchecked" if not mine else "fail" if failing else "pass"
    views = [check_view(c.id, c.what, c.grade, mine) for c in checks]
    known = {c.id for c in checks}
    # Records of checks the pack no longer has (an older run) are shown too.
    for check_id in dict.fromkeys(r["check"] for r in mine if r["check"] not in known):
        first = next(r for r in mine if r["check"] == check_id)
        views.append(check_view(check_id, first["what"], first["grade"], mine))
    return TaskView(number, "start state" if number < 0 else f"task {number}", title, " ".join(brief.split()), verdict,
                    grouped(failing), grouped([r for r in mine if r["verdict"] == "note"]), views,
                    max((r["time"] for r in mine), default=""), list(hints[:level]), len(hints), list(files))


def task_views(pack: packs.Pack, results: dict, machines: list[str], hint_levels: dict[int, int]) -> list[TaskView]:
    """The start state (when the pack has start checks) and every task of ``pack``,
    from ``results`` (state.read) on ``machines`` (the lab's: another lab's records
    are not this one's)."""
    records = [r for r in results.get("records", []) if r.get("machine") in machines]
    views = []
    if pack.start_checks:
        views.append(task_view(-1, "The start state", "What the earlier projects leave on the servers.",
                               pack.start_checks, records))
    for task in pack.tasks:
        views.append(task_view(task.number, task.title, task.brief, task.checks, records,
                               task.hints, hint_levels.get(task.number, 0), task.files))
    return views
