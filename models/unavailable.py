"""When the database is out of reach: which errors say so, and how the web apps
(the REST API, web_flask, web_dynamic) answer them.

A stopped, restarting or hung MariaDB reaches the code as a PyMySQL
OperationalError or InterfaceError (2003 cannot connect, 2006 gone away, 2013
lost connection or timed out, a closed connection...), wrapped by SQLAlchemy,
from a storage call or from a lazy load while a template renders; a pool with
no free connection as SQLAlchemy's TimeoutError. None of these is the client's
fault nor a bug: the answer is 503 with Retry-After, not 500. Errors caused by
the data written (IntegrityError, DataError) are not among them: the storage
raises those as StorageError, a 400. Server errors that are neither (a syntax
error: a bug) stay 500.

``init_app(app, respond)`` registers the handler (``respond(error)`` makes the
body: JSON for the API, a short HTML page for the pages; the Retry-After header
is added here) and the read retry (models/read_retry.py): a GET answered 503
this way runs once more when the database is back, within its window.
"""
from __future__ import annotations

import logging
from typing import Callable

import pymysql
from flask import request
from sqlalchemy import exc as sa_exc

from models.errors import StorageUnavailable

log = logging.getLogger(__name__)

# Seconds a client is told to wait (a MariaDB restart takes one or two).
RETRY_AFTER = 5

# Set in the WSGI environ of a request answered 503 by this module (read_retry
# looks for it).
ENVIRON_KEY = "hbnb.storage_unavailable"

# Server error codes that say "not now" rather than "wrong": too many
# connections, shutdown in progress, lock wait timeout, deadlock, connection
# killed, aborted or dropped by the server for inactivity, network errors.
TRANSIENT_SERVER_CODES = frozenset({1040, 1053, 1152, 1153, 1158, 1159, 1160, 1161,
                                    1205, 1213, 1927, 4031})

# Exception classes the handler is registered for; is_unavailable() decides.
HANDLED = (StorageUnavailable, sa_exc.DBAPIError, sa_exc.TimeoutError,
           sa_exc.DisconnectionError, pymysql.err.MySQLError)


def is_unavailable(error: BaseException) -> bool:
    """True when error says the database cannot be reached or answer now."""
    if isinstance(error, (StorageUnavailable, sa_exc.TimeoutError, sa_exc.DisconnectionError)):
        return True
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:  # SQLAlchemy's own "disconnect" verdict
            return True
        error = error.orig
    if isinstance(error, pymysql.err.InterfaceError):  # a closed connection
        return True
    if isinstance(error, pymysql.err.OperationalError):
        code = error.args[0] if error.args and isinstance(error.args[0], int) else 0
        # 2000-2999: the client library's own errors (CR_*): no connection.
        return 2000 <= code < 3000 or code in TRANSIENT_SERVER_CODES
    return False


def init_app(app, respond: Callable[[BaseException], object]) -> None:
    """Answer the app's unavailable-database errors with respond(error) as a 503
    carrying Retry-After, and retry its reads (models/read_retry.py)."""
    from models import read_retry

    def handle(error: BaseException):
        if not is_unavailable(error):
            raise error  # Flask's 500, as before
        log.warning("%s %s: database unavailable: %s", request.method, request.path,
                    str(error).splitlines()[0] if str(error) else type(error).__name__)
        request.environ[ENVIRON_KEY] = True
        response = app.make_response(respond(error))
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response

    for cls in HANDLED:
        app.register_error_handler(cls, handle)
    read_retry.install(app)
