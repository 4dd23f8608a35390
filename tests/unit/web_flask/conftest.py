"""Fixtures of the web_flask tests: the numbered files' apps and test clients.

The numbered modules have dashes in their names (``0-hello_route``), so they
are loaded with importlib, as gunicorn does.
"""
import importlib

import pytest


def load_app(module: str):
    """The ``app`` of ``web_flask.<module>``."""
    return importlib.import_module(f"web_flask.{module}").app


@pytest.fixture
def client_of():
    """client_of("3-python_route") -> a test client of that file's app."""
    def make(module: str):
        app = load_app(module)
        app.config["TESTING"] = True
        return app.test_client()
    return make
