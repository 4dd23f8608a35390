"""How many SQL statements the db engine runs: get/count/find are one query,
search_places a constant few whatever the number of places (db engine only;
the sql_statements fixture skips these on the file engine)."""
import pytest

from models.amenity import Amenity
from models.city import City
from models.place import Place
from models.state import State


@pytest.fixture
def fresh(storage, sql_statements):
    """End the session (as a request does), warm the pool, forget statements."""
    def reset():
        storage.close()
        storage.count(State)  # a pooled connection is ready
        storage.close()
        sql_statements.clear()
        return sql_statements
    return reset


def test_get_is_one_query(storage, world, fresh):
    statements = fresh()
    assert storage.get(Place, world.p1.id).name == "Place 1"
    assert len(statements) == 1
    statements = fresh()
    assert storage.get(Place, "no-such-id") is None
    assert len(statements) == 1


def test_get_of_a_loaded_object_needs_no_query(storage, world, fresh):
    statements = fresh()
    place = storage.get(Place, world.p1.id)
    assert storage.get(Place, world.p1.id) is place
    assert len(statements) == 1


@pytest.mark.parametrize("call, expected", [
    (lambda s: s.count(State), 2),
    (lambda s: s.count("Place"), 4),
    (lambda s: s.count(), 16),
    (lambda s: sum(s.counts().values()), 16),
])
def test_count_is_one_query(storage, world, fresh, call, expected):
    statements = fresh()
    assert call(storage) == expected
    assert len(statements) == 1
    assert "count" in statements[0].lower()


def test_count_does_not_load_rows(storage, world, fresh):
    statements = fresh()
    storage.count(Place)
    assert "places.name" not in statements[0]


def test_find_all_and_amenities_of_are_one_query(storage, world, fresh):
    statements = fresh()
    assert len(storage.find(City, state_id=world.s1.id)) == 2
    assert len(statements) == 1
    statements = fresh()
    assert len(storage.all(State)) == 2
    assert len(statements) == 1
    statements = fresh()
    assert len(storage.amenities_of(world.p1)) == 2
    assert len(statements) == 1


def add_places(storage, world, how_many):
    """how_many more places over the three cities, each with two amenities."""
    cities = [world.c1, world.c2, world.c3]
    places = []
    for number in range(how_many):
        place = Place(name=f"Extra {number:03d}", city_id=cities[number % 3].id,
                      user_id=world.u1.id)
        place.amenities = [world.wifi, world.pool] if number % 2 else [world.tv, world.wifi]
        storage.new(place)
        places.append(place)
    storage.save()
    return places


SEARCHES = {
    "all": lambda w: {},
    "states": lambda w: {"states": [w.s1.id, w.s2.id]},
    "cities": lambda w: {"cities": [w.c1.id, w.c3.id]},
    "states+cities": lambda w: {"states": [w.s1.id], "cities": [w.c3.id]},
    "amenities": lambda w: {"amenities": [w.wifi.id, w.pool.id]},
    "everything": lambda w: {"states": [w.s1.id], "cities": [w.c3.id],
                             "amenities": [w.wifi.id]},
}


def run_search(storage, statements, filters, with_amenities):
    """(statements to search and render every result, results): the API renders
    to_dict(); with_amenities, each place's amenities too."""
    places = storage.search_places(**filters, with_amenities=with_amenities)
    rendered = [(place.to_dict(), [a.name for a in place.amenities] if with_amenities else [])
                for place in places]
    return len(statements), len(rendered)


@pytest.mark.parametrize("with_amenities, most", [(False, 1), (True, 2)])
@pytest.mark.parametrize("name", SEARCHES)
def test_search_statements_do_not_grow_with_places(storage, world, fresh, name,
                                                   with_amenities, most):
    filters = SEARCHES[name](world)
    small_count, small_found = run_search(storage, fresh(), filters, with_amenities)
    add_places(storage, world, 150)
    large_count, large_found = run_search(storage, fresh(), filters, with_amenities)
    assert large_found > small_found
    assert small_count == large_count
    assert large_count <= most


def test_search_with_amenities_loads_them(storage, world, fresh):
    add_places(storage, world, 30)
    statements = fresh()
    places = storage.search_places(with_amenities=True)
    before = len(statements)
    for place in places:
        place.to_dict()
        list(place.amenities)
    assert len(statements) == before == 2
    assert len(places) == 34 and isinstance(places[0].amenities[0], Amenity)
