"""?limit=&offset= on the API's lists and on places_search: slices of the
unpaged answer, which itself is unchanged; bad values are a JSON 400."""
import pytest

from api.v1.paging import MAXIMUM

# Every paged list, with the world's ids filled in.
LISTS = [
    "/api/v1/states", "/api/v1/amenities", "/api/v1/users",
    "/api/v1/states/{state_id}/cities", "/api/v1/cities/{city_id}/places",
    "/api/v1/places/{place_id}/reviews", "/api/v1/places/{place_id}/amenities",
]


@pytest.fixture
def bigger_world(world, storage):
    """The world with five of each listed class (under its first parents)."""
    from models.amenity import Amenity
    from models.city import City
    from models.place import Place
    from models.review import Review
    from models.state import State
    from models.user import User

    for n in range(4):
        State(name=f"State {n}").save()
        Amenity(name=f"Amenity {4 - n}").save()
        User(email=f"user{n}@example.com", password="pw").save()
        City(name=f"City {n}", state_id=world.state.id).save()
        Place(name=f"Place {n}", city_id=world.city.id, user_id=world.user.id).save()
        Review(text=f"Review {n}", place_id=world.place.id, user_id=world.user.id).save()
    for amenity in storage.all(Amenity).values():
        storage.link_amenity(world.place, amenity)
    storage.close()
    return world


@pytest.mark.parametrize("path", LISTS)
def test_pages_make_up_the_unpaged_answer(client, bigger_world, path):
    url = bigger_world.fill(path)
    everything = client.get(url).json
    assert len(everything) == 5
    for size in (1, 2, 3):
        pages = []
        for offset in range(0, 6, size):
            page = client.get(f"{url}?limit={size}&offset={offset}")
            assert page.status_code == 200
            assert len(page.json) <= size
            pages += page.json
        assert pages == everything, size
    assert client.get(f"{url}?offset=2").json == everything[2:]
    assert client.get(f"{url}/?limit=2").json == everything[:2]
    assert client.get(f"{url}?limit=0").json == []
    assert client.get(f"{url}?offset={MAXIMUM}").json == []
    assert client.get(f"{url}?limit={MAXIMUM}").json == everything


@pytest.mark.parametrize("path", LISTS)
def test_without_paging_the_answer_is_unchanged(client, bigger_world, storage, path):
    """No parameters (or other ones): the very answer of before, bytes included."""
    from models.amenity import Amenity
    from models.city import City
    from models.place import Place
    from models.review import Review
    from models.state import State
    from models.user import User

    url = bigger_world.fill(path)
    owner_link = {"cities": ("state_id", bigger_world.state.id),
                  "places": ("city_id", bigger_world.city.id),
                  "reviews": ("place_id", bigger_world.place.id)}
    table = url.rstrip("/").rsplit("/", 1)[-1]
    cls = {"states": State, "amenities": Amenity, "users": User, "cities": City,
           "places": Place, "reviews": Review}[table]
    if path.endswith("/amenities") and "{" in path:
        expected = [a.to_dict() for a in storage.amenities_of(bigger_world.place)]
    elif table in owner_link:
        key, value = owner_link[table]
        expected = [obj.to_dict() for obj in storage.find(cls, **{key: value})]
    else:
        expected = [obj.to_dict() for obj in storage.all(cls).values()]
    storage.close()
    plain = client.get(url)
    assert plain.json == expected
    assert client.get(url + "?page=2&sort=name").data == plain.data


@pytest.mark.parametrize("query, name", [
    ("limit=-1", "limit"), ("limit=x", "limit"), ("limit=", "limit"), ("limit=1.5", "limit"),
    ("limit=+3", "limit"), (f"limit={MAXIMUM + 1}", "limit"), ("limit=%D9%A3", "limit"),
    ("offset=-2", "offset"), ("offset=two", "offset"), ("limit=2&offset=1e3", "offset"),
])
@pytest.mark.parametrize("path", LISTS)
def test_a_bad_limit_or_offset_is_a_400(client, world, path, query, name):
    response = client.get(f"{world.fill(path)}?{query}")
    assert response.status_code == 400
    assert response.json == {"error": f"{name} must be an integer from 0 to {MAXIMUM}"}


@pytest.mark.parametrize("path", LISTS[3:])
def test_an_unknown_parent_is_a_404_before_a_bad_limit(client, world, path):
    url = path.replace("{state_id}", "x").replace("{city_id}", "x").replace("{place_id}", "x")
    response = client.get(url + "?limit=x")
    assert response.status_code == 404 and response.json == {"error": "Not found"}


def test_places_search_pages(client, bigger_world):
    url = "/api/v1/places_search"
    everything = client.post(url, json={}).json
    assert [p["name"] for p in everything] == ["Loft", "Place 0", "Place 1", "Place 2",
                                                "Place 3"]
    assert client.post(url + "?limit=2", json={}).json == everything[:2]
    assert client.post(url + "?limit=2&offset=2", json={}).json == everything[2:4]
    assert client.post(url + "/?offset=4", json={}).json == everything[4:]
    one_city = client.post(url + "?limit=1&offset=1",
                           json={"cities": [bigger_world.city.id]}).json
    assert one_city == everything[1:2]
    bad = client.post(url + "?offset=-1", json={})
    assert bad.status_code == 400
    assert bad.json == {"error": f"offset must be an integer from 0 to {MAXIMUM}"}
    # The body is checked first, as before.
    assert client.post(url + "?limit=x", data="nope").json == {"error": "Not a JSON"}


def test_paging_is_documented(app):
    document = app.extensions["openapi"]
    paged = {(path, method) for path, item in document["paths"].items()
             for method, operation in item.items()
             if {p["name"] for p in operation.get("parameters", [])
                 if p["in"] == "query"} == {"limit", "offset"}}
    assert paged == {(path, "get") for path in LISTS} | {("/api/v1/places_search", "post")}
