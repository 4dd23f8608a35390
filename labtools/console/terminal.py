"""A shell on a lab machine, in the page: the lab's own `ssh -F <ssh-config> -tt
NAME` under a pseudo-terminal, bridged to a WebSocket (binary frames: the
terminal's bytes both ways; a text frame {"resize": [cols, rows]} from the page,
{"exit": status} to it). In practice mode the shell is the practice user's
(`sudo -iu ubuntu` after login), as on the school's server.

Why a pty around OpenSSH and not an SSH library: it is the very client and
configuration the checks, `make check` and the README's `ssh -F` use, so every
option Vagrant writes (keys, forwarded ports, known hosts, a proxy) works the
same, with nothing to translate and no second SSH implementation to install."""
from __future__ import annotations

import asyncio
import fcntl
import json
import os
import pty
import shlex
import signal
import struct
import subprocess
import termios

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from labtools import labdata
from labtools.console import ssh
from labtools.console.lab import Lab, LabDown


def shell_argv(lab: Lab, name: str) -> list[str]:
    """The login of the page's terminal on ``name`` (guarded: a lab machine only)."""
    argv = ssh.base(lab, shared=False) + ["-tt", lab.guard(name)]
    if lab.mode == "practice":
        argv.append(f"sudo -iu {shlex.quote(lab.practice_user)}")
    return argv


class Shell:
    """A program under a pty: its output read by the event loop, its input written
    without blocking it (a paste waits in a buffer while SSH is slow to take it)."""

    def __init__(self, argv: list[str], cols: int = 80, rows: int = 24):
        self.master, slave = pty.openpty()
        self._size(slave, cols, rows)
        env = dict(os.environ, TERM="xterm-256color")   # what xterm.js understands
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                        start_new_session=True, close_fds=True)
        os.close(slave)
        os.set_blocking(self.master, False)
        self.output: asyncio.Queue[bytes | None] = asyncio.Queue()
        self.pending = bytearray()
        self.loop = asyncio.get_running_loop()
        self.loop.add_reader(self.master, self._readable)
        self.closed = False

    @staticmethod
    def _size(fd: int, cols: int, rows: int) -> None:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def resize(self, cols: int, rows: int) -> None:
        """The new size on the pty, and SIGWINCH to SSH (it has no controlling
        terminal to get it from): it tells the machine's side."""
        if self.closed or not (1 <= cols <= 1000 and 1 <= rows <= 1000):
            return
        self._size(self.master, cols, rows)
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGWINCH)

    def _readable(self) -> None:
        try:
            data = os.read(self.master, 65536)
        except BlockingIOError:
            return
        except OSError:            # EIO: the program ended, its side of the pty closed
            data = b""
        if not data:
            self.loop.remove_reader(self.master)
            self.output.put_nowait(None)
            return
        self.output.put_nowait(data)

    def write(self, data: bytes) -> None:
        if self.closed:
            return
        self.pending += data
        self._flush()

    def _flush(self) -> None:
        try:
            while self.pending:
                sent = os.write(self.master, self.pending)
                del self.pending[:sent]
        except BlockingIOError:
            pass
        except OSError:
            self.pending.clear()
        self.loop.remove_writer(self.master)
        if self.pending:
            self.loop.add_writer(self.master, self._flush)

    def stop(self) -> None:
        """No more reading or writing; SSH told to hang up (in the event loop)."""
        if self.closed:
            return
        self.closed = True
        self.loop.remove_reader(self.master)
        self.loop.remove_writer(self.master)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGHUP)

    def reap(self) -> int | None:
        """SSH's status (killed if it stays 2 s after the hang-up), the pty closed
        (blocking: run in a thread)."""
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.master)
        return self.process.returncode


async def endpoint(websocket: WebSocket) -> None:
    """/terminal/{name}: a shell on machine ``name`` of the lab, for as long as the
    WebSocket stays open (the page's tab closed: SSH ends)."""
    lab: Lab = websocket.app.state.lab
    name = websocket.path_params["name"]
    if name not in lab.names:
        await websocket.close(code=4404, reason="not a machine of this lab")
        return
    await websocket.accept()
    try:
        argv = shell_argv(lab, name)
    except (LabDown, labdata.LabNotUp) as error:
        await websocket.send_bytes(f"\r\n{error}\r\n".encode())
        await websocket.send_text(json.dumps({"exit": 255}))
        await websocket.close()
        return
    cols, rows = (_number(websocket.query_params.get(k), d) for k, d in (("cols", 80), ("rows", 24)))
    shell = Shell(argv, cols, rows)
    shells: set = websocket.app.state.shells
    shells.add(shell)

    async def to_page() -> None:
        while (data := await shell.output.get()) is not None:
            await websocket.send_bytes(data)

    async def from_page() -> None:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("bytes"):
                shell.write(message["bytes"])
            elif message.get("text"):
                order = json.loads(message["text"])
                if "resize" in order:
                    shell.resize(*(int(n) for n in order["resize"][:2]))
                elif "input" in order:
                    shell.write(str(order["input"]).encode())
    jobs = {asyncio.ensure_future(to_page()), asyncio.ensure_future(from_page())}
    try:
        done, _ = await asyncio.wait(jobs, return_when=asyncio.FIRST_COMPLETED)
        for job in done:
            if job.exception() and not isinstance(job.exception(), (WebSocketDisconnect, RuntimeError, OSError)):
                raise job.exception()
    finally:
        for job in jobs:
            job.cancel()
        shell.stop()
        status = await asyncio.to_thread(shell.reap)
        shells.discard(shell)
        if websocket.application_state == WebSocketState.CONNECTED \
                and websocket.client_state == WebSocketState.CONNECTED:
            try:
                await websocket.send_text(json.dumps({"exit": status}))
                await websocket.close()
            except (RuntimeError, OSError):
                pass


def _number(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() else default
