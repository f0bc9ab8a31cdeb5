"""The in-process cache of public responses: fast, and never stale once a change has committed."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.app import create_app
from cms.db import Database
from cms.delivery.cache import CachedResponse, ResponseCache, State
from cms.delivery.models import PublishedArticle
from tests.factories import create_article, revise

DETAIL = "/api/v1/articles/stem-cells-scleroderma"


class FakeFreshness:
    """A database whose generation and change log the test controls."""

    def __init__(self) -> None:
        self.current = 1
        self.changes: dict[int, set[str]] = {}
        self.down = False
        self.reads = 0

    def generation(self) -> int:
        self.reads += 1
        if self.down:
            raise ConnectionError("database down")
        return self.current

    def changes_since(self, generation: int) -> set[str] | None:
        if generation < min(self.changes, default=generation + 1) - 1:
            return None  # older than the log: unknown
        keys: set[str] = set()
        for number, changed in self.changes.items():
            if number > generation:
                keys |= changed
        return keys

    def change(self, *keys: str) -> None:
        self.current += 1
        self.changes[self.current] = set(keys)


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def entry(*keys: str, body: bytes = b"{}") -> CachedResponse:
    return CachedResponse(etag="e", headers=[("ETag", '"e"')], body=body, keys=frozenset(keys))


def filled(freshness: FakeFreshness, **kwargs: float) -> ResponseCache:
    cache = ResponseCache(freshness=freshness, max_bytes=100_000, **kwargs)  # type: ignore[arg-type]
    assert cache.sync() is State.FRESH
    return cache


def test_every_sync_reads_the_generation():
    freshness = FakeFreshness()
    cache = filled(freshness)
    cache.sync()
    cache.sync()
    assert freshness.reads == 3


def test_a_change_drops_only_the_entries_it_touches():
    freshness = FakeFreshness()
    cache = filled(freshness)
    cache.put("a", 1, entry("article:a", "list"))
    cache.put("b", 1, entry("article:b"))
    freshness.change("article:a")
    cache.sync()
    assert cache.get("a") is None
    assert cache.get("b") is not None


def test_a_gap_older_than_the_change_log_drops_everything():
    freshness = FakeFreshness()
    cache = filled(freshness)
    cache.put("b", 1, entry("article:b"))
    freshness.current = 10
    freshness.changes = {10: {"article:a"}}  # 2..9 are no longer known
    cache.sync()
    assert len(cache) == 0


def test_a_response_read_under_an_old_generation_is_not_stored():
    freshness = FakeFreshness()
    cache = filled(freshness)
    freshness.change("list")
    cache.sync()  # moved to 2 while a request was still reading under 1
    cache.put("k", 1, entry())
    assert cache.get("k") is None


def test_least_recently_used_entries_go_first_when_the_bytes_run_out():
    freshness = FakeFreshness()
    cache = ResponseCache(freshness=freshness, max_bytes=8 * 1000)
    cache.sync()
    body = b"x" * 700  # each entry is about 900 bytes with its headers
    for key in "abcdefgh":
        cache.put(key, 1, entry(body=body))
    cache.get("a")  # used: now the most recent
    cache.put("i", 1, entry(body=body))
    assert cache.get("a") is not None
    assert cache.get("b") is None
    assert cache.bytes <= 8 * 1000


def test_an_entry_larger_than_an_eighth_of_the_budget_is_not_kept():
    freshness = FakeFreshness()
    cache = ResponseCache(freshness=freshness, max_bytes=8000)
    cache.sync()
    cache.put("big", 1, entry(body=b"x" * 1200))
    assert cache.get("big") is None


def test_the_cache_starts_afresh_at_midnight_utc():
    # review_overdue depends on the date, so yesterday's answers may be wrong today.
    midnight = dt.datetime(2026, 1, 2, tzinfo=dt.UTC).timestamp()
    clock = FakeClock(midnight - 1)
    cache = filled(FakeFreshness(), clock=clock)
    cache.put("k", 1, entry())
    cache.sync()
    assert cache.get("k") is not None
    clock.now = midnight
    cache.sync()
    assert cache.get("k") is None


class SlowFreshness(FakeFreshness):
    """A hung database: each failed read takes a second of the clock."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock

    def generation(self) -> int:
        if self.down:
            self.clock.now += 1.0
        return super().generation()


def test_a_database_that_refuses_at_once_is_asked_again_on_the_next_request():
    freshness, clock = FakeFreshness(), FakeClock()
    cache = filled(freshness, clock=clock, retry_seconds=1)
    cache.put("k", 1, entry())
    freshness.down = True
    assert cache.sync() is State.STALE
    freshness.down = False
    assert cache.sync() is State.FRESH  # back at once, no waiting out a back-off


