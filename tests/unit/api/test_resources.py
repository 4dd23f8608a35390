"""CRUD of the six classes: list, get, create, update, delete, each with its 404s.

One table drives the tests of every class; class-specific behaviour (passwords,
cascades, place fields) is tested further down.
"""
from dataclasses import dataclass, field

import pytest

import models


@dataclass
class Kind:
    name: str              # model class
    collection: str        # list/create path (may name the parent's id)
    item: str              # get/put/delete path of the world's object
    create: dict           # a valid POST body (values may name world ids)
    update: dict           # a valid PUT body
    fixed: dict = field(default_factory=dict)  # PUT keys that must be ignored
    parent: str = ""       # link to the parent set from the URL

    @property
    def world_attr(self):
        return {"State": "state", "Amenity": "amenity", "User": "user", "City": "city",
                "Place": "place", "Review": "review"}[self.name]


KINDS = [
    Kind("State", "/api/v1/states", "/api/v1/states/{state_id}",
         {"name": "Nevada"}, {"name": "Utah"}),
    Kind("Amenity", "/api/v1/amenities", "/api/v1/amenities/{amenity_id}",
         {"name": "Pool"}, {"name": "Sauna"}),
    Kind("User", "/api/v1/users", "/api/v1/users/{user_id}",
         {"email": "new@example.com", "password": "pw", "last_name": "Lovelace"},
         {"first_name": "Ada", "last_name": "King"},
         fixed={"email": "changed@example.com"}),
    Kind("City", "/api/v1/states/{state_id}/cities", "/api/v1/cities/{city_id}",
         {"name": "Reno"}, {"name": "Las Vegas"},
         fixed={"state_id": "another-state"}, parent="state_id"),
    Kind("Place", "/api/v1/cities/{city_id}/places", "/api/v1/places/{place_id}",
         {"user_id": "{user_id}", "name": "Cabin", "description": "Wood",
          "number_rooms": 3, "number_bathrooms": 1, "max_guest": 6,
          "price_by_night": 80, "latitude": 39.1, "longitude": -120},
         {"name": "Hut", "price_by_night": 90, "latitude": -12.5},
         fixed={"user_id": "another-user", "city_id": "another-city"}, parent="city_id"),
    Kind("Review", "/api/v1/places/{place_id}/reviews", "/api/v1/reviews/{review_id}",
         {"user_id": "{user_id}", "text": "Lovely"}, {"text": "Noisy"},
         fixed={"user_id": "another-user", "place_id": "another-place"},
         parent="place_id"),
]
IDS = [kind.name for kind in KINDS]
NESTED = [kind for kind in KINDS if kind.parent]
TOP = [kind for kind in KINDS if not kind.parent]


def stored(kind, obj_id):
    models.storage.close()
    return models.storage.get(models.classes[kind.name], obj_id)


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_list(client, world, kind):
    response = client.get(world.fill(kind.collection))
    assert response.status_code == 200
    expected = getattr(world, kind.world_attr)
    assert [item["id"] for item in response.json] == [expected.id]
    assert response.json[0] == stored(kind, expected.id).to_dict()


@pytest.mark.parametrize("kind", TOP, ids=[kind.name for kind in TOP])
def test_list_empty_collection(client, storage, kind):
    response = client.get(kind.collection)
    assert (response.status_code, response.json) == (200, [])


@pytest.mark.parametrize("kind", NESTED, ids=[kind.name for kind in NESTED])
def test_list_of_unknown_parent_is_404(client, world, kind):
    path = kind.collection.format(**{kind.parent: "no-such-id"})
    response = client.get(path)
    assert (response.status_code, response.json) == (404, {"error": "Not found"})


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_get(client, world, kind):
    obj = getattr(world, kind.world_attr)
    response = client.get(world.fill(kind.item))
    assert response.status_code == 200
    assert response.json == stored(kind, obj.id).to_dict()
    assert response.json["__class__"] == kind.name


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_unknown_id_is_404(client, world, unchanged, kind, method):
    path = kind.item.format(**{name: "no-such-id" for name in world.ids})
    with unchanged():
        response = client.open(path, method=method, json=kind.update)
    assert (response.status_code, response.json) == (404, {"error": "Not found"})


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_create(client, world, storage, kind):
    before = storage.count(kind.name)
    body = world.fill(kind.create)
    response = client.post(world.fill(kind.collection), json=body)
    assert response.status_code == 201
    created = response.json
    assert created["__class__"] == kind.name
    for key, value in body.items():
        if key != "password":
            assert created[key] == value
    if kind.parent:
        assert created[kind.parent] == world.ids[kind.parent]
    assert stored(kind, created["id"]).to_dict() == created
    assert storage.count(kind.name) == before + 1


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_create_ignores_id_timestamps_and_unknown_keys(client, world, kind):
    body = world.fill(kind.create)
    body.update({"id": "chosen-id", "created_at": "2001-01-01T00:00:00.000000",
                 "updated_at": "2001-01-01T00:00:00.000000", "__class__": "Other",
                 "is_admin": True, "_password": "x", "to_dict": 1})
    response = client.post(world.fill(kind.collection), json=body)
    assert response.status_code == 201
    created = response.json
    assert created["id"] != "chosen-id"
    assert not created["created_at"].startswith("2001")
    assert created["__class__"] == kind.name
    assert "is_admin" not in created
    obj = stored(kind, created["id"])
    assert not hasattr(obj, "is_admin")
    assert obj.to_dict() == created


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_create_accepts_json_whatever_the_content_type(client, world, kind):
    import json

    response = client.post(world.fill(kind.collection),
                           data=json.dumps(world.fill(kind.create)),
                           content_type="text/plain")
    assert response.status_code == 201


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_update(client, world, kind):
    obj = getattr(world, kind.world_attr)
    original = stored(kind, obj.id).to_dict()
    response = client.put(world.fill(kind.item), json=kind.update)
    assert response.status_code == 200
    updated = response.json
    for key, value in kind.update.items():
        assert updated[key] == value
    assert updated["id"] == obj.id
    assert updated["created_at"] == original["created_at"]
    assert updated["updated_at"] > original["updated_at"]
    assert stored(kind, obj.id).to_dict() == updated


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_update_ignores_id_timestamps_fixed_links_and_unknown_keys(client, world, kind):
    obj = getattr(world, kind.world_attr)
    original = stored(kind, obj.id).to_dict()
    body = {"id": "chosen-id", "created_at": "2001-01-01T00:00:00.000000",
            "updated_at": "2001-01-01T00:00:00.000000", "__class__": "Other",
            "is_admin": True, **kind.fixed}
    response = client.put(world.fill(kind.item), json=body)
    assert response.status_code == 200
    after = stored(kind, obj.id).to_dict()
    assert response.json == after
    for key in ("id", "created_at", "__class__", *kind.fixed):
        assert after[key] == original[key]
    assert "is_admin" not in after


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_update_with_empty_object_changes_nothing_but_updated_at(client, world, kind):
    obj = getattr(world, kind.world_attr)
    original = stored(kind, obj.id).to_dict()
    response = client.put(world.fill(kind.item), json={})
    assert response.status_code == 200
    after = stored(kind, obj.id).to_dict()
    del original["updated_at"], after["updated_at"]
    assert after == original


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_delete(client, world, storage, kind):
    obj = getattr(world, kind.world_attr)
    response = client.delete(world.fill(kind.item))
    assert (response.status_code, response.json) == (200, {})
    assert stored(kind, obj.id) is None
    assert client.get(world.fill(kind.item)).status_code == 404
    assert client.delete(world.fill(kind.item)).status_code == 404


