"""API speed against data size (issue 2): prints figures, asserts nothing.

    .venv/bin/python bench/api_bench.py [--places 10000] [--requests 300]

One run, one MariaDB server (the local one tests/mysql-server.sh starts), one
Flask application; two databases of their own, never the test or dev ones:
  hbnb_bench_small_db   `python3 -m models.seed --places 1`  (baseline)
  hbnb_bench_db         `python3 -m models.seed --places N`  (loaded)
both made by the server's root account (Unix socket) for a user hbnb_bench
whose password is drawn afresh at each run. A database already holding the
right number of places is kept (seeding is deterministic), else re-seeded.

Figures, per database, through the Flask test client (the whole request path:
routing, storage, JSON), the storage session closed after each request as in
production:
- GET /api/v1/stats and GET /api/v1/places/<id>: median of --requests calls,
  and the ratio loaded/baseline (target: within 2x); stats twice: as served
  (its counts from MariaDB's query cache, which any write to the tables
  empties) and with the cache off for the connection, which is what the first
  stats after a write costs;
- POST /api/v1/places_search with one state and two amenities: SQL statements
  executed (an engine event listener counts them), median time, places found.
"""
from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
BENCH_USER = "hbnb_bench"
BASELINE_DB = "hbnb_bench_small_db"
LOADED_DB = "hbnb_bench_db"
BASELINE_PLACES = 1


