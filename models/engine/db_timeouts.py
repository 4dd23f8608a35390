"""How long the db engine waits for MariaDB, from the environment.

Without timeouts a hung server (SIGSTOP, a stalled disk, a dead machine whose
TCP connections stay open) holds a request until Gunicorn kills the worker
(30 s by default): PyMySQL waits forever for an answer. With them, every wait
on the socket is bounded and ends in an OperationalError the web apps answer
503 (models/unavailable.py).

    HBNB_MYSQL_CONNECT_TIMEOUT  TCP connection to the server           default 2 s
    HBNB_MYSQL_READ_TIMEOUT     each wait for the server's next bytes  default 2 s
                                (its greeting on a new connection included)
    HBNB_MYSQL_WRITE_TIMEOUT    each wait to send a statement          default 3 s
    HBNB_MYSQL_RETRY_WINDOW     seconds from a GET's start within which it waits
                                for a database that went away and is run once
                                more (models/read_retry.py)            default 4 s

The read timeout bounds the wait for the first byte of an answer, not a whole
result: a large result streams in well under it. The clone's statements take
milliseconds, so 2 s is far from a real query's time. A hung server costs a
request at most two read timeouts: the pool's pre-ping on a pooled connection,
then the greeting of the new connection it opens instead.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from models.errors import StorageError

DEFAULTS = {
    "HBNB_MYSQL_CONNECT_TIMEOUT": 2.0,
    "HBNB_MYSQL_READ_TIMEOUT": 2.0,
    "HBNB_MYSQL_WRITE_TIMEOUT": 3.0,
    "HBNB_MYSQL_RETRY_WINDOW": 4.0,
}

# The quick probe that waits for a database to come back (read_retry): a short
# wait per attempt, so a hung server cannot hold the probe much past its window.
PROBE_TIMEOUT = 1.0


def seconds_from_env(name: str) -> float:
    """A positive number of seconds from the environment, else its default.

    Raises StorageError naming the variable for anything else (a misspelt value
    must not silently mean "wait forever")."""
    text = os.getenv(name)
    if text is None or not text.strip():
        return DEFAULTS[name]
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise StorageError(f"{name} must be a positive number of seconds, not {text!r}")
    return value


@dataclass(frozen=True)
class Timeouts:
    """The db engine's waits, in seconds."""

    connect: float
    read: float
    write: float
    retry_window: float

    @classmethod
    def from_env(cls) -> "Timeouts":
        return cls(*(seconds_from_env(name) for name in DEFAULTS))

    def connect_args(self) -> dict[str, float]:
        """PyMySQL's connect() arguments. PyMySQL takes the connect timeout in
        whole seconds or fractions, the others as socket timeouts."""
        return {"connect_timeout": self.connect, "read_timeout": self.read,
                "write_timeout": self.write}

    def probe_args(self) -> dict[str, float]:
        """The same, capped at PROBE_TIMEOUT: the probe only asks "are you back?"."""
        return {key: min(value, PROBE_TIMEOUT) for key, value in self.connect_args().items()}
