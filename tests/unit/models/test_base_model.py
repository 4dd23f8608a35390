"""BaseModel behaviour shared by every class: ids, timestamps, kwargs, to_dict."""
import uuid
from datetime import datetime

import pytest

import models
from models.amenity import Amenity
from models.base_model import TIME_FORMAT, BaseModel
from models.city import City
from models.errors import StorageError, ValidationError
from models.place import Place
from models.review import Review
from models.state import State
from models.user import User


def test_classes_maps_every_name_to_its_class():
    assert models.classes == {"Amenity": Amenity, "City": City, "Place": Place,
                              "Review": Review, "State": State, "User": User}
    assert all(issubclass(cls, BaseModel) for cls in models.classes.values())


def test_new_object_has_uuid4_id_and_equal_timestamps():
    state = State(name="Ohio")
    assert uuid.UUID(state.id).version == 4
    assert isinstance(state.created_at, datetime)
    assert state.created_at == state.updated_at


def test_ids_are_unique():
    assert len({State(name="x").id for _ in range(100)}) == 100


def test_kwargs_round_trip_keeps_id_and_timestamps():
    state = State(name="Ohio")
    copy = State(**state.to_dict())
    assert copy is not state
    assert copy.id == state.id
    assert copy.created_at == state.created_at
    assert copy.updated_at == state.updated_at
    assert copy.to_dict() == state.to_dict()


@pytest.mark.parametrize("text, expected", [
    ("2017-09-28T21:03:54.052302", datetime(2017, 9, 28, 21, 3, 54, 52302)),
    ("2017-09-28T21:03:54", datetime(2017, 9, 28, 21, 3, 54)),
    ("2017-09-28T21:03:54Z", datetime(2017, 9, 28, 21, 3, 54)),
    ("2017-09-28T23:03:54+02:00", datetime(2017, 9, 28, 21, 3, 54)),
])
def test_kwargs_accept_iso_strings_as_naive_utc(text, expected):
    assert State(name="x", created_at=text).created_at == expected


def test_invalid_timestamp_is_refused_by_validate_not_the_constructor():
    state = State(name="x", created_at="yesterday")
    with pytest.raises(ValidationError, match="invalid timestamp"):
        state.validate()
    assert issubclass(ValidationError, StorageError)


def test_none_timestamps_are_filled():
    state = State(name="x", created_at=None, updated_at=None, id=None)
    assert isinstance(state.created_at, datetime) and state.id


def test_kwargs_ignore_unknown_keys_and_class():
    state = State(name="x", __class__="State", color="blue")
    assert state.name == "x"
    assert "color" not in state.to_dict()


def test_to_dict_has_class_iso_timestamps_and_every_column():
    place = Place(name="Loft", city_id="c", user_id="u", latitude=1.5)
    data = place.to_dict()
    assert data["__class__"] == "Place"
    assert datetime.strptime(data["created_at"], TIME_FORMAT) == place.created_at
    assert datetime.strptime(data["updated_at"], TIME_FORMAT) == place.updated_at
    columns = {c.key for c in Place.__table__.columns}
    assert set(data) == columns | {"__class__"}
    assert data["latitude"] == 1.5 and data["price_by_night"] == 0
    assert isinstance(place.created_at, datetime)  # to_dict did not change the object


def test_str_names_class_and_id():
    state = State(name="Ohio")
    assert str(state).startswith(f"[State] ({state.id}) ")
    assert "'name': 'Ohio'" in str(state)


def test_place_numbers_default_to_zero():
    place = Place(name="x", city_id="c", user_id="u")
    assert (place.number_rooms, place.number_bathrooms, place.max_guest,
            place.price_by_night) == (0, 0, 0, 0)
    assert place.latitude is None and place.description is None


