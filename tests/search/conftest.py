"""Builders for searchable articles: text placed in exactly the field a test is about."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.articles.models import Article
from tests.factories import create_article, revise, section

# A risks section that passes the publishing checks and mentions none of the test words.
RISKS = (
    "The treatment carries a risk of death from the treatment itself, reported at around 6 in "
    "100 people in pooled Crohn's disease data [@qiu2017]. Serious infections during the weeks "
    "without a working immune system are common, and some people develop a second autoimmune "
    "disease or lose their fertility afterwards."
)
PLAIN_OVERVIEW = "Severe scleroderma can damage the lungs and skin [@scot2018]."
GERMAN = {
    "summary": "Was die Studien zeigen und welche Risiken die Behandlung hat.",
    "overview": "Eine schwere Sklerodermie kann die Lunge und die Haut schädigen [@scot2018].",
    "risks": (
        "Die Behandlung kann selbst zum Tod führen; in gepoolten Daten zu Morbus Crohn starben "
        "etwa 6 von 100 behandelten Menschen [@qiu2017]. Schwere Infektionen in den Wochen ohne "
        "funktionierendes Immunsystem sind häufig, und manche Menschen bekommen danach eine "
        "zweite Autoimmunerkrankung oder verlieren ihre Fruchtbarkeit."
    ),
}


def searchable_fields(
    slug: str,
    *,
    title: str = "Living with scleroderma",
    summary: str = "What the randomised trials report, and what the treatment risks.",
    overview: str = PLAIN_OVERVIEW,
    overview_heading: str = "Overview",
    risks: str = RISKS,
    **overrides: Any,
) -> dict[str, Any]:
    """The document of an article whose only variable text is what the test passes."""
    return {
        "slug": slug,
        "title": title,
        "summary": summary,
        "sections": [
            section("overview", overview, heading=overview_heading),
            section("risks", risks, heading="Risks"),
        ],
        **overrides,
    }


def searchable(session: Session, slug: str, *, publish: bool = True, **fields: Any) -> Article:
    """A published article (a draft with ``publish=False``) of ``searchable_fields``."""
    return create_article(session, publish=publish, **searchable_fields(slug, **fields))


def republish(session: Session, article: Article, slug: str, **fields: Any) -> None:
    """Publish a new revision of ``article``, its document ``searchable_fields`` again."""
    revise(session, article, publish=True, **searchable_fields(slug, **fields))


def search(client: FlaskClient, q: str, **params: Any) -> Any:
    response = client.get("/api/v1/search", query_string={"q": q, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def slugs(client: FlaskClient, q: str, **params: Any) -> list[str]:
    return [item["slug"] for item in search(client, q, **params)["items"]]


def german(session: Session, slug: str, title: str) -> Article:
    return searchable(
        session,
        slug,
        locale="de",
        title=title,
        summary=GERMAN["summary"],
        overview=GERMAN["overview"],
        overview_heading="Überblick",
        risks=GERMAN["risks"],
    )


@pytest.fixture
def find(client: FlaskClient):
    """``find(q, **params)``: the slugs a search returns, most relevant first."""
    return lambda q, **params: slugs(client, q, **params)
