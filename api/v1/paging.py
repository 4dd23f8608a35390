"""Optional paging of the API's lists: ``?limit=N&offset=M``.

The list routes (GET /states, /amenities, /users, /states/<id>/cities,
/cities/<id>/places, /places/<id>/reviews, /places/<id>/amenities) and POST
/places_search answer every object, which grows with the data (10,000 places
are megabytes). With ``limit`` and/or ``offset`` they answer that slice of the
very same order (offset objects skipped, at most limit given), cut in the
query on the db engine; without either, the answer is what it always was.
Each is a decimal integer from 0 to 2147483647; anything else (empty, signed,
not a number, too large) is a 400 naming the parameter. Other query
parameters are ignored, as before.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from flask import request

from api.v1.errors import ApiError

MAXIMUM = 2**31 - 1
NAMES = ("limit", "offset")


@dataclass(frozen=True)
class Page:
    """limit None: no limit; offset 0: from the first."""

    limit: Optional[int] = None
    offset: int = 0

    def storage_args(self) -> dict:
        """The keyword arguments of the storage's paged methods."""
        return {"limit": self.limit, "offset": self.offset}


def parameter(name: str) -> Optional[int]:
    text = request.args.get(name)
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()) or int(text) > MAXIMUM:
        raise ApiError(400, f"{name} must be an integer from 0 to {MAXIMUM}")
    return int(text)


def from_request() -> Page:
    """The request's page (400 for a bad limit or offset)."""
    limit, offset = (parameter(name) for name in NAMES)
    return Page(limit, offset or 0)


def query_parameters() -> list[dict]:
    """The OpenAPI 3.0 query parameters of a paged operation."""
    schema = {"type": "integer", "minimum": 0, "maximum": MAXIMUM}
    return [
        {"name": "limit", "in": "query", "required": False, "schema": dict(schema),
         "description": "At most this many objects (default: all)."},
        {"name": "offset", "in": "query", "required": False, "schema": dict(schema),
         "description": "Skip this many objects of the same order first (default 0)."},
    ]