@pytest.mark.parametrize("kind", NESTED, ids=[kind.name for kind in NESTED])
def test_create_under_unknown_parent_is_404(client, world, unchanged, kind):
    path = kind.collection.format(**{kind.parent: "no-such-id"})
    with unchanged():
        response = client.post(path, json=world.fill(kind.create))
    assert (response.status_code, response.json) == (404, {"error": "Not found"})


# -- cascades -----------------------------------------------------------------
def stats(client):
    return client.get("/api/v1/stats").json


def test_delete_state_deletes_its_cities_places_and_reviews(client, world):
    client.delete(f"/api/v1/states/{world.state.id}")
    assert stats(client) == {"amenities": 1, "cities": 0, "places": 0, "reviews": 0,
                             "states": 0, "users": 1}
    assert client.get(f"/api/v1/places/{world.place.id}").status_code == 404


def test_delete_user_deletes_their_places_and_reviews(client, world):
    client.delete(f"/api/v1/users/{world.user.id}")
    assert stats(client) == {"amenities": 1, "cities": 1, "places": 0, "reviews": 0,
                             "states": 1, "users": 0}


def test_delete_amenity_unlinks_it(client, world):
    client.delete(f"/api/v1/amenities/{world.amenity.id}")
    assert client.get(f"/api/v1/places/{world.place.id}/amenities").json == []


# -- users --------------------------------------------------------------------
def test_password_never_returned_and_stored_hashed(client, world):
    response = client.post("/api/v1/users",
                           json={"email": "x@example.com", "password": "plain-pw"})
    assert "password" not in response.json
    user = stored(KINDS[2], response.json["id"])
    assert user.password != "plain-pw"
    assert user.check_password("plain-pw")
    for answer in (client.get("/api/v1/users"), client.get(f"/api/v1/users/{user.id}")):
        assert "plain-pw" not in answer.get_data(as_text=True)
        assert user.password not in answer.get_data(as_text=True)


def test_put_password_rehashes(client, world):
    response = client.put(f"/api/v1/users/{world.user.id}", json={"password": "new-pw"})
    assert response.status_code == 200
    assert "password" not in response.json
    user = stored(KINDS[2], world.user.id)
    assert user.check_password("new-pw")
    assert not user.check_password("s3cret")


# -- places and reviews: listing by parent --------------------------------------
def test_city_places_lists_only_that_citys_places(client, world):
    from models.city import City
    from models.place import Place

    other = City(name="Oakland", state_id=world.state.id)
    other.save()
    Place(name="Elsewhere", city_id=other.id, user_id=world.user.id).save()
    names = [p["name"] for p in client.get(f"/api/v1/cities/{world.city.id}/places").json]
    assert names == ["Loft"]
    cities = client.get(f"/api/v1/states/{world.state.id}/cities").json
    assert sorted(city["name"] for city in cities) == ["Oakland", "San Francisco"]


def test_place_numbers_accept_integers_for_floats(client, world):
    response = client.put(f"/api/v1/places/{world.place.id}",
                          json={"latitude": 45, "longitude": -73, "max_guest": 0})
    assert response.status_code == 200
    assert response.json["latitude"] == pytest.approx(45)
    assert response.json["longitude"] == pytest.approx(-73)
    assert response.json["max_guest"] == 0


def test_create_place_of_unknown_user_is_404(client, world, unchanged):
    with unchanged():
        response = client.post(f"/api/v1/cities/{world.city.id}/places",
                               json={"user_id": "no-such-user", "name": "X"})
    assert (response.status_code, response.json) == (404, {"error": "Not found"})


def test_create_review_of_unknown_user_is_404(client, world, unchanged):
    with unchanged():
        response = client.post(f"/api/v1/places/{world.place.id}/reviews",
                               json={"user_id": "no-such-user", "text": "X"})
    assert (response.status_code, response.json) == (404, {"error": "Not found"})
