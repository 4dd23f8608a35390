"""The storage teardown every Flask app of the clone registers: the REST API,
web_flask and web_dynamic (``init_app(app)``).

Each request ends with ``models.storage.close()``: the db engine gives its
session back, the file engine re-reads file.json, so the next request sees
what other processes wrote. ``models.storage`` is looked up at call time, so a
test that swaps the engine is seen too.

The teardown never raises: it runs after the answer was made, and an exception
there would replace that answer by Gunicorn's bare HTML "Internal Server Error"
(a database restarted under load did that: the session's rollback met a dead
connection). The error is logged; the db engine has already discarded the
session by then (DBStorage.close()).
"""
from __future__ import annotations

import logging

import models

log = logging.getLogger(__name__)


def close_storage(_error: BaseException | None = None) -> None:
    """teardown_appcontext hook: close the storage after every request."""
    try:
        models.storage.close()
    except Exception:  # noqa: BLE001 (the answer is made: log, never raise)
        log.exception("closing the storage at the end of a request failed")


def init_app(app) -> None:
    """Register close_storage on ``app`` (once, however many blueprints ask)."""
    if close_storage not in app.teardown_appcontext_funcs:
        app.teardown_appcontext(close_storage)
