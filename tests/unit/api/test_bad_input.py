"""Bad input on every endpoint that reads a body: the right status, the JSON
error, and nothing written (every object, password hash and link compared
before and after).

Validation order (spec): unknown parent or object -> 404; not a JSON object ->
400 "Not a JSON"; missing field -> 400 "Missing <field>"; wrong type, too long,
out of range -> 400 "<field> must ..."; unknown user_id -> 404.
"""
import json

import pytest

from api.v1.app import MAX_CONTENT_LENGTH

# (method, path, a valid body); paths and values may name the world's ids.
WRITES = {
    "create_state": ("POST", "/api/v1/states", {"name": "Nevada"}),
    "update_state": ("PUT", "/api/v1/states/{state_id}", {"name": "Utah"}),
    "create_amenity": ("POST", "/api/v1/amenities", {"name": "Pool"}),
    "update_amenity": ("PUT", "/api/v1/amenities/{amenity_id}", {"name": "Sauna"}),
    "create_user": ("POST", "/api/v1/users", {"email": "n@example.com", "password": "pw"}),
    "update_user": ("PUT", "/api/v1/users/{user_id}", {"first_name": "Ada"}),
    "create_city": ("POST", "/api/v1/states/{state_id}/cities", {"name": "Reno"}),
    "update_city": ("PUT", "/api/v1/cities/{city_id}", {"name": "Vegas"}),
    "create_place": ("POST", "/api/v1/cities/{city_id}/places",
                     {"user_id": "{user_id}", "name": "Cabin"}),
    "update_place": ("PUT", "/api/v1/places/{place_id}", {"name": "Hut"}),
    "create_review": ("POST", "/api/v1/places/{place_id}/reviews",
                      {"user_id": "{user_id}", "text": "Nice"}),
    "update_review": ("PUT", "/api/v1/reviews/{review_id}", {"text": "Meh"}),
    "places_search": ("POST", "/api/v1/places_search", {}),
}
CREATES = {name: write for name, write in WRITES.items() if name.startswith("create_")}

NOT_JSON = {
    "empty body": (b"", None),
    "form": (b"name=Nevada", "application/x-www-form-urlencoded"),
    "plain text": (b"hello", "text/plain"),
    "broken JSON": (b'{"name": "Nevada"', "application/json"),
    "single quotes": (b"{'name': 'Nevada'}", "application/json"),
    "array": (b'[{"name": "Nevada"}]', "application/json"),
    "string": (b'"Nevada"', "application/json"),
    "number": (b"42", "application/json"),
    "null": (b"null", "application/json"),
    "true": (b"true", "application/json"),
    "invalid UTF-8": (b'{"name": "\xff\xfe"}', "application/json"),
    "deep nesting": (b"[" * 60000, "application/json"),
    "deep object nesting": (b'{"a":' * 12000, "application/json"),
    "JSON without content type": (b"[]", None),
}


def send(client, world, write, body=None, raw=None, content_type="application/json"):
    method, path, valid = write
    if raw is None:
        raw = json.dumps(world.fill(valid if body is None else body))
    return client.open(world.fill(path), method=method, data=raw,
                       content_type=content_type)


def assert_error(response, status, message):
    assert (response.status_code, response.json) == (status, {"error": message})


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
@pytest.mark.parametrize("case", NOT_JSON, ids=list(NOT_JSON))
def test_not_a_json(client, world, unchanged, write, case):
    raw, content_type = NOT_JSON[case]
    with unchanged():
        response = send(client, world, WRITES[write], raw=raw, content_type=content_type)
    assert_error(response, 400, "Not a JSON")


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_body_over_limit_is_413(client, world, unchanged, write):
    raw = json.dumps({"name": "x" * MAX_CONTENT_LENGTH}).encode()
    with unchanged():
        response = send(client, world, WRITES[write], raw=raw)
    assert_error(response, 413, "Request Entity Too Large")


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_body_just_under_limit_is_read(client, world, write):
    """The limit is the body size, not a smaller one: 60 KiB of valid JSON (an
    unknown padding field beside valid ones) is read and accepted (200/201), not 413."""
    method, path, valid = WRITES[write]
    body = {**world.fill(valid), "padding": "x" * (60 * 1024)}
    response = send(client, world, WRITES[write], body=body)
    assert response.status_code in (200, 201)


@pytest.mark.parametrize("write", [w for w in WRITES if "{" in WRITES[w][1]])
def test_unknown_object_comes_before_not_a_json(client, world, unchanged, write):
    method, path, _ = WRITES[write]
    path = path.format(**{name: "no-such-id" for name in world.ids})
    with unchanged():
        response = client.open(path, method=method, data=b"not json")
    assert_error(response, 404, "Not found")


