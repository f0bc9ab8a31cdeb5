"""The outbox: every change of public state leaves its events in the same transaction,
and the worker hands each on once."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cms.db import Database
from cms.outbox import service as outbox
from cms.outbox.models import OutboxEvent
from cms.publishing import service as publishing
from cms.worker import Worker, dispatch_outbox, run_until_idle
from tests.factories import NOW, TESTER, create_article, revise

LATER = NOW + dt.timedelta(minutes=5)


def _events(session: Session) -> list[OutboxEvent]:
    return list(session.scalars(sa.select(OutboxEvent).order_by(OutboxEvent.id)))


def test_each_change_of_public_state_emits_its_event_and_a_purge(session: Session):
    article = create_article(session, conditions=["lupus"])
    revise(session, article, publish=True)
    publishing.unpublish(session, article=article, actor=TESTER, now=LATER, comment=None)
    types = [event.type for event in _events(session)]
    assert types == [
        "article.published", "cdn.purge",  # first publication
        "article.published", "cdn.purge",  # a new live revision
        "article.unpublished", "cdn.purge",
    ]  # fmt: skip


def test_an_article_event_names_the_article_the_change_and_the_keys(session: Session):
    article = create_article(session, conditions=["lupus"])
    revise(session, article, publish=True, slug="hsct-lupus", conditions=["lupus"])
    published, purge = _events(session)[2:4]
    assert published.payload["type"] == "article.published"
    assert published.payload["timestamp"].endswith("Z")
    data = published.payload["data"]
    assert data["article"] == {
        "id": str(article.id),
        "slug": "hsct-lupus",
        "locale": "en",
        "live_revision": 2,
        "revision": 2,
        "previous_slug": "stem-cells-scleroderma",
    }
    assert data["change"]["kind"] == "updated"
    expected_keys = {
        f"article:{article.id}",
        "slug:en:stem-cells-scleroderma",  # the old address now redirects
        "slug:en:hsct-lupus",
        "list", "list:en", "condition:lupus", "search", "search:en",
    }  # fmt: skip
    assert set(data["surrogate_keys"]) == expected_keys
    assert purge.payload["data"]["surrogate_keys"] == data["surrogate_keys"]
    assert purge.payload["data"]["change"] == data["change"]


def test_a_removal_names_the_revision_that_was_live(session: Session):
    article = create_article(session)
    publishing.trash(session, article_id=article.id, expected=None, actor=TESTER, now=LATER)
    trashed = _events(session)[-2]
    assert trashed.type == "article.trashed"
    assert trashed.payload["data"]["article"]["live_revision"] is None
    assert trashed.payload["data"]["article"]["revision"] == 1


def test_a_change_that_rolls_back_leaves_no_event(session: Session):
    article = create_article(session)
    session.commit()
    before = len(_events(session))
    publishing.unpublish(session, article=article, actor=TESTER, now=LATER, comment=None)
    session.rollback()
    assert len(_events(session)) == before


def test_the_worker_hands_each_event_on_once_in_order(database: Database, session: Session):
    create_article(session)
    create_article(session, slug="second-article")
    session.commit()
    seen: list[str] = []
    worker = Worker(
        database,
        [dispatch_outbox([lambda _session, event: seen.append(event.type)])],
        clock=lambda: LATER,
    )
    assert run_until_idle(worker) == 4
    assert seen == ["article.published", "cdn.purge"] * 2
    assert run_until_idle(worker) == 0  # nothing handed on twice
    session.expire_all()
    assert all(event.delivered_at == LATER for event in _events(session))


def test_a_failing_handler_leaves_the_events_pending(database: Database, session: Session):
    create_article(session)
    session.commit()

    def broken(_session: Session, _event: OutboxEvent) -> None:
        raise RuntimeError("receiver bug")

    worker = Worker(database, [dispatch_outbox([broken])], clock=lambda: LATER)
    with pytest.raises(RuntimeError):
        worker.run_pass()
    session.expire_all()
    assert outbox.pending(session) == 2


def test_two_workers_never_claim_the_same_event(backend: str, engine: Engine):
    """SKIP LOCKED: a second worker skips the events the first one holds."""
    if backend != "postgresql":
        pytest.skip("SQLite runs one worker: it has one writer at a time")
    database = Database(engine)
    with database.session(write=True) as setup:
        setup.execute(sa.delete(OutboxEvent))
        for number in range(4):
            outbox.emit(setup, type="cdn.purge", data={"n": number}, now=NOW)
        setup.commit()
    first_seen: list[int] = []
    second_seen: list[int] = []
    with database.session(write=True) as first, database.session(write=True) as second:
        outbox.dispatch(
            first, handlers=[lambda _s, e: first_seen.append(e.payload["data"]["n"])],
            now=LATER, limit=2,
        )  # fmt: skip
        # The first still holds its two; the second takes the others at once.
        outbox.dispatch(
            second, handlers=[lambda _s, e: second_seen.append(e.payload["data"]["n"])],
            now=LATER, limit=4,
        )  # fmt: skip
        first.commit()
        second.commit()
    assert first_seen == [0, 1]
    assert second_seen == [2, 3]
    with database.session(write=True) as cleanup:
        cleanup.execute(sa.delete(OutboxEvent))
        cleanup.commit()
