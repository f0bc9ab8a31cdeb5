"""Shared fixtures.

Every database test runs on SQLite, and again on PostgreSQL when
``CMS_TEST_DATABASE_URL`` is set. The schema is built by the migrations (never
``create_all``); each test runs inside a transaction that is rolled back, with
the code under test committing only to a SAVEPOINT.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Connection, Engine, event, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from cms import migrate
from cms.app import create_app
from cms.db import Database, Timeouts, create_engine
from tests.editors import editors  # noqa: F401 - tokens for every role, for any test
from tests.factories import NOW


def _database_of_this_worker(url: str | None) -> str | None:
    """``CMS_TEST_DATABASE_URL``, or under pytest-xdist a database of this worker's own.

    Workers running side by side must not share a database: beside the schemas,
    a database holds what every schema in it sees — NOTIFY channels and advisory
    locks — so each worker ``gwN`` works in ``<database>_gwN``, created on first use
    next to the configured one.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    # Creating a database waits for a checkpoint: longer than the default statement timeout.
    admin = create_engine(
        url, isolation_level="AUTOCOMMIT", timeouts=Timeouts(connect=10, statement=120, pool=30)
    )
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if exists is None:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


POSTGRES_URL = _database_of_this_worker(os.environ.get("CMS_TEST_DATABASE_URL"))
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


def postgres_engine(schema: str) -> Engine:
    """An engine whose connections work in a dedicated, freshly emptied schema."""
    assert POSTGRES_URL is not None
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    admin.dispose()
    return create_engine(POSTGRES_URL, connect_args={"options": f"-c search_path={schema}"})


def empty_engine(backend: str, tmp_path: Path, name: str) -> Engine:
    if backend == "sqlite":
        return create_engine(f"sqlite:///{tmp_path / (name + '.sqlite3')}")
    return postgres_engine(name)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = empty_engine(backend, tmp_path_factory.mktemp("db"), "cms_test")
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        if transaction.is_active:
            transaction.rollback()


@pytest.fixture
def database(engine: Engine, connection: Connection) -> Database:
    factory = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    return Database(engine, factory)


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    with database.session() as session:
        yield session


@pytest.fixture
def app(database: Database) -> Flask:
    return create_app({"DATABASE": database, "TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """The clock set to ``tests.factories.NOW``, ticking on from there.

    For tests that go through the API or the CLI, which read the clock themselves,
    with documents whose review dates are fixed (``article_document``): on any real
    date they see the day those dates were written for. Only this process's clock
    moves; a server started in another process keeps the real one.
    """
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def cli(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


_HARNESS = re.compile(r"\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I)


class QueryRecorder:
    """The SQL statements sent on the test's connection (``query_recorder`` fixture).

    The SAVEPOINTs that keep each test inside its rolled-back transaction are left out:
    a server's session sends none of them.
    """

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.recording = False

    def __enter__(self) -> QueryRecorder:
        self.statements.clear()
        self.recording = True
        return self

    def __exit__(self, *_exc: object) -> None:
        self.recording = False

    @property
    def count(self) -> int:
        return len(self.statements)

    def __str__(self) -> str:
        return "\n".join(f"{n}. {s}" for n, s in enumerate(self.statements, start=1))


@pytest.fixture
def query_recorder(connection: Connection) -> Iterator[QueryRecorder]:
    """Record every statement the code under test sends, inside ``with query_recorder:``.

    Counting statements makes an N+1 (one more query per article listed) fail a test.
    """
    recorder = QueryRecorder()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if recorder.recording and not _HARNESS.match(statement):
            recorder.statements.append(" ".join(statement.split()))

    event.listen(connection, "before_cursor_execute", record)
    yield recorder
    event.remove(connection, "before_cursor_execute", record)
