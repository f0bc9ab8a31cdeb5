"""Public reads on PostgreSQL run each statement on its own (autocommit): no BEGIN and no
ROLLBACK around them, two round trips fewer per read. Editors' reads and every write keep
their transaction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from psycopg.pq import TransactionStatus

from cms.app import create_app
from cms.db import Database, create_engine
from tests.factories import create_article
from tests.live import issue_tokens, live_database_url


@pytest.fixture
def url(backend: str, tmp_path: Path) -> str:
    if backend != "postgresql":
        pytest.skip("SQLite's public reads keep their transaction (see Database.__init__)")
    return live_database_url(backend, tmp_path, "cms_public_tx")


@pytest.fixture
def database(url: str) -> Iterator[Database]:
    database = Database(create_engine(url))
    yield database
    database.dispose()


def _transaction_states(database: Database) -> list[tuple[str, TransactionStatus]]:
    """After each statement: the statement and whether its connection is in a transaction."""
    seen: list[tuple[str, TransactionStatus]] = []

    def record(connection: sa.Connection, _cursor, statement: str, *_args) -> None:
        status = connection.connection.driver_connection.info.transaction_status
        seen.append((statement.split(maxsplit=1)[0], status))

    sa.event.listen(database.engine, "after_cursor_execute", record)
    return seen


def test_public_reads_hold_no_transaction_open(database: Database):
    with database.session(write=True) as session:
        create_article(session, slug="autocommit-read")
        session.commit()
    client = create_app({"DATABASE": database, "DELIVERY_CACHE_BYTES": 0}).test_client()
    seen = _transaction_states(database)
    for url, status in (
        ("/api/v1/articles/autocommit-read", 200),
        ("/api/v1/articles/autocommit-read/jsonld", 200),
        ("/api/v1/articles?condition=lupus", 200),
        ("/api/v1/search?q=stem", 200),
        ("/api/v1/articles/no-such-article", 404),
    ):
        assert client.get(url).status_code == status, url
    reads = [statement for statement, _ in seen if statement == "SELECT"]
    assert len(reads) >= 5
    assert {status for _, status in seen} == {TransactionStatus.IDLE}, seen


def test_an_editors_read_keeps_its_transaction(url: str, database: Database):
    secrets = issue_tokens(url)
    with database.session(write=True) as session:
        create_article(session, slug="editors-read")
        session.commit()
    client = create_app({"DATABASE": database}).test_client()
    seen = _transaction_states(database)
    headers = {"Authorization": f"Bearer {secrets['editor']}"}
    response = client.get("/api/v1/manage/articles", headers=headers)
    assert response.status_code == 200
    assert seen
    assert {status for _, status in seen} == {TransactionStatus.INTRANS}, seen
