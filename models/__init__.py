"""The AirBnB clone's models and their storage.

``from models import storage`` gives the engine chosen by HBNB_TYPE_STORAGE:
``db`` -> DBStorage (MySQL/MariaDB via mysql+pymysql, HBNB_MYSQL_USER/PWD/HOST/
PORT/DB; HBNB_ENV=test drops every table at start), anything else ->
FileStorage (file.json, or the path in HBNB_FILE_STORAGE_PATH).

Storage interface (both engines, same behaviour):
  all(cls=None) -> {"Class.id": obj}     cls: class, class name or None (all)
  new(obj); save(); delete(obj=None); reload(); close()
                                         (a new instance with a stored id replaces it)
  get(cls, id) -> obj | None             one query
  count(cls=None) -> int                 one query
  counts() -> {"Amenity": n, ...}        one query (for /stats)
  find(cls, *, limit=None, offset=0, **equals) -> [obj]
                                         one query, e.g. find(City, state_id=sid);
                                         no equals: every object of cls
  amenities_of(place, *, limit=None, offset=0) -> [Amenity]   sorted by name
  link_amenity(place, amenity) -> bool   True if newly linked (written at once)
  unlink_amenity(place, amenity) -> bool False if not linked (written at once)
  search_places(states=(), cities=(), amenities=(), *, with_amenities=False,
                with_owners=False, limit=None, offset=0)
                 -> [Place]              places_search semantics, sorted by name;
                                         one query (one more per with_*)
  fingerprint(*classes) -> tuple         changes when rows of those classes are
                                         added, deleted or saved (one query,
                                         query-cached; for caches of pages)
  truncate()                             remove everything (tests, seed --reset)

limit/offset take a slice of the unpaged order (find: the order of all(), id
order on the db engine), in the query on the db engine: pages put together
are the unpaged answer.

delete(state) removes its cities, their places, reviews and amenity links; a
user's places and reviews go with the user (ON DELETE CASCADE on the database,
the same walk in the file engine). Reads see what was saved; the file engine
also sees objects new()'d and not yet saved (the db engine writes them at save()).

The db engine bounds every wait on the server (HBNB_MYSQL_CONNECT_TIMEOUT,
HBNB_MYSQL_READ_TIMEOUT, HBNB_MYSQL_WRITE_TIMEOUT: models/engine/db_timeouts.py)
and has ping() (raises StorageUnavailable unless the server answers now); close()
never raises. A database out of reach raises SQLAlchemy/PyMySQL connection
errors, which the web apps answer 503 (models/unavailable.py) and retry for GET
(models/read_retry.py).

Errors: save() raises models.errors.ValidationError (bad value: required,
type, too long, unknown parent in the file engine) or StorageError (the
database refused the write); either way nothing of that save was written and
the storage stays usable (objects read before stay valid). Unknown class
names raise ValueError; malformed search_places() filters ValidationError.
Column limits: Model.column_limits(), Model.required_fields(),
Model.__table__.c.<column>.type.length (see models/base_model.py).

Seed data: python3 -m models.seed --places N [--seed S] [--reset] (models/seed.py).
"""
import os

from models.errors import StorageError, ValidationError
from models.base_model import Base, BaseModel
from models.amenity import Amenity
from models.city import City
from models.place import Place, place_amenity
from models.review import Review
from models.state import State
from models.user import User

classes = {
    "Amenity": Amenity,
    "City": City,
    "Place": Place,
    "Review": Review,
    "State": State,
    "User": User,
}

# "db" or "file": the engine in use (the originals' pages test models.storage_t).
storage_t = "db" if os.getenv("HBNB_TYPE_STORAGE") == "db" else "file"

if storage_t == "db":
    from models.engine.db_storage import DBStorage
    storage = DBStorage()
else:
    from models.engine.file_storage import FileStorage
    storage = FileStorage()
storage.reload()

__all__ = [
    "Amenity", "Base", "BaseModel", "City", "Place", "Review", "State", "StorageError",
    "User", "ValidationError", "classes", "place_amenity", "storage", "storage_t",
]
