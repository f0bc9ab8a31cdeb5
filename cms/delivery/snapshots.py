"""Rendering for delivery, and the public snapshot rows it produces.

Publishing renders an article once (Markdown to sanitized HTML, references
numbered and linked) and stores the exact bytes of its detail, its list entry and
its JSON-LD; the public API then serves those bytes. Only ``cms.publishing``
writes or removes snapshots, in the transaction of the change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from marshmallow import ValidationError
from sqlalchemy.orm import Session

from cms.articles import service as articles
from cms.articles import translations
from cms.articles.models import Article
from cms.articles.schemas import document_schema
from cms.articles.translations import Family
from cms.delivery import jsonld
from cms.delivery.models import DeliveryState, PublishedArticle, PublishedCondition
from cms.delivery.render import render_markdown
from cms.delivery.schemas import PublicArticleSchema, PublicArticleSummarySchema
from cms.errors import InvalidDocument
from cms.validation import field_errors

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
        # Reads set it whenever the date has passed (also for what the operator's
        # import published with --allow-overdue-review): the stored bytes stay the same.
        "review_overdue": False,
        # Set by refresh_family once the family's live members are known.
        "translation_of": None,
        "translations": [],
        "translation_outdated": False,
        "translation_outdated_since": None,
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


@dataclass(frozen=True, slots=True)
class Listing:
    """Where an article appears in public: what a change of it touches."""

    article_id: uuid.UUID
    slug: str
    locale: str
    conditions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Written:
    before: Listing | None  # as it was live before (None: a first publication)
    after: Listing
    public: dict[str, Any]  # the detail representation, as served


def _listing(snapshot: PublishedArticle) -> Listing:
    return Listing(
        snapshot.article_id,
        snapshot.slug,
        snapshot.locale,
        tuple(c.condition for c in snapshot.conditions),
    )


def write_snapshot(
    session: Session,
    *,
    article_id: uuid.UUID,
    document: dict[str, Any],
    revision_number: int,
    now: dt.datetime,
    family: Family | None = None,
    loaded: dict[str, Any] | None = None,
) -> Written:
    """Render and store what the public API serves for this article, replacing any older one.

    Only ``cms.publishing`` calls this, in the transaction of the change. ``document``
    is a stored (JSON) document; it is loaded again, so a document that no longer
    passes validation can never reach the public API, unless the caller has just
    validated it and passes it as ``loaded`` (what the schema's ``load`` returned).
    ``family``: its translations (None: an original of its own); ``refresh_family``
    then fills in the links.
    """
    document = loaded if loaded is not None else document_schema.load(document)
    snapshot = session.get(
        PublishedArticle, article_id, options=[sa.orm.selectinload(PublishedArticle.conditions)]
    )
    before = _listing(snapshot) if snapshot is not None else None
    published_at = snapshot.published_at if snapshot else now
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
    snapshot.title = document["title"]
    snapshot.updated_at = now
    snapshot.next_review = document.get("next_review")
    snapshot.last_reviewed = document.get("last_reviewed")
    snapshot.etag = entity_tag(detail)
    snapshot.detail_json = detail.decode()
    snapshot.summary_json = summary.decode()
    snapshot.jsonld_json = orjson.dumps(jsonld.page_document(public_json)).decode()
    keys = {  # every sort key of the list, on each condition row too (its own index)
        "published_at": published_at,
        "updated_at": now,
        "title": snapshot.title,
        "next_review": snapshot.next_review,
        "last_reviewed": snapshot.last_reviewed,
    }
    snapshot.conditions = [
        PublishedCondition(condition=condition, **keys) for condition in public["conditions"]
    ]
    safety = translations.safety_hash(document)
    if snapshot.safety_hash != safety:
        snapshot.safety_hash, snapshot.safety_changed_at = safety, now
    snapshot.translation_group = family.group if family else article_id
    snapshot.source_safety_hash = family.source_safety_hash if family else None
    session.flush()
    return Written(before, _listing(snapshot), public_json)


def family_of(session: Session, article_id: uuid.UUID) -> uuid.UUID | None:
    """The translation family of a live article (None: not live)."""
    return session.scalar(
        sa.select(PublishedArticle.translation_group).where(
            PublishedArticle.article_id == article_id
        )
    )


def original_state(session: Session, original_id: uuid.UUID) -> translations.OriginalState | None:
    """An original as the public API serves it (None: not live)."""
    row = session.execute(
        sa.select(
            PublishedArticle.slug,
            PublishedArticle.locale,
            PublishedArticle.revision_number,
            PublishedArticle.safety_hash,
            PublishedArticle.safety_changed_at,
        ).where(PublishedArticle.article_id == original_id)
    ).one_or_none()
    return translations.OriginalState(*row) if row is not None else None


def refresh_family(session: Session, group: uuid.UUID | None) -> list[tuple[Listing, int]]:
    """Bring the translation links and outdated flags of a family's live members in step.

    Called by ``cms.publishing`` after any member was written or removed. Patches the
    stored detail of each member whose links changed (the rest of its bytes stay as
    they are) and returns where those are live, with their live revision, so their
    change is recorded.
    """
    if group is None:
        return []
    members = list(
        session.scalars(
            sa.select(PublishedArticle)
            .where(PublishedArticle.translation_group == group)
            .options(sa.orm.selectinload(PublishedArticle.conditions))
            .order_by(PublishedArticle.locale)
        )
    )
    original = next((m for m in members if m.article_id == group), None)
    changed = []
    for member in members:
        is_translation = member.article_id != group
        outdated = (
            is_translation
            and original is not None
            and None not in (member.source_safety_hash, original.safety_hash)
            and member.source_safety_hash != original.safety_hash
        )
        links = {
            "translation_of": (
                {"locale": original.locale, "slug": original.slug}
                if is_translation and original is not None
                else None
            ),
            "translations": [
                {"locale": m.locale, "slug": m.slug} for m in members if m is not member
            ],
            "translation_outdated": outdated,
            "translation_outdated_since": (
                original.safety_changed_at.isoformat() if outdated and original else None
            ),
        }
        detail = orjson.loads(member.detail_json)
        if all(detail.get(k) == v for k, v in links.items()):
            continue
        detail.update(links)
        body = orjson.dumps(detail)
        member.detail_json, member.etag = body.decode(), entity_tag(body)
        changed.append((_listing(member), member.revision_number))
    session.flush()
    return changed


def remove_snapshot(session: Session, *, article_id: uuid.UUID) -> Listing | None:
    """Take an article off the public API; returns where it was live (None: it was not).

    Only ``cms.publishing`` calls this, in the transaction of the change.
    """
    snapshot = session.get(
        PublishedArticle, article_id, options=[sa.orm.selectinload(PublishedArticle.conditions)]
    )
    if snapshot is None:
        return None
    listing = _listing(snapshot)
    session.execute(
        sa.delete(PublishedCondition).where(PublishedCondition.article_id == article_id)
    )
    session.execute(sa.delete(PublishedArticle).where(PublishedArticle.article_id == article_id))
    session.expunge(snapshot)
    return listing


def current_generation(session: Session) -> int:
    return session.execute(
        sa.select(DeliveryState.generation).where(DeliveryState.id == 1)
    ).scalar_one()


def first_published_at(session: Session, article_id: uuid.UUID) -> dt.datetime | None:
    return session.execute(
        sa.select(PublishedArticle.published_at).where(PublishedArticle.article_id == article_id)
    ).scalar_one_or_none()


def preview(session: Session, *, article: Article, now: dt.datetime) -> dict[str, Any]:
    """The latest revision rendered exactly as the public API will serve it once published."""
    revision = articles.current_revision(session, article)
    try:
        document = document_schema.load(revision.document)
    except ValidationError as exc:
        raise InvalidDocument(
            f"Revision {revision.number} no longer passes validation.",
            errors=field_errors(exc.messages),
        ) from exc
    return public_document(
        article_id=article.id,
        document=document,
        revision_number=revision.number,
        published_at=first_published_at(session, article.id) or now,
        updated_at=now,
    )
