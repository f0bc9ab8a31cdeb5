"""Database plumbing: declarative base, portable column types, engines, sessions.

Nothing here imports Flask: models, services, the CLI and ``migrations/env.py``
all share this module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import os
import select
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from cms.observability import database as observed_database

# Named constraints: alembic's SQLite batch mode cannot drop unnamed ones, and
# migrations read better with predictable names.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSON documents: JSONB on PostgreSQL (compact, indexable), JSON text on SQLite.
JSONDocument = sa.JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """Timezone-aware UTC timestamps on every backend.

    PostgreSQL stores ``timestamptz``; SQLite has no timezone support, so values
    are stored as naive UTC and made aware again on the way out.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: dt.datetime | None, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        dt.datetime: UTCDateTime(),
        str: sa.String(),
    }


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


WRITE_OPTION = "cms_write"


class Failure(enum.StrEnum):
    """Why the database cannot do what was asked right now (the client may retry)."""

    UNAVAILABLE = "unavailable"  # down, unreachable, not answering, not migrated
    BUSY = "busy"  # another writer held the lock too long
    FULL = "full"  # no space left for the write
    READ_ONLY = "read_only"  # the database (file) cannot be written


_SQLITE_FAILURES = (
    ("database or disk is full", Failure.FULL),
    ("readonly database", Failure.READ_ONLY),
    ("database is locked", Failure.BUSY),
    ("database table is locked", Failure.BUSY),
)


def failure_of(error: BaseException) -> Failure | None:
    """The kind of database trouble behind an exception, or None if it is not one."""
    if isinstance(error, sa.exc.TimeoutError):  # no pooled connection came free
        return Failure.BUSY
    if not isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError):
        return None
    # SQLite rolls the whole transaction back on SQLITE_FULL, so the savepoint
    # rollback that follows fails too and hides the cause: look down the chain.
    cause: BaseException | None = error
    while cause is not None:
        message = str(getattr(cause, "orig", cause)).lower()
        for text, failure in _SQLITE_FAILURES:
            if text in message:
                return failure
        if isinstance(getattr(cause, "orig", None), psycopg.errors.LockNotAvailable):
            return Failure.BUSY
        cause = cause.__context__
    return Failure.UNAVAILABLE


def _configure_sqlite(engine: Engine, timeouts: Timeouts) -> None:
    """Make SQLite behave like a real transactional database.

    - foreign keys are off by default in SQLite;
    - pysqlite's own transaction handling breaks SAVEPOINT, so SQLAlchemy emits
      BEGIN itself (https://docs.sqlalchemy.org/en/21/dialects/sqlite.html,
      "Serializable isolation / Savepoints / Transactional DDL");
    - WAL lets the public API read while an import writes.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # A writer waits this long for another one; then "database is locked": 503.
        cursor.execute(f"PRAGMA busy_timeout={int(timeouts.statement * 1000)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # A write transaction takes the write lock up front: two writers that both
        # read first and then upgrade would otherwise fail with "database is locked"
        # instead of waiting (busy_timeout) for each other.
        write = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    @event.listens_for(engine, "handle_error")
    def _reopen_after_read_only(context: sa.engine.ExceptionContext) -> None:
        # A connection opened while the file could not be written stays read-only
        # for good: recycle the pool, so connections opened after a fix can write.
        code = getattr(context.original_exception, "sqlite_errorname", "")
        if code.startswith("SQLITE_READONLY"):
            context.is_disconnect = True


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long the app waits for the database, in seconds, before answering 503.

    ``statement`` is enforced by PostgreSQL itself (``statement_timeout`` and
    ``lock_timeout``) and, for a server that does not answer at all (hung,
    paused, cut off), by the client one second later: a worker never hangs on
    the database until gunicorn kills it.
    """

    connect: float = 3.0
    statement: float = 5.0
    pool: float = 5.0


