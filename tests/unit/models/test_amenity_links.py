"""Place <-> Amenity links: amenities_of, link_amenity, unlink_amenity."""
import pytest

from models.amenity import Amenity
from models.errors import StorageError
from models.place import Place


def names(amenities):
    return [a.name for a in amenities]


def test_amenities_of_lists_linked_amenities_by_name(storage, world):
    assert names(storage.amenities_of(world.p1)) == ["Pool", "Wifi"]
    assert names(storage.amenities_of(world.p4)) == []
    assert all(isinstance(a, Amenity) for a in storage.amenities_of(world.p1))


def test_link_is_new_once(storage, world):
    assert storage.link_amenity(world.p4, world.tv) is True
    assert storage.link_amenity(world.p4, world.tv) is False
    storage.close()
    assert names(storage.amenities_of(storage.get(Place, world.p4.id))) == ["TV"]


def test_unlink_only_when_linked(storage, world):
    assert storage.unlink_amenity(world.p1, world.wifi) is True
    assert storage.unlink_amenity(world.p1, world.wifi) is False
    assert storage.unlink_amenity(world.p4, world.tv) is False
    storage.close()
    assert names(storage.amenities_of(world.p1)) == ["Pool"]
    assert storage.get(Amenity, world.wifi.id) is not None  # the amenity stays


def test_link_shows_in_place_amenities(storage, world):
    place = storage.get(Place, world.p2.id)
    assert names(place.amenities) == ["Wifi"]
    storage.link_amenity(place, world.tv)
    assert sorted(names(place.amenities)) == ["TV", "Wifi"]


def test_link_to_unknown_place_or_amenity_is_refused(storage, world):
    ghost = Place(name="ghost", city_id=world.c1.id, user_id=world.u1.id)
    with pytest.raises(StorageError):
        storage.link_amenity(ghost, world.tv)
    with pytest.raises(StorageError):
        storage.link_amenity(world.p1, Amenity(name="ghost"))
    storage.close()
    assert names(storage.amenities_of(world.p1)) == ["Pool", "Wifi"]
    assert storage.count(Amenity) == 3 and storage.count(Place) == 4


def test_link_refused_with_a_refused_save_is_not_written(storage, world):
    """A link saved together with an invalid pending change goes with it."""
    storage.new(Amenity(name="n" * 500))
    with pytest.raises(StorageError):
        storage.link_amenity(world.p4, world.tv)
    storage.close()
    assert storage.amenities_of(world.p4) == []
    assert storage.count(Amenity) == 3
    assert storage.link_amenity(world.p4, world.tv) is True
