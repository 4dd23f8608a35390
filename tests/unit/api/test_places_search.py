"""POST /places_search: the spec's semantics, and a bounded number of SQL queries."""
import pytest

from models.amenity import Amenity
from models.city import City
from models.place import Place
from models.state import State
from models.user import User


class Map:
    """Two states, three cities, four places, two amenities:

    CA: SF (loft [wifi, pool], flat [wifi]), LA (villa [pool])
    NV: Reno (cabin [])
    """

    def __init__(self, storage):
        self.user = User(email="o@example.com", password="pw")
        self.user.save()
        self.ca, self.nv = State(name="CA"), State(name="NV")
        for state in (self.ca, self.nv):
            state.save()
        self.sf = City(name="SF", state_id=self.ca.id)
        self.la = City(name="LA", state_id=self.ca.id)
        self.reno = City(name="Reno", state_id=self.nv.id)
        for city in (self.sf, self.la, self.reno):
            city.save()
        self.wifi, self.pool = Amenity(name="Wifi"), Amenity(name="Pool")
        for amenity in (self.wifi, self.pool):
            amenity.save()
        self.places = {}
        for name, city, amenities in (("loft", self.sf, [self.wifi, self.pool]),
                                      ("flat", self.sf, [self.wifi]),
                                      ("villa", self.la, [self.pool]),
                                      ("cabin", self.reno, [])):
            place = Place(name=name, city_id=city.id, user_id=self.user.id)
            place.save()
            for amenity in amenities:
                storage.link_amenity(place, amenity)
            self.places[name] = place
        storage.close()


@pytest.fixture
def geo(storage):
    return Map(storage)


def search(client, body):
    response = client.post("/api/v1/places_search", json=body)
    assert response.status_code == 200
    return sorted(place["name"] for place in response.json)


@pytest.mark.parametrize("body, names", [
    ({}, ["cabin", "flat", "loft", "villa"]),
    ({"states": [], "cities": [], "amenities": []}, ["cabin", "flat", "loft", "villa"]),
    ({"states": ["{ca}"]}, ["flat", "loft", "villa"]),
    ({"cities": ["{reno}"]}, ["cabin"]),
    ({"states": ["{nv}"], "cities": ["{sf}"]}, ["cabin", "flat", "loft"]),
    # A city of a listed state adds no duplicate.
    ({"states": ["{ca}"], "cities": ["{sf}"]}, ["flat", "loft", "villa"]),
    ({"amenities": ["{wifi}"]}, ["flat", "loft"]),
    ({"amenities": ["{wifi}", "{pool}"]}, ["loft"]),
    ({"states": ["{ca}"], "amenities": ["{pool}"]}, ["loft", "villa"]),
    ({"cities": ["{reno}"], "amenities": ["{wifi}"]}, []),
    ({"states": ["no-such-state"]}, []),
    ({"amenities": ["no-such-amenity"]}, []),
    ({"states": ["{nv}", "no-such-state"]}, ["cabin"]),
    ({"unknown_key": [1, 2]}, ["cabin", "flat", "loft", "villa"]),
])
def test_search(client, geo, body, names):
    ids = {"ca": geo.ca.id, "nv": geo.nv.id, "sf": geo.sf.id, "reno": geo.reno.id,
           "wifi": geo.wifi.id, "pool": geo.pool.id}
    body = {key: [item.format(**ids) if isinstance(item, str) else item for item in value]
            for key, value in body.items()}
    assert search(client, body) == names


def test_answer_is_place_dicts(client, geo):
    response = client.post("/api/v1/places_search/", json={"cities": [geo.la.id]})
    assert response.json == [geo.places["villa"].to_dict()]


def test_search_in_an_empty_storage(client, storage):
    assert search(client, {}) == []


def test_search_is_a_handful_of_queries_whatever_the_number_of_places(
        client, geo, storage, sql_statements):
    """Twice the places, same number of statements (db engine)."""
    def statements_for_search():
        del sql_statements[:]
        search(client, {"states": [geo.ca.id], "amenities": [geo.wifi.id, geo.pool.id]})
        return [s for s in sql_statements if s.lstrip().upper().startswith("SELECT")]

    small = statements_for_search()
    for index in range(20):
        place = Place(name=f"extra {index}", city_id=geo.sf.id, user_id=geo.user.id)
        place.save()
        storage.link_amenity(place, geo.wifi)
        storage.link_amenity(place, geo.pool)
    storage.close()
    large = statements_for_search()
    assert len(large) == len(small) <= 4
