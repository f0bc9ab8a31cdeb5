"""Sparse fieldsets on the public reads, and the rule that section text brings the risks."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.delivery.models import PublishedArticle
from tests.factories import NOW, RISKS_BODY, article_document, create_article, revise, section

SLUG = "stem-cells-scleroderma"
DETAIL = f"/api/v1/articles/{SLUG}"
BENEFITS_BODY = "Most people in SCOT lived longer without the disease progressing [@scot2018]."


def with_benefits(session: Session) -> None:
    sections = article_document()["sections"]
    create_article(
        session,
        sections=[sections[0], section("benefits", BENEFITS_BODY), sections[1], sections[2]],
    )
    session.commit()


def full_risks(client: FlaskClient) -> dict:
    sections = client.get(DETAIL).get_json()["sections"]
    return next(s for s in sections if s["type"] == "risks")


def test_asking_for_benefits_text_brings_the_risks_in_full_and_says_so(
    client: FlaskClient, session: Session
):
    with_benefits(session)
    body = client.get(
        f"{DETAIL}?fields=title,sections(type,html)&section_types=benefits"
    ).get_json()
    assert set(body) == {"title", "sections", "fields_added"}
    assert body["title"] == "Stem cell transplantation for scleroderma"
    benefits, risks = body["sections"]
    assert set(benefits) == {"type", "html"}
    assert benefits["type"] == "benefits"
    assert "lived longer" in benefits["html"]
    assert risks["type"] == "risks"
    assert risks["heading"] == "Risks"
    assert risks["body"] == RISKS_BODY
    assert '<a href="#ref-qiu2017">2</a>' in risks["html"]
    assert risks == full_risks(client)
    assert body["fields_added"] == ["sections/risks"]


def test_section_types_alone_keeps_the_article_order_and_adds_the_risks(
    client: FlaskClient, session: Session
):
    with_benefits(session)
    body = client.get(f"{DETAIL}?section_types=evidence,benefits").get_json()
    assert [s["type"] for s in body["sections"]] == ["benefits", "evidence", "risks"]
    assert body["fields_added"] == ["sections/risks"]
    assert body["references"][0]["anchor"] == "ref-scot2018"  # every other field is there


def test_trimmed_risks_are_completed_when_text_is_shown(client: FlaskClient, session: Session):
    create_article(session)
    session.commit()
    body = client.get(f"{DETAIL}?fields=sections(type,html)").get_json()
    assert [set(s) for s in body["sections"]] == [
        {"type", "html"},
        {"type", "html"},
        {"type", "heading", "body", "html"},
    ]
    assert body["fields_added"] == ["sections/risks"]


def test_asking_for_the_risks_in_full_adds_nothing(client: FlaskClient, session: Session):
    create_article(session)
    session.commit()
    body = client.get(f"{DETAIL}?fields=title,sections&section_types=risks").get_json()
    assert [s["type"] for s in body["sections"]] == ["risks"]
    assert "fields_added" not in body


def test_without_sections_nothing_is_added(client: FlaskClient, session: Session):
    create_article(session)
    session.commit()
    body = client.get(f"{DETAIL}?fields=-sections").get_json()
    assert "sections" not in body
    assert "fields_added" not in body
    assert body["title"] == "Stem cell transplantation for scleroderma"
    assert body["references"][1]["pmid"] == "28658168"
    assert body["reviewer"] == {"name": "Ada Reviewer", "credentials": "MD"}


def test_section_types_without_their_text_add_nothing(client: FlaskClient, session: Session):
    with_benefits(session)
    body = client.get(f"{DETAIL}?fields=sections(type)").get_json()
    assert body == {
        "sections": [
            {"type": "overview"},
            {"type": "benefits"},
            {"type": "evidence"},
            {"type": "risks"},
        ]
    }
    headings = client.get(f"{DETAIL}?fields=sections(heading)&section_types=benefits").get_json()
    assert headings == {"sections": [{"heading": "Benefits"}]}


def test_star_and_removals(client: FlaskClient, session: Session):
    create_article(session)
    session.commit()
    full = client.get(DETAIL).get_json()
    assert client.get(f"{DETAIL}?fields=*").get_json() == full
    body = client.get(f"{DETAIL}?fields=*,-references,-disclosures").get_json()
    assert set(full) - set(body) == {"references", "disclosures"}
    refs = client.get(f"{DETAIL}?fields=references(number,href)").get_json()
    assert refs["references"] == [
        {"number": 1, "href": "https://doi.org/10.1056/NEJMoa1703327"},
        {"number": 2, "href": "https://doi.org/10.1097/MD.0000000000007381"},
    ]


def test_a_sparse_view_has_its_own_etag_and_answers_304(client: FlaskClient, session: Session):
    create_article(session)
    session.commit()
    url = f"{DETAIL}?fields=title,sections(type)"
    full_etag = client.get(DETAIL).headers["ETag"]
    first = client.get(url)
    sparse_etag = first.headers["ETag"]
    assert sparse_etag != full_etag
    assert client.get(f"{DETAIL}?fields=title").headers["ETag"] not in {sparse_etag, full_etag}
    # The same view spelled otherwise is the same representation.
    assert client.get(f"{DETAIL}?fields=sections(type),title").headers["ETag"] == sparse_etag
    again = client.get(url, headers={"If-None-Match": sparse_etag})
    assert again.status_code == 304
    assert again.data == b""
    assert client.get(url, headers={"If-None-Match": full_etag}).status_code == 200
    assert client.get(DETAIL, headers={"If-None-Match": sparse_etag}).status_code == 200


def test_list_entries_with_fields(client: FlaskClient, session: Session):
    create_article(session, slug="first", now=NOW)
    create_article(session, slug="second", title="Second article", now=NOW.replace(hour=13))
    session.commit()
    body = client.get("/api/v1/articles?fields=slug,title").get_json()
    assert body["items"] == [
        {"slug": "second", "title": "Second article"},
        {"slug": "first", "title": "Stem cell transplantation for scleroderma"},
    ]
    assert body["total"] == 2
    assert "fields_added" not in body
    rest = client.get("/api/v1/articles?fields=-summary,-conditions").get_json()["items"][0]
    assert set(rest) == {
        "id", "slug", "locale", "title", "published_at", "updated_at",
        "last_reviewed", "next_review", "review_overdue",
    }  # fmt: skip


def test_search_hits_with_fields(client: FlaskClient, session: Session):
    create_article(session)
    session.commit()
    body = client.get("/api/v1/search?q=scleroderma&fields=slug,score").get_json()
    assert len(body["items"]) == 1
    assert set(body["items"][0]) == {"slug", "score"}
    assert body["items"][0]["slug"] == SLUG


@pytest.mark.parametrize(
    ("path", "code", "message"),
    [
        (f"{DETAIL}?fields=title,colour", "unknown_field", "Unknown field 'colour'"),
        (f"{DETAIL}?fields=sections(type,colour)", "unknown_field", "'sections/colour'"),
        (f"{DETAIL}?fields=title(x)", "not_nested", "'title' has no fields"),
        ("/api/v1/articles?fields=sections", "unknown_field", "Unknown field 'sections'"),
        ("/api/v1/search?q=stem&fields=html", "unknown_field", "Unknown field 'html'"),
        (f"{DETAIL}?fields=", "malformed", "Not a field list"),
        (f"{DETAIL}?fields=title,,slug", "malformed", "Not a field list"),
        (f"{DETAIL}?fields=sections(type", "malformed", "Not a field list"),
        (f"{DETAIL}?fields=sections(type))", "malformed", "Not a field list"),
        (f"{DETAIL}?fields=title%20slug", "malformed", "Not a field list"),
        (f"{DETAIL}?fields=-sections(type)", "malformed", "Not a field list"),
        (f"{DETAIL}?fields=--title", "malformed", "Not a field list"),
        ("/api/v1/articles?fields=" + "a," * 300 + "a", "length", "Longer than"),
    ],
)
def test_bad_fields_are_a_400_pointing_at_the_parameter(
    client: FlaskClient, session: Session, path: str, code: str, message: str
):
    create_article(session)
    session.commit()
    response = client.get(path)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["type"] == "/problems/invalid-parameters"
    (error,) = problem["errors"]
    assert (error["pointer"], error["code"]) == ("/query/fields", code)
    assert message in error["message"]


def test_unknown_section_type_is_a_400(client: FlaskClient, session: Session):
    create_article(session)
    session.commit()
    response = client.get(f"{DETAIL}?section_types=benefits,prognosis")
    assert response.status_code == 400
    error = response.get_json()["errors"][0]
    assert (error["pointer"], error["code"]) == ("/query/section_types/1", "enum")


def test_a_sparse_answer_is_cached_and_dropped_by_a_publish(app: Flask, session: Session):
    article = create_article(session)
    session.commit()
    client = app.test_client()
    url = f"{DETAIL}?fields=title,sections(type,html)&section_types=benefits"
    first = client.get(url)
    # Bytes changed behind the cache's back (no generation bump) stay unseen...
    session.execute(sa.update(PublishedArticle).values(detail_json='{"title": "tampered"}'))
    session.commit()
    assert client.get(url).data == first.data
    assert len(app.extensions["cms.delivery_cache"]) == 1
    # ...until a publish moves the generation.
    revise(session, article, publish=True, title="Corrected")
    session.commit()
    assert client.get(url).get_json()["title"] == "Corrected"


def test_a_renamed_article_redirects_with_its_view(client: FlaskClient, session: Session):
    article = create_article(session)
    revise(session, article, publish=True, slug="stem-cells-for-scleroderma")
    session.commit()
    response = client.get(f"{DETAIL}?fields=title&section_types=risks")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(
        "/api/v1/articles/stem-cells-for-scleroderma?locale=en&fields=title&section_types=risks"
    )
