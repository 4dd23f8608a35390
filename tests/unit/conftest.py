"""Fixtures of the unit tests (tests/unit/*).

``storage`` comes from tests/conftest.py (the browser test uses it too): the
configured engine, emptied before each test. Here:

- ``sql_statements``: on the db engine, the list of SQL statements the engine
  runs while the test holds it (for "one query" assertions); on the file
  engine the test is skipped (there is no SQL to count).
- ``engine_name``: "db" or "file".
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
