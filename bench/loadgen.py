"""A small threaded HTTP load driver that accounts for every request: its
start time, latency, status (0 when there was no answer: refused, reset,
timed out) and the X-Served-By header of the web server that answered.

Bounded: a fixed number of threads, a deadline, and a request cap per thread.
Used by bench/load.py (reloads, failover, crashes) and tests/infra/test_faults.py.
"""
from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass, field

from labtools import labdata


@dataclass
class Outcome:
    start: float          # time.time() when the request was sent
    latency: float        # seconds
    status: int           # 0: no HTTP answer at all
    served_by: str = ""   # X-Served-By
    error: str = ""       # the exception when status is 0


@dataclass
class LoadResult:
    url_host: str
    path: str
    threads: int
    started: float
    ended: float
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        """Every request without a 2xx answer (no answer, or any other status)."""
        return [o for o in self.outcomes if not 200 <= o.status < 300]

    def summary(self) -> dict:
        by_status: dict[str, int] = {}
        by_server: dict[str, int] = {}
        for o in self.outcomes:
            by_status[str(o.status)] = by_status.get(str(o.status), 0) + 1
            if o.served_by:
                by_server[o.served_by] = by_server.get(o.served_by, 0) + 1
        errors = sorted({o.error for o in self.outcomes if o.error})[:5]
        lat = sorted(o.latency for o in self.outcomes)
        pct = (lambda q: round(lat[min(len(lat) - 1, int(q * len(lat)))] * 1000, 1)) if lat else (lambda q: None)
        return {"requests": self.total, "failed": len(self.failed), "by_status": by_status,
                "by_server": by_server, "errors": errors,
                "seconds": round(self.ended - self.started, 2),
                "p50_ms": pct(0.50), "p99_ms": pct(0.99)}

    def served_by_times(self, server: str) -> list[float]:
        return [o.start for o in self.outcomes if o.served_by == server and 200 <= o.status < 300]


class LoadDriver:
    """Runs ``threads`` clients asking http://host:port/path without pause (or
    with ``pause`` seconds between requests) until stop() or ``max_seconds``."""

    def __init__(self, host: str, path: str, port: int = 80, threads: int = 4,
                 max_seconds: float = 120, pause: float = 0.0, timeout: float = 10,
                 max_requests_per_thread: int = 200_000):
        self.host = labdata.require_local_route(host)
        self.port, self.path, self.threads = port, path, threads
        self.max_seconds, self.pause, self.timeout = max_seconds, pause, timeout
        self.max_requests = max_requests_per_thread
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._outcomes: list[Outcome] = []
        self._workers: list[threading.Thread] = []
        self._started = 0.0

    def _client(self) -> None:
        deadline = time.monotonic() + self.max_seconds
        conn = None
        local: list[Outcome] = []
        for _ in range(self.max_requests):
            if self._stop.is_set() or time.monotonic() >= deadline:
                break
            if conn is None:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            start, t0 = time.time(), time.perf_counter()
            try:
                conn.request("GET", self.path, headers={"Connection": "keep-alive"})
                response = conn.getresponse()
                response.read()
                local.append(Outcome(start, time.perf_counter() - t0, response.status,
                                     response.getheader("X-Served-By", "")))
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as error:
                local.append(Outcome(start, time.perf_counter() - t0, 0,
                                     error=f"{type(error).__name__}: {error}"))
                conn.close()
                conn = None
            if self.pause:
                time.sleep(self.pause)
        if conn is not None:
            conn.close()
        with self._lock:
            self._outcomes.extend(local)

    def start(self) -> "LoadDriver":
        self._started = time.time()
        self._workers = [threading.Thread(target=self._client, daemon=True) for _ in range(self.threads)]
        for worker in self._workers:
            worker.start()
        return self

    def stop(self) -> LoadResult:
        self._stop.set()
        for worker in self._workers:
            worker.join(self.timeout + 5)
        ended = time.time()
        outcomes = sorted(self._outcomes, key=lambda o: o.start)
        return LoadResult(self.host, self.path, self.threads, self._started, ended, outcomes)

    def __enter__(self) -> "LoadDriver":
        return self.start()

    def __exit__(self, *exc) -> None:
        self._stop.set()
