"""The storage teardown every Flask app of the clone registers: the REST API,
web_flask and web_dynamic (``init_app(app)``).

Each request ends with ``models.storage.close()``: the db engine gives its
session back, the file engine re-reads file.json, so the next request sees
what other processes wrote. ``models.storage`` is looked up at call time, so a
test that swaps the engine is seen too.
"""
from __future__ import annotations

import models


def close_storage(_error: BaseException | None = None) -> None:
    """teardown_appcontext hook: close the storage after every request."""
    models.storage.close()


def init_app(app) -> None:
    """Register close_storage on ``app`` (once, however many blueprints ask)."""
    if close_storage not in app.teardown_appcontext_funcs:
        app.teardown_appcontext(close_storage)
