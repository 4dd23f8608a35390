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
from functools import lru_cache
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Integer, MetaData, String
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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


def parent_id(table: str) -> Any:
    """The required, indexed link to a row of ``table`` (a city's state_id...):
    the database deletes the child with its parent (ON DELETE CASCADE)."""
    return mapped_column(String(60), ForeignKey(f"{table}.id", ondelete="CASCADE"),
                         nullable=False, index=True)


def children(back_populates: str) -> Any:
    """The objects whose parent_id names this one, deleted with it. passive_deletes:
    the database's ON DELETE CASCADE removes rows the session has not loaded,
    instead of the ORM loading each child to delete it."""
    return relationship(back_populates=back_populates,
                        cascade="save-update, merge, delete", passive_deletes=True)


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
        info = _info(type(self))
        for key, value in kwargs.items():
            if key not in info.settable:
                continue
            if key in ("created_at", "updated_at"):
                if value is None:
                    continue
                try:
                    value = parse_time(value)
                except ValidationError:
                    pass  # kept as given: validate() refuses it on save
            setattr(self, key, value)
        if self.id is None:
            self.id = str(uuid.uuid4())
        if self.created_at is None:
            self.created_at = utcnow()
        if self.updated_at is None:
            self.updated_at = self.created_at
        for key, default in info.defaults:
            if getattr(self, key) is None:
                setattr(self, key, default)

    # -- column facts -------------------------------------------------------
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
        for column, key, kind in _info(type(self)).columns:
            value = getattr(self, key)
            if value is None:
                if not column.nullable:
                    raise ValidationError(f"{name}.{column.name} is required")
                continue
            field = f"{name}.{column.name}"
            if kind is String:
                if not isinstance(value, str):
                    raise ValidationError(f"{field} must be a string")
                length = column.type.length
                if length and len(value) > length:
                    raise ValidationError(
                        f"{field} is too long ({len(value)} characters, at most {length})")
                continue
            if kind is Integer:
                coerced: Any = _as_int(value, field)
            elif kind is Float:
                coerced = _as_float(value, field)
            elif kind is DateTime:
                coerced = parse_time(value)
            else:
                continue
            if coerced is not value:  # setting marks the object changed
                setattr(self, key, coerced)

    # -- the classic interface ---------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Column values (timestamps as ISO-8601) plus "__class__"; never the password."""
        data: dict[str, Any] = {}
        for key in _info(type(self)).public:
            value = getattr(self, key)
            if isinstance(value, datetime):
                value = value.isoformat(timespec="microseconds")
            data[key] = value
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


class _ModelInfo:
    """What the constructor, validate() and to_dict() need of a class, once."""

    def __init__(self, cls: type) -> None:
        mapper = sa_inspect(cls)
        self.columns: list[tuple[Any, str, Any]] = []
        self.defaults: list[tuple[str, Any]] = []
        for column in cls.__table__.columns:
            key = mapper.get_property_by_column(column).key
            kind = next((base for base in (String, Integer, Float, DateTime)
                         if isinstance(column.type, base)), None)
            self.columns.append((column, key, kind))
            if column.default is not None and column.default.is_scalar:
                self.defaults.append((key, column.default.arg))
        self.public = [attr.key for attr in mapper.column_attrs
                       if not attr.key.startswith("_")]
        # Public mapped attributes (columns, relationships) and public
        # properties with a setter (User.password).
        self.settable = {key for key in mapper.attrs.keys() if not key.startswith("_")}
        for key in dir(cls):
            prop = getattr(cls, key, None)
            if (not key.startswith("_") and isinstance(prop, property)
                    and prop.fset is not None):
                self.settable.add(key)


@lru_cache(maxsize=None)
def _info(cls: type) -> _ModelInfo:
    return _ModelInfo(cls)


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
