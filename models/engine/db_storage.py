"""DBStorage: the objects in MySQL/MariaDB through SQLAlchemy 2 and PyMySQL.

Connection from HBNB_MYSQL_USER, HBNB_MYSQL_PWD, HBNB_MYSQL_HOST (default
localhost), HBNB_MYSQL_PORT (optional, default 3306) and HBNB_MYSQL_DB; charset
utf8mb4; sql_mode TRADITIONAL so the server refuses bad values instead of
truncating them. HBNB_ENV=test drops every table when the engine starts.
Every wait on the server is bounded (HBNB_MYSQL_CONNECT_TIMEOUT, _READ_TIMEOUT,
_WRITE_TIMEOUT: models/engine/db_timeouts.py); a server that is down, restarting
or hung surfaces as an OperationalError, which the web apps answer 503
(models/unavailable.py). close() never raises: a session whose connection died
is discarded, so the next request of the thread starts clean.

One session per thread (scoped_session): the web apps call close() at the end
of each request, which removes the thread's session. Objects stay usable after
a commit (expire_on_commit=False), also after close(); their relationship
attributes are expired at each commit so they are re-read when next used. A
save() refused by validation drops only its own changes (no rollback), so
objects read before stay loaded; a refusal by the server rolls back (every
object of the session is then re-read on use). autoflush is off: what new()
and attribute changes do reaches the database at save(), after validation.

Every query the interface promises to bound is one statement: get() (none when
the object is already in the session), count(), counts(), find(),
search_places() (two with with_amenities=True), whatever the number of rows.
"""
from __future__ import annotations

import logging
import os
from typing import Any, Optional

from sqlalchemy import (
    URL, create_engine, delete as sql_delete, distinct, func, insert, literal_column, or_,
    select, text)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import DataError, IntegrityError, InvalidRequestError, SQLAlchemyError
from sqlalchemy.orm import scoped_session, selectinload, sessionmaker, subqueryload
from sqlalchemy.pool import NullPool

import models
from models.amenity import Amenity
from models.base_model import Base, BaseModel
from models.city import City
from models.engine.common import (
    check_find_keys, id_list, object_id, parent_links, resolve_class, storage_key)
from models.engine.db_timeouts import Timeouts
from models.errors import StorageError, StorageUnavailable, ValidationError
from models.place import Place, place_amenity

# Server errors caused by the data written (constraint, type, length): the
# caller's fault, reported as StorageError. Others (server down...) propagate.
_DATA_ERRORS = (IntegrityError, DataError)

log = logging.getLogger(__name__)

# Run on every new connection: the server refuses bad values instead of
# truncating them.
_INIT_COMMAND = "SET SESSION sql_mode = 'TRADITIONAL'"


def url_from_env() -> URL:
    """The mysql+pymysql URL described by the HBNB_MYSQL_* variables."""
    missing = [name for name in ("HBNB_MYSQL_USER", "HBNB_MYSQL_DB") if not os.getenv(name)]
    if missing:
        raise StorageError(f"DB storage needs {', '.join(missing)} in the environment")
    port = os.getenv("HBNB_MYSQL_PORT")
    return URL.create(
        "mysql+pymysql",
        username=os.getenv("HBNB_MYSQL_USER"),
        password=os.getenv("HBNB_MYSQL_PWD") or None,
        host=os.getenv("HBNB_MYSQL_HOST") or "localhost",
        port=int(port) if port else None,
        database=os.getenv("HBNB_MYSQL_DB"),
        query={"charset": "utf8mb4"},
    )


def _reason(exc: SQLAlchemyError) -> str:
    """The server's message of a DBAPI error, without SQLAlchemy's decoration."""
    orig = getattr(exc, "orig", None)
    args = getattr(orig, "args", ())
    if len(args) >= 2:
        return str(args[1])
    return str(orig or exc).splitlines()[0]


