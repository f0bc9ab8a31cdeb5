"""The in-process cache of public responses: fast, and never stale past its generation."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from cms.app import create_app
from cms.auth import service as tokens
from cms.auth.roles import Role
from cms.db import Database, utcnow
from cms.delivery.cache import CachedResponse, ResponseCache
from cms.delivery.models import PublishedArticle
from tests.editors import Editors
from tests.factories import TESTER, create_article, revise


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def entry(body: bytes = b"{}") -> CachedResponse:
    return CachedResponse(etag="e", headers=[("ETag", '"e"')], body=body)


def test_generation_is_reread_only_after_the_ttl():
    clock, generations = FakeClock(), iter([1, 2])
    cache = ResponseCache(
        read_generation=lambda: next(generations), ttl=5, max_entries=10, clock=clock
    )
    assert cache.generation() == 1
    cache.put("k", 1, entry())
    clock.now = 4.9
    assert cache.generation() == 1
    assert cache.get("k") is not None
    clock.now = 5.0
    assert cache.generation() == 2
    assert cache.get("k") is None  # a new generation drops everything


def test_a_response_read_under_an_old_generation_is_not_stored():
    generations = iter([1, 2])
    cache = ResponseCache(read_generation=lambda: next(generations), ttl=0, max_entries=10)
    cache.generation()
    cache.generation()  # moved to 2 while a request was still reading under 1
    cache.put("k", 1, entry())
    assert cache.get("k") is None


def test_the_oldest_entry_is_evicted_when_full():
    cache = ResponseCache(read_generation=lambda: 1, ttl=60, max_entries=2)
    cache.generation()
    for key in ("a", "b", "c"):
        cache.put(key, 1, entry())
    assert (cache.get("a"), len(cache)) == (None, 2)


def test_unreadable_generation_bypasses_the_cache():
    def broken() -> int:
        raise RuntimeError("database down")

    cache = ResponseCache(read_generation=broken, ttl=0, max_entries=10)
    assert cache.generation() is None


@pytest.fixture
def cached_app(database: Database) -> Flask:
    """An app whose cache trusts its generation for an hour: only invalidation refreshes it."""
    return create_app({"DATABASE": database, "TESTING": True, "DELIVERY_CACHE_SECONDS": 3600})


def test_second_read_is_served_from_memory(cached_app: Flask, session: Session):
    create_article(session)
    client = cached_app.test_client()
    first = client.get("/api/v1/articles/stem-cells-scleroderma")
    # Change the stored bytes behind the cache's back: a cached answer cannot see it.
    session.execute(sa.update(PublishedArticle).values(detail_json='{"tampered": true}'))
    second = client.get("/api/v1/articles/stem-cells-scleroderma")
    assert second.data == first.data
    # The same headers, but each answer has its own request id.
    assert second.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    assert [h for h in second.headers if h[0] != "X-Request-ID"] == [
        h for h in first.headers if h[0] != "X-Request-ID"
    ]


def test_cached_answers_keep_conditional_get_and_head(cached_app: Flask, session: Session):
    create_article(session)
    client = cached_app.test_client()
    etag = client.get("/api/v1/articles").get_etag()[0]
    not_modified = client.get("/api/v1/articles", headers={"If-None-Match": f'W/"{etag}"'})
    assert not_modified.status_code == 304
    assert not_modified.get_etag()[0] == etag
    assert not_modified.headers["Cache-Control"].startswith("public")
    head = client.head("/api/v1/articles")
    assert (head.status_code, head.data, head.get_etag()[0]) == (200, b"", etag)


def test_invalidation_serves_a_new_publish_at_once(cached_app: Flask, session: Session):
    article = create_article(session)
    client = cached_app.test_client()
    client.get("/api/v1/articles/stem-cells-scleroderma")
    revise(session, article, publish=True, title="Corrected")
    cached_app.extensions["cms.delivery_cache"].invalidate()
    assert client.get("/api/v1/articles/stem-cells-scleroderma").get_json()["title"] == "Corrected"


def test_a_publish_elsewhere_is_seen_once_the_generation_is_reread(client, session: Session):
    # The default test app re-reads the generation on every request (ttl 0).
    create_article(session)
    assert client.get("/api/v1/articles").get_json()["total"] == 1
    create_article(session, slug="second-article")
    assert client.get("/api/v1/articles").get_json()["total"] == 2


def test_errors_are_not_cached(cached_app: Flask, session: Session):
    client = cached_app.test_client()
    assert client.get("/api/v1/articles/stem-cells-scleroderma").status_code == 404
    create_article(session)
    cached_app.extensions["cms.delivery_cache"].invalidate()
    assert client.get("/api/v1/articles/stem-cells-scleroderma").status_code == 200
    assert client.get("/api/v1/articles?limit=0").status_code == 400
    assert len(cached_app.extensions["cms.delivery_cache"]) == 1


def test_cache_can_be_disabled(database: Database, session: Session):
    app = create_app({"DATABASE": database, "DELIVERY_CACHE_ENTRIES": 0})
    create_article(session)
    client = app.test_client()
    client.get("/api/v1/articles/stem-cells-scleroderma")
    session.execute(sa.update(PublishedArticle).values(detail_json='{"fresh": true}'))
    assert client.get("/api/v1/articles/stem-cells-scleroderma").get_json() == {"fresh": True}


def test_the_cache_starts_afresh_each_day():
    # review_overdue depends on the date, so yesterday's answers may be wrong today;
    # the date is looked at whenever the generation is.
    clock, day = FakeClock(), [dt.date(2026, 1, 1)]
    cache = ResponseCache(
        read_generation=lambda: 1, ttl=5, max_entries=10, clock=clock, today=lambda: day[0]
    )
    cache.generation()
    cache.put("k", 1, entry())
    day[0] = dt.date(2026, 1, 2)
    clock.now = 5
    cache.generation()
    assert cache.get("k") is None


def test_publishing_and_unpublishing_through_the_api_show_at_once(
    cached_app: Flask, session: Session
):
    # The generation is trusted for an hour here: only this process's own
    # invalidation after the commit can make the change visible.
    client = cached_app.test_client()
    secret = tokens.create_token(
        session, name="boss", role=Role.ADMIN, actor=TESTER, now=utcnow(), credentials="MD"
    ).secret
    editors = Editors(client, {"admin": secret})
    assert client.get("/api/v1/articles").get_json()["total"] == 0  # cached: empty
    created = editors.create("admin")
    article_id, etag = created.get_json()["id"], created.headers["ETag"]
    for action in ("submit", "approve", "publish"):
        etag = editors.act("admin", article_id, etag, action).headers["ETag"]
    assert client.get("/api/v1/articles").get_json()["total"] == 1
    assert client.get("/api/v1/articles/stem-cells-scleroderma").status_code == 200
    editors.act("admin", article_id, etag, "unpublish")
    assert client.get("/api/v1/articles/stem-cells-scleroderma").status_code == 404
    assert client.get("/api/v1/articles").get_json()["total"] == 0
