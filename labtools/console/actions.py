"""What the page's buttons do: check again (one task or all), the next hint, the
solution (shown after a confirm step; applied after a second one)."""
from __future__ import annotations

import asyncio
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response

from labtools.console.lab import Lab
from labtools.console.pages import pack_of, render, tasks_of
from labtools.exercise import cli, pack as packs, state
from labtools.exercise.install import apply_solution, solution_text


def _task(request: Request):
    lab: Lab = request.app.state.lab
    pack = pack_of(lab.exercise)
    return lab, pack, pack.task(int(request.path_params["number"]))


async def check(request: Request) -> Response:
    """POST /check (task=N, or none: every task): a run started, or 409 if one runs."""
    # The form is one field, urlencoded: read without a multipart parser.
    task = parse_qs((await request.body()).decode()).get("task", [""])[0]
    started = request.app.state.runner.start(int(task) if task.lstrip("-").isdigit() else None)
    lab = request.app.state.lab
    pack, tasks = await asyncio.to_thread(tasks_of, lab)
    # 200 even when refused: htmx swaps no 4xx answer, and the page must say why.
    return render(request, "_results.html", pack=pack, tasks=tasks,
                  refused="" if started else "a check is already running: wait for it to end")


async def hint(request: Request) -> Response:
    """POST /tasks/N/hint: the next hint of task N (the one `make hint` would give)."""
    lab, pack, task = _task(request)
    await asyncio.to_thread(state.next_hint, pack.id, task.number, len(task.hints), lab.ssh_config)
    _, tasks = await asyncio.to_thread(tasks_of, lab)
    return render(request, "_hints.html", t=next(view for view in tasks if view.number == task.number))


async def solution_confirm(request: Request) -> Response:
    _, pack, task = _task(request)
    return render(request, "_solution_confirm.html", task=task)


async def solution_cancel(request: Request) -> Response:
    _, pack, task = _task(request)
    return render(request, "_solution_closed.html", task=task)


def filled(lab: Lab, pack, template: str) -> str:
    """A pack's text with the practice server's values; facts name other values
    ({scripts_dir} is "{home}/..."): filled until nothing changes."""
    values = {**pack.values(), "home": lab.data["practice"]["checkout"].rsplit("/", 1)[0]}
    for _ in range(3):
        template, before = packs.render(template, values, strict=False), template
        if template == before:
            break
    return template


def solution_files(lab: Lab, pack, task) -> list[tuple[str, str, str]]:
    """(name, where it goes, text) of the task's files, as on this lab's servers."""
    practice = lab.mode == "practice"
    found = []
    for name in task.files:
        text, _notes = solution_text(pack, name, practice)
        found.append((name, filled(lab, pack, pack.files[name].place), text))
    return found


async def solution(request: Request) -> Response:
    """GET /tasks/N/solution (after the confirm step): what to run, and the files."""
    lab, pack, task = _task(request)
    files = await asyncio.to_thread(solution_files, lab, pack, task)
    return render(request, "_solution.html", task=task, files=files, runs=[filled(lab, pack, c) for c in task.runs],
                  machines=cli.lab_machines(pack, task.on or None))


async def apply_confirm(request: Request) -> Response:
    lab, pack, task = _task(request)
    return render(request, "_apply_confirm.html", task=task, machines=cli.lab_machines(pack, task.on or None))


async def apply(request: Request) -> Response:
    """POST /tasks/N/solution/apply (after the second confirm): the solution put on
    the task's machines, as `make solution TASK=N APPLY=1` does."""
    lab, pack, task = _task(request)
    said = []
    for name in cli.lab_machines(pack, task.on or None):
        try:
            words = await asyncio.to_thread(apply_solution, pack, task, name, lab.ssh_config)
            said.append((name, True, words or "done"))
        except Exception as error:      # one machine's failure is said, the others still tried
            said.append((name, False, str(error)))
    return render(request, "_applied.html", task=task, said=said)
