"""Fixtures of the web_dynamic tests: each page version's app (``app_of``, ``client_of``) and
seeded storage come from tests/unit/conftest.py for this package."""
import pytest


@pytest.fixture
def page_package():
    return "web_dynamic"
