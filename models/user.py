"""User (table users): email (128, required), password (128, required, hashed),
first_name (128), last_name (128); has places and reviews.

The password is hashed with werkzeug.security (pbkdf2:sha256, werkzeug's default
iterations: about 103 characters, so it fits the spec's String(128); scrypt's
~160 would not). Assigning ``user.password = plain`` (or ``User(password=plain)``)
stores the hash; ``user.password`` reads the hash back; ``user.check_password(plain)``
checks one. A plain password longer than PASSWORD_MAX_LENGTH (128) or not a
string is refused by validate() on save (ValidationError), not silently hashed.
Storage engines restore a stored hash with ``set_password_hash`` (never re-hashed).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Optional

from sqlalchemy import String, event
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from models.base_model import BaseModel, children
from models.errors import ValidationError

if TYPE_CHECKING:
    from models.place import Place
    from models.review import Review


class User(BaseModel):
    """A user; deleting one deletes their places and reviews."""

    __tablename__ = "users"

    PASSWORD_MAX_LENGTH: ClassVar[int] = 128
    PASSWORD_METHOD: ClassVar[str] = "pbkdf2:sha256"

    email: Mapped[str] = mapped_column(String(128), nullable=False)
    # The column is "password"; the attribute is private so every assignment of
    # a plain password goes through the hashing property below.
    _password: Mapped[str] = mapped_column("password", String(128), nullable=False)
    first_name: Mapped[Optional[str]] = mapped_column(String(128))
    last_name: Mapped[Optional[str]] = mapped_column(String(128))

    places: Mapped[list[Place]] = children("user")
    reviews: Mapped[list[Review]] = children("user")

    @property
    def password(self) -> Optional[str]:
        """The stored hash (never the plain password)."""
        return self._password

    @password.setter
    def password(self, plain: str) -> None:
        if not isinstance(plain, str):
            self._password_problem = "User.password must be a string"
            return
        if len(plain) > self.PASSWORD_MAX_LENGTH:
            self._password_problem = (
                f"User.password is too long ({len(plain)} characters, "
                f"at most {self.PASSWORD_MAX_LENGTH})")
            return
        self._password_problem = None
        self._password = generate_password_hash(plain, method=self.PASSWORD_METHOD)

    def set_password_hash(self, password_hash: str) -> None:
        """Keep a hash computed earlier (reload from file.json, seed) as it is."""
        self._password_problem = None
        self._password = password_hash

    def check_password(self, plain: str) -> bool:
        """True if plain is the password whose hash is stored."""
        if not isinstance(plain, str) or not self._password:
            return False
        try:
            return check_password_hash(self._password, plain)
        except ValueError:  # not a hash werkzeug knows (hand-edited storage)
            return False

    def validate(self) -> None:
        problem = getattr(self, "_password_problem", None)
        if problem:
            raise ValidationError(problem)
        super().validate()


@event.listens_for(User, "refresh")
@event.listens_for(User, "expire")
def _forget_refused_password(user: User, *_args: object) -> None:
    """A refused plain password goes with the changes a refresh discards."""
    user.__dict__.pop("_password_problem", None)
