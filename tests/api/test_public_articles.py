"""The public delivery API: published articles only, cacheable, predictable."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.publishing import service as publishing
from tests.factories import NOW, OMIT, TESTER, create_article, revise


def test_published_article_is_served_with_rendered_sections_and_numbered_references(
    client: FlaskClient, session: Session
):
    article = create_article(session)
    response = client.get("/api/v1/articles/stem-cells-scleroderma")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["id"] == str(article.id)
    assert body["revision"] == 1
    assert [s["type"] for s in body["sections"]] == ["overview", "evidence", "risks"]
    risks = body["sections"][2]
    assert risks["body"].startswith("Autologous transplantation")
    assert '<a href="#ref-qiu2017">2</a>' in risks["html"]
    assert body["sections"][1]["evidence_certainty"] == "moderate"
    first, second = body["references"]
    assert (first["number"], first["anchor"]) == (1, "ref-scot2018")
    assert first["href"] == "https://doi.org/10.1056/NEJMoa1703327"
    assert second["pmid"] == "28658168"
    assert body["reviewer"] == {"name": "Ada Reviewer", "credentials": "MD"}
    assert body["published_at"] == body["updated_at"] == "2026-11-01T12:00:00+00:00"
    assert body["last_reviewed"] == "2026-10-01"


def test_optional_fields_are_always_present_so_clients_see_one_shape(
    client: FlaskClient, session: Session
):
    create_article(session, conditions=OMIT)
    body = client.get("/api/v1/articles/stem-cells-scleroderma").get_json()
    assert body["conditions"] == []
    summary = client.get("/api/v1/articles").get_json()["items"][0]
    assert summary["conditions"] == []


@pytest.mark.parametrize(
    ("path", "detail", "extra"),
    [
        (
            "/api/v1/articles/no-such-article",
            "No published article 'no-such-article' in locale 'en'.",
            {"available": []},
        ),
        (
            # Where it can be read instead: never served in another locale unasked.
            "/api/v1/articles/stem-cells-scleroderma?locale=de",
            "No published article 'stem-cells-scleroderma' in locale 'de'. It is available in: en.",
            {"available": [{"locale": "en", "slug": "stem-cells-scleroderma"}]},
        ),
        (
            "/api/v1/articles/STEM-CELLS-SCLERODERMA",
            "The requested URL was not found on the server. If you entered the URL manually "
            "please check your spelling and try again.",
            {},
        ),
    ],
)
def test_unknown_slug_or_locale_is_a_problem_404(
    client: FlaskClient, session: Session, path: str, detail: str, extra: dict
):
    create_article(session)
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    # The same answer for everyone: briefly cacheable (CMS_PUBLIC_ERROR_MAX_AGE).
    assert response.headers["Cache-Control"] == "public, max-age=30, s-maxage=30"
    assert response.get_json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": detail,
        "request_id": response.headers["X-Request-ID"],
        **extra,
    }


def test_draft_is_never_served(client: FlaskClient, session: Session):
    create_article(session, publish=False)
    assert client.get("/api/v1/articles/stem-cells-scleroderma").status_code == 404
    assert client.get("/api/v1/articles").get_json() == {
        "items": [],
        "total": 0,
        "next_cursor": None,
    }


def test_new_draft_revision_leaves_the_live_revision_in_place(
    client: FlaskClient, session: Session
):
    article = create_article(session)
    revise(session, article, title="A draft title nobody should see yet")
    body = client.get("/api/v1/articles/stem-cells-scleroderma").get_json()
    assert body["title"] == "Stem cell transplantation for scleroderma"
    assert body["revision"] == 1


def test_republishing_serves_the_new_revision_and_keeps_first_published_date(
    client: FlaskClient, session: Session
):
    article = create_article(session)
    later = NOW + dt.timedelta(days=3)
    revise(session, article, publish=True, now=later, title="Updated title")
    body = client.get("/api/v1/articles/stem-cells-scleroderma").get_json()
    assert (body["title"], body["revision"]) == ("Updated title", 2)
    assert body["published_at"] == "2026-11-01T12:00:00+00:00"
    assert body["updated_at"] == "2026-11-04T12:00:00+00:00"


def test_article_in_another_locale_is_served_by_locale(client: FlaskClient, session: Session):
    create_article(session)
    create_article(session, locale="en-GB", title="Stem cell transplantation (UK)")
    response = client.get("/api/v1/articles/stem-cells-scleroderma?locale=en-GB")
    assert response.get_json()["title"] == "Stem cell transplantation (UK)"
    default = client.get("/api/v1/articles/stem-cells-scleroderma").get_json()
    assert default["locale"] == "en"


# --- Caching -------------------------------------------------------------------


def test_detail_sends_a_strong_etag_and_cdn_cache_control(client: FlaskClient, session: Session):
    create_article(session)
    response = client.get("/api/v1/articles/stem-cells-scleroderma")
    etag, weak = response.get_etag()
    assert etag
    assert not weak
    cache_control = response.headers["Cache-Control"]
    assert cache_control.startswith("public, max-age=60, s-maxage=300")
    assert "stale-while-revalidate=60" in cache_control


@pytest.mark.parametrize("form", ['"{}"', 'W/"{}"', '"other", "{}"', "*"])
def test_if_none_match_with_current_etag_answers_304_without_body(
    client: FlaskClient, session: Session, form: str
):
    create_article(session)
    etag = client.get("/api/v1/articles/stem-cells-scleroderma").get_etag()[0]
    response = client.get(
        "/api/v1/articles/stem-cells-scleroderma",
        headers={"If-None-Match": form.format(etag)},
    )
    assert response.status_code == 304
    assert response.data == b""
    assert response.get_etag()[0] == etag  # RFC 9110: a 304 repeats the ETag
    assert response.headers["Cache-Control"].startswith("public")


def test_stale_etag_gets_the_new_representation(client: FlaskClient, session: Session):
    article = create_article(session)
    old = client.get("/api/v1/articles/stem-cells-scleroderma").get_etag()[0]
    revise(session, article, publish=True, title="Corrected")
    response = client.get(
        "/api/v1/articles/stem-cells-scleroderma", headers={"If-None-Match": f'"{old}"'}
    )
    assert response.status_code == 200
    assert response.get_json()["title"] == "Corrected"
    assert response.get_etag()[0] != old


def test_if_none_match_for_unknown_article_is_404(client: FlaskClient, session: Session):
    response = client.get("/api/v1/articles/missing", headers={"If-None-Match": '"abc"'})
    assert response.status_code == 404


def test_list_answers_304_when_unchanged_and_200_after_a_publish(
    client: FlaskClient, session: Session
):
    create_article(session)
    etag = client.get("/api/v1/articles").get_etag()[0]
    assert client.get("/api/v1/articles", headers={"If-None-Match": f'"{etag}"'}).status_code == 304
    create_article(session, slug="another-article")
    assert client.get("/api/v1/articles", headers={"If-None-Match": f'"{etag}"'}).status_code == 200


def test_head_request_has_headers_and_no_body(client: FlaskClient, session: Session):
    create_article(session)
    response = client.head("/api/v1/articles/stem-cells-scleroderma")
    assert response.status_code == 200
    assert response.data == b""
    assert response.get_etag()[0]


# --- Query parameters ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "pointer", "code"),
    [
        ("?locale=en&page=2", "/query/page", "unknown_field"),
        ("?limit=0", "/query/limit", "range"),
        ("?limit=101", "/query/limit", "range"),
        ("?limit=ten", "/query/limit", "type"),
        ("?limit=1.5", "/query/limit", "type"),
        ("?limit=99999999999999999999999", "/query/limit", "range"),
        ("?locale=English", "/query/locale", "locale"),
        ("?condition=Lupus!", "/query/condition/0", "slug"),
        ("?cursor=not-a-cursor", "/query/cursor", "invalid_cursor"),
        ("?cursor=" + "x" * 300, "/query/cursor", "length"),
    ],
)
def test_bad_list_parameters_are_a_400_problem_pointing_at_the_parameter(
    client: FlaskClient, query: str, pointer: str, code: str
):
    response = client.get("/api/v1/articles" + query)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["type"] == "/problems/invalid-parameters"
    assert {"pointer": pointer, "code": code} == {
        k: problem["errors"][0][k] for k in ("pointer", "code")
    }


def test_unknown_parameter_on_detail_is_a_400(client: FlaskClient, session: Session):
    create_article(session)
    response = client.get("/api/v1/articles/stem-cells-scleroderma?lang=en")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["pointer"] == "/query/lang"


# --- List, filters, pagination ------------------------------------------------------


def publish_many(session: Session, count: int, **overrides: object) -> list[str]:
    """Publish ``count`` articles a minute apart; returns slugs newest first."""
    slugs = []
    for i in range(count):
        slug = f"article-{i:03d}"
        create_article(session, slug=slug, now=NOW + dt.timedelta(minutes=i), **overrides)
        slugs.append(slug)
    return slugs[::-1]


def test_list_returns_summaries_newest_first_with_total(client: FlaskClient, session: Session):
    slugs = publish_many(session, 3)
    body = client.get("/api/v1/articles").get_json()
    assert [item["slug"] for item in body["items"]] == slugs
    assert body["total"] == 3
    assert body["next_cursor"] is None
    assert set(body["items"][0]) == {
        "id", "slug", "locale", "title", "summary", "conditions",
        "published_at", "updated_at", "last_reviewed", "next_review", "review_overdue",
    }  # fmt: skip


def test_pages_cover_everything_once_and_link_to_the_next(client: FlaskClient, session: Session):
    slugs = publish_many(session, 7)
    seen: list[str] = []
    url = "/api/v1/articles?limit=3"
    pages = 0
    while url:
        response = client.get(url)
        body = response.get_json()
        assert body["total"] == 7
        seen += [item["slug"] for item in body["items"]]
        pages += 1
        link = response.headers.get("Link")
        if body["next_cursor"]:
            assert link is not None
            assert link.endswith('>; rel="next"')
            url = link[1 : link.index(">")]
            assert "limit=3" in url
        else:
            assert link is None
            url = None
    assert pages == 3
    assert seen == slugs


def test_pagination_is_stable_when_articles_are_published_between_pages(
    client: FlaskClient, session: Session
):
    publish_many(session, 4)
    first = client.get("/api/v1/articles?limit=2").get_json()
    create_article(session, slug="brand-new", now=NOW + dt.timedelta(days=1))
    second = client.get(f"/api/v1/articles?limit=2&cursor={first['next_cursor']}").get_json()
    assert [i["slug"] for i in first["items"]] == ["article-003", "article-002"]
    assert [i["slug"] for i in second["items"]] == ["article-001", "article-000"]
    assert second["total"] == 5


def test_articles_published_in_the_same_instant_are_paged_without_loss(
    client: FlaskClient, session: Session
):
    for i in range(5):
        create_article(session, slug=f"same-time-{i}", now=NOW)
    slugs: list[str] = []
    cursor = ""
    for _ in range(5):
        body = client.get(f"/api/v1/articles?limit=2{cursor}").get_json()
        slugs += [i["slug"] for i in body["items"]]
        if not body["next_cursor"]:
            break
        cursor = f"&cursor={body['next_cursor']}"
    assert sorted(slugs) == [f"same-time-{i}" for i in range(5)]


def test_filters_by_locale(client: FlaskClient, session: Session):
    create_article(session, slug="english")
    create_article(session, slug="british", locale="en-GB")
    body = client.get("/api/v1/articles?locale=en-GB").get_json()
    assert [i["slug"] for i in body["items"]] == ["british"]
    assert body["total"] == 1


def test_condition_filter_is_repeatable_and_matches_any(client: FlaskClient, session: Session):
    create_article(session, slug="lupus-only", conditions=["lupus"])
    create_article(session, slug="ra-only", conditions=["rheumatoid-arthritis"])
    create_article(session, slug="both", conditions=["lupus", "rheumatoid-arthritis"])
    create_article(session, slug="ms", conditions=["multiple-sclerosis"])
    lupus = client.get("/api/v1/articles?condition=lupus").get_json()
    assert sorted(i["slug"] for i in lupus["items"]) == ["both", "lupus-only"]
    either = client.get(
        "/api/v1/articles?condition=lupus&condition=rheumatoid-arthritis&limit=1"
    ).get_json()
    assert either["total"] == 3
    assert len(either["items"]) == 1


def test_one_condition_pages_newest_first_through_every_change_of_its_articles(
    client: FlaskClient, session: Session
):
    """The list of one condition, page by page: a republished article keeps its place,
    a withdrawn one leaves, other conditions and locales stay out."""
    minute = dt.timedelta(minutes=1)
    articles = [
        create_article(session, slug=f"lupus-{i}", conditions=["lupus"], now=NOW + i * minute)
        for i in range(5)
    ]
    create_article(session, slug="ms", conditions=["multiple-sclerosis"], now=NOW + 2.5 * minute)
    create_article(session, slug="lupus-gb", locale="en-GB", conditions=["lupus"],
                   now=NOW + 1.5 * minute)  # fmt: skip
    later = NOW + dt.timedelta(days=1)
    revise(session, articles[2], publish=True, now=later, slug="lupus-2",
           conditions=["multiple-sclerosis", "lupus"], title="Revised")  # fmt: skip
    publishing.withdraw(session, article_id=articles[4].id, expected=None, reason="test",
                        actor=TESTER, now=later)  # fmt: skip
    seen, cursor = [], ""
    while True:
        body = client.get(f"/api/v1/articles?condition=lupus&locale=en&limit=2{cursor}").get_json()
        seen += [(item["slug"], item["title"]) for item in body["items"]]
        if body["next_cursor"] is None:
            break
        cursor = f"&cursor={body['next_cursor']}"
    assert [slug for slug, _ in seen] == ["lupus-3", "lupus-2", "lupus-1", "lupus-0"]
    assert dict(seen)["lupus-2"] == "Revised"
    everywhere = client.get("/api/v1/articles?condition=lupus").get_json()
    assert [item["slug"] for item in everywhere["items"]] == [
        "lupus-3", "lupus-2", "lupus-gb", "lupus-1", "lupus-0",
    ]  # fmt: skip


def test_several_conditions_page_newest_first_with_each_article_once(
    client: FlaskClient, session: Session
):
    """Articles of any of the conditions, page by page: one filed under both comes once,
    in its place; the pages end when every condition's articles are out."""
    minute = dt.timedelta(minutes=1)
    filed = {"lupus-0": ["lupus"], "ms-1": ["multiple-sclerosis"],
             "both-2": ["lupus", "multiple-sclerosis"], "asthma-3": ["asthma"],
             "lupus-4": ["lupus"], "both-5": ["multiple-sclerosis", "lupus"],
             "ms-6": ["multiple-sclerosis"]}  # fmt: skip
    for i, (slug, conditions) in enumerate(filed.items()):
        create_article(session, slug=slug, conditions=conditions, now=NOW + i * minute)
    query = "/api/v1/articles?condition=multiple-sclerosis&condition=lupus&limit=2"
    seen, cursor = [], ""
    while True:
        body = client.get(query + cursor).get_json()
        seen.append([item["slug"] for item in body["items"]])
        if body["next_cursor"] is None:
            break
        cursor = f"&cursor={body['next_cursor']}"
    assert seen == [["ms-6", "both-5"], ["lupus-4", "both-2"], ["ms-1", "lupus-0"]]


