"""What a client may write on each class, and the checks run before any write.

One source of truth for the request bodies: the views validate with it and the
OpenAPI document (api.v1.openapi) describes it. Types and string lengths come
from the models' columns; this module only says, per class, which columns a
client may write, which are required on creation (in the order of the spec's
"Missing ..." messages) and which are fixed once created (PUT ignores them).

Choices beyond the spec (also in the OpenAPI document):
- Types are strict JSON types: a string column takes a JSON string, an Integer
  column a JSON integer (not 3.0, not "3", not true), a Float column a finite
  JSON number (not "48.8"). null is refused everywhere.
- Required strings may not be empty; every string at most its column's length.
- number_rooms, number_bathrooms, max_guest, price_by_night: 0 to 2**31 - 1
  (MySQL INT); a negative price or room count means nothing.
- latitude within [-90, 90], longitude within [-180, 180].
- Unknown keys (and id, created_at, updated_at, __class__) are ignored, never
  set on the object.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import Float, Integer, String

from models.amenity import Amenity
from models.city import City
from models.place import Place
from models.review import Review
from models.state import State
from models.user import User

from api.v1.errors import ApiError

# MySQL's INT, the type of the Integer columns, stops here; JSON integers do not.
INT_MAX = 2**31 - 1

# Ranges the API enforces besides the column types.
RANGES: dict[str, tuple[float, float]] = {
    "number_rooms": (0, INT_MAX),
    "number_bathrooms": (0, INT_MAX),
    "max_guest": (0, INT_MAX),
    "price_by_night": (0, INT_MAX),
    "latitude": (-90, 90),
    "longitude": (-180, 180),
}


@dataclass(frozen=True)
class Field:
    """One client-writable attribute and the rules its value must follow."""

    name: str
    kind: str                        # JSON Schema type: string, integer or number
    max_length: Optional[int] = None
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    required: bool = False           # on POST; a required string is never empty
    fixed: bool = False              # set on POST only, ignored by PUT

    def check(self, value: Any) -> Any:
        """The value if it follows the rules, else ApiError(400) naming the field."""
        if self.kind == "string":
            if not isinstance(value, str):
                raise ApiError(400, f"{self.name} must be a string")
            if self.required and not value:
                raise ApiError(400, f"{self.name} must not be empty")
            if self.max_length is not None and len(value) > self.max_length:
                raise ApiError(400, f"{self.name} must be at most "
                                    f"{self.max_length} characters")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:  # lone surrogates from "\ud800" escapes
                raise ApiError(400, f"{self.name} must be valid Unicode text") from None
            return value
        if self.kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ApiError(400, f"{self.name} must be an integer")
        else:  # number
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not math.isfinite(value):
                raise ApiError(400, f"{self.name} must be a number")
        if (self.minimum is not None and value < self.minimum) or \
                (self.maximum is not None and value > self.maximum):
            raise ApiError(400, f"{self.name} must be between "
                                f"{self.minimum} and {self.maximum}")
        return value

    def schema(self, for_update: bool = False) -> dict:
        """The JSON Schema (OpenAPI 3.0 flavour) of the field in a request body."""
        schema: dict[str, Any] = {"type": self.kind}
        if self.kind == "string":
            if self.required:
                schema["minLength"] = 1
            if self.max_length is not None:
                schema["maxLength"] = self.max_length
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema


def column_field(cls: type, name: str, **rules: Any) -> Field:
    """A Field whose type and maximum length are those of cls's column `name`."""
    column_type = cls.__table__.c[name].type
    if isinstance(column_type, String):
        kind, length = "string", column_type.length
    elif isinstance(column_type, Integer):
        kind, length = "integer", None
    elif isinstance(column_type, Float):
        kind, length = "number", None
    else:
        raise TypeError(f"{cls.__name__}.{name}: no JSON type for {column_type!r}")
    low, high = RANGES.get(name, (None, None))
    rules.setdefault("max_length", length)
    return Field(name, kind, minimum=low, maximum=high, **rules)


@dataclass(frozen=True)
class Resource:
    """The client-writable fields of a class (the link to the parent in the URL aside)."""

    cls: type
    fields: tuple[Field, ...]
    parent_link: Optional[str] = None  # column set from the URL's parent id

    @property
    def name(self) -> str:
        return self.cls.__name__

    def required(self) -> list[Field]:
        return [field for field in self.fields if field.required]

    def updatable(self) -> list[Field]:
        return [field for field in self.fields if not field.fixed]

    def create_values(self, data: dict) -> dict:
        """Checked values for a new object: "Missing <field>" first, then the rules."""
        for field in self.required():
            if field.name not in data:
                raise ApiError(400, f"Missing {field.name}")
        return {field.name: field.check(data[field.name])
                for field in self.fields if field.name in data}

    def update_values(self, data: dict) -> dict:
        """Checked values to set on an existing object (fixed and unknown keys ignored)."""
        return {field.name: field.check(data[field.name])
                for field in self.updatable() if field.name in data}


RESOURCES: dict[str, Resource] = {resource.name: resource for resource in (
    Resource(State, (column_field(State, "name", required=True),)),
    Resource(City, (column_field(City, "name", required=True),),
             parent_link="state_id"),
    Resource(Amenity, (column_field(Amenity, "name", required=True),)),
    Resource(User, (
        column_field(User, "email", required=True, fixed=True),
        # The column holds the hash; the plain password has its own limit.
        column_field(User, "password", required=True,
                     max_length=User.PASSWORD_MAX_LENGTH),
        column_field(User, "first_name"),
        column_field(User, "last_name"),
    )),
    Resource(Place, (
        column_field(Place, "user_id", required=True, fixed=True),
        column_field(Place, "name", required=True),
        column_field(Place, "description"),
        column_field(Place, "number_rooms"),
        column_field(Place, "number_bathrooms"),
        column_field(Place, "max_guest"),
        column_field(Place, "price_by_night"),
        column_field(Place, "latitude"),
        column_field(Place, "longitude"),
    ), parent_link="city_id"),
    Resource(Review, (
        column_field(Review, "user_id", required=True, fixed=True),
        column_field(Review, "text", required=True),
    ), parent_link="place_id"),
)}


def id_list(data: dict, key: str) -> list[str]:
    """places_search's optional lists of ids: absent means none."""
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ApiError(400, f"{key} must be a list of ids")
    return value
