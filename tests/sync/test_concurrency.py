"""No change is ever missed: publishers that commit concurrently, an app syncing in between.

On a database of its own whose transactions really commit (the usual test
transaction would hide concurrency). Each publisher runs in a thread with its own
connection and holds its transaction open until the test lets it commit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from cms import migrate
from cms.app import create_app
from cms.articles import service
from cms.articles.models import Article
from cms.articles.schemas import load_document
from cms.db import Database
from cms.publishing import service as publishing
from tests.conftest import empty_engine
from tests.factories import NOW, TESTER, article_document
from tests.sync.helpers import App, title

DEADLINE = 30.0  # seconds: generous, the test waits for events, never for time


@pytest.fixture
def committing(backend: str, tmp_path: Path) -> Iterator[tuple[Flask, Database, str]]:
    engine = empty_engine(backend, tmp_path, "cms_sync_concurrency_test")
    migrate.upgrade(engine)
    database = Database(engine)
    yield create_app({"DATABASE": database}), database, backend
    database.dispose()


class Publisher(threading.Thread):
    """Publishes one article in its own transaction; commits when ``release`` is set."""

    def __init__(self, database: Database, article_id):
        super().__init__(daemon=True)
        self.database, self.article_id = database, article_id
        self.holding = threading.Event()  # published, not committed yet
        self.release = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with self.database.session(write=True) as session:
                article = session.get(Article, self.article_id)
                publishing.publish(session, article=article, actor=TESTER, now=NOW, approval=None)
                session.flush()
                self.holding.set()
                assert self.release.wait(DEADLINE)
                session.commit()
        except BaseException as exc:  # reported by the test
            self.error = exc
            self.holding.set()


def _wait_for_lock_waiter(database: Database, second: Publisher) -> None:
    """PostgreSQL: poll until a second transaction waits on a lock (the generation's row)."""
    deadline = time.monotonic() + DEADLINE
    # Autocommit: a transaction would see pg_stat_activity as of its first read only.
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        while time.monotonic() < deadline:
            # A publisher that failed (or went through) before waiting says why at once.
            assert not second.holding.is_set(), f"it did not wait: {second.error!r}"
            waiting = connection.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            ).scalar_one()
            if waiting:
                return
            time.sleep(0.02)
    raise AssertionError("the second publisher never waited for the first")


def test_two_concurrent_publishers_both_reach_an_app_that_synced_in_between(committing):
    app, database, backend = committing
    with database.session(write=True) as session:
        drafts = [
            service.create_article(
                session,
                document=load_document(article_document(slug=f"draft-{n}", title=title(n))),
                actor=TESTER,
                now=NOW,
            )
            for n in range(2)
        ]
        session.commit()
        first_id, second_id = (draft.id for draft in drafts)
    mobile = App(app.test_client())
    mobile.sync()
    assert mobile.store == {}

    first, second = Publisher(database, first_id), Publisher(database, second_id)
    first.start()
    assert first.holding.wait(DEADLINE)
    assert first.error is None, first.error
    second.start()  # waits for the first: for its write lock (SQLite) or its generation row
    if backend == "postgresql":
        _wait_for_lock_waiter(database, second)

    mobile.sync()  # while the first holds generation N+1 and the second waits
    assert mobile.store == {}

    first.release.set()
    assert second.holding.wait(DEADLINE)
    assert second.error is None, second.error
    mobile.sync()  # the first committed, the second holds N+2
    assert set(mobile.store) == {str(first_id)}

    second.release.set()
    for thread in (first, second):
        thread.join(DEADLINE)
        assert thread.error is None, thread.error
    mobile.sync()
    assert set(mobile.store) == {str(first_id), str(second_id)}
    assert [item["id"] for item in mobile.upserts()] == [str(second_id)]
