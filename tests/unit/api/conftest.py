"""Fixtures of the REST API tests.

- ``app``: a fresh application from create_app() over the ``storage`` fixture
  (the configured engine, emptied before each test).
- ``client``: its test client, which checks EVERY answer against the OpenAPI
  document the app serves: a documented route's status must be documented for
  that method and the JSON body must match the documented schema; any other
  answer (unknown route, wrong method) must be a JSON {"error": ...}.
- ``world``: one object of each class, linked (state > city > place < user,
  review, amenity linked to the place), made through the models, not the API;
  ``world.fill(path_or_body)`` puts its ids in place of ``{state_id}``...
- ``unchanged``: asserts that a block of code writes nothing (every object of
  every class and every place-amenity link, compared before and after).
"""
from __future__ import annotations

import contextlib
import copy
import json

import pytest
from flask.testing import FlaskClient
from openapi_schema_validator import OAS30Validator
from werkzeug.exceptions import HTTPException

PREFIX = "/api/v1"


def resolve_refs(schema, document):
    """The schema with every "$ref" replaced by its target (no recursive schemas)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            target = document
            for part in schema["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return resolve_refs(target, document)
        return {key: resolve_refs(value, document) for key, value in schema.items()}
    if isinstance(schema, list):
        return [resolve_refs(item, document) for item in schema]
    return schema


def documented_operation(app, method, path):
    """(OpenAPI path, operation) for a request, or None when no route matches."""
    adapter = app.url_map.bind("localhost")
    try:
        rule, _ = adapter.match(path, method=method, return_rule=True)
    except HTTPException:
        return None
    from api.v1.openapi import openapi_path
    template = openapi_path(rule.rule)
    operation = app.extensions["openapi"]["paths"][template][method.lower()]
    return template, operation


class DocumentedClient(FlaskClient):
    """A test client that holds every answer to the served OpenAPI document."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        request = response.request
        if request.path.startswith(PREFIX) and request.method not in ("HEAD", "OPTIONS"):
            self.check(request.method, request.path, response)
        return response

    def check(self, method, path, response):
        assert response.mimetype == "application/json", (
            f"{method} {path} -> {response.status_code} {response.mimetype}, not JSON")
        body = json.loads(response.get_data(as_text=True))
        document = self.application.extensions["openapi"]
        found = documented_operation(self.application, method, path)
        if found is None:  # no route: 404 or 405, with the JSON error body
            assert response.status_code in (404, 405), (method, path, response.status_code)
            schema = document["components"]["schemas"]["Error"]
        else:
            template, operation = found
            documented = operation["responses"]
            status = str(response.status_code)
            assert status in documented, (
                f"{method} {template} answered {status}, documented: {sorted(documented)}"
                f" (body {body})")
            schema = documented[status]["content"]["application/json"]["schema"]
        OAS30Validator(resolve_refs(schema, document)).validate(body)


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch):
    """Real pbkdf2 hashes with fewer rounds: werkzeug's default costs ~0.5 s each."""
    from models.user import User

    monkeypatch.setattr(User, "PASSWORD_METHOD", "pbkdf2:sha256:1000")


@pytest.fixture
def app(storage):
    from api.v1.app import create_app

    application = create_app({"TESTING": True})
    application.test_client_class = DocumentedClient
    return application


@pytest.fixture
def client(app):
    return app.test_client()


class World:
    """One linked object of each class, made through the models."""

    def __init__(self, storage):
        from models.amenity import Amenity
        from models.city import City
        from models.place import Place
        from models.review import Review
        from models.state import State
        from models.user import User

        self.state = State(name="California")
        self.state.save()
        self.city = City(name="San Francisco", state_id=self.state.id)
        self.city.save()
        self.user = User(email="owner@example.com", password="s3cret",
                         first_name="Betty", last_name="Holberton")
        self.user.save()
        self.place = Place(name="Loft", city_id=self.city.id, user_id=self.user.id,
                           number_rooms=2, price_by_night=100, latitude=37.77,
                           longitude=-122.41)
        self.place.save()
        self.amenity = Amenity(name="Wifi")
        self.amenity.save()
        self.review = Review(text="Great", place_id=self.place.id, user_id=self.user.id)
        self.review.save()
        storage.link_amenity(self.place, self.amenity)
        self.ids = {
            "state_id": self.state.id, "city_id": self.city.id, "user_id": self.user.id,
            "place_id": self.place.id, "amenity_id": self.amenity.id,
            "review_id": self.review.id,
        }
        storage.close()

    def fill(self, value):
        """A path or body with this world's ids in place of {state_id}-style names."""
        if isinstance(value, str):
            return value.format(**self.ids)
        if isinstance(value, dict):
            return {key: self.fill(item) for key, item in value.items()}
        return value


@pytest.fixture
def world(storage):
    return World(storage)


@pytest.fixture
def make_world(storage):
    """World factory, for tests that need several fresh worlds."""
    return lambda: World(storage)


def snapshot(storage):
    """Every stored object (as to_dict) and every place-amenity link, read afresh."""
    from models.place import Place
    from models.user import User

    storage.close()
    objects = {key: obj.to_dict() for key, obj in storage.all().items()}
    # The password hash is not in to_dict(); a write must not change it either.
    hashes = {user.id: user.password for user in storage.all(User).values()}
    links = {place.id: sorted(amenity.id for amenity in storage.amenities_of(place))
             for place in storage.all(Place).values()}
    storage.close()
    return copy.deepcopy({"objects": objects, "hashes": hashes, "links": links})


@pytest.fixture
def unchanged(storage):
    """with unchanged(): ... asserts that nothing stored changed inside the block."""
    @contextlib.contextmanager
    def check():
        before = snapshot(storage)
        yield
        after = snapshot(storage)
        assert after == before
    return check