def _by_code_point(column: Any) -> Any:
    """Order as Python sorts str (the file engine), not by the table's
    case-insensitive collation."""
    return column.collate("utf8mb4_bin")


def _fingerprint_sql(classes: tuple[type, ...], dialect: Any) -> Any:
    """DBStorage.fingerprint's statement, compiled once into plain SQL: one
    scalar subquery per table (one read of it) giving "count:checksum".
    Executing a prebuilt text costs a third of building and compiling the
    query at each call (the cache key walk of five subqueries), which a page
    served from a cache would pay on every request."""
    query = select(*(
        select(func.concat(func.count(), literal_column("':'"), func.bit_xor(
            func.crc32(func.concat(cls.id, cls.updated_at)))))
        .select_from(cls).scalar_subquery()
        for cls in classes))
    if dialect.is_mariadb:
        query = query.prefix_with("SQL_CACHE")
    return text(str(query.compile(dialect=dialect)))


def _paged(query: Any, limit: Optional[int], offset: int) -> Any:
    """query with LIMIT/OFFSET when asked (None: no limit)."""
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return query


class DBStorage:
    """Objects stored in MySQL/MariaDB tables."""

    def __init__(self, url: Any = None, timeouts: Optional[Timeouts] = None) -> None:
        url = url or url_from_env()
        self.timeouts = timeouts or Timeouts.from_env()
        self._engine = create_engine(
            url,
            pool_pre_ping=True,
            pool_recycle=3600,
            # Each statement sees what other workers committed before it.
            isolation_level="READ COMMITTED",
            connect_args={"init_command": _INIT_COMMAND, **self.timeouts.connect_args()},
        )
        # ping()'s own connections: never pooled, short waits.
        self._probe_engine = create_engine(
            url, poolclass=NullPool, connect_args=self.timeouts.probe_args())
        # The same pool; its connections in autocommit mode (see _count_row).
        self._autocommit_engine = self._engine.execution_options(isolation_level="AUTOCOMMIT")
        if os.getenv("HBNB_ENV") == "test":
            Base.metadata.drop_all(self._engine)
        self._session: Optional[scoped_session] = None
        # fingerprint()'s statements, by tuple of classes (see _fingerprint_sql).
        self._fingerprints: dict[tuple[type, ...], Any] = {}

    @property
    def engine(self):
        """The SQLAlchemy Engine (tests hang statement counters on it)."""
        return self._engine

    @property
    def session(self):
        """The current thread's Session."""
        if self._session is None:
            self.reload()
        return self._session()

    # -- reading ------------------------------------------------------------
    def all(self, cls: Any = None) -> dict[str, Any]:
        """A new dict "<Class>.<id>" -> object (one query per class)."""
        cls = resolve_class(cls)
        wanted = [cls] if cls else list(models.classes.values())
        result: dict[str, Any] = {}
        for model in wanted:
            for obj in self.session.scalars(select(model)):
                result[storage_key(obj)] = obj
        return result

    def get(self, cls: Any, id: Any) -> Any:
        """The object of class cls with this id, or None (one query at most)."""
        cls = resolve_class(cls)
        if not isinstance(id, str):
            return None
        return self.session.get(cls, id)

    def count(self, cls: Any = None) -> int:
        """How many objects of cls, or of every class (one query)."""
        cls = resolve_class(cls)
        if cls is not None:
            return self._count_row(select(func.count()).select_from(cls))[0]
        return sum(self.counts().values())

    def counts(self) -> dict[str, int]:
        """{"Amenity": n, "City": n, ...} for every class, in one query."""
        names = list(models.classes)
        row = self._count_row(select(*(
            select(func.count()).select_from(models.classes[name]).scalar_subquery()
            for name in names)))
        return {name: int(value) for name, value in zip(names, row)}

    def _count_row(self, query: Any) -> Any:
        """The one row of a counting query, through MariaDB's query cache.

        InnoDB counts rows by reading a whole index, so an exact COUNT(*) takes
        time in proportion to the rows (4 ms for the 31,000 of 10,000 seeded
        places). MariaDB's query cache (query_cache_type=DEMAND in the lab's
        server settings) keeps the result of a SQL_CACHE query until any write
        to one of its tables, ON DELETE CASCADE and SQL typed by hand included,
        so a cached count is still exact. MySQL 8 removed the cache and rejects
        the word, hence MariaDB only; a MariaDB with the cache off ignores it.

        InnoDB answers from the cache only to a statement run in autocommit
        mode, so the count runs on a pooled connection of its own, outside the
        session's transaction. That sees the same rows: every write of this
        storage is committed at once (save(), delete()), and READ COMMITTED
        shows each statement what is committed.
        """
        with self._autocommit_engine.connect() as conn:
            if conn.dialect.is_mariadb:
                query = query.prefix_with("SQL_CACHE")
            return conn.execute(query).one()

    def fingerprint(self, *classes: Any) -> tuple:
        """A value that changes when a row of these classes' tables is added,
        deleted or saved (one query, through the query cache like counts).

        Per table: COUNT(*) and BIT_XOR(CRC32(CONCAT(id, updated_at))), a
        checksum every saved object changes (save() stamps updated_at), unlike
        MAX(updated_at), which misses a save from a web server whose clock is
        behind and a delete balanced by an insert. MariaDB's query cache keeps
        the result until any write to one of the tables (cascades and SQL
        typed by hand included), so it is exact and costs one cached lookup
        while nothing changes; computing it again reads each table once (a few
        ms for 10,000 places). What it cannot see: a change typed by hand that
        leaves updated_at as it was (callers bound that with a TTL)."""
        classes = tuple(resolve_class(cls) for cls in classes)
        with self._autocommit_engine.connect() as conn:
            statement = self._fingerprints.get(classes)
            if statement is None:
                statement = self._fingerprints[classes] = _fingerprint_sql(classes, conn.dialect)
            return tuple(conn.execute(statement).one())

    def find(self, cls: Any, *, limit: Optional[int] = None, offset: int = 0,
             **equals: Any) -> list[Any]:
        """Objects of cls whose columns equal the given values (one query).

        With limit or offset: that slice, in id order, the order InnoDB reads
        the rows in without ORDER BY (the clustered primary key, or a secondary
        index whose entries end with it), so pages put together are the
        unpaged answer."""
        cls = resolve_class(cls)
        check_find_keys(cls, equals)
        query = select(cls).filter_by(**equals)
        if limit is not None or offset:
            query = _paged(query.order_by(cls.id), limit, offset)
        return list(self.session.scalars(query))

    def amenities_of(self, place: Any, *, limit: Optional[int] = None,
                     offset: int = 0) -> list[Amenity]:
        """The amenities linked to a place, by name (one query); limit and
        offset take a slice of that order."""
        return list(self.session.scalars(_paged(
            select(Amenity)
            .join(place_amenity, place_amenity.c.amenity_id == Amenity.id)
            .where(place_amenity.c.place_id == object_id(place))
            .order_by(_by_code_point(Amenity.name), Amenity.id), limit, offset)))

    def search_places(self, states: Any = (), cities: Any = (), amenities: Any = (),
                      *, with_amenities: bool = False, with_owners: bool = False,
                      limit: Optional[int] = None, offset: int = 0) -> list[Place]:
        """Places of the given states and cities (all when both are empty) that
        have every given amenity; sorted by name. Unknown ids match nothing.
        limit and offset take a slice of that order (in the query).

        One query; with_amenities=True adds one more that loads every found
        place's amenities (place.amenities then needs no query), with_owners
        one that loads their users (place.user)."""
        state_ids = id_list("states", states)
        city_ids = id_list("cities", cities)
        amenity_ids = id_list("amenities", amenities)
        query = select(Place)
        if state_ids or city_ids:
            where = []
            if city_ids:
                where.append(Place.city_id.in_(city_ids))
            if state_ids:
                where.append(Place.city_id.in_(
                    select(City.id).where(City.state_id.in_(state_ids))))
            query = query.where(or_(*where))
        if amenity_ids:
            having_all = (
                select(place_amenity.c.place_id)
                .where(place_amenity.c.amenity_id.in_(amenity_ids))
                .group_by(place_amenity.c.place_id)
                .having(func.count(distinct(place_amenity.c.amenity_id)) == len(amenity_ids)))
            query = query.where(Place.id.in_(having_all))
        if with_amenities:
            query = query.options(subqueryload(Place.amenities))
        if with_owners:
            query = query.options(selectinload(Place.user))
        query = query.order_by(_by_code_point(Place.name), Place.id)
        return list(self.session.scalars(_paged(query, limit, offset)))

    # -- writing --------------------------------------------------------------
    def new(self, obj: Any) -> None:
        """Add an object to the session (written on the next save()).

        A new instance carrying the id of a stored object replaces it (as in
        the file engine): its values are copied onto the stored one."""
        if obj is None:
            return
        session = self.session
        if obj in session:
            return
        if (sa_inspect(obj).transient and isinstance(obj.id, str)
                and session.get(type(obj), obj.id) is not None):
            session.merge(obj)
            return
        try:
            session.add(obj)
        except InvalidRequestError:  # a detached copy of an object already here
            session.merge(obj)

    def save(self) -> None:
        """Validate what changed, then commit.

        A ValidationError undoes this save's changes in the session (new
        objects leave it, changed ones are re-read, deleted ones come back)
        without touching other objects; a refusal by the server (IntegrityError,
        DataError, raised as StorageError) rolls the session back. Either way
        nothing of this save is written.
        """
        session = self.session
        self._validate_changes(session)
        try:
            deleted = {(type(obj), obj.id) for obj in session.deleted}
            session.commit()
        except _DATA_ERRORS as exc:
            session.rollback()
            raise StorageError(f"storage refused the write: {_reason(exc)}") from exc
        except BaseException:
            try:
                session.rollback()
            except SQLAlchemyError:
                pass  # the connection is gone: report the first error
            raise
        self._after_commit(session, deleted)

    def delete(self, obj: Any = None) -> None:
        """Mark an object deleted (written on the next save()); the database's
        ON DELETE CASCADE removes its cities, places, reviews and links."""
        if obj is None:
            return
        session = self.session
        state = sa_inspect(obj)
        if state.transient:
            return
        if state.pending:
            session.expunge(obj)
            return
        if obj not in session:
            obj = session.get(type(obj), obj.id)
            if obj is None:
                return
        session.delete(obj)

    def link_amenity(self, place: Any, amenity: Any) -> bool:
        """Link an amenity to a place and commit; False if already linked.

        Raises StorageError when the place or the amenity does not exist."""
        session = self.session
        link = {"place_id": object_id(place), "amenity_id": object_id(amenity)}
        # Pending changes are committed with the link: refuse them before it.
        self._validate_changes(session)
        if self._linked(link):
            return False
        if (self.get(Place, link["place_id"]) is None
                or self.get(Amenity, link["amenity_id"]) is None):
            raise StorageError("cannot link: no such place or amenity")
        try:
            session.execute(insert(place_amenity).values(**link))
        except _DATA_ERRORS as exc:
            session.rollback()
            if self._linked(link):  # another request linked them meanwhile
                return False
            raise StorageError(f"cannot link: {_reason(exc)}") from exc
        self.save()
        return True

    def unlink_amenity(self, place: Any, amenity: Any) -> bool:
        """Unlink an amenity from a place and commit; False if they were not linked."""
        session = self.session
        self._validate_changes(session)
        result = session.execute(sql_delete(place_amenity).where(
            place_amenity.c.place_id == object_id(place),
            place_amenity.c.amenity_id == object_id(amenity)))
        if result.rowcount == 0:
            return False
        self.save()
        return True

    def truncate(self) -> None:
        """Delete every row of every table (tests, seed --reset)."""
        self.close()
        with self._engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())

    # -- session life -------------------------------------------------------------
    def reload(self) -> None:
        """Create the tables that are missing and start a new session registry."""
        Base.metadata.create_all(self._engine)
        if self._session is not None:
            self._session.remove()
        self._session = scoped_session(sessionmaker(
            bind=self._engine, expire_on_commit=False, autoflush=False))

    def close(self) -> None:
        """End of a request: remove the current thread's session. Never raises.

        Removing a session rolls back its transaction; when the server went
        away meanwhile (restart: error 2013) that rollback fails. The session
        is then discarded with its connection (invalidated, never returned to
        the pool) and the error logged: the request has its answer already,
        and the thread's next request gets a fresh session."""
        registry = self._session
        if registry is None:
            return
        try:
            registry.remove()
        except Exception as error:  # noqa: BLE001 (whatever it is, the session goes)
            log.warning("storage session discarded: its close failed: %s", error)
            try:
                registry().invalidate()
            except Exception:  # noqa: BLE001 (its connection is gone already)
                pass
            registry.registry.clear()

    def ping(self) -> None:
        """Return when the server answers a new connection now, else raise
        StorageUnavailable. Short waits (PROBE_TIMEOUT), outside the pool: for
        waiting until a restarting or hung server is back (models/read_retry.py)."""
        try:
            with self._probe_engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except SQLAlchemyError as error:
            raise StorageUnavailable(_reason(error)) from error

    # -- internals --------------------------------------------------------------
    def _validate_changes(self, session: Any) -> None:
        """Validate the session's new and changed objects; on a ValidationError
        undo them (see _undo) and raise it."""
        try:
            for obj in list(session.new) + list(session.dirty):
                if isinstance(obj, BaseModel):
                    obj.validate()
        except ValidationError:
            self._undo(session)
            raise

    @staticmethod
    def _undo(session: Any) -> None:
        """Drop the changes a failed validation refused, before any reached the
        server: new objects leave the session, changed ones are re-read. Other
        objects stay loaded and usable (a rollback would expire them all)."""
        for obj in list(session.deleted):  # out and back in: no longer deleted
            session.expunge(obj)
            session.add(obj)
        for obj in list(session.new):
            session.expunge(obj)
        for obj in list(session.dirty):
            try:
                session.refresh(obj)
            except InvalidRequestError:  # its row is gone meanwhile
                session.expunge(obj)

    def _linked(self, link: dict[str, Any]) -> bool:
        return self.session.execute(select(place_amenity.c.place_id).where(
            place_amenity.c.place_id == link["place_id"],
            place_amenity.c.amenity_id == link["amenity_id"])).first() is not None

    @staticmethod
    def _after_commit(session: Any, deleted: set[tuple[type, str]]) -> None:
        """Forget what a commit may have made stale, without a query.

        Relationships of every object in the session are expired (re-read on
        use), so state.cities shows a city added since it was first read.
        Deletes cascade in the database, out of the session's sight: objects
        whose parent (or grand-parent...) was deleted leave the session, so
        get() asks the database, which no longer has them.
        """
        gone = set(deleted)
        while gone:
            orphans = []
            for obj in list(session.identity_map.values()):
                loaded = sa_inspect(obj).dict
                for _rel, fk_attr, parent in parent_links(type(obj)):
                    if (parent, loaded.get(fk_attr)) in gone:
                        orphans.append(obj)
                        break
            for obj in orphans:
                session.expunge(obj)
            gone = {(type(obj), obj.id) for obj in orphans}
        for obj in list(session.identity_map.values()):
            keys = [rel.key for rel in sa_inspect(type(obj)).relationships]
            session.expire(obj, keys)
