"""The db engine when MariaDB is stopped, restarted or hung: bounded waits,
close() that never raises, ping(); and which errors mean "unavailable".

Faults are real: a port where nothing listens, a connection killed on the
real server (KILL), or the FaultProxy of tests/unit/conftest.py between the
engine and the real server. The shared MariaDB itself is never stopped.
"""
import logging

import pymysql
import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

import models
from models.engine.db_timeouts import DEFAULTS, Timeouts, seconds_from_env
from models.errors import StorageError, StorageUnavailable
from models.state import State
from models.unavailable import is_unavailable


# -- timeouts from the environment -------------------------------------------------
def test_timeouts_default_to_a_few_seconds(monkeypatch):
    for name in DEFAULTS:
        monkeypatch.delenv(name, raising=False)
    assert Timeouts.from_env() == Timeouts(connect=2.0, read=2.0, write=3.0, retry_window=4.0)


def test_timeouts_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("HBNB_MYSQL_CONNECT_TIMEOUT", "1")
    monkeypatch.setenv("HBNB_MYSQL_READ_TIMEOUT", "2.5")
    monkeypatch.setenv("HBNB_MYSQL_WRITE_TIMEOUT", " 4 ")
    monkeypatch.setenv("HBNB_MYSQL_RETRY_WINDOW", "")  # empty: the default
    timeouts = Timeouts.from_env()
    assert timeouts == Timeouts(connect=1.0, read=2.5, write=4.0, retry_window=4.0)
    assert timeouts.connect_args() == {"connect_timeout": 1.0, "read_timeout": 2.5,
                                       "write_timeout": 4.0}
    assert timeouts.probe_args() == {"connect_timeout": 1.0, "read_timeout": 1.0,
                                     "write_timeout": 1.0}


@pytest.mark.parametrize("value", ["0", "-1", "soon", "inf", "nan"])
def test_a_bad_timeout_is_refused_by_name(monkeypatch, value):
    monkeypatch.setenv("HBNB_MYSQL_READ_TIMEOUT", value)
    with pytest.raises(StorageError, match="HBNB_MYSQL_READ_TIMEOUT"):
        seconds_from_env("HBNB_MYSQL_READ_TIMEOUT")


def test_the_engine_takes_its_timeouts_from_the_environment(storage, monkeypatch):
    if not hasattr(storage, "engine"):
        pytest.skip("db engine only")
    from models.engine.db_storage import DBStorage

    monkeypatch.delenv("HBNB_ENV", raising=False)  # never drop the tables
    monkeypatch.setenv("HBNB_MYSQL_READ_TIMEOUT", "1.5")
    engine = DBStorage()
    try:
        assert engine.timeouts.read == 1.5
        raw = engine.engine.raw_connection()  # a real connection, set up with it
        try:
            assert raw.driver_connection._read_timeout == 1.5
            assert raw.driver_connection._write_timeout == DEFAULTS["HBNB_MYSQL_WRITE_TIMEOUT"]
        finally:
            raw.close()
    finally:
        engine.engine.dispose()


# -- a hung server is a bounded wait -------------------------------------------------
def test_a_hung_server_is_bounded_in_time(proxied, timed):
    proxied.storage.count(State)
    proxied.storage.close()
    proxied.proxy.hang()

    def read():
        try:
            proxied.storage.all(State)
        except sa_exc.OperationalError as error:
            return error
        return None
    error, took = timed(read)
    assert error is not None and is_unavailable(error)
    # The pre-ping's read timeout, then the new connection's greeting (0.5 s each).
    assert 0.4 < took < 2.5, took
    proxied.proxy.up()
    proxied.storage.close()
    assert proxied.storage.count(State) == 0


# -- close() never raises -------------------------------------------------------------
def kill_session_connection(storage):
    """KILL, on the real server, the connection the current session holds."""
    connection_id = storage.session.execute(text("SELECT CONNECTION_ID()")).scalar()
    with storage.engine.connect() as admin:
        admin.execute(text(f"KILL {connection_id}"))


def test_close_discards_a_session_whose_connection_died(storage, caplog):
    if not hasattr(storage, "engine"):
        pytest.skip("db engine only")
    State(name="Kept").save()
    assert len(storage.all(State)) == 1  # a transaction open on a connection
    kill_session_connection(storage)
    # Removing the session rolls back on a dead connection (2013): discarded.
    with caplog.at_level(logging.WARNING, logger="models.engine.db_storage"):
        storage.close()
    assert "storage session discarded" in caplog.text and "2013" in caplog.text
    # The thread's next session is a fresh one, on a live connection.
    assert [s.name for s in storage.all(State).values()] == ["Kept"]
    storage.close()


# -- ping -------------------------------------------------------------------------------
def test_ping_says_whether_the_server_answers_now(proxied, timed):
    proxied.storage.ping()  # up: returns
    proxied.proxy.down()
    with pytest.raises(StorageUnavailable):
        proxied.storage.ping()
    proxied.proxy.up()
    proxied.proxy.hang()
    _, took = timed(lambda: pytest.raises(StorageUnavailable, proxied.storage.ping))
    assert took < 1.5, took  # the probe's own short timeouts
    proxied.proxy.up()
    proxied.storage.ping()


def test_ping_of_a_stopped_server(unreachable):
    with pytest.raises(StorageUnavailable, match="2003|Can't connect"):
        unreachable.ping()


# -- which errors say "unavailable" ---------------------------------------------------
def test_connection_errors_are_unavailable(unreachable):
    with pytest.raises(sa_exc.OperationalError) as refused:
        unreachable.count(State)
    assert refused.value.orig.args[0] == 2003
    assert is_unavailable(refused.value)
    assert is_unavailable(StorageUnavailable("down"))
    assert is_unavailable(sa_exc.TimeoutError("QueuePool limit reached"))
    assert is_unavailable(pymysql.err.InterfaceError(0, ""))


@pytest.mark.parametrize("code, unavailable", [
    (2006, True), (2013, True), (2003, True), (1040, True), (1053, True),
    (1205, True), (1213, True), (1927, True), (4031, True),
    (1292, False), (1054, False),
])
def test_server_error_codes(code, unavailable):
    error = pymysql.err.OperationalError(code, "message")
    assert is_unavailable(error) is unavailable
    wrapped = sa_exc.OperationalError("SELECT 1", {}, error)
    assert is_unavailable(wrapped) is unavailable


def test_data_errors_are_not_unavailable(storage):
    """A write the server refuses stays a StorageError (400), not a 503."""
    if not hasattr(storage, "engine"):
        pytest.skip("db engine only")
    with pytest.raises(sa_exc.IntegrityError) as refused:
        with storage.engine.begin() as conn:
            conn.execute(text("INSERT INTO cities (id, created_at, updated_at, state_id, name)"
                              " VALUES ('c', NOW(), NOW(), 'no-such-state', 'x')"))
    assert not is_unavailable(refused.value)
    with pytest.raises(sa_exc.ProgrammingError) as bad_sql:
        with storage.engine.connect() as conn:
            conn.execute(text("SELECT * FROM no_such_table"))
    assert not is_unavailable(bad_sql.value)
    assert models.storage is storage
