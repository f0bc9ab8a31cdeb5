"""Writing and removing public snapshots: called by the publishing service."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms.articles.render import render_markdown
from cms.articles.schemas import document_schema
from cms.delivery import jsonld
from cms.delivery.models import DeliveryState, PublishedArticle, PublishedCondition
from cms.delivery.schemas import PublicArticleSchema, PublicArticleSummarySchema
from cms.observability import metrics
from cms.search import index as search_index

_detail_schema = PublicArticleSchema()
_summary_schema = PublicArticleSummarySchema()


def reference_href(reference: dict[str, Any]) -> str | None:
    """The most durable link for a reference (https://www.crossref.org/display-guidelines/)."""
    if "doi" in reference:
        return f"https://doi.org/{reference['doi']}"
    if "pmid" in reference:
        return f"https://pubmed.ncbi.nlm.nih.gov/{reference['pmid']}/"
    if "pmcid" in reference:
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{reference['pmcid']}/"
    if "nct" in reference:
        return f"https://clinicaltrials.gov/study/{reference['nct']}"
    return reference.get("url")


def public_document(
    *,
    article_id: uuid.UUID,
    document: dict[str, Any],
    revision_number: int,
    published_at: dt.datetime,
    updated_at: dt.datetime,
) -> dict[str, Any]:
    """The public representation of a stored document: sections rendered, references numbered."""
    numbers = {ref["id"]: n for n, ref in enumerate(document["references"], start=1)}
    return {
        **document,
        "id": article_id,
        "revision": revision_number,
        "published_at": published_at,
        "updated_at": updated_at,
        "conditions": document.get("conditions", []),
        "last_reviewed": document.get("last_reviewed"),
        "next_review": document.get("next_review"),
        # Publishing refuses an overdue review; reads set it once the date has passed.
        "review_overdue": False,
        "reviewer": document.get("reviewer"),
        "disclosures": document.get("disclosures"),
        "sections": [
            {**section, "html": render_markdown(section["body"], numbers)}
            for section in document["sections"]
        ],
        "references": [
            {**ref, "number": numbers[ref["id"]], "anchor": f"ref-{ref['id']}"}
            | {"href": reference_href(ref)}
            for ref in document["references"]
        ],
    }


def entity_tag(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def write_snapshot(
    session: Session,
    *,
    article_id: uuid.UUID,
    document: dict[str, Any],
    revision_number: int,
    now: dt.datetime,
) -> PublishedArticle:
    """Render and store what the public API serves for this article, replacing any older one.

    ``document`` is a stored (JSON) document; it is loaded again, so a document
    that no longer passes validation can never reach the public API.
    """
    document = document_schema.load(document)
    snapshot = session.get(
        PublishedArticle, article_id, options=[sa.orm.selectinload(PublishedArticle.conditions)]
    )
    published_at = snapshot.published_at if snapshot else now
    metrics.published(session, first=snapshot is None)
    public = public_document(
        article_id=article_id,
        document=document,
        revision_number=revision_number,
        published_at=published_at,
        updated_at=now,
    )
    public_json = _detail_schema.dump(public)
    detail = orjson.dumps(public_json)
    summary = orjson.dumps(_summary_schema.dump(public))
    if snapshot is None:
        snapshot = PublishedArticle(article_id=article_id, published_at=published_at)
        session.add(snapshot)
    snapshot.revision_number = revision_number
    snapshot.slug = document["slug"]
    snapshot.locale = document["locale"]
    snapshot.updated_at = now
    snapshot.next_review = document.get("next_review")
    snapshot.etag = entity_tag(detail)
    snapshot.detail_json = detail.decode()
    snapshot.summary_json = summary.decode()
    snapshot.jsonld_json = orjson.dumps(jsonld.page_document(public_json)).decode()
    snapshot.conditions = [
        PublishedCondition(condition=condition) for condition in public["conditions"]
    ]
    session.flush()
    search_index.index_article(session, article_id=article_id, public_document=public_json)
    bump_generation(session)
    return snapshot


def remove_snapshot(session: Session, *, article_id: uuid.UUID) -> bool:
    """Take an article off the public API at once. Returns whether it was live."""
    search_index.remove_article(session, article_id=article_id)
    session.execute(
        sa.delete(PublishedCondition).where(PublishedCondition.article_id == article_id)
    )
    result = session.execute(
        sa.delete(PublishedArticle).where(PublishedArticle.article_id == article_id)
    )
    if not result.rowcount:
        return False
    metrics.unpublished(session)
    bump_generation(session)
    return True


def bump_generation(session: Session) -> None:
    """Tell every process's response cache that public content changed."""
    session.execute(
        sa.update(DeliveryState)
        .where(DeliveryState.id == 1)
        .values(generation=DeliveryState.generation + 1)
    )


def current_generation(session: Session) -> int:
    return session.execute(
        sa.select(DeliveryState.generation).where(DeliveryState.id == 1)
    ).scalar_one()


def first_published_at(session: Session, article_id: uuid.UUID) -> dt.datetime | None:
    return session.execute(
        sa.select(PublishedArticle.published_at).where(PublishedArticle.article_id == article_id)
    ).scalar_one_or_none()
