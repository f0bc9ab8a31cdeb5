"""What readers and caches see when public state changes: 410 for what is gone, 301 for
what moved, surrogate keys on every public answer, and cache entries dropped by key."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.delivery.models import DeliveryChange, PublishedArticle
from cms.publishing import service as publishing
from tests.factories import NOW, TESTER, create_article, revise

DETAIL = "/api/v1/articles/stem-cells-scleroderma"


def _keys(response) -> set[str]:
    surrogate = set(response.headers["Surrogate-Key"].split(" "))
    assert surrogate == set(response.headers["Cache-Tag"].split(","))
    return surrogate


@pytest.mark.parametrize("removal", ["unpublish", "trash", "archive"])
def test_an_article_taken_off_answers_a_short_lived_410(
    client: FlaskClient, session: Session, removal: str
):
    article = create_article(session)
    assert client.get(DETAIL).status_code == 200
    if removal == "trash":
        publishing.trash(session, article_id=article.id, expected=None, actor=TESTER, now=NOW)
    else:
        getattr(publishing, removal)(session, article=article, actor=TESTER, now=NOW, comment=None)
    session.commit()
    gone = client.get(DETAIL)
    assert gone.status_code == 410
    assert gone.mimetype == "application/problem+json"
    assert gone.get_json()["type"] == "/problems/gone"
    assert gone.get_json()["detail"] == "This article is no longer published."
    # Cacheable briefly, so caches replace their copy; never served stale on error.
    assert gone.headers["Cache-Control"] == "public, max-age=30, s-maxage=30"
    assert "slug:en:stem-cells-scleroderma" in _keys(gone)
    assert client.get("/api/v1/articles/never-published").status_code == 404


def test_live_articles_may_be_served_stale_on_error_for_minutes_not_a_day(
    client: FlaskClient, session: Session
):
    create_article(session)
    session.commit()
    assert client.get(DETAIL).headers["Cache-Control"] == (
        "public, max-age=60, s-maxage=300, stale-while-revalidate=60, stale-if-error=300"
    )


def test_publishing_at_the_address_again_replaces_the_410(client: FlaskClient, session: Session):
    article = create_article(session)
    publishing.unpublish(session, article=article, actor=TESTER, now=NOW, comment=None)
    session.commit()
    assert client.get(DETAIL).status_code == 410
    revise(session, article, publish=True)
    assert client.get(DETAIL).status_code == 200


def _rename(session: Session, article, slug: str) -> None:
    revise(session, article, publish=True, slug=slug)


def test_a_renamed_article_answers_301_from_its_old_slug_in_one_hop(
    client: FlaskClient, session: Session
):
    article = create_article(session)
    _rename(session, article, "stem-cells-systemic-sclerosis")
    _rename(session, article, "hsct-scleroderma")
    for old in ("stem-cells-scleroderma", "stem-cells-systemic-sclerosis"):
        moved = client.get(f"/api/v1/articles/{old}")
        assert moved.status_code == 301
        assert moved.headers["Location"] == "/api/v1/articles/hsct-scleroderma?locale=en"
    assert client.get("/api/v1/articles/hsct-scleroderma").status_code == 200
    jsonld = client.get("/api/v1/articles/stem-cells-scleroderma/jsonld")
    assert jsonld.status_code == 301
    assert jsonld.headers["Location"] == "/api/v1/articles/hsct-scleroderma/jsonld?locale=en"


def test_an_old_slug_taken_by_another_article_serves_that_article(
    client: FlaskClient, session: Session
):
    article = create_article(session)
    _rename(session, article, "hsct-scleroderma")
    create_article(session, title="A new article at the old address")
    response = client.get(DETAIL)
    assert response.status_code == 200
    assert response.get_json()["title"] == "A new article at the old address"


def test_the_old_slug_of_an_article_taken_off_is_gone_not_moved(
    client: FlaskClient, session: Session
):
    article = create_article(session)
    _rename(session, article, "hsct-scleroderma")
    publishing.unpublish(session, article=article, actor=TESTER, now=NOW, comment=None)
    session.commit()
    assert client.get(DETAIL).status_code == 410
    assert client.get("/api/v1/articles/hsct-scleroderma").status_code == 410


def test_public_answers_name_what_they_contain(client: FlaskClient, session: Session):
    article = create_article(session, conditions=["systemic-sclerosis", "lupus"])
    detail = client.get(DETAIL)
    assert _keys(detail) == {f"article:{article.id}", "slug:en:stem-cells-scleroderma"}
    assert _keys(client.get(f"{DETAIL}/jsonld")) == _keys(detail)
    assert _keys(client.get("/api/v1/articles")) == {"list"}
    assert _keys(client.get("/api/v1/articles?locale=en&condition=lupus")) == {
        "list:en",
        "condition:lupus",
    }
    assert _keys(client.get("/api/v1/search?q=scleroderma")) == {"search:en", "search"}
    assert _keys(client.get("/api/v1/articles/nothing-here")) == {"slug:en:nothing-here"}


def test_management_answers_carry_no_surrogate_keys(client: FlaskClient, editors):
    response = editors.create()
    assert "Surrogate-Key" not in response.headers
    assert "Cache-Tag" not in response.headers


def test_a_change_records_exactly_the_keys_whose_answers_it_changed(session: Session):
    article = create_article(session, conditions=["lupus"])
    revise(session, article, publish=True, conditions=["systemic-sclerosis"], locale="en")
    changes = session.scalars(sa.select(DeliveryChange).order_by(DeliveryChange.id)).all()
    assert [change.kind for change in changes] == ["published", "updated"]
    assert set(changes[1].keys) == {
        f"article:{article.id}",
        "slug:en:stem-cells-scleroderma",
        "list",
        "list:en",
        "condition:lupus",  # the list it left
        "condition:systemic-sclerosis",  # the list it joined
        "search:en",
        "search",
    }


def test_a_change_drops_only_the_cached_answers_it_touched(app: Flask, session: Session):
    client = app.test_client()
    first = create_article(session, conditions=["lupus"])
    create_article(session, slug="second-article", conditions=["multiple-sclerosis"])
    for path in (DETAIL, "/api/v1/articles/second-article", "/api/v1/articles?condition=lupus",
                 "/api/v1/articles?condition=multiple-sclerosis"):  # fmt: skip
        assert client.get(path).status_code == 200
    cache = app.extensions["cms.delivery_cache"]
    assert len(cache) == 4
    # Change the second article's stored bytes behind the cache's back, then change the
    # first one properly: the second's entries must survive (served from memory).
    session.execute(
        sa.update(PublishedArticle)
        .where(PublishedArticle.slug == "second-article")
        .values(detail_json='{"tampered": true}')
    )
    revise(session, first, publish=True, conditions=["lupus"], title="Revised")
    assert client.get(DETAIL).get_json()["title"] == "Revised"
    assert client.get("/api/v1/articles/second-article").get_json() != {"tampered": True}
    assert len(cache) == 3  # the ms list is kept too; the lupus list was dropped, then refilled
    assert client.get("/api/v1/articles?condition=lupus").get_json()["items"][0]["title"] == (
        "Revised"
    )
