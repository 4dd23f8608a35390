"""The storage interface on the configured engine (run once per engine)."""
import pytest

import models
from models.amenity import Amenity
from models.city import City
from models.place import Place
from models.review import Review
from models.state import State
from models.user import User


def test_storage_engine_matches_the_environment():
    import os
    expected = "db" if os.getenv("HBNB_TYPE_STORAGE") == "db" else "file"
    assert models.storage_t == expected
    assert type(models.storage).__name__ == {"db": "DBStorage", "file": "FileStorage"}[expected]


def test_starts_empty(storage):
    assert storage.all() == {}
    assert storage.count() == 0


def test_new_then_save_stores_under_class_dot_id(storage):
    state = State(name="Ohio")
    storage.new(state)
    storage.save()
    assert storage.all() == {f"State.{state.id}": state}
    storage.close()
    (key, stored), = storage.all(State).items()
    assert key == f"State.{state.id}"
    assert stored.to_dict() == state.to_dict()


def test_all_filters_by_class_or_name(storage, world):
    states = storage.all(State)
    assert set(states) == {f"State.{world.s1.id}", f"State.{world.s2.id}"}
    assert set(storage.all("State")) == set(states)
    assert len(storage.all()) == 2 + 3 + 2 + 3 + 4 + 2
    assert all(key.startswith("City.") for key in storage.all(City))


def test_all_returns_a_new_dict(storage, world):
    everything = storage.all()
    everything.clear()
    assert storage.count() == 16


def test_unknown_class_is_a_value_error(storage):
    for call in (lambda: storage.all("Nope"), lambda: storage.get("Nope", "x"),
                 lambda: storage.count("Nope"), lambda: storage.find(dict)):
        with pytest.raises(ValueError):
            call()


def test_get(storage, world, reread):
    assert storage.get(State, world.s1.id).name == "Alpha"
    assert storage.get("City", world.c3.id).name == "Cburg"
    assert storage.get(State, world.c1.id) is None  # id of another class
    assert storage.get(State, "no-such-id") is None
    assert storage.get(State, None) is None
    assert storage.get(State, 12) is None
    assert reread(world.u1).to_dict() == world.u1.to_dict()


def test_count(storage, world):
    assert storage.count() == 16
    assert storage.count(State) == 2
    assert storage.count("Place") == 4
    assert storage.count(Review) == 2
    assert storage.count(Amenity) == 3
    assert storage.counts() == {"Amenity": 3, "City": 3, "Place": 4, "Review": 2,
                                "State": 2, "User": 2}


def test_find(storage, world):
    assert {c.id for c in storage.find(City, state_id=world.s1.id)} == {world.c1.id, world.c2.id}
    assert [p.id for p in storage.find("Place", city_id=world.c1.id, user_id=world.u1.id)] == [
        world.p1.id]
    assert storage.find(City, state_id="none") == []
    assert {s.id for s in storage.find(State)} == {world.s1.id, world.s2.id}
    with pytest.raises(ValueError):
        storage.find(City, colour="red")
    with pytest.raises(ValueError):
        storage.find(User, _password="x")


def test_update_is_persisted(world, reread):
    world.s1.name = "Renamed"
    world.s1.save()
    assert reread(world.s1).name == "Renamed"
    assert reread(world.s2).name == "Beta"


def test_timestamps_and_numbers_round_trip_exactly(world, reread):
    world.p1.latitude = 37.774912345678
    world.p1.price_by_night = 125
    world.p1.save()
    expected = world.p1.to_dict()
    assert reread(world.p1).to_dict() == expected


def test_unicode_text_round_trips(storage, reread):
    state = State(name="Québec 🏔️ 北海道")
    state.save()
    assert reread(state).name == "Québec 🏔️ 北海道"


def test_delete(storage, world):
    storage.delete(world.tv)
    storage.save()
    storage.close()
    assert storage.get(Amenity, world.tv.id) is None
    assert storage.count(Amenity) == 2


def test_delete_none_or_unsaved_object_is_harmless(storage, world):
    storage.delete()
    storage.delete(None)
    storage.delete(State(name="never stored"))
    pending = State(name="pending")
    storage.new(pending)
    storage.delete(pending)
    storage.save()
    assert storage.count(State) == 2


def test_delete_object_read_before_close(storage, world):
    """An object kept across close() (end of request) can still be deleted."""
    amenity = storage.get(Amenity, world.tv.id)
    storage.close()
    storage.delete(amenity)
    storage.save()
    storage.close()
    assert storage.get(Amenity, world.tv.id) is None


def test_relationships_navigate_both_ways(storage, world):
    storage.close()
    state = storage.get(State, world.s1.id)
    assert {c.name for c in state.cities} == {"Aville", "Btown"}
    city = storage.get(City, world.c1.id)
    assert city.state.id == world.s1.id
    assert [p.id for p in city.places] == [world.p1.id]
    place = storage.get(Place, world.p1.id)
    assert place.user.email == "u1@example.com"
    assert [r.text for r in place.reviews] == ["Lovely"]
    assert {a.name for a in place.amenities} == {"Wifi", "Pool"}
    assert {p.id for p in storage.get(User, world.u2.id).places} == {world.p3.id, world.p4.id}


def test_collection_shows_a_child_added_after_it_was_read(storage, world):
    assert len(world.s2.cities) == 1
    City(name="Dville", state_id=world.s2.id).save()
    assert {c.name for c in world.s2.cities} == {"Cburg", "Dville"}


def test_reload_reads_what_was_saved(storage, world):
    expected = {key: obj.to_dict() for key, obj in storage.all().items()}
    storage.reload()
    assert {key: obj.to_dict() for key, obj in storage.all().items()} == expected


def test_truncate_empties_everything(storage, world):
    storage.truncate()
    assert storage.count() == 0
    storage.close()
    assert storage.all() == {}
    assert storage.amenities_of(world.p1) == []


def test_a_copy_saved_over_an_object_replaces_it(storage, world):
    copy = City(**{**world.c1.to_dict(), "name": "Aville Copy"})
    storage.new(copy)
    storage.save()
    storage.close()
    assert storage.count(City) == 3
    assert storage.get(City, world.c1.id).name == "Aville Copy"
    assert sorted(c.name for c in storage.get(State, world.s1.id).cities) == [
        "Aville Copy", "Btown"]
    assert [p.id for p in storage.get(City, world.c1.id).places] == [world.p1.id]


def test_a_copy_of_a_place_keeps_its_amenities(storage, world):
    copy = Place(**{**world.p1.to_dict(), "name": "Place One"})
    storage.new(copy)
    storage.save()
    storage.close()
    assert [a.name for a in storage.amenities_of(world.p1)] == ["Pool", "Wifi"]
    assert storage.get(Place, world.p1.id).name == "Place One"
