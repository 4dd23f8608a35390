"""Fixtures of the web_flask tests: the numbered files' apps and test clients,
and storage filled by the seed command's code.

The numbered modules have dashes in their names (``0-hello_route``), so they
are loaded with importlib, as gunicorn does.
"""
import importlib

import pytest

# The seed spreads 60 places over 3 cities of 3 states (with all 50 states,
# 20 amenities, 6 users and their reviews).
SEED_PLACES = 60
SEED = 3


@pytest.fixture
def app_of():
    """app_of("3-python_route") -> the ``app`` of that file."""
    def load(module: str):
        app = importlib.import_module(f"web_flask.{module}").app
        app.config["TESTING"] = True
        return app
    return load


@pytest.fixture
def client_of(app_of):
    """client_of("3-python_route") -> a test client of that file's app."""
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
