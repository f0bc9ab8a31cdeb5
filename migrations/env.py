"""Alembic environment.

The URL comes from ``CMS_DATABASE_URL`` (never from a config file). Code that
already holds a connection (the ``cms db`` commands, tests) passes it in
``config.attributes["connection"]``; an Engine is accepted too.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection, Engine

import cms.models  # noqa: F401 - registers every table on Base.metadata
from cms.config import default_database_url
from cms.db import Base, create_engine
from cms.migrate import migration_connection
from cms.search.models import ENGINE_OBJECTS

target_metadata = Base.metadata


def _include_object(
    _obj: object, name: str | None, _type: str, reflected: bool, compare_to: object
) -> bool:
    """Skip each database's own search structures, which the migrations create on purpose."""
    return not (reflected and compare_to is None and name in ENGINE_OBJECTS)


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode recreates tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=True,
        include_object=_include_object,
    )
    if connection.dialect.name == "postgresql":
        # Fail fast instead of queueing behind live traffic (warehouse does the same).
        connection.exec_driver_sql("SET lock_timeout = '4s'")
        connection.exec_driver_sql("SET statement_timeout = '60s'")
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = context.config.attributes.get("connection")
    if isinstance(given, Connection):
        _configure_and_run(given)
        return
    engine = given if isinstance(given, Engine) else None
    if engine is None:
        url = os.environ.get("CMS_DATABASE_URL") or default_database_url("instance")
        engine = create_engine(url)
    with migration_connection(engine) as connection:
        _configure_and_run(connection)


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; run against a database.")
run_migrations_online()