def test_filters_carry_over_into_the_next_link(client: FlaskClient, session: Session):
    publish_many(session, 3, conditions=["lupus"])
    response = client.get("/api/v1/articles?condition=lupus&limit=1")
    link = response.headers["Link"]
    assert "condition=lupus" in link
    second = client.get(link[1 : link.index(">")]).get_json()
    assert second["items"][0]["slug"] == "article-001"


def test_list_entries_are_summaries_without_sections(client: FlaskClient, session: Session):
    create_article(session)
    response = client.get("/api/v1/articles")
    assert b"Severe scleroderma can damage" not in response.data
    assert (
        b"Severe scleroderma can damage"
        in client.get("/api/v1/articles/stem-cells-scleroderma").data
    )


# --- Review dates ------------------------------------------------------------------


def test_a_live_article_past_its_review_date_says_so(client: FlaskClient, session: Session):
    # Published when its review was current; next_review has passed since.
    create_article(
        session,
        now=dt.datetime(2024, 1, 10, tzinfo=dt.UTC),
        last_reviewed="2024-01-01",
        next_review="2024-12-01",
    )
    response = client.get("/api/v1/articles/stem-cells-scleroderma")
    assert response.get_json()["review_overdue"] is True
    assert client.get("/api/v1/articles").get_json()["items"][0]["review_overdue"] is True
    etag = response.get_etag()[0]
    assert etag.endswith("-overdue")
    again = client.get(
        "/api/v1/articles/stem-cells-scleroderma", headers={"If-None-Match": f'"{etag}"'}
    )
    assert again.status_code == 304


@pytest.mark.usefixtures("clock")  # current on NOW, the day it was published
def test_a_current_article_is_not_overdue(client: FlaskClient, session: Session):
    create_article(session)
    assert (
        client.get("/api/v1/articles/stem-cells-scleroderma").get_json()["review_overdue"] is False
    )
    assert client.get("/api/v1/articles").get_json()["items"][0]["review_overdue"] is False
