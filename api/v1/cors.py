"""CORS for /api/v1/*: any origin may call the API from a browser.

A dozen lines instead of a dependency: every answer under the prefix (errors
included) carries Access-Control-Allow-Origin: *, and the answer to a preflight
OPTIONS request (Flask answers OPTIONS for every route by itself, with an Allow
header; here it becomes an empty 204) also says which methods and headers the
real request may use. No
credentials are involved, so the wildcard origin is allowed by browsers.
"""
from flask import request

PREFIX = "/api/v1"
PREFLIGHT_MAX_AGE = "600"  # seconds a browser may cache a preflight answer


def add_cors_headers(response):
    """after_request hook: the CORS headers of an answer under the prefix."""
    if request.path != PREFIX and not request.path.startswith(PREFIX + "/"):
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS" and response.status_code == 200 \
            and "Allow" in response.headers:
        # Flask's automatic answer is an empty 200 labelled text/html: make it
        # the usual empty 204 with no content type at all.
        response.status_code = 204
        response.headers.pop("Content-Type", None)
        response.headers["Access-Control-Allow-Methods"] = response.headers["Allow"]
        response.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", "Content-Type")
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def register(app) -> None:
    app.after_request(add_cors_headers)