def test_an_unreachable_database_leaves_entries_served_as_stale_for_a_while():
    clock = FakeClock()
    freshness = SlowFreshness(clock)
    cache = filled(freshness, clock=clock, stale_seconds=300, retry_seconds=1)
    cache.put("k", 1, entry())
    freshness.down = True
    assert cache.sync() is State.STALE
    reads = freshness.reads
    clock.now += 0.5
    assert cache.sync() is State.STALE
    assert freshness.reads == reads  # not probed again before retry_seconds
    clock.now += 298  # 299.5 s after the last good read, counting the failed reads' time
    assert cache.sync() is State.STALE
    clock.now += 2
    assert cache.sync() is State.UNAVAILABLE  # too long since the last successful check
    freshness.down = False
    clock.now += 1  # the next probe after retry_seconds finds it back
    assert cache.sync() is State.FRESH


def test_an_unreachable_database_with_nothing_cached_goes_to_the_app():
    freshness = FakeFreshness()
    freshness.down = True
    cache = ResponseCache(freshness=freshness, max_bytes=10_000)
    assert cache.sync() is State.UNAVAILABLE


# --- Through the app, on the real database ----------------------------------------------


def test_second_read_is_served_from_memory(client: FlaskClient, session: Session):
    create_article(session)
    first = client.get(DETAIL)
    # Change the stored bytes behind the cache's back (no generation bump): a
    # cached answer cannot see it, an answer from the database would.
    session.execute(sa.update(PublishedArticle).values(detail_json='{"tampered": true}'))
    second = client.get(DETAIL)
    assert second.data == first.data
    # The same headers, but each answer has its own request id.
    assert second.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    assert [h for h in second.headers if h[0] != "X-Request-ID"] == [
        h for h in first.headers if h[0] != "X-Request-ID"
    ]


def test_a_publish_is_served_on_the_next_request(client: FlaskClient, session: Session):
    article = create_article(session)
    assert client.get(DETAIL).get_json()["title"] == "Stem cell transplantation for scleroderma"
    assert client.get("/api/v1/articles").get_json()["total"] == 1
    revise(session, article, publish=True, title="Corrected")
    create_article(session, slug="second-article")
    # No invalidation call: the committed generation alone tells the cache.
    assert client.get(DETAIL).get_json()["title"] == "Corrected"
    assert client.get("/api/v1/articles").get_json()["total"] == 2


def test_query_parameters_in_any_order_share_one_entry(app: Flask, session: Session):
    create_article(session)
    client = app.test_client()
    first = client.get("/api/v1/articles?limit=5&locale=en")
    second = client.get("/api/v1/articles?locale=en&limit=5")
    assert second.data == first.data
    assert len(app.extensions["cms.delivery_cache"]) == 1


def test_cached_answers_keep_conditional_get_and_head(client: FlaskClient, session: Session):
    create_article(session)
    etag = client.get("/api/v1/articles").get_etag()[0]
    not_modified = client.get("/api/v1/articles", headers={"If-None-Match": f'W/"{etag}"'})
    assert not_modified.status_code == 304
    assert not_modified.get_etag()[0] == etag
    assert not_modified.headers["Cache-Control"].startswith("public")
    head = client.head("/api/v1/articles")
    assert (head.status_code, head.data, head.get_etag()[0]) == (200, b"", etag)


def test_errors_are_not_cached(app: Flask, session: Session):
    client = app.test_client()
    assert client.get(DETAIL).status_code == 404
    create_article(session)
    assert client.get(DETAIL).status_code == 200
    assert client.get("/api/v1/articles?limit=0").status_code == 400
    assert len(app.extensions["cms.delivery_cache"]) == 1


@pytest.mark.usefixtures("clock")  # the review is current: no review_overdue marker
def test_a_request_with_authorization_is_not_answered_from_the_cache(
    client: FlaskClient, session: Session
):
    create_article(session)
    client.get(DETAIL)
    session.execute(sa.update(PublishedArticle).values(detail_json='{"fresh": true}'))
    response = client.get(DETAIL, headers={"Authorization": "Bearer anything"})
    assert response.get_json() == {"fresh": True}
    assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.usefixtures("clock")  # the review is current: no review_overdue marker
@pytest.mark.parametrize("size", [0])
def test_cache_can_be_disabled(database: Database, session: Session, size: int):
    app = create_app({"DATABASE": database, "DELIVERY_CACHE_BYTES": size})
    create_article(session)
    client = app.test_client()
    client.get(DETAIL)
    session.execute(sa.update(PublishedArticle).values(detail_json='{"fresh": true}'))
    assert client.get(DETAIL).get_json() == {"fresh": True}
