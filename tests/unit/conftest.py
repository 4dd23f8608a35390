"""Fixtures of the unit tests (tests/unit/*).

``storage`` comes from tests/conftest.py (the browser test uses it too): the
configured engine, emptied before each test. Here:

- ``sql_statements``: on the db engine, the list of SQL statements the engine
  runs while the test holds it (for "one query" assertions); on the file
  engine the test is skipped (there is no SQL to count).
- ``engine_name``: "db" or "file".
- ``app_of``/``client_of``/``seeded``: the page tests' apps and seeded storage.
"""
import pytest


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
