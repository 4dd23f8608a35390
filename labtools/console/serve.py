"""The console's server: a socket on 127.0.0.1 bound first (its address is known,
and printed, before the app starts; early requests wait in its backlog), a
token for this run, the browser opened where the host has one, then uvicorn."""
from __future__ import annotations

import asyncio
import os
import socket
import sys
import threading
import webbrowser

import uvicorn

from labtools.console import security
from labtools.console.app import create_app
from labtools.console.lab import Lab


def listen(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 only (``port`` 0: one the kernel picks)."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(128)
    return server


def has_browser() -> bool:
    """Whether a graphical browser can open here: a desktop session (or macOS), or
    one the user named (BROWSER). Without one, Python's webbrowser would start a
    text browser in this terminal: never."""
    return bool(os.environ.get("BROWSER") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or sys.platform == "darwin")


def open_browser(url: str) -> None:
    """The page in the host's browser, in the background; no browser is no error."""
    def opening():
        try:
            webbrowser.open(url, new=2)
        except Exception:     # a broken browser setting must not stop the console
            pass
    if has_browser():
        threading.Thread(target=opening, daemon=True).start()


def run(args) -> int:
    try:
        server_socket = listen(args.port)
    except OSError as error:
        print(f"console: cannot listen on 127.0.0.1:{args.port}: {error}", file=sys.stderr)
        return 2
    port = server_socket.getsockname()[1]
    token = security.new_token()
    lab = Lab(args.lab_file, args.ssh_config)
    app = create_app(lab, token, port)
    url = f"http://127.0.0.1:{port}/?token={token}"
    print(f"console: {url}", flush=True)
    print(f"  the lab of {lab.ssh_config}; this address is the only way in (its token changes at each start); "
          "Ctrl-C stops the console", flush=True)
    if lab.down_reason():
        print(f"  {lab.down_reason()}", flush=True)
    if not args.no_browser:
        open_browser(url)
    # CONSOLE_LOG=info: every request in the terminal (uvicorn's access log).
    config = uvicorn.Config(app, log_level=os.environ.get("CONSOLE_LOG", "warning"), lifespan="on", ws="websockets-sansio",
                            ws_ping_interval=20, timeout_graceful_shutdown=3)
    server = uvicorn.Server(config)
    app.state.server = server         # its streams end when it stops (events.stopping)
    try:
        asyncio.run(server.serve(sockets=[server_socket]))
    except KeyboardInterrupt:
        pass
    return 0
