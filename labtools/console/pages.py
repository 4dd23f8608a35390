"""The page and its parts: the whole page once, then htmx asks for parts (the
machines every few seconds, the tasks' results when an event says they changed,
the site's last answers)."""
from __future__ import annotations

import asyncio
import datetime
import functools

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from labtools.console import results, site
from labtools.console.lab import Lab
from labtools.exercise import pack as packs, state

# The journal units the logs' form suggests (any unit name can be typed).
UNITS = ["nginx.service", "haproxy.service", "mariadb.service", "gunicorn.service", "ssh.service"]


@functools.lru_cache(maxsize=None)
def pack_of(exercise: str) -> packs.Pack:
    return packs.load(packs.resolve(exercise))


def clock(when: str) -> str:
    """A record's time (ISO, UTC) as this computer's clock says it: 21:10:54."""
    if not when:
        return ""
    return datetime.datetime.fromisoformat(when).astimezone().strftime("%H:%M:%S")


def tasks_of(lab: Lab) -> tuple[packs.Pack, list[results.TaskView]]:
    pack = pack_of(lab.exercise)
    levels = {t.number: state.hint_level(pack.id, t.number, lab.ssh_config) for t in pack.tasks}
    return pack, results.task_views(pack, state.read(pack.id, lab.ssh_config), lab.names, levels)


def render(request: Request, name: str, status: int = 200, **values) -> Response:
    """A template with the lab's common values; never cached by the browser."""
    app = request.app
    answer = app.state.templates.TemplateResponse(
        request, name, {"lab": app.state.lab, "runner": app.state.runner, "clock": clock, **values},
        status_code=status)
    answer.headers["Cache-Control"] = "no-store"
    return answer


async def index(request: Request) -> Response:
    lab: Lab = request.app.state.lab
    if lab.down_reason():
        return render(request, "down.html", 503, why=lab.down_reason())
    pack, tasks = await asyncio.to_thread(tasks_of, lab)
    return render(request, "index.html", pack=pack, tasks=tasks, links=site.links(lab), units=UNITS)


async def machines_part(request: Request) -> Response:
    states = await request.app.state.watch.states_now()
    return render(request, "_machines.html", states=states)


async def results_part(request: Request) -> Response:
    """Every task's result, hints and the check run's state, swapped in by id; the
    whole page again when the lab now practises another exercise."""
    lab: Lab = request.app.state.lab
    pack, tasks = await asyncio.to_thread(tasks_of, lab)
    if request.query_params.get("exercise") not in (None, pack.id):
        return Response(headers={"HX-Refresh": "true"})
    return render(request, "_results.html", pack=pack, tasks=tasks)


async def served_by_part(request: Request) -> Response:
    found = await asyncio.to_thread(site.sample, request.app.state.lab)
    return render(request, "_served_by.html", sample=found)


async def health(request: Request) -> Response:
    return JSONResponse({"ok": True, "lab": str(request.app.state.lab.ssh_config)})
