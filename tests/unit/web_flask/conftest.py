"""Fixtures of the web_flask tests: the numbered files' apps (``app_of``, ``client_of``) and
seeded storage come from tests/unit/conftest.py for this package."""
import pytest


@pytest.fixture
def page_package():
    return "web_flask"
