"""Fixtures of the web_dynamic tests: each page version's app and test client,
and storage filled by the seed command's code."""
import importlib

import pytest

# The seed spreads 60 places over 3 cities of 3 states (with all 50 states,
# 20 amenities, 6 users and their reviews).
SEED_PLACES = 60
SEED = 3


@pytest.fixture
def app_of():
    """app_of("2-hbnb") -> the ``app`` of web_dynamic/2-hbnb.py."""
    def load(version: str):
        app = importlib.import_module(f"web_dynamic.{version}").app
        app.config["TESTING"] = True
        return app
    return load


@pytest.fixture
def client_of(app_of):
    """client_of("2-hbnb") -> a test client of that version's app."""
    return lambda version: app_of(version).test_client()


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
