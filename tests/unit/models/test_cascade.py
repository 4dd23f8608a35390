"""Deleting a parent deletes what hangs from it, as the database cascades do."""


def ids(storage, cls):
    storage.close()
    return {obj.id for obj in storage.all(cls).values()}


def test_delete_state_deletes_its_cities_places_reviews_and_links(storage, world):
    from models import Amenity, City, Place, Review, State, User

    storage.delete(world.s1)
    storage.save()
    assert ids(storage, State) == {world.s2.id}
    assert ids(storage, City) == {world.c3.id}
    assert ids(storage, Place) == {world.p3.id, world.p4.id}
    assert ids(storage, Review) == {world.r2.id}
    assert ids(storage, User) == {world.u1.id, world.u2.id}
    assert ids(storage, Amenity) == {world.wifi.id, world.pool.id, world.tv.id}
    assert storage.amenities_of(world.p1) == []
    assert [a.name for a in storage.amenities_of(world.p3)] == ["Pool"]
    assert storage.get(City, world.c1.id) is None
    assert storage.get(Place, world.p1.id) is None
    assert storage.find(City, state_id=world.s1.id) == []


def test_delete_city_deletes_its_places(storage, world):
    from models import City, Place, Review

    storage.delete(world.c3)
    storage.save()
    assert ids(storage, City) == {world.c1.id, world.c2.id}
    assert ids(storage, Place) == {world.p1.id, world.p2.id}
    assert ids(storage, Review) == {world.r1.id}


def test_delete_user_deletes_their_places_and_reviews(storage, world):
    from models import Place, Review, User

    storage.delete(world.u1)
    storage.save()
    assert ids(storage, User) == {world.u2.id}
    assert ids(storage, Place) == {world.p3.id, world.p4.id}
    # r1 (by u2) was on p1 (u1's place): gone with the place; r2 was by u1.
    assert ids(storage, Review) == set()


def test_delete_place_deletes_reviews_and_links_not_amenities(storage, world):
    from models import Amenity, Place, Review

    storage.delete(world.p1)
    storage.save()
    assert world.p1.id not in ids(storage, Place)
    assert ids(storage, Review) == {world.r2.id}
    assert len(ids(storage, Amenity)) == 3
    assert {p.id for p in storage.search_places(amenities=[world.wifi.id])} == {world.p2.id}


def test_delete_amenity_deletes_its_links_only(storage, world):
    from models import Amenity, Place

    storage.delete(world.wifi)
    storage.save()
    assert world.wifi.id not in ids(storage, Amenity)
    assert len(ids(storage, Place)) == 4
    assert [a.name for a in storage.amenities_of(world.p1)] == ["Pool"]
    assert storage.amenities_of(world.p2) == []


def test_deleted_objects_leave_parent_collections(storage, world):
    from models import State

    state = storage.get(State, world.s1.id)
    assert len(state.cities) == 2
    storage.delete(world.c1)
    storage.save()
    assert [c.name for c in storage.get(State, world.s1.id).cities] == ["Btown"]


def test_delete_then_recreate_same_names(storage, world):
    from models import State

    storage.delete(world.s2)
    storage.save()
    State(name="Beta").save()
    assert sorted(s.name for s in storage.all(State).values()) == ["Alpha", "Beta"]
