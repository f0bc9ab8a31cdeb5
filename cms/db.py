"""Database plumbing: declarative base, portable column types, engines, sessions.

Nothing here imports Flask: models, services, the CLI and ``migrations/env.py``
all share this module.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

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


def _configure_sqlite(engine: Engine) -> None:
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
        cursor.execute("PRAGMA busy_timeout=5000")
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


def create_engine(url: str | URL, **kwargs: Any) -> Engine:
    """Create an engine for a ``CMS_DATABASE_URL``, with per-backend settings."""
    url = make_url(url)
    backend = url.get_backend_name()
    # Error messages then never carry statement parameters (article bodies) into logs.
    kwargs.setdefault("hide_parameters", True)
    if backend == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs.setdefault("poolclass", observed_database.ObservedQueuePool)
        engine = sa.create_engine(url, **kwargs)
        _configure_sqlite(engine)
        observed_database.instrument(engine)
        return engine
    if backend == "postgresql" and url.drivername == "postgresql":
        # Be explicit about the driver: psycopg 3 is the supported one.
        url = url.set(drivername="postgresql+psycopg")
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("poolclass", observed_database.ObservedQueuePool)
    engine = sa.create_engine(url, **kwargs)
    observed_database.instrument(engine)
    return engine


class Database:
    """An engine and the session factories bound to it.

    Tests build one around a connection that is rolled back after each test.
    """

    def __init__(self, engine: Engine, session_factory: sessionmaker[Session] | None = None):
        self.engine = engine
        if session_factory is None:
            self.session_factory = sessionmaker(engine, expire_on_commit=False)
            self.write_session_factory = sessionmaker(
                engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
            )
        else:
            self.session_factory = self.write_session_factory = session_factory

    @classmethod
    def from_url(cls, url: str | URL) -> Database:
        return cls(create_engine(url))

    def session(self, *, write: bool = False) -> Session:
        """A new session; ``write`` for one that will change data (see ``WRITE_OPTION``)."""
        return (self.write_session_factory if write else self.session_factory)()
