"""PostgreSQL's LISTEN/NOTIFY as the way a process learns of changes: no query per
request, the next generation as soon as a change commits, a read per request when the
listener is lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from cms.db import Database, create_engine
from cms.delivery.freshness import NotifiedFreshness
from tests.factories import create_article
from tests.live import live_database_url, wait_for


@pytest.fixture
def database(backend: str, tmp_path: Path) -> Iterator[Database]:
    if backend != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; SQLite always reads per request")
    database = Database(create_engine(live_database_url(backend, tmp_path, "cms_notify")))
    yield database
    database.dispose()


@pytest.fixture
def listening(database: Database) -> Iterator[NotifiedFreshness]:
    freshness = NotifiedFreshness(database)
    yield freshness
    freshness.close()


def _publish(database: Database, slug: str) -> None:
    with database.session(write=True) as session:
        create_article(session, slug=slug)
        session.commit()


def _statements(database: Database) -> list[str]:
    seen: list[str] = []
    sa.event.listen(database.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def test_a_commit_is_heard_without_a_query_per_request(
    database: Database, listening: NotifiedFreshness
):
    freshness = listening
    freshness.VERIFY_SECONDS = 3600  # no periodic check in the way
    start = freshness.generation()  # opens the listener
    seen = _statements(database)
    for _ in range(50):
        assert freshness.generation() == start
    assert seen == []  # asking costs no statement
    other = Database(create_engine(database.engine.url))  # another node, as it were
    _publish(other, "published-elsewhere")
    other.dispose()
    wait_for(lambda: freshness.generation() == start + 1, what="the NOTIFY")


LISTENERS = sa.text(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
    # The listener's last statement read the generation it starts from.
    "AND query = 'SELECT generation FROM delivery_state WHERE id = 1' "
    "AND pid <> pg_backend_pid()"
)


def test_a_lost_listener_falls_back_to_reading_and_listens_again(
    database: Database, listening: NotifiedFreshness
):
    freshness = listening
    freshness.VERIFY_SECONDS = 3600
    start = freshness.generation()
    with database.engine.begin() as connection:
        (listener,) = connection.execute(LISTENERS).scalars()
        connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": listener})
    # Autocommit: a transaction would see pg_stat_activity as of its first read only.
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        wait_for(lambda: listener not in connection.execute(LISTENERS).scalars().all(),
                 what="the listener's backend to end")  # fmt: skip
    _publish(database, "published-while-deaf")
    # Not one answer misses the change: the broken listener reads instead.
    assert freshness.generation() == start + 1
    freshness.RETRY_SECONDS = 0
    _publish(database, "published-after")
    wait_for(lambda: freshness.generation() == start + 2, what="the new listener")


def test_a_listener_cut_off_silently_is_caught_by_the_periodic_check(
    database: Database, listening: NotifiedFreshness
):
    """No NOTIFY arrives (here: the listener stopped listening): a read catches up."""
    freshness = listening
    freshness.VERIFY_SECONDS = 0.2
    start = freshness.generation()
    freshness._raw.execute("UNLISTEN *")  # deaf, and nothing tells it so
    _publish(database, "published-unheard")
    wait_for(lambda: freshness.generation() == start + 1, timeout=5, what="the periodic read")


def test_a_deployment_in_another_schema_of_the_database_is_not_heard(
    database: Database, listening: NotifiedFreshness, tmp_path: Path
):
    """Staging beside production in one database: NOTIFY reaches every listener of the
    database, and a generation of the other schema must never pass for this one's."""
    freshness = listening
    freshness.VERIFY_SECONDS = 3600
    start = freshness.generation()
    neighbour = Database(create_engine(live_database_url("postgresql", tmp_path, "cms_other")))
    try:
        for number in range(start + 3):  # the neighbour's generation overtakes this one's
            _publish(neighbour, f"neighbour-{number}")
        _publish(database, "published-here")
        wait_for(lambda: freshness.generation() == start + 1, what="this schema's NOTIFY")
        for _ in range(20):
            assert freshness.generation() == start + 1
    finally:
        neighbour.dispose()
