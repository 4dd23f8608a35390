"""What the storage-backed pages show, read through ``models.storage``.

Shared by web_flask's steps 7-100 and by every web_dynamic page. Each function
asks the storage a fixed number of questions whatever the number of rows (one
``all`` per class, not one query per state or per place), except where a page
needs one object's links (``state_with_cities``, ``amenities_by_place``).
``models.storage`` is looked up at call time, so a test that swaps the engine is
seen by every page.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from flask import Blueprint

import models
from models import teardown
from models.amenity import Amenity
from models.city import City
from models.place import Place
from models.state import State
from models.user import User


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


def places_with_owners() -> list[tuple[Place, User | None]]:
    """Every place sorted by name, with the user owning it."""
    users = {user.id: user for user in models.storage.all(User).values()}
    places = by_name(models.storage.all(Place).values())
    return [(place, users.get(place.user_id)) for place in places]


def amenities_by_place(places: Iterable[Place]) -> dict[str, list[Amenity]]:
    """Each place's amenities sorted by name, keyed by place id."""
    return {place.id: by_name(models.storage.amenities_of(place)) for place in places}


def storage_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint whose app closes the storage after each request."""
    blueprint = Blueprint(name, import_name)
    blueprint.record_once(lambda state: teardown.init_app(state.app))
    return blueprint