# -- missing fields, in the spec's order ------------------------------------------
MISSING = [
    ("create_state", {}, "Missing name"),
    ("create_state", {"nom": "x"}, "Missing name"),
    ("create_amenity", {}, "Missing name"),
    ("create_city", {"state_id": "{state_id}"}, "Missing name"),
    ("create_user", {}, "Missing email"),
    ("create_user", {"password": "pw"}, "Missing email"),
    ("create_user", {"email": "a@example.com"}, "Missing password"),
    ("create_place", {}, "Missing user_id"),
    ("create_place", {"name": "Cabin"}, "Missing user_id"),
    ("create_place", {"user_id": "{user_id}"}, "Missing name"),
    # A missing field is reported before the user_id is looked up.
    ("create_place", {"user_id": "no-such-user"}, "Missing name"),
    ("create_review", {}, "Missing user_id"),
    ("create_review", {"text": "Nice"}, "Missing user_id"),
    ("create_review", {"user_id": "{user_id}"}, "Missing text"),
    ("create_review", {"user_id": "no-such-user"}, "Missing text"),
]


@pytest.mark.parametrize("write, body, message", MISSING)
def test_missing_field(client, world, unchanged, write, body, message):
    with unchanged():
        response = send(client, world, WRITES[write], body=body)
    assert_error(response, 400, message)


def test_unknown_user_id_after_the_fields(client, world, unchanged):
    with unchanged():
        for write, body in (("create_place", {"user_id": "no-such-user", "name": "X"}),
                            ("create_review", {"user_id": "no-such-user", "text": "X"})):
            assert_error(send(client, world, WRITES[write], body=body), 404, "Not found")


# -- wrongly typed, too long, out of range --------------------------------------
BAD_VALUES = [
    # (field, value, message); the writes where the field is accepted are found below.
    ("name", 5, "name must be a string"),
    ("name", None, "name must be a string"),
    ("name", True, "name must be a string"),
    ("name", ["Nevada"], "name must be a string"),
    ("name", {"text": "Nevada"}, "name must be a string"),
    ("name", "", "name must not be empty"),
    ("name", "x" * 129, "name must be at most 128 characters"),
    ("email", 5, "email must be a string"),
    ("email", "x" * 129, "email must be at most 128 characters"),
    ("password", 12345, "password must be a string"),
    ("password", "", "password must not be empty"),
    ("password", "x" * 129, "password must be at most 128 characters"),
    ("first_name", 5, "first_name must be a string"),
    ("last_name", "x" * 129, "last_name must be at most 128 characters"),
    ("user_id", 5, "user_id must be a string"),
    ("text", 5, "text must be a string"),
    ("text", "", "text must not be empty"),
    ("text", "x" * 1025, "text must be at most 1024 characters"),
    ("description", 5, "description must be a string"),
    ("description", "x" * 1025, "description must be at most 1024 characters"),
    ("number_rooms", "x", "number_rooms must be an integer"),
    ("number_rooms", "3", "number_rooms must be an integer"),
    ("number_rooms", 3.5, "number_rooms must be an integer"),
    ("number_rooms", 3.0, "number_rooms must be an integer"),
    ("number_rooms", True, "number_rooms must be an integer"),
    ("number_rooms", None, "number_rooms must be an integer"),
    ("number_rooms", -1, "number_rooms must be between 0 and 2147483647"),
    ("number_bathrooms", 2**31, "number_bathrooms must be between 0 and 2147483647"),
    ("max_guest", 10**30, "max_guest must be between 0 and 2147483647"),
    ("price_by_night", -1, "price_by_night must be between 0 and 2147483647"),
    ("price_by_night", "100", "price_by_night must be an integer"),
    ("latitude", "48.8", "latitude must be a number"),
    ("latitude", None, "latitude must be a number"),
    ("latitude", False, "latitude must be a number"),
    ("latitude", 90.5, "latitude must be between -90 and 90"),
    ("latitude", -91, "latitude must be between -90 and 90"),
    ("longitude", 180.01, "longitude must be between -180 and 180"),
    ("longitude", [1], "longitude must be a number"),
]
# Writable fields of each write (PUT leaves out the fixed ones).
FIELDS = {
    "create_state": {"name"}, "update_state": {"name"},
    "create_amenity": {"name"}, "update_amenity": {"name"},
    "create_city": {"name"}, "update_city": {"name"},
    "create_user": {"email", "password", "first_name", "last_name"},
    "update_user": {"password", "first_name", "last_name"},
    "create_place": {"user_id", "name", "description", "number_rooms",
                     "number_bathrooms", "max_guest", "price_by_night",
                     "latitude", "longitude"},
    "update_place": {"name", "description", "number_rooms", "number_bathrooms",
                     "max_guest", "price_by_night", "latitude", "longitude"},
    "create_review": {"user_id", "text"}, "update_review": {"text"},
}
CASES = [(write, field, value, message) for write, fields in FIELDS.items()
         for field, value, message in BAD_VALUES if field in fields]


