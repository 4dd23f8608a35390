"""A GET that met an unavailable database runs once more when it is back.

A MariaDB restart takes a second or two. Requests in flight lose their
connection (error 2013); the pool's pre-ping replaces connections dropped
while idle, but a request that starts while the server is down cannot connect
(2003). Either way models/unavailable.py answers 503 and flags the request.
This WSGI middleware then, for GET and HEAD requests only:

1. waits until the database answers again (``storage.ping()`` every
   POLL_INTERVAL, a fresh connection with short timeouts each time), but no
   later than HBNB_MYSQL_RETRY_WINDOW seconds (default 4) after the request
   started;
2. if it answered, runs the whole request once more, from the start, as a new
   request (new session, new context): that answer is the one sent, whatever
   it is. Otherwise the 503 (with Retry-After) is sent.

Why whole requests, and why only GET and HEAD: a GET writes nothing (the
spec's reads are idempotent), so running it twice cannot do harm, and running
all of it again also covers what a storage-level retry would miss (lazy loads
while a template renders, a session left unusable by the lost connection). A
POST, PUT or DELETE is never repeated: its first attempt may have reached the
server (a COMMIT whose answer was lost), so it gets the 503 and the client
decides; the storage rolled back whatever it could, and the API writes nothing
before all its checks passed. POST /places_search reads only, but its body is
gone after the first attempt; it gets the 503 too.

Time bound: the first attempt (at most two read timeouts on a hung server),
then, if the window is not over, the wait until its end (a probe may end
PROBE_TIMEOUT past it), plus the second attempt on a server that answered the
probe. With the defaults a hung server is answered 503 after about 5 s:
max(2 x 2 s, 4 s + 1 s); a MariaDB restart (1-2 s here) fits in the window.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Callable, Iterable

import models
from models.errors import StorageUnavailable
from models.unavailable import ENVIRON_KEY

log = logging.getLogger(__name__)

RETRIED_METHODS = frozenset({"GET", "HEAD"})
POLL_INTERVAL = 0.2  # seconds between two probes of a database that is away


def wait_until_available(deadline: float) -> bool:
    """True as soon as the storage answers, False if it still does not at
    deadline (time.monotonic()). A storage without ping() (file engine) is
    always there."""
    ping = getattr(models.storage, "ping", None)
    if ping is None:
        return True
    while True:
        try:
            ping()
            return True
        except StorageUnavailable:
            pass
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        time.sleep(min(POLL_INTERVAL, remaining))


def retry_window() -> float:
    """HBNB_MYSQL_RETRY_WINDOW as the storage read it (0: the file engine has none)."""
    timeouts = getattr(models.storage, "timeouts", None)
    return timeouts.retry_window if timeouts is not None else 0.0


class ReadRetry:
    """WSGI middleware around a Flask app's wsgi_app (see the module's docstring)."""

    def __init__(self, wsgi_app: Callable) -> None:
        self.wsgi_app = wsgi_app

    def attempt(self, environ: dict) -> tuple[list, list[bytes], Iterable[bytes]]:
        """Run the app on a copy of environ: (start_response's arguments,
        what it wrote before returning, the body iterable)."""
        started: list = []
        written: list[bytes] = []

        def start_response(status: str, headers: list, exc_info: Any = None):
            started[:] = [status, headers, exc_info]
            return written.append
        body = self.wsgi_app(environ, start_response)
        return started, written, body

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in RETRIED_METHODS:
            return self.wsgi_app(environ, start_response)
        began = time.monotonic()
        first = dict(environ)
        started, written, body = self.attempt(first)
        window = retry_window()
        if first.get(ENVIRON_KEY) and window > 0:
            request_line = f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}"
            # No probe once the window is over (a hung server can take two read
            # timeouts to fail the first attempt).
            if time.monotonic() < began + window and wait_until_available(began + window):
                if hasattr(body, "close"):
                    body.close()
                log.warning("%s: database back after %.1f s: request run once more",
                            request_line, time.monotonic() - began)
                started, written, body = self.attempt(dict(environ))
            else:
                log.warning("%s: database still unavailable after %.1f s: 503",
                            request_line, time.monotonic() - began)
        write = start_response(*started)
        for chunk in written:
            write(chunk)
        return body


def install(app) -> None:
    """Wrap app.wsgi_app in ReadRetry, once."""
    if not app.extensions.get("hbnb_read_retry"):
        app.wsgi_app = ReadRetry(app.wsgi_app)
        app.extensions["hbnb_read_retry"] = True
