"""Fixtures of the unit tests (tests/unit/*).

``storage`` comes from tests/conftest.py (the browser test uses it too): the
configured engine, emptied before each test. Here:

- ``sql_statements``: on the db engine, the list of SQL statements the engine
  runs while the test holds it (for "one query" assertions); on the file
  engine the test is skipped (there is no SQL to count).
- ``engine_name``: "db" or "file".
- ``app_of``/``client_of``/``seeded``: the page tests' apps and seeded storage.
- ``port_5000``: the exercise's fixed dev-server port, held by one test at a
  time on this machine (tests/run-unit.sh runs both engines at once).
"""
import fcntl
import os
import tempfile

import pytest


@pytest.fixture
def port_5000():
    """5000, locked for this test across every test run on the machine: the
    two engines' runs side by side would otherwise both start a dev server on
    it, and one would find it taken."""
    with open(os.path.join(tempfile.gettempdir(), "hbnb-tests-port-5000.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield 5000


@pytest.fixture
def engine_name():
    import models

    return models.storage_t


@pytest.fixture
def sql_statements(storage):
    """Statements executed on the db engine during the test, in order."""
    if not hasattr(storage, "engine"):
        pytest.skip("counts SQL statements: db engine only")
    from sqlalchemy import event

    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(storage.engine, "before_cursor_execute", record)
    yield statements
    event.remove(storage.engine, "before_cursor_execute", record)


# The page tests (web_flask, web_dynamic) load numbered modules with dashes in
# their names (``0-hello_route``, ``2-hbnb``) with importlib, as gunicorn does;
# each of their conftests names its package with a ``page_package`` fixture.
# The seed spreads 60 places over 3 cities of 3 states (with all 50 states,
# 20 amenities, 6 users and their reviews).
SEED_PLACES = 60
SEED = 3


@pytest.fixture
def app_of(page_package):
    """app_of("3-python_route") -> the ``app`` of that module of the package."""
    import importlib

    def load(module: str):
        app = importlib.import_module(f"{page_package}.{module}").app
        app.config["TESTING"] = True
        return app
    return load


@pytest.fixture
def client_of(app_of):
    """client_of("3-python_route") -> a test client of that module's app."""
    return lambda module: app_of(module).test_client()


@pytest.fixture(scope="session")
def seed_records():
    from models.seed import generate

    return generate(SEED_PLACES, SEED)


@pytest.fixture
def seeded(storage, seed_records):
    """The configured storage, emptied then seeded."""
    from models.seed import write

    write(storage, seed_records)
    storage.close()
    return storage


# -- a database out of reach ---------------------------------------------------
# The web apps answer 503 (models/unavailable.py) and retry GETs
# (models/read_retry.py) when the database is stopped, restarting or hung. The
# tests make those faults real without touching the shared MariaDB: a DBStorage
# pointed at a port where nothing listens (stopped), or at a TCP proxy to the
# real server that this process controls (restart, hang).

import socket  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from types import SimpleNamespace  # noqa: E402

# Short waits, so a hung server costs a test about a second.
FAULT_TIMEOUTS = dict(connect=0.5, read=0.5, write=0.5)


class FaultProxy:
    """A TCP proxy to the real MariaDB with the faults a test switches on:

    - up:   forwards both ways;
    - down: every connection dropped, new ones refused (the port is closed), as
            a stopped server; up() again listens on the same port, as a restart;
    - hang: nothing forwarded either way and new connections are not answered
            (the kernel still completes their handshake), as a SIGSTOPped
            server; up() lets everything flow again.
    """

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.flowing = threading.Event()
        self.flowing.set()
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.accepted = 0
        self.listener = None
        self.port = 0
        self.listen()

    def listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self.accept_loop, args=(listener,), daemon=True).start()

    def accept_loop(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed: down() or stop()
            self.flowing.wait()  # hung: the handshake is never answered
            try:
                server = socket.create_connection(self.target, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.accepted += 1
                self.sockets |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self.pump, args=(source, sink), daemon=True).start()

    def pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                self.flowing.wait()
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            self.close_socket(sock)

    def close_socket(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.discard(sock)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()

    def drop_connections(self) -> None:
        with self.lock:
            open_sockets = list(self.sockets)
        for sock in open_sockets:
            self.close_socket(sock)

    def down(self) -> None:
        if self.listener is not None:
            try:  # wakes the thread blocked in accept() and stops listening
                self.listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.listener.close()
            self.listener = None
        self.drop_connections()

    def hang(self) -> None:
        self.flowing.clear()

    def up(self) -> None:
        self.flowing.set()
        if self.listener is None:
            self.listen()

    def stop(self) -> None:
        self.flowing.set()
        self.down()


def fault_storage(url, retry_window: float):
    """A DBStorage on url with the tests' short timeouts; never drops tables."""
    from models.engine.db_storage import DBStorage
    from models.engine.db_timeouts import Timeouts

    return DBStorage(url, Timeouts(retry_window=retry_window, **FAULT_TIMEOUTS))


@pytest.fixture
def unreachable(monkeypatch):
    """A DBStorage whose server is stopped (nothing listens on its port:
    connections are refused), on either engine's run; retry window 0.3 s."""
    from sqlalchemy import URL

    monkeypatch.delenv("HBNB_ENV", raising=False)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: "connection refused"
    url = URL.create("mysql+pymysql", username="nobody", password="none",
                     host="127.0.0.1", port=closed.getsockname()[1], database="none")
    storage = fault_storage(url, retry_window=0.3)
    yield storage
    storage.close()
    closed.close()


@pytest.fixture
def unreachable_storage(unreachable, monkeypatch):
    """models.storage is the `unreachable` DBStorage for the whole test."""
    import models

    monkeypatch.setattr(models, "storage", unreachable)
    return unreachable


@pytest.fixture
def proxied(storage, monkeypatch):
    """models.storage is a DBStorage on the test database through a FaultProxy
    (db engine only): SimpleNamespace(storage=, proxy=). Retry window 3 s."""
    import models

    if not hasattr(storage, "engine"):
        pytest.skip("database faults: db engine only")
    monkeypatch.delenv("HBNB_ENV", raising=False)
    url = storage.engine.url
    proxy = FaultProxy((url.host or "127.0.0.1", url.port or 3306))
    through = fault_storage(url.set(host="127.0.0.1", port=proxy.port), retry_window=3.0)
    monkeypatch.setattr(models, "storage", through)
    yield SimpleNamespace(storage=through, proxy=proxy)
    proxy.up()
    through.close()
    through.engine.dispose()
    proxy.stop()


@pytest.fixture
def reads_across_restart(proxied):
    """reads_across_restart(app, path, summary, clients) -> (answers before the
    outage, every answer): ``clients`` threads GET ``path`` without pause while
    the proxied server goes away for 1.5 s and comes back; each answer is
    summary(response)."""
    def run(app, path, summary, clients):
        answers, stop = [], threading.Event()

        def reader():
            client = app.test_client()
            while not stop.is_set():
                answers.append(summary(client.get(path)))

        threads = [threading.Thread(target=reader) for _ in range(clients)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while len(answers) < 6 and time.monotonic() < deadline:  # all of them reading
            time.sleep(0.05)
        before = len(answers)
        proxied.proxy.down()
        time.sleep(1.5)
        proxied.proxy.up()
        time.sleep(0.5)
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        return before, answers
    return run


@pytest.fixture
def get_while_hung(proxied, timed):
    """get_while_hung(client, path) -> (response, seconds): one GET while the
    proxied server hangs; the server flows again after it, whatever happened."""
    def run(client, path):
        proxied.proxy.hang()
        try:
            return timed(lambda: client.get(path))
        finally:
            proxied.proxy.up()
    return run


@pytest.fixture
def timed():
    """timed(call) -> (call's result, seconds it took)."""
    def run(call):
        started = time.monotonic()
        result = call()
        return result, time.monotonic() - started
    return run
