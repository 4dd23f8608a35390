"""Fixtures of the models tests: a small world of related objects.

reread: an object as stored, read afresh.

world:  states  s1 (cities c1, c2), s2 (c3)
        users   u1, u2 (password "secret"; hashed once per session)
        amenities wifi, pool, tv
        places  p1 in c1 by u1 [wifi, pool], p2 in c2 by u1 [wifi],
                p3 in c3 by u2 [pool], p4 in c3 by u2 []
        reviews r1 on p1 by u2, r2 on p3 by u1
"""
from types import SimpleNamespace

import pytest
from werkzeug.security import generate_password_hash

from models.amenity import Amenity
from models.city import City
from models.place import Place
from models.review import Review
from models.state import State
from models.user import User

PASSWORD = "secret"


@pytest.fixture(scope="session")
def password_hash():
    """One hash of PASSWORD, so tests not about passwords skip the slow hashing."""
    return generate_password_hash(PASSWORD, method=User.PASSWORD_METHOD)


@pytest.fixture
def make_user(storage, password_hash):
    def make(**fields):
        user = User(**{"email": "someone@example.com", **fields})
        if "password" not in fields:
            user.set_password_hash(password_hash)
        storage.new(user)
        storage.save()
        return user
    return make


@pytest.fixture
def reread(storage):
    """reread(obj): obj as stored, read afresh after close() (as the next request
    would read it), so a test sees what was written, not the session's copy."""
    def read(obj):
        storage.close()
        return storage.get(type(obj), obj.id)
    return read


@pytest.fixture
def world(storage, make_user):
    w = SimpleNamespace()
    w.s1, w.s2 = State(name="Alpha"), State(name="Beta")
    for obj in (w.s1, w.s2):
        storage.new(obj)
    w.c1 = City(name="Aville", state_id=w.s1.id)
    w.c2 = City(name="Btown", state_id=w.s1.id)
    w.c3 = City(name="Cburg", state_id=w.s2.id)
    w.wifi, w.pool, w.tv = Amenity(name="Wifi"), Amenity(name="Pool"), Amenity(name="TV")
    for obj in (w.c1, w.c2, w.c3, w.wifi, w.pool, w.tv):
        storage.new(obj)
    storage.save()
    w.u1 = make_user(email="u1@example.com", first_name="Ann")
    w.u2 = make_user(email="u2@example.com", first_name="Bob")
    w.p1 = Place(name="Place 1", city_id=w.c1.id, user_id=w.u1.id)
    w.p2 = Place(name="Place 2", city_id=w.c2.id, user_id=w.u1.id)
    w.p3 = Place(name="Place 3", city_id=w.c3.id, user_id=w.u2.id)
    w.p4 = Place(name="Place 4", city_id=w.c3.id, user_id=w.u2.id)
    for obj in (w.p1, w.p2, w.p3, w.p4):
        storage.new(obj)
    storage.save()
    w.r1 = Review(text="Lovely", place_id=w.p1.id, user_id=w.u2.id)
    w.r2 = Review(text="Fine", place_id=w.p3.id, user_id=w.u1.id)
    storage.new(w.r1)
    storage.new(w.r2)
    storage.save()
    for place, amenity in ((w.p1, w.wifi), (w.p1, w.pool), (w.p2, w.wifi), (w.p3, w.pool)):
        assert storage.link_amenity(place, amenity) is True
    return w
