"""The declarative Base and BaseModel, parent of every stored class.

Every object has ``id`` (String(60), uuid4, primary key), ``created_at`` and
``updated_at`` (naive UTC; DATETIME(6) on MySQL so microseconds survive a round
trip). ``cls(**kwargs)`` accepts any mapped attribute (timestamps as ISO-8601
strings or datetimes) and ignores unknown keys such as ``__class__``; it never
raises: a bad value (a timestamp that is not one, a name too long...) is
refused by validate() when the object is saved.

Column limits, for validating input before writing (the API uses them):
  ``Model.column_limits()``   -> {"name": 128, ...} (string columns, by column name)
  ``Model.required_fields()`` -> ("name", ...)       (columns that may not be null)
  or straight from the table: ``Model.__table__.c.name.type.length``.
``obj.validate()`` applies those rules (plus types) and raises
``models.errors.ValidationError``; both storage engines call it on save().
"""
from __future__ import annotations

import math
import re
import uuid
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import DateTime, Float, Integer, MetaData, String
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

import models
from models.errors import ValidationError

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"

# MySQL's DATETIME drops microseconds; DATETIME(6) keeps them, so an object read
# back from the database has the same timestamps as the one written (and as the
# file engine keeps).
Timestamp = DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")

# Every table on MySQL: InnoDB (foreign keys) and utf8mb4 (any Unicode text).
MYSQL_TABLE_ARGS = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_unicode_ci",
}

_INT_TEXT = re.compile(r"[+-]?\d+")


def utcnow() -> datetime:
    """The current time, naive UTC (what the DATETIME columns hold)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def parse_time(value: Any) -> datetime:
    """A datetime from an ISO-8601 string or a datetime, as naive UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        text = value.strip()
        if text[-1:] in ("Z", "z"):  # Python 3.10's fromisoformat rejects "Z"
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValidationError(f"invalid timestamp {value!r}") from exc
    else:
        raise ValidationError(f"invalid timestamp {value!r}")
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


class Base(DeclarativeBase):
    """Declarative base: one MetaData holding every table of the clone."""

    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


class BaseModel(Base):
    """Columns and behaviour shared by User, State, City, Amenity, Place, Review."""

    __abstract__ = True
    __table_args__ = MYSQL_TABLE_ARGS

    # sort_order: these come first in every table (and in to_dict()).
    id: Mapped[str] = mapped_column(String(60), primary_key=True, sort_order=-3)
    created_at: Mapped[datetime] = mapped_column(Timestamp, nullable=False, sort_order=-2)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, nullable=False, sort_order=-1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Set the mapped attributes given; fill id, timestamps and column defaults."""
        for key, value in kwargs.items():
            if key in ("created_at", "updated_at") and value is not None:
                try:
                    value = parse_time(value)
                except ValidationError:
                    pass  # kept as given: validate() refuses it on save
            if key in ("created_at", "updated_at") and value is None:
                continue
            if self._settable(key):
                setattr(self, key, value)
        if self.id is None:
            self.id = str(uuid.uuid4())
        if self.created_at is None:
            self.created_at = utcnow()
        if self.updated_at is None:
            self.updated_at = self.created_at
        for column in type(self).__table__.columns:
            default = column.default
            if default is not None and default.is_scalar:
                key = self._attr_key(column.name)
                if getattr(self, key) is None:
                    setattr(self, key, default.arg)

    # -- attribute helpers ------------------------------------------------
    @classmethod
    def _settable(cls, key: str) -> bool:
        """True for public mapped attributes and public properties with a setter."""
        if key.startswith("_"):
            return False
        if key in sa_inspect(cls).attrs:
            return True
        prop = getattr(cls, key, None)
        return isinstance(prop, property) and prop.fset is not None

    @classmethod
    def _attr_key(cls, column_name: str) -> str:
        """The attribute holding a column (User's "password" lives in _password)."""
        return sa_inspect(cls).get_property_by_column(cls.__table__.c[column_name]).key

    @classmethod
    def column_limits(cls) -> dict[str, int]:
        """Maximum length of every string column, by column name."""
        return {column.name: column.type.length for column in cls.__table__.columns
                if isinstance(column.type, String) and column.type.length}

    @classmethod
    def required_fields(cls) -> tuple[str, ...]:
        """Columns that must have a value (besides id and the timestamps)."""
        return tuple(column.name for column in cls.__table__.columns
                     if not column.nullable and column.default is None
                     and column.name not in ("id", "created_at", "updated_at"))

    # -- validation -------------------------------------------------------
    def validate(self) -> None:
        """Check required values, types and lengths; coerce numeric strings.

        Raises models.errors.ValidationError naming the class and the field.
        """
        name = type(self).__name__
        for column in type(self).__table__.columns:
            key = self._attr_key(column.name)
            value = getattr(self, key)
            if value is None:
                if not column.nullable:
                    raise ValidationError(f"{name}.{column.name} is required")
                continue
            kind = column.type
            if isinstance(kind, String):
                if not isinstance(value, str):
                    raise ValidationError(f"{name}.{column.name} must be a string")
                if kind.length and len(value) > kind.length:
                    raise ValidationError(
                        f"{name}.{column.name} is too long "
                        f"({len(value)} characters, at most {kind.length})")
            elif isinstance(kind, Integer):
                setattr(self, key, _as_int(value, f"{name}.{column.name}"))
            elif isinstance(kind, Float):
                setattr(self, key, _as_float(value, f"{name}.{column.name}"))
            elif isinstance(kind, DateTime) and not isinstance(value, datetime):
                setattr(self, key, parse_time(value))

    # -- the classic interface ---------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Column values (timestamps as ISO-8601) plus "__class__"; never the password."""
        data: dict[str, Any] = {}
        for attr in sa_inspect(type(self)).column_attrs:
            if attr.key.startswith("_"):
                continue
            value = getattr(self, attr.key)
            if isinstance(value, datetime):
                value = value.strftime(TIME_FORMAT)
            data[attr.key] = value
        data["__class__"] = type(self).__name__
        return data

    def save(self) -> None:
        """Touch updated_at and write the object (storage.new + storage.save)."""
        self.updated_at = utcnow()
        models.storage.new(self)
        models.storage.save()

    def delete(self) -> None:
        """Remove the object (and what cascades from it) and write that at once."""
        models.storage.delete(self)
        models.storage.save()

    def __str__(self) -> str:
        data = self.to_dict()
        del data["__class__"]
        return f"[{type(self).__name__}] ({self.id}) {data}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"


def _as_int(value: Any, field: str) -> int:
    if isinstance(value, bool):
        raise ValidationError(f"{field} must be an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT_TEXT.fullmatch(value.strip()):
        return int(value)
    raise ValidationError(f"{field} must be an integer")


def _as_float(value: Any, field: str) -> float:
    if isinstance(value, bool):
        raise ValidationError(f"{field} must be a number")
    try:
        number = float(value) if isinstance(value, (int, float, str)) else None
    except ValueError:
        number = None
    if number is None or not math.isfinite(number):
        raise ValidationError(f"{field} must be a number")
    return number