def as_root(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run an admin command as root (root's MariaDB account uses the Unix socket)."""
    if os.geteuid() != 0:
        command = ["sudo", *command]
    return subprocess.run(command, check=True, **kwargs)


def prepare_server(password: str) -> None:
    """MariaDB up, the two bench databases and the bench user (new password)."""
    subprocess.run([str(REPO / "tests" / "mysql-server.sh")], check=True,
                   stdout=subprocess.DEVNULL)
    sql = [f"CREATE USER IF NOT EXISTS '{BENCH_USER}'@'localhost';",
           f"ALTER USER '{BENCH_USER}'@'localhost' IDENTIFIED BY '{password}';"]
    for database in (BASELINE_DB, LOADED_DB):
        sql += [f"CREATE DATABASE IF NOT EXISTS {database} "
                "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;",
                f"GRANT ALL PRIVILEGES ON {database}.* TO '{BENCH_USER}'@'localhost';"]
    as_root(["mariadb"], input="\n".join(sql), text=True)


def db_env(database: str, password: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("HBNB_")}  # never HBNB_ENV=test (drops tables)
    env.update(HBNB_TYPE_STORAGE="db", HBNB_MYSQL_USER=BENCH_USER,
               HBNB_MYSQL_PWD=password, HBNB_MYSQL_HOST="127.0.0.1",
               HBNB_MYSQL_DB=database, PYTHONPATH=str(REPO))
    return env


def ensure_seeded(database: str, places: int, password: str) -> None:
    """The database holds exactly `places` seeded places (seed --reset otherwise)."""
    env = db_env(database, password)
    count = subprocess.run(
        [sys.executable, "-c", "import models; from models.place import Place; "
                               "print(models.storage.count(Place))"],
        env=env, cwd=REPO, check=True, capture_output=True, text=True).stdout.strip()
    if count == str(places):
        print(f"{database}: {places} places already seeded")
        return
    print(f"{database}: seeding {places} places ...", flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "models.seed", "--places", str(places), "--reset"],
                   env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    print(f"{database}: seeded in {time.perf_counter() - started:.1f} s")


def interleaved_medians(calls: dict[str, Callable[[], object]], requests: int) -> dict:
    """Median time (ms) of each call, the calls taking turns so that a change of
    machine load (the host is shared) weighs on all of them alike."""
    for call in calls.values():
        call()  # warm-up (connection pool, caches)
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(requests):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


def targets(storage) -> dict:
    """What the requests ask for in one database: a place id, the state with the
    most places and the two amenities linked most often; and its sizes."""
    from sqlalchemy import func, select

    from models.amenity import Amenity
    from models.city import City
    from models.place import Place, place_amenity
    from models.review import Review

    session = storage.session
    found = {
        "place_id": session.scalar(select(Place.id).order_by(Place.id).limit(1)),
        "state_id": session.scalar(
            select(City.state_id).join(Place, Place.city_id == City.id)
            .group_by(City.state_id).order_by(func.count().desc(), City.state_id)
            .limit(1)),
        "amenity_ids": list(session.scalars(
            select(place_amenity.c.amenity_id).group_by(place_amenity.c.amenity_id)
            .order_by(func.count().desc(), place_amenity.c.amenity_id).limit(2))),
        "places": storage.count(Place), "reviews": storage.count(Review),
        "amenities": storage.count(Amenity),
    }
    storage.close()
    return found


def request_on(storage, send: Callable[[], object]) -> Callable[[], object]:
    """A call that runs one request with `storage` as models.storage."""
    import models

    def call():
        models.storage = storage
        response = send()
        assert response.status_code == 200, (response.status_code, response.json)
        return response
    return call


def without_query_cache(storage):
    """storage, its connections with MariaDB's query cache off: what GET /stats
    costs when its cached counts were just dropped (by any write to the tables)."""
    from sqlalchemy import event

    @event.listens_for(storage.engine, "connect")
    def cache_off(dbapi_connection, record):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET SESSION query_cache_type = OFF")
    storage.reload()
    return storage


def query_cache_mode(storage) -> str:
    from sqlalchemy import text

    with storage.engine.connect() as conn:
        if not conn.dialect.is_mariadb:
            return "none (MySQL)"
        return conn.scalar(text("SELECT @@global.query_cache_type"))


def count_statements(storage, call: Callable[[], object]) -> int:
    """SQL statements the engine runs during call()."""
    from sqlalchemy import event

    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)
    event.listen(storage.engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(storage.engine, "before_cursor_execute", record)
    return len(statements)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--places", type=int, default=10000, help="places in the loaded db")
    parser.add_argument("--requests", type=int, default=300,
                        help="requests per median (places_search: a tenth)")
    args = parser.parse_args(argv)

    password = secrets.token_urlsafe(24)
    prepare_server(password)
    ensure_seeded(BASELINE_DB, BASELINE_PLACES, password)
    ensure_seeded(LOADED_DB, args.places, password)

    # The application, storage engines built for each database on the same server.
    os.environ.update({key: value for key, value in db_env(LOADED_DB, password).items()
                       if key.startswith("HBNB_")})
    os.environ.pop("HBNB_ENV", None)
    sys.path.insert(0, str(REPO))
    import models
    from models.engine.db_storage import DBStorage, url_from_env
    from api.v1.app import create_app

    loaded_storage = models.storage
    baseline_storage = DBStorage(url_from_env().set(database=BASELINE_DB))
    baseline_storage.reload()
    uncached = {name: without_query_cache(DBStorage(url_from_env().set(database=database)))
                for name, database in (("baseline", BASELINE_DB), ("loaded", LOADED_DB))}
    client = create_app().test_client()

    storages = {"baseline": baseline_storage, "loaded": loaded_storage}
    wanted = {name: targets(storage) for name, storage in storages.items()}
    searches = {name: {"states": [found["state_id"]], "amenities": found["amenity_ids"]}
                for name, found in wanted.items()}

    def calls(make):
        return {name: request_on(storage, make(name)) for name, storage in storages.items()}

    figures = {
        "GET /api/v1/stats": interleaved_medians(
            calls(lambda name: lambda: client.get("/api/v1/stats")), args.requests),
        "GET /api/v1/stats, no cache": interleaved_medians(
            {name: request_on(storage, lambda: client.get("/api/v1/stats"))
             for name, storage in uncached.items()}, args.requests),
        "GET /api/v1/places/<id>": interleaved_medians(
            calls(lambda name: lambda: client.get(
                f"/api/v1/places/{wanted[name]['place_id']}")), args.requests),
    }
    search_calls = calls(lambda name: lambda: client.post("/api/v1/places_search",
                                                          json=searches[name]))
    search_requests = max(args.requests // 10, 10)
    figures["POST /api/v1/places_search"] = interleaved_medians(search_calls,
                                                                search_requests)
    statements = {name: count_statements(storages[name], search_calls[name])
                  for name in storages}
    found = {name: len(search_calls[name]().json) for name in storages}
    models.storage = loaded_storage

    print()
    print(f"API benchmark: Flask test client, MariaDB {BASELINE_DB} vs {LOADED_DB} on "
          f"127.0.0.1, median of {args.requests} requests each ({search_requests} for "
          "places_search), taking turns")
    print(f"server query cache: {query_cache_mode(loaded_storage)} (stats ask SQL_CACHE; "
          "'no cache': the first stats after a write)")
    print(f"{'':32}{'baseline':>10}{'loaded':>10}{'loaded/baseline':>17}")
    for label in ("places", "reviews", "amenities"):
        print(f"{label + ' in the database':32}{wanted['baseline'][label]:>10}"
              f"{wanted['loaded'][label]:>10}")
    for label, medians in figures.items():
        ratio = medians["loaded"] / medians["baseline"]
        print(f"{label + ' (ms)':32}{medians['baseline']:>10.2f}{medians['loaded']:>10.2f}"
              f"{ratio:>16.2f}x")
    print(f"{'places_search SQL statements':32}{statements['baseline']:>10}"
          f"{statements['loaded']:>10}")
    print(f"{'places_search places found':32}{found['baseline']:>10}{found['loaded']:>10}")
    print("places_search body: one state (the one with the most places) and the two "
          "most linked amenities")
    print("targets: stats and places/<id> within 2x of the baseline; places_search a "
          "handful of statements, the same at any size")
    return 0


if __name__ == "__main__":
    sys.exit(main())