class DeadlineConnection(psycopg.Connection):  # type: ignore[type-arg]
    """A psycopg connection that gives up on a server that does not answer.

    psycopg waits for a result without end; ``Connection.wait`` takes a timeout
    but its callers pass none. After ``deadline`` seconds the connection is
    closed (so SQLAlchemy discards it from the pool) and an ``OperationalError``
    raised. ``deadline`` None waits for ever (migrations).
    """

    deadline: float | None = None

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        try:
            return super().wait(gen, interval=interval, timeout=timeout or self.deadline)
        except psycopg.errors._WaitTimeout as exc:  # psycopg's own (private) timeout error
            self.pgconn.finish()
            raise psycopg.OperationalError(
                f"the database did not answer within {timeout or self.deadline} s"
            ) from exc


def _configure_postgresql(engine: Engine, timeouts: Timeouts) -> None:
    statement_ms = int(timeouts.statement * 1000)

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
        cparams.setdefault("connect_timeout", max(int(timeouts.connect), 1))
        options = cparams.get("options", "")
        cparams["options"] = (
            f"-c statement_timeout={statement_ms} -c lock_timeout={statement_ms} {options}"
        ).strip()
        connection = DeadlineConnection.connect(*cargs, **cparams)
        connection.deadline = timeouts.statement + 1.0
        return connection


# A pooled connection idle longer than this is pinged before it is handed out.
PING_AFTER_IDLE = 10.0