# The spec's tables: (class, table, {column: (length or None, required)}).
SPEC = [
    (User, "users", {"email": (128, True), "password": (128, True),
                     "first_name": (128, False), "last_name": (128, False)}),
    (State, "states", {"name": (128, True)}),
    (City, "cities", {"state_id": (60, True), "name": (128, True)}),
    (Amenity, "amenities", {"name": (128, True)}),
    (Place, "places", {"city_id": (60, True), "user_id": (60, True), "name": (128, True),
                       "description": (1024, False), "number_rooms": (None, True),
                       "number_bathrooms": (None, True), "max_guest": (None, True),
                       "price_by_night": (None, True), "latitude": (None, False),
                       "longitude": (None, False)}),
    (Review, "reviews", {"place_id": (60, True), "user_id": (60, True),
                         "text": (1024, True)}),
]


@pytest.mark.parametrize("cls, table, columns", SPEC, ids=[s[1] for s in SPEC])
def test_tables_match_the_spec(cls, table, columns):
    assert cls.__tablename__ == table
    expected = {"id", "created_at", "updated_at"} | set(columns)
    assert {c.name for c in cls.__table__.columns} == expected
    assert cls.__table__.c.id.type.length == 60 and cls.__table__.c.id.primary_key
    for name, (length, required) in columns.items():
        column = cls.__table__.c[name]
        assert getattr(column.type, "length", None) == length, name
        assert column.nullable is not required, name
    limits = cls.column_limits()
    assert {k: v for k, v in limits.items() if k in columns} == {
        k: v[0] for k, v in columns.items() if v[0]}


@pytest.mark.parametrize("cls, fk, target", [
    (City, "state_id", "states.id"), (Place, "city_id", "cities.id"),
    (Place, "user_id", "users.id"), (Review, "place_id", "places.id"),
    (Review, "user_id", "users.id")])
def test_foreign_keys_cascade_on_delete(cls, fk, target):
    (key,) = cls.__table__.c[fk].foreign_keys
    assert key.target_fullname == target
    assert key.ondelete == "CASCADE"


def test_place_amenity_links_places_and_amenities():
    table = models.place_amenity
    assert table.name == "place_amenity"
    assert {c.name for c in table.columns} == {"place_id", "amenity_id"}
    targets = {fk.target_fullname for c in table.columns for fk in c.foreign_keys}
    assert targets == {"places.id", "amenities.id"}


def test_required_fields():
    assert State.required_fields() == ("name",)
    assert set(Place.required_fields()) == {"city_id", "user_id", "name"}
    assert set(User.required_fields()) == {"email", "password"}
    assert set(Review.required_fields()) == {"place_id", "user_id", "text"}


def test_validate_coerces_numeric_strings():
    place = Place(name="x", city_id="c", user_id="u", price_by_night="120",
                  latitude="37.5", max_guest=4.0)
    place.validate()
    assert place.price_by_night == 120 and isinstance(place.price_by_night, int)
    assert place.latitude == 37.5 and place.max_guest == 4


@pytest.mark.parametrize("field, value", [
    ("price_by_night", "cheap"), ("number_rooms", 2.5), ("max_guest", True),
    ("latitude", "north"), ("longitude", float("nan")), ("name", 12),
    ("description", ["a"]),
])
def test_validate_rejects_wrong_types(field, value):
    place = Place(**{"name": "x", "city_id": "c", "user_id": "u", field: value})
    with pytest.raises(ValidationError, match=field):
        place.validate()


def test_validate_length_limit_is_inclusive():
    State(name="x" * 128).validate()
    with pytest.raises(ValidationError, match="too long"):
        State(name="x" * 129).validate()


def test_validate_requires_required_fields():
    with pytest.raises(ValidationError, match="State.name is required"):
        State().validate()


def test_save_touches_updated_at_and_stores(storage):
    state = State(name="Ohio")
    before = state.updated_at
    state.save()
    assert state.updated_at > before
    assert storage.get(State, state.id) is not None
    storage.close()
    assert storage.get(State, state.id).updated_at == state.updated_at


def test_delete_method_removes_and_writes(storage):
    state = State(name="Ohio")
    state.save()
    state.delete()
    storage.close()
    assert storage.get(State, state.id) is None
