"""limit/offset of find(), amenities_of() and search_places(), and
fingerprint() (both engines, the world of models/conftest.py)."""
import pytest
from sqlalchemy import text

from models.amenity import Amenity
from models.city import City
from models.place import Place
from models.review import Review
from models.state import State
from models.user import User


def ids(objects):
    return [obj.id for obj in objects]


# -- paging: slices of the unpaged order ---------------------------------------------
@pytest.mark.parametrize("cls", [State, City, Amenity, User, Place, Review])
def test_pages_of_find_make_up_the_unpaged_answer(storage, world, cls):
    everything = ids(storage.all(cls).values())
    assert ids(storage.find(cls)) == everything
    for size in (1, 2, 3):
        pages = []
        for offset in range(0, len(everything) + size, size):
            pages += ids(storage.find(cls, limit=size, offset=offset))
        assert pages == everything, (cls.__name__, size)
    assert storage.find(cls, limit=0) == []
    assert storage.find(cls, offset=len(everything)) == []
    assert ids(storage.find(cls, offset=1)) == everything[1:]


def test_find_pages_with_a_filter(storage, world):
    cities = ids(storage.find(City, state_id=world.s1.id))
    assert len(cities) == 2
    assert ids(storage.find(City, state_id=world.s1.id, limit=1)) == cities[:1]
    assert ids(storage.find(City, state_id=world.s1.id, limit=5, offset=1)) == cities[1:]


def test_pages_of_amenities_of_a_place(storage, world):
    everything = ids(storage.amenities_of(world.p1))
    assert everything == [world.pool.id, world.wifi.id]  # by name
    assert ids(storage.amenities_of(world.p1, limit=1)) == [world.pool.id]
    assert ids(storage.amenities_of(world.p1, limit=1, offset=1)) == [world.wifi.id]
    assert storage.amenities_of(world.p1, offset=2) == []


def test_pages_of_a_search_follow_its_order(storage, world):
    everything = ids(storage.search_places())
    assert everything == ids([world.p1, world.p2, world.p3, world.p4])
    assert ids(storage.search_places(limit=2)) == everything[:2]
    assert ids(storage.search_places(limit=2, offset=3)) == everything[3:]
    assert ids(storage.search_places(states=[world.s2.id], limit=1, offset=1)) == [world.p4.id]
    found = storage.search_places(amenities=[world.wifi.id], limit=1, offset=1,
                                  with_amenities=True, with_owners=True)
    assert ids(found) == [world.p2.id]
    assert found[0].user.id == world.u1.id
    assert ids(found[0].amenities) == [world.wifi.id]


def test_search_loads_owners_in_one_more_query(storage, world, sql_statements):
    storage.close()
    places = storage.search_places(with_owners=True, limit=3)
    owners = [place.user.first_name for place in places]
    assert owners == ["Ann", "Ann", "Bob"]
    assert len(sql_statements) == 2, sql_statements


# -- fingerprint ------------------------------------------------------------------------
def test_fingerprint_stays_while_nothing_changes(storage, world):
    first = storage.fingerprint(State, Place)
    storage.close()
    assert storage.fingerprint(State, Place) == first
    storage.all(Place)  # reading changes nothing
    assert storage.fingerprint(State, Place) == first


def test_fingerprint_follows_inserts_saves_and_deletes(storage, world):
    seen = [storage.fingerprint(Place, User)]

    def changed():
        storage.close()
        now = storage.fingerprint(Place, User)
        assert now not in seen
        seen.append(now)

    Place(name="New", city_id=world.c1.id, user_id=world.u1.id).save()
    changed()
    world.p2.name = "Renamed"
    world.p2.save()
    changed()
    storage.delete(world.p3)
    storage.save()
    changed()
    world.u1.first_name = "Anne"
    world.u1.save()
    changed()


def test_fingerprint_sees_a_cascade(storage, world):
    if not hasattr(storage, "engine"):
        pytest.skip("ON DELETE CASCADE of the database (the file engine deletes explicitly)")
    before = storage.fingerprint(Place)
    with storage.engine.begin() as conn:  # by hand: the database cascades to places
        conn.execute(text("DELETE FROM states WHERE id = :id"), {"id": world.s2.id})
    assert storage.fingerprint(Place) != before


def test_fingerprint_sees_a_change_by_hand_that_stamps_updated_at(storage, world):
    if not hasattr(storage, "engine"):
        pytest.skip("SQL by hand: db engine only")
    before = storage.fingerprint(Place)
    with storage.engine.begin() as conn:
        conn.execute(text("UPDATE places SET name = 'By hand', updated_at = NOW(6) "
                          "WHERE id = :id"), {"id": world.p1.id})
    assert storage.fingerprint(Place) != before


def test_fingerprint_of_a_write_by_another_process(storage, world, tmp_path):
    """Another process (another worker, the other web server) writes: seen
    after this process's close(), as every request ends."""
    import os
    import subprocess
    import sys

    before = storage.fingerprint(State)
    storage.close()
    code = ("import models; from models.state import State; "
            "State(name='Elsewhere').save()")
    env = {key: value for key, value in os.environ.items() if key != "HBNB_ENV"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)
    storage.close()
    assert storage.fingerprint(State) != before
    assert "Elsewhere" in {state.name for state in storage.all(State).values()}
