"""Refused writes: a clear models error, nothing written, storage still usable."""
import pytest

from models.amenity import Amenity
from models.city import City
from models.errors import StorageError, ValidationError
from models.place import Place
from models.review import Review
from models.state import State
from models.user import User


def snapshot(storage):
    """Every stored object's dict, read fresh."""
    storage.close()
    return {key: obj.to_dict() for key, obj in storage.all().items()}


@pytest.mark.parametrize("cls, field, limit", [
    (State, "name", 128), (City, "name", 128), (Amenity, "name", 128),
    (Place, "name", 128), (Place, "description", 1024), (Review, "text", 1024),
    (User, "email", 128), (User, "first_name", 128), (User, "last_name", 128),
])
def test_too_long_string_on_update_is_refused(storage, world, reread, cls, field, limit):
    obj = {State: world.s1, City: world.c1, Amenity: world.wifi, Place: world.p1,
           Review: world.r1, User: world.u1}[cls]
    before = snapshot(storage)
    obj = storage.get(cls, obj.id)
    setattr(obj, field, "x" * (limit + 1))
    with pytest.raises(StorageError, match=f"{field} is too long"):
        obj.save()
    assert snapshot(storage) == before
    setattr(obj, field, "y" * limit)  # the limit itself is fine
    obj.save()
    assert getattr(reread(obj), field) == "y" * limit


def test_too_long_string_on_create_writes_nothing(storage, world):
    before = snapshot(storage)
    with pytest.raises(ValidationError):
        State(name="n" * 129).save()
    assert snapshot(storage) == before
    assert storage.count(State) == 2


def test_missing_required_field_is_refused(storage, world):
    before = snapshot(storage)
    for obj in (State(), City(name="x"), Place(name="x", city_id=world.c1.id),
                Review(place_id=world.p1.id, user_id=world.u1.id), Amenity()):
        with pytest.raises(ValidationError, match="is required"):
            obj.save()
    assert snapshot(storage) == before


def test_wrong_type_is_refused(storage, world, reread):
    place = storage.get(Place, world.p1.id)
    place.number_rooms = "lots"
    with pytest.raises(ValidationError, match="number_rooms"):
        place.save()
    assert reread(place).number_rooms == 0


def test_unknown_parent_is_refused(storage, world):
    before = snapshot(storage)
    with pytest.raises(StorageError):
        City(name="Nowhere", state_id="no-such-state").save()
    with pytest.raises(StorageError):
        Review(text="x", place_id=world.p1.id, user_id="no-such-user").save()
    assert snapshot(storage) == before


def test_one_bad_object_fails_the_whole_save(storage, world):
    before = snapshot(storage)
    storage.new(State(name="Good"))
    storage.new(State(name="b" * 500))
    with pytest.raises(ValidationError):
        storage.save()
    assert snapshot(storage) == before


def test_failed_save_keeps_other_objects_usable(storage, world, reread):
    """A refused write reverts its own changes only; objects read before stay
    valid, also after close() (the end of a request)."""
    world.s1.name = "z" * 200
    with pytest.raises(ValidationError):
        world.s1.save()
    assert world.s1.name == "Alpha"  # the refused change is gone
    storage.close()
    assert world.s2.name == "Beta" and world.p1.name == "Place 1"
    world.s2.name = "Gamma"
    world.s2.save()
    assert reread(world.s2).name == "Gamma"
    assert reread(world.s1).name == "Alpha"


def test_refused_password_is_forgotten(storage, world, reread):
    user = storage.get(User, world.u1.id)
    user.password = "p" * 200
    with pytest.raises(ValidationError, match="password"):
        user.save()
    user.first_name = "Anna"
    user.save()  # the refused password does not block later saves
    again = reread(world.u1)
    assert again.first_name == "Anna" and again.check_password("secret")


def test_failed_delete_and_save_is_reverted(storage, world):
    storage.delete(world.tv)
    storage.new(State(name="q" * 300))
    with pytest.raises(ValidationError):
        storage.save()
    storage.close()
    assert storage.get(Amenity, world.tv.id) is not None
    assert storage.count(State) == 2


def test_server_refusal_is_a_storage_error(storage, world, monkeypatch):
    """On the db engine the server itself refuses a too-long value (strict
    sql_mode) even when validation is skipped; the session rolls back."""
    if not hasattr(storage, "engine"):
        pytest.skip("the database server's own checks: db engine only")
    before = snapshot(storage)
    monkeypatch.setattr(State, "validate", lambda self: None)
    with pytest.raises(StorageError, match="(?i)too long"):
        State(name="s" * 129).save()
    monkeypatch.undo()
    assert snapshot(storage) == before
    State(name="ok").save()
    assert storage.count(State) == 3
