"""What the storage-backed pages show, read through ``models.storage``.

Shared by web_flask's steps 7-100 and by every web_dynamic page. Each function
asks the storage a fixed number of questions whatever the number of rows (one
``all`` per class, not one query per state or per place), except where a page
needs one object's links (``state_with_cities``, ``amenities_by_place``).
``models.storage`` is looked up at call time, so a test that swaps the engine is
seen by every page.

The pages that list places on the server show the first PAGE_PLACES by name
(HBNB_PAGE_PLACES, default 50) and say how many there are in all: a page that
grew with every place (135 kB for 200, megabytes for 10,000) is bounded; the
others are in the API (GET /api/v1/cities/<id>/places, POST
/api/v1/places_search, both with ?limit=&offset=). ``page_data()`` is what
web_dynamic's pages show, as snapshots kept by a FingerprintCache
(web_flask/page_cache.py): while the tables do not change, a page costs one
query (answered by MariaDB's query cache) and its rendering.
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Iterable

from flask import Blueprint
from sqlalchemy import inspect as sa_inspect

import models
from models import teardown
from models.amenity import Amenity
from models.city import City
from models.place import Place
from models.state import State
from models.user import User
from web_flask.page_cache import FingerprintCache, ttl_from_env


def _places_from_env() -> int:
    text = os.getenv("HBNB_PAGE_PLACES", "").strip() or "50"
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"HBNB_PAGE_PLACES must be a positive integer, not {text!r}")
    return int(text)


# How many places a page renders on the server (the first by name).
PAGE_PLACES = _places_from_env()

# What page_data() shows, kept per process while these tables do not change.
PAGE_CLASSES = (State, City, Amenity, Place, User)
CACHE = FingerprintCache(ttl_from_env())


def by_name(objects: Iterable) -> list:
    """``objects`` sorted by name (id breaks ties, so the order is stable)."""
    return sorted(objects, key=lambda obj: (obj.name or "", obj.id))


def states() -> list:
    return by_name(models.storage.all(State).values())


def states_with_cities() -> list[tuple[State, list[City]]]:
    """Every state with its cities, both sorted by name."""
    cities = defaultdict(list)
    for city in models.storage.all(City).values():
        cities[city.state_id].append(city)
    return [(state, by_name(cities[state.id])) for state in states()]


def state_with_cities(state_id: str) -> tuple[State, list[City]] | None:
    """One state and its cities sorted by name, or None for an unknown id."""
    state = models.storage.get(State, state_id)
    if state is None:
        return None
    return state, by_name(models.storage.find(City, state_id=state.id))


def amenities() -> list:
    return by_name(models.storage.all(Amenity).values())


def places_with_owners(limit: int | None = None, *,
                       with_amenities: bool = False) -> list[tuple[Place, User | None]]:
    """The first ``limit`` places by name (PAGE_PLACES by default), with the
    user owning each: two queries (three with their amenities loaded)."""
    places = models.storage.search_places(
        limit=PAGE_PLACES if limit is None else limit,
        with_owners=True, with_amenities=with_amenities)
    return [(place, place.user) for place in places]


def places_total() -> int:
    """How many places there are (one query, query-cached on the db engine)."""
    return models.storage.count(Place)


def amenities_by_place(places: Iterable[Place]) -> dict[str, list[Amenity]]:
    """Each place's amenities sorted by name, keyed by place id (no query for
    places read with_amenities)."""
    return {place.id: by_name(place.amenities) for place in places}


def snapshot(obj: Any) -> SimpleNamespace:
    """The public column values of a stored object, detached from any storage."""
    return SimpleNamespace(**{attr.key: getattr(obj, attr.key)
                              for attr in sa_inspect(type(obj)).column_attrs
                              if not attr.key.startswith("_")})


@dataclass(frozen=True)
class PageData:
    """What the HBNB page shows, as snapshots (see page_data). ``rendered``:
    pages made from these data, by the caller's key (web_dynamic's versions),
    so they go when the data go."""

    states: list[tuple[SimpleNamespace, list[SimpleNamespace]]]  # by name, cities by name
    amenities: list[SimpleNamespace]
    places: list[tuple[SimpleNamespace, SimpleNamespace | None]]  # first PAGE_PLACES, owners
    places_total: int
    rendered: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


def read_page_data() -> PageData:
    return PageData(
        states=[(snapshot(state), [snapshot(city) for city in cities])
                for state, cities in states_with_cities()],
        amenities=[snapshot(amenity) for amenity in amenities()],
        places=[(snapshot(place), snapshot(owner) if owner is not None else None)
                for place, owner in places_with_owners()],
        places_total=places_total(),
    )


def page_data() -> PageData:
    """States with their cities, amenities, the first PAGE_PLACES places with
    their owners and the number of places: from this process's cache while
    the five tables are unchanged (one query), else read (seven queries)."""
    return CACHE.get("page", PAGE_CLASSES, read_page_data)


def storage_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint whose app closes the storage after each request."""
    blueprint = Blueprint(name, import_name)
    blueprint.record_once(lambda state: teardown.init_app(state.app))
    return blueprint
