"""GET /places/<id>/amenities; POST and DELETE /places/<id>/amenities/<amenity_id>."""
import pytest

from models.amenity import Amenity


@pytest.fixture
def pool(world):
    amenity = Amenity(name="Pool")
    amenity.save()
    return amenity


def amenity_names(client, place_id):
    response = client.get(f"/api/v1/places/{place_id}/amenities")
    assert response.status_code == 200
    return [amenity["name"] for amenity in response.json]


def test_list(client, world):
    response = client.get(f"/api/v1/places/{world.place.id}/amenities/")
    assert response.status_code == 200
    assert response.json == [world.amenity.to_dict()]


def test_link_new_is_201_then_200(client, world, pool):
    path = f"/api/v1/places/{world.place.id}/amenities/{pool.id}"
    first = client.post(path)
    assert first.status_code == 201
    assert first.json["id"] == pool.id and first.json["__class__"] == "Amenity"
    assert sorted(amenity_names(client, world.place.id)) == ["Pool", "Wifi"]
    again = client.post(path)
    assert again.status_code == 200
    assert again.json == first.json
    assert sorted(amenity_names(client, world.place.id)) == ["Pool", "Wifi"]


def test_link_ignores_any_body(client, world, pool):
    response = client.post(f"/api/v1/places/{world.place.id}/amenities/{pool.id}",
                           data=b"not json")
    assert response.status_code == 201


def test_unlink(client, world, storage):
    path = f"/api/v1/places/{world.place.id}/amenities/{world.amenity.id}"
    response = client.delete(path)
    assert (response.status_code, response.json) == (200, {})
    assert amenity_names(client, world.place.id) == []
    # The amenity itself stays.
    assert client.get(f"/api/v1/amenities/{world.amenity.id}").status_code == 200
    not_linked = client.delete(path)
    assert (not_linked.status_code, not_linked.json) == (404, {"error": "Not found"})


def test_unlink_not_linked_is_404(client, world, pool, unchanged):
    with unchanged():
        response = client.delete(f"/api/v1/places/{world.place.id}/amenities/{pool.id}")
    assert (response.status_code, response.json) == (404, {"error": "Not found"})


@pytest.mark.parametrize("method", ["POST", "DELETE"])
@pytest.mark.parametrize("unknown", ["place", "amenity", "both"])
def test_unknown_place_or_amenity_is_404(client, world, unchanged, method, unknown):
    place_id = "no-such-place" if unknown in ("place", "both") else world.place.id
    amenity_id = "no-such-amenity" if unknown in ("amenity", "both") else world.amenity.id
    with unchanged():
        response = client.open(f"/api/v1/places/{place_id}/amenities/{amenity_id}",
                               method=method)
    assert (response.status_code, response.json) == (404, {"error": "Not found"})


def test_list_of_unknown_place_is_404(client, world):
    response = client.get("/api/v1/places/no-such-place/amenities")
    assert (response.status_code, response.json) == (404, {"error": "Not found"})
