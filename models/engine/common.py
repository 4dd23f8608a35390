"""Helpers shared by the two storage engines."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable, Optional

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import RelationshipDirection

import models
from models.errors import ValidationError


def resolve_class(cls: Any) -> Optional[type]:
    """A stored class from a class or a class name; None stays None (all classes)."""
    if cls is None:
        return None
    if isinstance(cls, str):
        found = models.classes.get(cls)
        if found is None:
            raise ValueError(f"unknown class {cls!r}")
        return found
    if isinstance(cls, type) and cls in models.classes.values():
        return cls
    raise ValueError(f"unknown class {cls!r}")


def storage_key(obj: Any) -> str:
    """The "<Class>.<id>" key of an object."""
    return f"{type(obj).__name__}.{obj.id}"


def id_list(name: str, values: Optional[Iterable[Any]]) -> list[str]:
    """A list of ids without duplicates (order kept); None means none.

    Raises ValidationError when values is not a list/tuple/set of strings.
    """
    if values is None:
        return []
    if not isinstance(values, (list, tuple, set, frozenset)):
        raise ValidationError(f"{name} must be a list of ids")
    ids: list[str] = []
    for value in values:
        if not isinstance(value, str):
            raise ValidationError(f"{name} must be a list of ids")
        if value not in ids:
            ids.append(value)
    return ids


def sliced(items: list, limit: Optional[int], offset: int) -> list:
    """items[offset:offset + limit] (no limit when None): paging in memory."""
    if limit is None:
        return items[offset:] if offset else items
    return items[offset:offset + limit]


def check_find_keys(cls: type, keys: Iterable[str]) -> None:
    """find() may only filter on public columns of cls."""
    columns = {attr.key for attr in sa_inspect(cls).column_attrs}
    for key in keys:
        if key.startswith("_") or key not in columns:
            raise ValueError(f"{cls.__name__} has no column {key!r} to find by")


@lru_cache(maxsize=None)
def parent_links(cls: type) -> list[tuple[str, str, type]]:
    """(relationship, foreign-key attribute, parent class) of each many-to-one link."""
    mapper = sa_inspect(cls)
    links = []
    for rel in mapper.relationships:
        if rel.direction is RelationshipDirection.MANYTOONE:
            column = next(iter(rel.local_columns))
            links.append((rel.key, mapper.get_property_by_column(column).key, rel.mapper.class_))
    return links


def object_id(obj: Any) -> Any:
    """An object's id, or the value itself when given an id."""
    return obj if isinstance(obj, str) else getattr(obj, "id", None)
