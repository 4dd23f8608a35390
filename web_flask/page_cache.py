"""A per-process cache of what the HBNB page shows, exact across processes.

Several Gunicorn workers on two web servers share one MariaDB: a plain
in-memory cache would keep showing one worker's copy after another worker, the
other web server or someone at the mysql prompt changed the tables. Here each
entry is kept with the storage's fingerprint of the tables it was read from
(``storage.fingerprint``: one query, answered by MariaDB's query cache until one
of those tables is written; the file's stamp on the file engine) and is used
only while

- a fingerprint read at the start of the request is equal to it, and
- it is younger than HBNB_PAGE_CACHE_TTL seconds (default 10): the bound on what
  a fingerprint cannot see (a change typed by hand that leaves updated_at as
  it was). 0 turns the cache off.

The fingerprint is read before the data, so an entry is never older than the
fingerprint it is filed under: a write in between makes the next fingerprint
differ and the entry is read again. Values must be snapshots (plain values,
not ORM objects): an entry outlives the session it was read in, and nobody may
change it through a stored object.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

import models

T = TypeVar("T")

DEFAULT_TTL = 10.0


def ttl_from_env() -> float:
    """HBNB_PAGE_CACHE_TTL in seconds (default 10; 0: no cache)."""
    text = os.getenv("HBNB_PAGE_CACHE_TTL", "").strip()
    if not text:
        return DEFAULT_TTL
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise ValueError(f"HBNB_PAGE_CACHE_TTL must be a number of seconds >= 0, not {text!r}")
    return value


@dataclass(frozen=True)
class Entry:
    storage: Any          # the engine it was read from (tests swap models.storage)
    fingerprint: tuple
    born: float           # time.monotonic()
    value: Any


class FingerprintCache:
    """get(key, classes, compute): compute()'s value, from the cache while the
    tables of classes did not change (see the module's docstring)."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._entries: dict[str, Entry] = {}
        self._lock = threading.Lock()

    def get(self, key: str, classes: tuple[type, ...], compute: Callable[[], T]) -> T:
        if self.ttl <= 0:
            return compute()
        storage = models.storage
        fingerprint = storage.fingerprint(*classes)
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
        if (entry is not None and entry.storage is storage
                and entry.fingerprint == fingerprint and now - entry.born < self.ttl):
            return entry.value
        value = compute()
        with self._lock:
            self._entries[key] = Entry(storage, fingerprint, now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
