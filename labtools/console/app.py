"""The console's Starlette application: its routes, templates and static files,
behind the guard (security.py); a lab that is down is a page saying what to
run, and no error is a stack trace in the page."""
from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from labtools import labdata
from labtools.console import actions, events, machines, pages, ssh, terminal
from labtools.console.lab import Lab, LabDown
from labtools.console.runner import Runner
from labtools.console.security import Guard

HERE = Path(__file__).resolve().parent


async def lab_down(request: Request, error: Exception):
    return pages.render(request, "down.html", 503, why=str(error))


async def not_found(request: Request, error: KeyError):
    """No such task or machine (an old page, a hand-typed address)."""
    return pages.render(request, "error.html", 404, why=str(error.args[0] if error.args else error))


async def failed(request: Request, error: Exception):
    # uvicorn logs the trace in the console's terminal; the page gets one line.
    return pages.render(request, "error.html", 500, why=f"{type(error).__name__}: {error}")


def create_app(lab: Lab, token: str, port: int) -> Starlette:
    """The console of ``lab``, answering as 127.0.0.1:``port`` to ``token`` only."""
    templates = Jinja2Templates(directory=HERE / "templates")

    def warm() -> None:
        # What the first page needs and is slow to learn (the provider asks Bash),
        # learnt while nobody waits for it; a lab that is down is no error here.
        try:
            lab.provider, pages.pack_of(lab.exercise)
        except Exception:
            pass

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        warming = asyncio.ensure_future(asyncio.to_thread(warm))
        yield
        warming.cancel()
        # What the console started ends with it: the check run, the shells, the
        # followed logs, its SSH master connections.
        app.state.runner.stop()
        for shell in list(app.state.shells):
            shell.stop()
            await asyncio.to_thread(shell.reap)
        for process in list(app.state.followers):
            if process.returncode is None:
                process.kill()
        await asyncio.to_thread(ssh.close_shared, lab)

    number = "{number:int}"
    routes = [
        Route("/", pages.index),
        Route("/health", pages.health),
        Route("/parts/machines", pages.machines_part),
        Route("/parts/results", pages.results_part),
        Route("/parts/served-by", pages.served_by_part),
        Route("/events", events.changes),
        Route("/logs/stream", events.log),
        Route("/check", actions.check, methods=["POST"]),
        Route(f"/tasks/{number}/hint", actions.hint, methods=["POST"]),
        Route(f"/tasks/{number}/solution/confirm", actions.solution_confirm),
        Route(f"/tasks/{number}/solution/cancel", actions.solution_cancel),
        Route(f"/tasks/{number}/solution", actions.solution),
        Route(f"/tasks/{number}/solution/apply", actions.apply_confirm),
        Route(f"/tasks/{number}/solution/apply", actions.apply, methods=["POST"]),
        WebSocketRoute("/terminal/{name}", terminal.endpoint),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    refused = (HERE / "templates" / "refused.html").read_text(encoding="utf-8")
    app = Starlette(routes=routes, lifespan=lifespan,
                    middleware=[Middleware(Guard, token=token, port=port, refused_page=refused)],
                    exception_handlers={LabDown: lab_down, labdata.LabNotUp: lab_down, KeyError: not_found,
                                        Exception: failed})
    app.state.lab, app.state.port = lab, port
    app.state.templates = templates
    app.state.runner = Runner(lab)
    app.state.watch = machines.Watch(lab)
    app.state.shells, app.state.followers = set(), set()
    return app
