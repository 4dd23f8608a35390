"""counts() and count() on the db engine ask MariaDB's query cache for their
result (SQL_CACHE, query_cache_type=DEMAND on the lab's server and on the one
tests/mysql-server.sh starts): the counts must come from the cache when nothing
changed, and stay exact when rows change behind the application's back, by
ON DELETE CASCADE or by SQL typed by hand (db engine only)."""
import pytest
from sqlalchemy import text

import models

from models.place import Place
from models.state import State


@pytest.fixture
def db(storage):
    """The db engine's SQLAlchemy engine, connected (so its dialect knows the server)."""
    if not hasattr(storage, "engine"):
        pytest.skip("the query cache: db engine only")
    storage.count(State)
    storage.close()
    return storage.engine


@pytest.fixture
def mariadb(db):
    if not db.dialect.is_mariadb:
        pytest.skip("MySQL has no query cache (removed in MySQL 8); counts are read each time")
    with db.connect() as conn:
        mode = conn.scalar(text("SELECT @@global.query_cache_type"))
    assert mode == "DEMAND", (
        f"MariaDB's query_cache_type is {mode}: the lab's server runs with DEMAND "
        "(provision/files/mysql/hbnb-lab.cnf); tests/mysql-server.sh sets it here")
    return db


def cache_hits(engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SHOW GLOBAL STATUS LIKE 'Qcache_hits'")).one()[1])


def read_counts(engine) -> dict[str, int]:
    """The six counts read from the tables themselves (SQL_NO_CACHE)."""
    with engine.connect() as conn:
        return {name: conn.scalar(text(f"SELECT SQL_NO_CACHE COUNT(*) FROM {cls.__tablename__}"))
                for name, cls in models.classes.items()}


def by_hand(engine, statement: str, **values) -> None:
    """SQL from outside the application (a checker, a student at the mysql prompt)."""
    with engine.begin() as conn:
        conn.execute(text(statement), values)


def test_counts_are_the_query_cache_s_second_time(storage, world, mariadb):
    first = storage.counts()
    storage.close()
    hits = cache_hits(mariadb)
    assert storage.counts() == first
    assert storage.count(Place) == 4
    storage.close()
    assert storage.count(Place) == 4
    assert cache_hits(mariadb) - hits >= 2, "counts() and count(Place) were not served by the cache"


def test_counts_stay_exact_after_a_cascade_by_hand(storage, world, db):
    before = storage.counts()
    storage.close()
    assert before == read_counts(db)
    # State Alpha: its 2 cities, their 2 places, 1 review and 3 amenity links
    # go with it, by the database's ON DELETE CASCADE alone.
    by_hand(db, "DELETE FROM states WHERE id = :id", id=world.s1.id)
    after = storage.counts()
    storage.close()
    assert after == read_counts(db)
    assert (after["State"], after["City"], after["Place"], after["Review"]) == (1, 1, 2, 1)
    assert storage.count(Place) == 2


def test_counts_stay_exact_after_an_insert_by_hand(storage, world, db):
    assert storage.count(State) == 2
    storage.close()
    by_hand(db, "INSERT INTO states (id, created_at, updated_at, name) "
                "VALUES ('by-hand', NOW(), NOW(), 'Gamma')")
    assert storage.count(State) == 3
    assert storage.counts()["State"] == 3
    storage.close()


def test_a_transaction_sees_its_own_rows_not_the_cached_count(storage, world, db):
    """Inside a transaction that added a row, the count includes it; others still
    see the committed count until the commit."""
    storage.count(State)
    storage.close()
    with db.connect() as conn:
        conn.execute(text("INSERT INTO states (id, created_at, updated_at, name) "
                          "VALUES ('uncommitted', NOW(), NOW(), 'Delta')"))
        assert conn.scalar(text("SELECT SQL_CACHE COUNT(*) FROM states")) == 3
        assert storage.count(State) == 2
        storage.close()
        conn.commit()
    assert storage.count(State) == 3
