"""FileStorage: every object in memory, written to a JSON file on save().

The file (``file.json`` in the working directory, or HBNB_FILE_STORAGE_PATH)
maps "<Class>.<id>" to the object's to_dict() plus what to_dict() leaves out:
a user's password hash ("password") and a place's linked amenities
("amenity_ids"). Writes go to a temporary file in the same directory, then
os.replace() it over the old one, so a reader never sees half a file.

Objects are the same mapped classes as the DB engine's, never attached to a
session; the engine keeps their relationships (state.cities, place.user,
place.amenities...) pointing at the stored objects, so code navigating them
works on both engines. save() validates every object (required values, types,
lengths, links to existing parents) first: on failure nothing is written and
memory is reloaded from the file, as a database rolls back.
"""
from __future__ import annotations

import json
import os
import tempfile
import threading
from collections import defaultdict
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import inspect as sa_inspect

import models
from models.amenity import Amenity
from models.city import City
from models.engine.common import (
    check_find_keys, id_list, object_id, parent_links, resolve_class, sliced, storage_key)
from models.errors import StorageError, ValidationError
from models.place import Place
from models.user import User


def _creation_mode() -> int:
    """The mode open() would give a new file (0666 less the umask)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


_NEW_FILE_MODE = _creation_mode()


class FileStorage:
    """Objects kept in memory and serialized to one JSON file."""

    def __init__(self, path: Optional[str] = None) -> None:
        self.path = path or os.getenv("HBNB_FILE_STORAGE_PATH") or "file.json"
        self._objects: dict[str, Any] = {}
        self._lock = threading.RLock()
        self._file_stamp: Optional[tuple[int, int, int]] = None
        # What the file holds (key -> record): what a failed save() reverts to.
        self._saved: dict[str, dict[str, Any]] = {}
        # Bumped by every method that may change what is stored (fingerprint()).
        self._generation = 0

    # -- reading ------------------------------------------------------------
    def all(self, cls: Any = None) -> dict[str, Any]:
        """A new dict "<Class>.<id>" -> object, of one class or of every class."""
        cls = resolve_class(cls)
        with self._lock:
            return {key: obj for key, obj in self._objects.items()
                    if cls is None or type(obj) is cls}

    def get(self, cls: Any, id: Any) -> Any:
        """The object of class cls with this id, or None."""
        cls = resolve_class(cls)
        if not isinstance(id, str):
            return None
        with self._lock:
            return self._objects.get(f"{cls.__name__}.{id}")

    def fingerprint(self, *classes: Any) -> tuple:
        """A value that changes when what is stored may have changed: the file's
        stamp (inode, size, mtime: what other processes wrote, re-read by
        close()) and a counter of this process's changes (new, delete, save,
        reload...). Whole-store: classes are accepted for the db engine's sake.
        An attribute set on a stored object shows at its save()."""
        for cls in classes:
            resolve_class(cls)
        with self._lock:
            return (self._file_stamp, self._generation)

    def count(self, cls: Any = None) -> int:
        """How many objects of cls (of every class when None)."""
        cls = resolve_class(cls)
        with self._lock:
            if cls is None:
                return len(self._objects)
            return sum(1 for obj in self._objects.values() if type(obj) is cls)

    def counts(self) -> dict[str, int]:
        """{"Amenity": n, "City": n, ...} for every class."""
        with self._lock:
            result = dict.fromkeys(models.classes, 0)
            for obj in self._objects.values():
                result[type(obj).__name__] += 1
            return result

    def find(self, cls: Any, *, limit: Optional[int] = None, offset: int = 0,
             **equals: Any) -> list[Any]:
        """Objects of cls whose columns equal the given values (find(City, state_id=x)),
        in the order of all(); limit and offset take a slice of it."""
        cls = resolve_class(cls)
        check_find_keys(cls, equals)
        with self._lock:
            return sliced([obj for obj in self._objects.values()
                           if type(obj) is cls
                           and all(getattr(obj, key) == value for key, value in equals.items())],
                          limit, offset)

    def amenities_of(self, place: Any, *, limit: Optional[int] = None,
                     offset: int = 0) -> list[Amenity]:
        """The amenities linked to a place, by name; limit and offset take a slice."""
        with self._lock:
            stored = self._objects.get(f"Place.{object_id(place)}")
            if stored is None:
                return []
            return sliced(sorted(stored.amenities, key=lambda a: (a.name or "", a.id)),
                          limit, offset)

    def search_places(self, states: Any = (), cities: Any = (), amenities: Any = (),
                      *, with_amenities: bool = False, with_owners: bool = False,
                      limit: Optional[int] = None, offset: int = 0) -> list[Place]:
        """Places of the given states and cities (all when both are empty) that
        have every given amenity; sorted by name. Unknown ids match nothing.
        limit and offset take a slice of that order. (with_amenities,
        with_owners: for the db engine's sake; here links are always there.)"""
        state_ids = set(id_list("states", states))
        city_ids = set(id_list("cities", cities))
        amenity_ids = set(id_list("amenities", amenities))
        with self._lock:
            places = [obj for obj in self._objects.values() if type(obj) is Place]
            if state_ids or city_ids:
                city_ids |= {obj.id for obj in self._objects.values()
                             if type(obj) is City and obj.state_id in state_ids}
                places = [place for place in places if place.city_id in city_ids]
            if amenity_ids:
                places = [place for place in places
                          if amenity_ids <= {amenity.id for amenity in place.amenities}]
        return sliced(sorted(places, key=lambda place: (place.name or "", place.id)),
                      limit, offset)

    # -- writing --------------------------------------------------------------
    def new(self, obj: Any) -> None:
        """Add an object (written on the next save())."""
        if obj is None:
            return
        with self._lock:
            self._generation += 1
            key = storage_key(obj)
            previous = self._objects.get(key)
            if previous is not None and previous is not obj:
                # Another instance of the same object replaces the stored one:
                # it takes over its links, the old one leaves its parents.
                amenities = list(previous.amenities) if isinstance(previous, Place) else []
                self._unwire(previous)
                if amenities and isinstance(obj, Place) and not obj.amenities:
                    obj.amenities = amenities
            self._objects[key] = obj
            self._wire(obj)

    def save(self) -> None:
        """Validate every object, then write them all to the file.

        Raises ValidationError (nothing written) or StorageError when the file
        cannot be written; either way memory goes back to what the file holds:
        new objects are dropped, changed ones get their saved values back (the
        same instances), deleted ones return. Other objects are untouched.
        """
        with self._lock:
            self._generation += 1
            try:
                for obj in self._objects.values():
                    obj.validate()
                    self._check_parents(obj)
            except ValidationError:
                self._revert()
                raise
            for obj in self._objects.values():
                self._wire(obj)
            records = {storage_key(obj): self._record(obj) for obj in self._objects.values()}
            try:
                self._write(records)
            except OSError as exc:
                self._revert()
                raise StorageError(f"cannot write {self.path}: {exc}") from exc
            self._saved = records

    def delete(self, obj: Any = None) -> None:
        """Remove an object and, as the database cascades do, everything that
        hangs from it (a state's cities, their places, their reviews and amenity
        links; a user's places and reviews). Written on the next save()."""
        if obj is None:
            return
        with self._lock:
            self._generation += 1
            target = self._objects.get(storage_key(obj))
            if target is None:
                return
            children = self._children_index()
            doomed, stack = [], [target]
            while stack:
                current = stack.pop()
                doomed.append(current)
                stack.extend(children.get((type(current), current.id), ()))
            for current in doomed:
                if self._objects.pop(storage_key(current), None) is not None:
                    self._unwire(current)

    def link_amenity(self, place: Any, amenity: Any) -> bool:
        """Link an amenity to a place and save; False if they were linked already."""
        with self._lock:
            self._generation += 1
            stored_place = self._objects.get(f"Place.{object_id(place)}")
            stored_amenity = self._objects.get(f"Amenity.{object_id(amenity)}")
            if stored_place is None or stored_amenity is None:
                raise StorageError("cannot link: no such place or amenity")
            if stored_amenity in stored_place.amenities:
                return False
            stored_place.amenities.append(stored_amenity)
            self.save()
            return True

    def unlink_amenity(self, place: Any, amenity: Any) -> bool:
        """Unlink an amenity from a place and save; False if they were not linked."""
        with self._lock:
            self._generation += 1
            stored_place = self._objects.get(f"Place.{object_id(place)}")
            stored_amenity = self._objects.get(f"Amenity.{object_id(amenity)}")
            if stored_place is None or stored_amenity is None:
                return False
            if stored_amenity not in stored_place.amenities:
                return False
            stored_place.amenities.remove(stored_amenity)
            self.save()
            return True

    def truncate(self) -> None:
        """Remove every object and write the empty file (tests, seed --reset)."""
        with self._lock:
            self._generation += 1
            self._objects = {}
            self._write({})
            self._saved = {}

    # -- loading ------------------------------------------------------------------
    def reload(self) -> None:
        """Replace what is in memory by what the file holds (nothing if no file)."""
        with self._lock:
            self._generation += 1
            try:
                with open(self.path, encoding="utf-8") as handle:
                    stamp = self._stamp(handle.fileno())
                    data = json.load(handle)
            except FileNotFoundError:
                data, stamp = {}, None
            except (OSError, ValueError) as exc:
                raise StorageError(f"cannot read {self.path}: {exc}") from exc
            if not isinstance(data, dict):
                raise StorageError(f"cannot read {self.path}: not a JSON object")
            objects: dict[str, Any] = {}
            links: list[tuple[Place, list[str]]] = []
            for key, record in data.items():
                obj, amenity_ids = self._from_record(key, record)
                objects[storage_key(obj)] = obj
                if amenity_ids:
                    links.append((obj, amenity_ids))
            self._objects = objects
            for obj in objects.values():
                self._wire(obj)
            for place, amenity_ids in links:
                place.amenities = [objects[f"Amenity.{aid}"] for aid in amenity_ids
                                   if f"Amenity.{aid}" in objects]
            self._file_stamp = stamp
            self._saved = {key: self._record(obj) for key, obj in objects.items()}

    def close(self) -> None:
        """End of a request: reload if another process rewrote the file since."""
        with self._lock:
            try:
                stamp = self._stamp(self.path)
            except FileNotFoundError:
                stamp = None
            if stamp != self._file_stamp:
                self.reload()

    # -- internals --------------------------------------------------------------
    @staticmethod
    def _stamp(file: Any) -> tuple[int, int, int]:
        info = os.stat(file)
        return (info.st_ino, info.st_size, info.st_mtime_ns)

    def _write(self, records: dict[str, Any]) -> None:
        directory = os.path.dirname(os.path.abspath(self.path))
        try:
            mode = os.stat(self.path).st_mode & 0o777  # keep the file's permissions
        except FileNotFoundError:
            mode = _NEW_FILE_MODE
        handle, temp_path = tempfile.mkstemp(prefix=".storage-", suffix=".json", dir=directory)
        try:
            os.fchmod(handle, mode)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                # dumps, not dump: only the one-shot encoder is the C one.
                out.write(json.dumps(records, ensure_ascii=False))
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp_path, self.path)
        except BaseException:
            try:
                os.unlink(temp_path)
            except FileNotFoundError:
                pass
            raise
        self._file_stamp = self._stamp(self.path)

    @staticmethod
    def _record(obj: Any) -> dict[str, Any]:
        record = obj.to_dict()
        if isinstance(obj, User):
            record["password"] = obj.password
        if isinstance(obj, Place):
            record["amenity_ids"] = [amenity.id for amenity in obj.amenities]
        return record

    def _from_record(self, key: str, record: Any) -> tuple[Any, list[str]]:
        if not isinstance(record, dict):
            raise StorageError(f"{self.path}: {key!r} is not an object")
        record = dict(record)
        name = record.pop("__class__", key.split(".", 1)[0])
        cls = models.classes.get(name)
        if cls is None:
            raise StorageError(f"{self.path}: {key!r} has unknown class {name!r}")
        password = record.pop("password", None)
        amenity_ids = record.pop("amenity_ids", None) or []
        obj = cls(**record)
        for stamp in ("created_at", "updated_at"):
            if not isinstance(getattr(obj, stamp), datetime):
                raise StorageError(
                    f"{self.path}: {key!r}: invalid timestamp {getattr(obj, stamp)!r}")
        if isinstance(obj, User) and password is not None:
            obj.set_password_hash(password)
        return obj, list(amenity_ids)

    def _revert(self) -> None:
        """Memory back to the last saved records, keeping unchanged instances."""
        current = self._objects
        objects: dict[str, Any] = {}
        for key, record in self._saved.items():
            obj = current.get(key)
            if obj is None:  # deleted since the last save: it comes back
                obj, _links = self._from_record(key, record)
            elif self._record(obj) != record:
                self._assign(obj, record)
            objects[key] = obj
        for key, obj in current.items():
            if key not in objects:  # new since the last save: it goes
                self._unwire(obj)
        self._objects = objects
        for obj in objects.values():
            self._wire(obj)
        for key, obj in objects.items():
            if isinstance(obj, Place):
                saved_ids = self._saved[key].get("amenity_ids", [])
                if [amenity.id for amenity in obj.amenities] != saved_ids:
                    obj.amenities = [objects[f"Amenity.{aid}"] for aid in saved_ids
                                     if f"Amenity.{aid}" in objects]

    @staticmethod
    def _assign(obj: Any, record: dict[str, Any]) -> None:
        """Put a saved record's column values back on an object."""
        fresh = type(obj)(**{k: v for k, v in record.items()
                             if k not in ("password", "amenity_ids")})
        for attr in sa_inspect(type(obj)).column_attrs:
            if not attr.key.startswith("_"):
                setattr(obj, attr.key, getattr(fresh, attr.key))
        if isinstance(obj, User):
            obj.set_password_hash(record.get("password"))

    def _check_parents(self, obj: Any) -> None:
        """A foreign key must name a stored object, as the database's FKs require."""
        for _rel, fk_attr, parent in parent_links(type(obj)):
            value = getattr(obj, fk_attr)
            if value is not None and f"{parent.__name__}.{value}" not in self._objects:
                raise ValidationError(
                    f"{type(obj).__name__}.{fk_attr} {value!r}: no such {parent.__name__}")

    def _wire(self, obj: Any) -> None:
        """Point obj's many-to-one relationships at the stored parents (the
        parents' collections follow through the back-populates)."""
        for rel, fk_attr, parent in parent_links(type(obj)):
            value = getattr(obj, fk_attr)
            target = self._objects.get(f"{parent.__name__}.{value}") if value else None
            if getattr(obj, rel) is not target:
                setattr(obj, rel, target)

    @staticmethod
    def _unwire(obj: Any) -> None:
        """Detach a deleted object from its parents' collections and its links."""
        for rel, _fk_attr, _parent in parent_links(type(obj)):
            if getattr(obj, rel) is not None:
                setattr(obj, rel, None)
        if isinstance(obj, Place):
            obj.amenities.clear()
        if isinstance(obj, Amenity):
            for place in list(obj.places):
                place.amenities.remove(obj)

    def _children_index(self) -> dict[tuple[type, str], list[Any]]:
        """(parent class, parent id) -> objects whose foreign key names it."""
        index: dict[tuple[type, str], list[Any]] = defaultdict(list)
        for obj in self._objects.values():
            for _rel, fk_attr, parent in parent_links(type(obj)):
                value = getattr(obj, fk_attr)
                if value is not None:
                    index[(parent, value)].append(obj)
        return index
