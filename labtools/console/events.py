"""Server-sent events: the page told when the results change (whoever ran the
checks: the page, the terminal, the host's own `make check`: the files' times
are watched), and a log of a machine followed as it grows."""
from __future__ import annotations

import asyncio
import re
import shlex
import subprocess
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, StreamingResponse

from labtools import labdata
from labtools.console import ssh
from labtools.console.lab import Lab, LabDown
from labtools.exercise import state

# How often the files are looked at, and a comment sent so proxies and the
# browser keep a quiet stream open.
POLL = 0.5
KEEPALIVE = 15.0
# The logs a page can follow; {unit} only from UNIT_NAME, quoted.
LOG_LINES = 200
UNIT_NAME = re.compile(r"^[A-Za-z0-9@._:-]{1,100}$")
SOURCES = {
    "nginx": "tail -n {n} -F /var/log/nginx/error.log",
    # The app logs may not exist yet: wait for one, then follow those there are.
    "airbnb": "shopt -s nullglob; logs=(/tmp/airbnb-*.log); "
              "[ ${{#logs[@]}} -gt 0 ] || echo '(no /tmp/airbnb-*.log yet: waiting for one)'; "
              "while [ ${{#logs[@]}} -eq 0 ]; do sleep 2; logs=(/tmp/airbnb-*.log); done; "
              "exec tail -n {n} -F \"${{logs[@]}}\"",
    "journal": "exec journalctl --no-pager -o short-iso -n {n} -f -u {unit}",
}


def stopping(request: Request) -> bool:
    """Whether the console is stopping (Ctrl-C): a stream ends then, so the server
    need not wait for the browser to leave."""
    server = getattr(request.app.state, "server", None)
    return bool(server and server.should_exit)


def sse(event: str, data: str) -> str:
    """One event: every line of ``data`` a data: line."""
    return f"event: {event}\n" + "".join(f"data: {line}\n" for line in data.split("\n")) + "\n"


def signature(lab: Lab) -> tuple:
    """What changes when a run writes results, a hint is taken, or `make practice`
    switches the exercise: the files' sizes and modification times."""
    exercise = lab.exercise
    files = [state.results_file(exercise, lab.ssh_config), state.hints_file(lab.ssh_config),
             lab.state_dir / "exercise", lab.ssh_config]
    return (exercise,) + tuple(_stamp(path) for path in files)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        found = path.stat()
        return found.st_mtime_ns, found.st_size
    except OSError:
        return 0, 0


async def changes(request: Request) -> StreamingResponse:
    """/events: "results" when the lab's results (hints, exercise) change, "check"
    when a check run from the page starts or ends."""
    lab: Lab = request.app.state.lab
    runner = request.app.state.runner

    async def stream():
        seen, version, quiet = signature(lab), runner.version, 0.0
        yield "retry: 2000\n\n"
        while not stopping(request) and not await request.is_disconnected():
            await asyncio.sleep(POLL)
            quiet += POLL
            now = signature(lab)
            if now != seen:
                seen, quiet = now, 0.0
                yield sse("results", "changed")
            if runner.version != version:
                version, quiet = runner.version, 0.0
                yield sse("check", "running" if runner.busy else "done")
            if quiet >= KEEPALIVE:
                quiet = 0.0
                yield ": still here\n\n"
    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


def follow_command(source: str, unit: str = "") -> str:
    """The root command that follows ``source`` on a machine, ended when SSH's
    input closes (the page went away): nothing left running there."""
    if source not in SOURCES:
        raise ValueError(f"no log {source!r} (one of {', '.join(SOURCES)})")
    if source == "journal" and not UNIT_NAME.match(unit):
        raise ValueError(f"not a unit name: {unit!r}")
    follow = SOURCES[source].format(n=LOG_LINES, unit=shlex.quote(unit))
    script = f'( {follow} ) & trap "kill $! 2>/dev/null" EXIT; cat >/dev/null'
    return f"sudo -n bash -c {shlex.quote(script)}"


async def log(request: Request):
    """/logs/stream?machine=web-01&source=nginx|airbnb|journal[&unit=nginx.service]:
    a "line" event per line of the log, as it grows; "end" when it stops."""
    lab: Lab = request.app.state.lab
    query = request.query_params
    try:
        command = follow_command(query.get("source", ""), query.get("unit", ""))
        argv = ssh.argv(lab, query.get("machine", ""), command)
    except (ValueError, KeyError) as error:
        return PlainTextResponse(str(error), status_code=400)
    except (LabDown, labdata.LabNotUp) as error:
        return PlainTextResponse(str(error), status_code=503)

    async def stream():
        process = await asyncio.create_subprocess_exec(*argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                       stderr=subprocess.STDOUT)
        request.app.state.followers.add(process)
        reading = asyncio.ensure_future(process.stdout.readline())
        try:
            yield "retry: 5000\n\n"
            quiet = 0.0
            while not stopping(request):
                done, _ = await asyncio.wait({reading}, timeout=1.0)
                if not done:
                    quiet += 1.0
                    if await request.is_disconnected():
                        break
                    if quiet >= KEEPALIVE:
                        quiet = 0.0
                        yield ": still here\n\n"
                    continue
                line, quiet = reading.result(), 0.0
                if not line:
                    yield sse("end", f"(the log stopped: ssh exited {await process.wait()})")
                    break
                yield sse("line", line.decode(errors="replace").rstrip("\n"))
                reading = asyncio.ensure_future(process.stdout.readline())
        finally:
            reading.cancel()
            request.app.state.followers.discard(process)
            if process.returncode is None:
                process.stdin.close()           # the machine's side ends (cat sees its end)
                try:
                    await asyncio.wait_for(process.wait(), 3)
                except asyncio.TimeoutError:
                    process.kill()
    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})