@pytest.mark.parametrize("write, field, value, message", CASES,
                         ids=[f"{w}-{f}-{str(v)[:12]}" for w, f, v, _ in CASES])
def test_bad_value(client, world, unchanged, write, field, value, message):
    body = {**world.fill(WRITES[write][2]), field: value}
    with unchanged():
        response = send(client, world, WRITES[write], body=body)
    assert_error(response, 400, message)


@pytest.mark.parametrize("write", ["create_state", "update_place"])
@pytest.mark.parametrize("raw, message", [
    (b'{"name": "\\ud800"}', "name must be valid Unicode text"),
    (b'{"name": NaN}', "name must be a string"),
    (b'{"user_id": "{user_id}", "name": "X", "latitude": NaN}', "latitude must be a number"),
    (b'{"user_id": "{user_id}", "name": "X", "longitude": -Infinity}',
     "longitude must be a number"),
    (b'{"user_id": "{user_id}", "name": "X", "max_guest": 1e400}',
     "max_guest must be an integer"),
])
def test_bad_raw_json_values(client, world, unchanged, write, raw, message):
    if write == "create_state" and b"user_id" in raw:
        write = "create_place"
    raw = raw.replace(b"{user_id}", world.user.id.encode())
    with unchanged():
        response = send(client, world, WRITES[write], raw=raw)
    assert_error(response, 400, message)


def test_a_bad_field_writes_none_of_the_good_ones(client, world, unchanged):
    with unchanged():
        response = client.put(f"/api/v1/places/{world.place.id}",
                              json={"name": "Renamed", "price_by_night": -5})
    assert_error(response, 400, "price_by_night must be between 0 and 2147483647")


def test_limits_are_inclusive(client, world):
    response = client.put(f"/api/v1/places/{world.place.id}", json={
        "name": "n" * 128, "description": "d" * 1024, "latitude": -90, "longitude": 180,
        "number_rooms": 2**31 - 1, "price_by_night": 0})
    assert response.status_code == 200
    assert response.json["name"] == "n" * 128
    assert response.json["number_rooms"] == 2**31 - 1


def test_non_ascii_text_is_kept(client, world):
    name = "Ōsaka 🏯 \u00e9t\u00e9"
    response = client.post("/api/v1/states", json={"name": name})
    assert response.status_code == 201
    assert client.get(f"/api/v1/states/{response.json['id']}").json["name"] == name


def test_storage_refusal_is_400_and_writes_nothing(app, world, unchanged):
    """A write the storage refuses (here a value the API would have stopped)
    comes back as a JSON 400, rolled back."""
    from api.v1 import crud
    from api.v1.errors import ApiError
    from models.state import State

    with unchanged():
        with app.test_request_context("/api/v1/states", method="POST"):
            with pytest.raises(ApiError) as refused:
                crud.write(State(name="x" * 500))
    assert refused.value.status == 400
    assert "too long" in refused.value.message


# -- places_search bodies ------------------------------------------------------------
@pytest.mark.parametrize("body, message", [
    ({"states": "x"}, "states must be a list of ids"),
    ({"states": None}, "states must be a list of ids"),
    ({"cities": [1]}, "cities must be a list of ids"),
    ({"amenities": {"id": "x"}}, "amenities must be a list of ids"),
    ({"amenities": ["ok", None]}, "amenities must be a list of ids"),
])
def test_places_search_bad_lists(client, world, body, message):
    response = client.post("/api/v1/places_search", json=body)
    assert_error(response, 400, message)


# -- streamed (chunked) bodies: no Content-Length ------------------------------------
def send_streamed(client, path, raw):
    """A body without Content-Length, as a server hands over a chunked request."""
    import io

    return client.post(path, input_stream=io.BytesIO(raw),
                       environ_overrides={"wsgi.input_terminated": True})


def test_streamed_body_over_limit_is_413(client, world, unchanged):
    raw = json.dumps({"name": "x"} | {"pad": " " * MAX_CONTENT_LENGTH}).encode()
    with unchanged():
        response = send_streamed(client, "/api/v1/states", raw)
    assert_error(response, 413, "Request Entity Too Large")


def test_streamed_json_padded_past_the_limit_is_413_not_parsed_cut(client, world, unchanged):
    """Valid JSON followed by blanks past the limit would parse once cut at the limit."""
    raw = b'{"name": "Cut"}' + b" " * MAX_CONTENT_LENGTH
    with unchanged():
        response = send_streamed(client, "/api/v1/states", raw)
    assert_error(response, 413, "Request Entity Too Large")


def test_streamed_small_body_is_read(client, world):
    response = send_streamed(client, "/api/v1/states", b'{"name": "Streamed"}')
    assert response.status_code == 201
    assert response.json["name"] == "Streamed"
