"""JSON bodies for every error the API answers: never an HTML page.

Views raise ApiError(status, message) for the spec's messages ("Not a JSON",
"Missing name"...); every other HTTP error (unknown route, wrong method, body too
large, unexpected exception) is turned into {"error": "<reason>"} here. A
database out of reach (stopped, restarting, hung) is a 503 "Service Unavailable"
with Retry-After (models/unavailable.py decides which errors say so; a GET is
first run once more when the database is back: models/read_retry.py).
"""
from flask import jsonify
from werkzeug.exceptions import HTTPException, InternalServerError

from models import unavailable

# The spec spells 404 "Not found"; the other reasons are the standard phrases.
REASONS = {404: "Not found"}


class ApiError(Exception):
    """An error answer decided by a view: status code and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def not_found() -> ApiError:
    """The spec's answer to an unknown route or id."""
    return ApiError(404, REASONS[404])


def error_response(status: int, message: str):
    """{"error": message} with the status."""
    response = jsonify(error=message)
    response.status_code = status
    return response


def handle_api_error(error: ApiError):
    return error_response(error.status, error.message)


def handle_http_exception(error: HTTPException):
    """Werkzeug's errors (404, 405, 413...) as JSON, keeping headers such as Allow."""
    status = error.code or 500
    response = error_response(status, REASONS.get(status, error.name))
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_internal_error(error: InternalServerError):
    """Any unexpected exception (already logged by Flask): a JSON 500."""
    return error_response(500, "Internal Server Error")


def unavailable_body(_error: BaseException):
    """The body of the 503 models.unavailable answers (it adds Retry-After)."""
    return error_response(503, "Service Unavailable")


def register(app) -> None:
    """Install the handlers on the application."""
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(InternalServerError, handle_internal_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    unavailable.init_app(app, unavailable_body)
