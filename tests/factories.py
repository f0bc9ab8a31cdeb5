"""Builders for article documents and published articles used across tests."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from cms.articles import service
from cms.articles.models import Article
from cms.articles.schemas import load_document
from cms.audit.service import Actor
from cms.publishing import service as publishing

RISKS_BODY = (
    "Autologous transplantation carries a risk of death from the treatment itself, "
    "reported at around 6 in 100 people in pooled Crohn's disease data [@qiu2017]. Serious "
    "infections during the weeks without a working immune system are common, and some "
    "people develop a second autoimmune disease or lose their fertility afterwards."
)


TESTER = Actor(name="tests", role="admin", address="127.0.0.1")

OMIT: Any = object()
"""Pass as an override to leave a field out of the document."""


def reference(ref_id: str = "scot2018", **fields: Any) -> dict[str, Any]:
    """A journal reference: SCOT by default; other ids get their own title and a test DOI."""
    base: dict[str, Any] = {
        "id": ref_id,
        "type": "article-journal",
        "title": "Myeloablative autologous stem-cell transplantation for severe scleroderma",
        "authors": [{"family": "Sullivan", "given": "Keith M"}],
        "container_title": "New England Journal of Medicine",
        "year": 2018,
        "doi": "10.1056/NEJMoa1703327",
        "study_design": "rct",
    }
    if ref_id != "scot2018":
        # 10.5555 is Crossref's prefix for test DOIs.
        base |= {"title": f"A study cited as {ref_id}", "doi": f"10.5555/{ref_id}"}
    return _apply(base, fields)


def _apply(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in overrides.items():
        if value is OMIT:
            result.pop(key, None)
        else:
            result[key] = copy.deepcopy(value)
    return result


def section(section_type: str, body: str = "Text [@scot2018].", **fields: Any) -> dict[str, Any]:
    return {"type": section_type, "heading": section_type.title(), "body": body, **fields}


def article_document(**overrides: Any) -> dict[str, Any]:
    """A raw, valid article document (as a fixture file or a request body holds it)."""
    document: dict[str, Any] = {
        "slug": "stem-cells-scleroderma",
        "locale": "en",
        "title": "Stem cell transplantation for scleroderma",
        "summary": "What the randomised trials report, and what the treatment risks.",
        "conditions": ["systemic-sclerosis"],
        "author": {"name": "Editorial Team"},
        "reviewer": {"name": "Ada Reviewer", "credentials": "MD"},
        "last_reviewed": "2026-10-01",
        "next_review": "2027-10-01",
        "disclosures": {"funding": "None", "conflicts_of_interest": "None declared"},
        "sections": [
            section("overview", "Severe scleroderma can damage the lungs and skin [@scot2018]."),
            section(
                "evidence",
                "In SCOT, event-free survival was higher [@scot2018].",
                evidence_certainty="moderate",
            ),
            section("risks", RISKS_BODY),
        ],
        "references": [
            reference(),
            reference(
                "qiu2017",
                type="review",
                title="Efficacy and safety of autologous hematopoietic stem cell therapy "
                "for refractory Crohn's disease",
                authors=[{"family": "Qiu", "given": "X"}],
                container_title="Medicine (Baltimore)",
                year=2017,
                doi="10.1097/MD.0000000000007381",
                pmid="28658168",
                study_design="systematic-review",
            ),
        ],
    }
    return _apply(document, overrides)


NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


def create_article(
    session: Session, *, publish: bool = True, now: dt.datetime = NOW, **overrides: Any
) -> Article:
    """Store (and by default publish) an article built from ``article_document``."""
    document = load_document(article_document(**overrides))
    article = service.create_article(session, document=document, actor=TESTER, now=now)
    if publish:
        publishing.publish(session, article=article, actor=TESTER, now=now, approval=None)
    session.flush()
    return article


def revise(
    session: Session,
    article: Article,
    *,
    publish: bool = False,
    now: dt.datetime = NOW,
    **overrides: Any,
) -> None:
    """Save ``article_document(**overrides)`` as a new revision (and publish it)."""
    document = load_document(article_document(**overrides))
    service.save_revision(session, article=article, document=document, actor=TESTER, now=now)
    if publish:
        publishing.publish(session, article=article, actor=TESTER, now=now, approval=None)
    session.flush()
