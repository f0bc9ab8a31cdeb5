"""schema.org JSON-LD of published articles, read as a JSON-LD processor reads it.

The documents are expanded with pyld, offline: https://schema.org resolves to a
small local context (``schemaorg_context.jsonld``) with schema.org's vocabulary
and its ``@id`` typing of ``url`` and ``sameAs``. Assertions are on the expanded
graph (types and properties as IRIs), not on the served strings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy as sa
import yaml
from flask import Flask
from flask.testing import FlaskClient
from pyld import jsonld
from sqlalchemy.orm import Session

from cms.app import create_app
from cms.audit.service import OPERATOR
from cms.config import PROJECT_ROOT
from cms.db import Database
from cms.delivery.models import PublishedArticle
from cms.importing.service import import_documents, validate_paths
from tests.factories import NOW, create_article

S = "http://schema.org/"
CONTEXT = orjson.loads((Path(__file__).parent / "schemaorg_context.jsonld").read_bytes())
FIXTURES = sorted((PROJECT_ROOT / "fixtures" / "articles").glob("*.yaml"))
# The mapping the product promises (issue 10), written out independently of the code.
ASPECTS = {
    "overview": "OverviewHealthAspect",
    "mechanism": "HowItWorksHealthAspect",
    "evidence": "EffectivenessHealthAspect",
    "benefits": "BenefitsHealthAspect",
    "risks": "RisksOrComplicationsHealthAspect",
    "outlook": "PrognosisHealthAspect",
}


def offline_loader(url: str, _options: Any = None) -> dict[str, Any]:
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contentType": "application/ld+json", "contextUrl": None,
                "documentUrl": url, "document": CONTEXT}  # fmt: skip
    raise AssertionError(f"the test may not fetch {url}")


def expand(document: Any) -> dict[str, Any]:
    expanded = jsonld.expand(document, {"documentLoader": offline_loader})
    assert len(expanded) == 1
    return expanded[0]


def values(node: dict[str, Any], prop: str) -> list[Any]:
    return [v.get("@value", v.get("@id", v)) for v in node.get(S + prop, [])]


def value(node: dict[str, Any], prop: str) -> Any:
    found = values(node, prop)
    assert len(found) == 1, (prop, found)
    return found[0]


def nodes(node: dict[str, Any], prop: str) -> list[dict[str, Any]]:
    return node.get(S + prop, [])


@pytest.fixture
def published_fixtures(session: Session) -> None:
    fixtures = validate_paths([PROJECT_ROOT / "fixtures" / "articles"])
    # Published on the day of their review: on a later date they are marked overdue.
    import_documents(session, fixtures.documents, publish=True, actor=OPERATOR, now=NOW)
    session.flush()


@pytest.mark.usefixtures("published_fixtures")
@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_each_fixture_is_a_medical_web_page_with_a_part_per_section(
    client: FlaskClient, path: Path
):
    source = yaml.safe_load(path.read_text("utf-8"))
    response = client.get(f"/api/v1/articles/{source['slug']}/jsonld?locale={source['locale']}")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    page = expand(response.get_json())

    assert page["@type"] == [S + "MedicalWebPage"]
    assert value(page, "headline") == source["title"]
    assert value(page, "description") == source["summary"]
    assert value(page, "inLanguage") == source["locale"]
    assert value(page, "lastReviewed") == source["last_reviewed"]
    reviewer = nodes(page, "reviewedBy")[0]
    assert reviewer["@type"] == [S + "Person"]
    assert value(reviewer, "jobTitle") == source["reviewer"]["credentials"]
    assert [value(c, "identifier") for c in nodes(page, "about")] == source["conditions"]
    assert {t for c in nodes(page, "about") for t in c["@type"]} == {S + "MedicalCondition"}

    parts = nodes(page, "hasPart")
    assert len(parts) == len(source["sections"])
    assert all(part["@type"] == [S + "HealthTopicContent"] for part in parts)
    assert [value(part, "hasHealthAspect") for part in parts] == [
        S + ASPECTS[section["type"]] for section in source["sections"]
    ]
    assert [value(part, "headline") for part in parts] == [
        section["heading"] for section in source["sections"]
    ]

    citations = nodes(page, "citation")
    assert len(citations) == len(source["references"])
    dois = {ref["doi"] for ref in source["references"] if "doi" in ref}
    assert {u for c in citations for u in values(c, "sameAs")} == {
        f"https://doi.org/{doi}" for doi in dois
    }
    identifiers = [i for c in citations for i in nodes(c, "identifier")]
    assert {value(i, "value") for i in identifiers if value(i, "propertyID") == "DOI"} == dois
    assert all(i["@type"] == [S + "PropertyValue"] for i in identifiers)
    for citation, reference in zip(citations, source["references"], strict=True):
        if reference["type"] in ("article-journal", "review", "guideline"):
            assert citation["@type"] == [S + "MedicalScholarlyArticle"]


@pytest.mark.usefixtures("published_fixtures")
def test_every_fixture_has_all_six_health_aspects(client: FlaskClient):
    for path in FIXTURES:
        source = yaml.safe_load(path.read_text("utf-8"))
        slug = source["slug"]
        url = f"/api/v1/articles/{slug}/jsonld?locale={source['locale']}"
        page = expand(client.get(url).get_json())
        aspects = {value(part, "hasHealthAspect") for part in nodes(page, "hasPart")}
        assert aspects == {S + aspect for aspect in ASPECTS.values()}, slug


@pytest.mark.usefixtures("published_fixtures")
def test_a_registered_trial_is_a_medical_trial_with_its_registry_code(client: FlaskClient):
    page = expand(client.get("/api/v1/articles/stem-cell-therapy-autoimmune-diseases/jsonld")
                  .get_json())  # fmt: skip
    trials = [t for c in nodes(page, "citation") for t in nodes(c, "about")]
    assert len(trials) == 1
    assert trials[0]["@type"] == [S + "MedicalTrial"]
    code = nodes(trials[0], "code")[0]
    assert code["@type"] == [S + "MedicalCode"]
    assert (value(code, "codeValue"), value(code, "codingSystem")) == (
        "NCT00114530",
        "ClinicalTrials.gov",
    )


@pytest.fixture
def site_app(database: Database) -> Flask:
    return create_app(
        {
            "DATABASE": database,
            "TESTING": True,
            "PUBLIC_BASE_URL": "https://health.example/",
            "PUBLISHER_NAME": "Example Health",
            "PUBLISHER_URL": "https://health.example/about",
        }
    )


def test_url_and_publisher_come_from_the_settings(site_app: Flask, session: Session):
    create_article(session)
    response = site_app.test_client().get("/api/v1/articles/stem-cells-scleroderma/jsonld")
    page = expand(response.get_json())
    assert page["@id"] == "https://health.example/en/articles/stem-cells-scleroderma"
    assert value(page, "url") == page["@id"]
    publisher = nodes(page, "publisher")[0]
    assert publisher["@type"] == [S + "Organization"]
    assert (value(publisher, "name"), value(publisher, "url")) == (
        "Example Health",
        "https://health.example/about",
    )
    author = nodes(page, "author")[0]
    assert (author["@type"], value(author, "name")) == ([S + "Organization"], "Editorial Team")


def test_jsonld_is_conditional_and_publicly_cacheable(client: FlaskClient, session: Session):
    create_article(session)
    url = "/api/v1/articles/stem-cells-scleroderma/jsonld"
    response = client.get(url)
    etag = response.get_etag()[0]
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    assert etag != client.get("/api/v1/articles/stem-cells-scleroderma").get_etag()[0]
    again = client.get(url, headers={"If-None-Match": f'W/"{etag}"'})
    assert (again.status_code, again.get_etag()[0]) == (304, etag)


def test_jsonld_of_an_unknown_article_is_a_404_problem(client: FlaskClient):
    response = client.get("/api/v1/articles/no-such-article/jsonld")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_a_snapshot_without_stored_jsonld_is_built_on_read(client: FlaskClient, session: Session):
    create_article(session)
    stored = client.get("/api/v1/articles/stem-cells-scleroderma/jsonld").data
    session.execute(sa.update(PublishedArticle).values(jsonld_json=None))
    assert client.get("/api/v1/articles/stem-cells-scleroderma/jsonld").data == stored
