"""DBStorage specifics against the real MariaDB (db engine run only)."""
import threading

import pytest
from sqlalchemy import create_engine, text

import models
from models.engine.db_storage import DBStorage, url_from_env
from models.errors import StorageError
from models.state import State

pytestmark = pytest.mark.skipif(models.storage_t != "db", reason="db engine only")

TABLES = {"states", "cities", "users", "amenities", "places", "reviews", "place_amenity"}


def test_url_from_the_environment(monkeypatch):
    monkeypatch.setenv("HBNB_MYSQL_USER", "bob")
    monkeypatch.setenv("HBNB_MYSQL_PWD", "p@ss:w/rd")
    monkeypatch.setenv("HBNB_MYSQL_HOST", "db.local")
    monkeypatch.setenv("HBNB_MYSQL_PORT", "3307")
    monkeypatch.setenv("HBNB_MYSQL_DB", "hbnb")
    url = url_from_env()
    assert url.drivername == "mysql+pymysql"
    assert (url.username, url.password, url.host, url.port, url.database) == (
        "bob", "p@ss:w/rd", "db.local", 3307, "hbnb")
    assert url.query["charset"] == "utf8mb4"
    assert "p%40ss%3Aw%2Frd" in url.render_as_string(hide_password=False)


def test_missing_connection_settings_are_named(monkeypatch):
    monkeypatch.delenv("HBNB_MYSQL_USER")
    with pytest.raises(StorageError, match="HBNB_MYSQL_USER"):
        url_from_env()


def test_tables_are_innodb_utf8mb4(storage):
    rows = storage.session.execute(text(
        "SELECT table_name, engine, table_collation FROM information_schema.tables"
        " WHERE table_schema = DATABASE()")).all()
    found = {name: (engine, collation) for name, engine, collation in rows}
    assert TABLES <= set(found)
    for name in TABLES:
        assert found[name][0] == "InnoDB"
        assert found[name][1].startswith("utf8mb4")


def test_connection_is_utf8mb4_and_strict(storage):
    charset, mode = storage.session.execute(
        text("SELECT @@character_set_connection, @@SESSION.sql_mode")).one()
    assert charset == "utf8mb4"
    assert "STRICT_ALL_TABLES" in mode


def test_one_session_per_thread_and_close_removes_it(storage):
    mine = storage.session
    assert storage.session is mine
    theirs = []
    worker = threading.Thread(target=lambda: (theirs.append(storage.session), storage.close()))
    worker.start()
    worker.join()
    assert theirs[0] is not mine
    storage.close()
    assert storage.session is not mine


def test_a_dropped_connection_is_replaced(storage):
    """pool_pre_ping: a pooled connection the server killed is not handed out."""
    State(name="Ohio").save()
    connection_id = storage.session.scalar(text("SELECT CONNECTION_ID()"))
    storage.close()  # back to the pool
    killer = create_engine(storage.engine.url)
    with killer.connect() as connection:
        connection.execute(text(f"KILL CONNECTION {int(connection_id)}"))
    killer.dispose()
    assert storage.count(State) == 1
    assert storage.session.scalar(text("SELECT CONNECTION_ID()")) != connection_id


@pytest.mark.parametrize("environment, kept", [("test", False), ("development", True)])
def test_only_the_test_environment_drops_the_tables_at_start(storage, monkeypatch,
                                                             environment, kept):
    State(name="Ohio").save()
    storage.close()
    monkeypatch.setenv("HBNB_ENV", environment)
    other = DBStorage()
    try:
        with other.engine.connect() as connection:
            names = set(connection.execute(text("SHOW TABLES")).scalars())
        assert names & TABLES == (TABLES if kept else set())
        other.reload()  # creates the tables that are missing
        assert other.count(State) == (1 if kept else 0)
    finally:
        other.close()
        other.engine.dispose()
        storage.reload()  # a new session over the tables as they are now
