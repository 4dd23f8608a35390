"""Shared pytest set-up of every suite under tests/.

- The repository root goes first on sys.path, so ``import models``, ``api``,
  ``web_flask``... work whatever directory pytest runs from.
- Markers: ``slow`` (long tests), ``browser`` (needs Chromium).
- Storage safety, before anything imports ``models``: on the file engine with
  no HBNB_FILE_STORAGE_PATH, a temporary file is used (never ./file.json); on
  the db engine with no HBNB_MYSQL_DB, the test twin from setup_mysql_test.sql
  on 127.0.0.1 with HBNB_ENV=test. A db run holds a lock on its database
  name for its whole life, so two runs on one machine (helpers, CI) take turns
  instead of dropping each other's tables.
- Fixture ``storage`` (used by the models, api, web_flask, web_dynamic and
  browser tests): ``models.storage``, emptied before the test and closed after
  it, on whichever engine HBNB_TYPE_STORAGE selects. It refuses a database
  that is not a test one (HBNB_ENV must be "test").

tests/infra has its own conftest.py; nothing here touches the lab.
"""
import fcntl
import os
import sys
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

TEST_DATABASE = {
    "HBNB_MYSQL_USER": "hbnb_test",
    "HBNB_MYSQL_PWD": "hbnb_test_pwd",
    "HBNB_MYSQL_HOST": "127.0.0.1",
    "HBNB_MYSQL_DB": "hbnb_test_db",
    "HBNB_ENV": "test",
}



def _storage_environment():
    """Done when this file is imported: pytest imports it (the parent of every
    suite) before the suites' conftests, which may import models."""
    if os.getenv("HBNB_TYPE_STORAGE") == "db":
        if not os.getenv("HBNB_MYSQL_DB"):
            for name, value in TEST_DATABASE.items():
                os.environ.setdefault(name, value)
    elif not os.getenv("HBNB_FILE_STORAGE_PATH"):
        directory = tempfile.mkdtemp(prefix="hbnb-tests-")
        os.environ["HBNB_FILE_STORAGE_PATH"] = os.path.join(directory, "file.json")


_storage_environment()


def _lock_test_database():
    """One test run at a time per test database on this machine: runs at the
    same time would drop and empty each other's tables. The lock is held until
    this process ends (xdist workers run under their controller's lock)."""
    if os.getenv("HBNB_TYPE_STORAGE") != "db" or os.getenv("PYTEST_XDIST_WORKER"):
        return None
    name = os.environ["HBNB_MYSQL_DB"]
    handle = open(os.path.join(tempfile.gettempdir(), f"hbnb-tests-{name}.lock"), "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"conftest: waiting for another test run on {name} to finish",
              file=sys.stderr, flush=True)
        fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


_DATABASE_LOCK = _lock_test_database()


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a long test (seeding thousands of rows...)")
    config.addinivalue_line("markers", "browser: drives a real Chromium")


def pytest_report_header(config):
    engine = "db" if os.getenv("HBNB_TYPE_STORAGE") == "db" else "file"
    where = (os.getenv("HBNB_MYSQL_DB") if engine == "db"
             else os.getenv("HBNB_FILE_STORAGE_PATH"))
    return f"hbnb storage engine: {engine} ({where})"


@pytest.fixture
def storage():
    """models.storage, empty at the start of the test, closed at its end."""
    import models

    if models.storage_t == "db" and os.getenv("HBNB_ENV") != "test":
        pytest.fail("refusing to empty a database without HBNB_ENV=test")
    models.storage.close()
    models.storage.truncate()
    yield models.storage
    models.storage.close()
