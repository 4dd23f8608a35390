"""User passwords: hashed with werkzeug (pbkdf2:sha256), never plain, never MD5,
never in to_dict(), never re-hashed when read back."""
import re

import pytest
from werkzeug.security import check_password_hash

from models.errors import ValidationError
from models.user import User


def test_constructor_hashes_the_password():
    user = User(email="a@example.com", password="hunter2")
    assert user.password != "hunter2"
    assert user.password.startswith("pbkdf2:sha256:")
    assert not re.fullmatch(r"[0-9a-f]{32}", user.password)  # not an MD5 digest
    assert len(user.password) <= User.__table__.c.password.type.length
    assert check_password_hash(user.password, "hunter2")


def test_assignment_hashes_the_password():
    user = User(email="a@example.com", password="old")
    setattr(user, "password", "new-password")
    assert user.check_password("new-password")
    assert not user.check_password("old")
    assert user.password != "new-password"


def test_check_password_rejects_wrong_or_odd_input():
    user = User(email="a@example.com", password="right")
    assert user.check_password("right")
    assert not user.check_password("wrong")
    assert not user.check_password(None)
    assert not User(email="b@example.com").check_password("")


def test_same_password_gives_different_hashes():
    assert User(password="same").password != User(password="same").password


def test_password_never_in_to_dict_or_str():
    user = User(email="a@example.com", password="hunter2", first_name="Ann")
    data = user.to_dict()
    assert "password" not in data and "_password" not in data
    assert user.password not in str(user) and "hunter2" not in str(user)
    assert data["first_name"] == "Ann"


def test_password_survives_a_round_trip_without_rehash(storage):
    user = User(email="a@example.com", password="hunter2")
    stored_hash = user.password
    user.save()
    storage.close()
    storage.reload()
    again = storage.get(User, user.id)
    assert again is not None
    assert again.password == stored_hash
    assert again.check_password("hunter2")


def test_kwargs_round_trip_does_not_carry_the_password():
    user = User(email="a@example.com", password="hunter2")
    assert User(**user.to_dict()).password is None


@pytest.mark.parametrize("bad", ["x" * 129, 12345, None])
def test_bad_plain_password_refused_on_save(storage, bad):
    user = User(email="a@example.com", password=bad)
    with pytest.raises(ValidationError, match="password"):
        user.save()
    assert storage.count(User) == 0


def test_longest_plain_password_is_accepted(storage):
    user = User(email="a@example.com", password="p" * User.PASSWORD_MAX_LENGTH)
    user.save()
    storage.close()
    assert storage.get(User, user.id).check_password("p" * 128)


def test_user_without_password_is_refused(storage):
    with pytest.raises(ValidationError, match="User.password is required"):
        User(email="a@example.com").save()
    assert storage.count(User) == 0