def _check_alive_on_checkout(engine: Engine) -> None:
    """Hand out a pooled connection without a round trip when it is plainly alive.

    SQLAlchemy's ``pool_pre_ping`` sends a statement at every checkout: one round trip
    of the three a public read costs. A server that ends a connection (restart, crash,
    ``pg_terminate_backend``) leaves its socket readable: an idle connection has nothing
    to read otherwise. So a connection is pinged only when its socket has something to
    read, or it has been idle for ``PING_AFTER_IDLE`` seconds (a peer that vanished
    without a word); a failed ping makes the pool replace it (``DisconnectionError``).
    A connection that dies between the check and its statement fails that request
    with 503, and SQLAlchemy then discards every connection older than the failure.
    """

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _idle_since(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle = time.monotonic() - record.info.get("idle_since", 0.0)
        if idle < PING_AFTER_IDLE and not _has_input(dbapi_connection):
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise sa.exc.DisconnectionError(str(exc)) from exc
        if not alive:
            raise sa.exc.DisconnectionError("the connection did not answer a ping")


def _has_input(dbapi_connection: Any) -> bool:
    """Whether the server sent something (or closed) since the last statement."""
    try:
        poller = select.poll()
        poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
    except (OSError, ValueError, psycopg.Error):
        return True  # no usable socket: let the ping decide


def create_engine(url: str | URL, *, timeouts: Timeouts | None = None, **kwargs: Any) -> Engine:
    """Create an engine for a ``CMS_DATABASE_URL``, with per-backend settings."""
    url = make_url(url)
    timeouts = timeouts or Timeouts()
    backend = url.get_backend_name()
    # Error messages then never carry statement parameters (article bodies) into logs.
    kwargs.setdefault("hide_parameters", True)
    if backend == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs.setdefault("poolclass", observed_database.ObservedQueuePool)
        engine = sa.create_engine(url, **kwargs)
        _configure_sqlite(engine, timeouts)
        observed_database.instrument(engine)
        return engine
    if backend == "postgresql" and url.drivername == "postgresql":
        # Be explicit about the driver: psycopg 3 is the supported one.
        url = url.set(drivername="postgresql+psycopg")
    kwargs.setdefault("pool_timeout", timeouts.pool)
    kwargs.setdefault("poolclass", observed_database.ObservedQueuePool)
    engine = sa.create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        _check_alive_on_checkout(engine)
    if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
        _configure_postgresql(engine, timeouts)
    observed_database.instrument(engine)
    return engine


class ProbeConnection:
    """A DBAPI connection a process keeps open for one tiny read per request.

    Reading through a pooled ORM session costs a checkout, a pre-ping, BEGIN and
    ROLLBACK around the statement; this runs the statement alone, in autocommit
    mode (each read sees everything committed before it). A connection inherited
    across ``fork`` is left to its parent and a new one is opened; a failed one
    is discarded and reopened on the next call.
    """

    TIMEOUT = 1.0

    def __init__(self, engine: Engine):
        self._engine = engine
        self._connection: Any = None
        self._pid = 0
        self._lock = threading.Lock()

    def _open(self) -> Any:
        raw = self._engine.raw_connection()
        driver = raw.driver_connection
        if isinstance(driver, DeadlineConnection):
            driver.autocommit = True
            # One indexed read: a database that takes longer is treated as down.
            driver.deadline = min(self.TIMEOUT, driver.deadline or self.TIMEOUT)
        self._raw = raw
        return driver

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            if self._connection is None or self._pid != os.getpid():
                self._connection, self._pid = self._open(), os.getpid()
            try:
                if self._engine.dialect.name == "postgresql":
                    sql = sql.replace("?", "%s")
                    cursor = self._connection.execute(sql, params, prepare=True)
                else:
                    cursor = self._connection.execute(sql, params)
                return cursor.fetchall()
            except BaseException:
                self._discard()
                raise

    def _discard(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                self._raw.invalidate()

    def close(self) -> None:
        """Close this process's connection (not one inherited from a parent)."""
        with self._lock:
            if self._connection is not None and self._pid == os.getpid():
                with contextlib.suppress(Exception):
                    self._raw.close()
            self._connection = None


class _SessionProbe:
    """The probe of a database built around an injected session factory (tests):
    it reads through a session, so it sees the test's own transaction."""

    def __init__(self, database: Database):
        self._database = database

    def close(self) -> None:
        pass

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._database.session() as session:
            connection = session.connection()
            if connection.dialect.name == "postgresql":
                sql = sql.replace("?", "%s")
            return [tuple(row) for row in connection.exec_driver_sql(sql, params).all()]


@contextlib.contextmanager
def without_deadline(connection: sa.Connection) -> Iterator[None]:
    """Let a connection wait as long as the statements need (schema migrations)."""
    driver = connection.connection.driver_connection
    if not isinstance(driver, DeadlineConnection):
        yield
        return
    deadline, driver.deadline = driver.deadline, None
    try:
        yield
    finally:
        driver.deadline = deadline


class Database:
    """An engine and the session factories bound to it.

    Tests build one around a connection that is rolled back after each test.
    """

    def __init__(self, engine: Engine, session_factory: sessionmaker[Session] | None = None):
        self.engine = engine
        self._injected = session_factory is not None
        self._probe: ProbeConnection | _SessionProbe | None = None
        if session_factory is None:
            self.session_factory = sessionmaker(engine, expire_on_commit=False)
            self.write_session_factory = sessionmaker(
                engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
            )
            # PostgreSQL: no BEGIN and no ROLLBACK around a public read, two round trips
            # of four. Not SQLite: pysqlite's dialect, resetting a connection's isolation
            # level on its way back to the pool, hands transactions back to the sqlite3
            # module, whose own handling breaks SAVEPOINT (see _configure_sqlite).
            self.public_session_factory = (
                sessionmaker(
                    engine.execution_options(isolation_level="AUTOCOMMIT"),
                    expire_on_commit=False,
                )
                if engine.dialect.name == "postgresql"
                else self.session_factory
            )
        else:
            self.session_factory = self.write_session_factory = session_factory
            self.public_session_factory = session_factory

    @classmethod
    def from_url(cls, url: str | URL, timeouts: Timeouts | None = None) -> Database:
        return cls(create_engine(url, timeouts=timeouts))

    @property
    def injected(self) -> bool:
        """Sessions come from a factory given from outside (tests: one open transaction)."""
        return self._injected

    def session(self, *, write: bool = False) -> Session:
        """A new session; ``write`` for one that will change data (see ``WRITE_OPTION``)."""
        return (self.write_session_factory if write else self.session_factory)()

    def public_session(self) -> Session:
        """A session for a public read: on PostgreSQL each statement runs on its own, in
        autocommit mode, and sees everything committed before it. Only for reads whose
        statements each stand alone (a public read tolerates a change between two of them,
        as it tolerates one between its generation check and its lookup)."""
        return self.public_session_factory()

    def probe(self) -> ProbeConnection | _SessionProbe:
        """The connection for one tiny read per request (SQL with ``?`` placeholders)."""
        if self._probe is None:
            self._probe = _SessionProbe(self) if self._injected else ProbeConnection(self.engine)
        return self._probe

    def dispose(self) -> None:
        """Close every connection: the probe's and the pool's."""
        if self._probe is not None:
            self._probe.close()
        self.engine.dispose()
