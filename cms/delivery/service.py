"""Public reads: published articles as ready-to-send bytes.

Every read is an indexed lookup returning pre-serialized JSON; nothing is
rendered or serialized per request except the small list envelope, and the
``review_overdue`` flag of the rare live article whose review date has passed
(it depends on today, so it cannot be fixed at publish time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms import cursor as cursors
from cms.delivery import jsonld, keys
from cms.delivery.models import PublishedArticle, PublishedCondition, Tombstone
from cms.delivery.snapshots import entity_tag
from cms.errors import Gone, NotFound


@dataclass(frozen=True, slots=True)
class Representation:
    body: bytes
    etag: str
    keys: frozenset[str] = frozenset()  # surrogate keys of what it contains


@dataclass(frozen=True, slots=True)
class ListPage(Representation):
    next_cursor: str | None = None


@dataclass(frozen=True, slots=True)
class Moved(Exception):
    """The article once at this address now lives at ``slug`` (same locale)."""

    slug: str
    locale: str


NOTICES = {
    "withdrawn": "This article has been withdrawn and is no longer available.",
}
DEFAULT_NOTICE = "This article is no longer published."

_TOMBSTONE = sa.select(Tombstone.kind, Tombstone.article_id).where(
    Tombstone.slug == sa.bindparam("slug"), Tombstone.locale == sa.bindparam("locale")
)
_CURRENT_SLUG = sa.select(PublishedArticle.slug).where(
    PublishedArticle.article_id == sa.bindparam("article_id")
)


def _not_found(session: Session, slug: str, locale: str) -> Exception:
    """Why nothing is live at an address: never was (404), gone (410), or moved (301)."""
    tombstone = session.execute(_TOMBSTONE, {"slug": slug, "locale": locale}).one_or_none()
    if tombstone is None:
        return NotFound(f"No published article '{slug}' in locale '{locale}'.")
    if tombstone.kind == "moved":
        current = session.execute(
            _CURRENT_SLUG, {"article_id": tombstone.article_id}
        ).scalar_one_or_none()
        if current is not None:
            return Moved(current, locale)
    # A neutral public notice: never the internal reason.
    return Gone(
        NOTICES.get(tombstone.kind, DEFAULT_NOTICE), withdrawn=tombstone.kind == "withdrawn"
    )


# Built once: the hot lookups skip statement construction on every request.
_BY_SLUG = (
    PublishedArticle.slug == sa.bindparam("slug"),
    PublishedArticle.locale == sa.bindparam("locale"),
)
_ETAG_BY_SLUG = sa.select(PublishedArticle.etag, PublishedArticle.next_review).where(*_BY_SLUG)
_DETAIL_BY_SLUG = sa.select(
    PublishedArticle.detail_json,
    PublishedArticle.etag,
    PublishedArticle.next_review,
    PublishedArticle.article_id,
).where(*_BY_SLUG)
_JSONLD_BY_SLUG = sa.select(
    PublishedArticle.jsonld_json, PublishedArticle.etag, PublishedArticle.article_id
).where(*_BY_SLUG)
OVERDUE_TAG = "-overdue"


def overdue(next_review: dt.date | None, today: dt.date) -> bool:
    return next_review is not None and next_review < today


def mark_overdue(snapshot_json: str) -> str:
    """The snapshot with ``review_overdue`` set: its key order (and so the rest) unchanged."""
    data = orjson.loads(snapshot_json)
    data["review_overdue"] = True
    return orjson.dumps(data).decode()


def article_etag(session: Session, *, slug: str, locale: str, today: dt.date) -> str:
    """The current entity tag alone: enough to answer a conditional GET with 304."""
    row = session.execute(_ETAG_BY_SLUG, {"slug": slug, "locale": locale}).one_or_none()
    if row is None:
        raise _not_found(session, slug, locale)
    return row.etag + OVERDUE_TAG if overdue(row.next_review, today) else row.etag


def article(session: Session, *, slug: str, locale: str, today: dt.date) -> Representation:
    row = session.execute(_DETAIL_BY_SLUG, {"slug": slug, "locale": locale}).one_or_none()
    if row is None:
        raise _not_found(session, slug, locale)
    tags = keys.detail(row.article_id, locale, slug)
    if overdue(row.next_review, today):
        return Representation(mark_overdue(row.detail_json).encode(), row.etag + OVERDUE_TAG, tags)
    return Representation(body=row.detail_json.encode(), etag=row.etag, keys=tags)


def _filters(locale: str | None, conditions: Sequence[str]) -> list[sa.ColumnElement[bool]]:
    clauses: list[sa.ColumnElement[bool]] = []
    if locale is not None:
        clauses.append(PublishedArticle.locale == locale)
    if conditions:
        clauses.append(
            sa.exists().where(
                PublishedCondition.article_id == PublishedArticle.article_id,
                PublishedCondition.condition.in_(conditions),
            )
        )
    return clauses


def article_list(
    session: Session,
    *,
    today: dt.date,
    locale: str | None = None,
    conditions: Sequence[str] = (),
    limit: int = 20,
    cursor: str | None = None,
) -> ListPage:
    """A page of summaries, newest first, with the total for these filters."""
    filters = _filters(locale, conditions)
    query = cursors.newest_first(
        sa.select(
            PublishedArticle.summary_json,
            PublishedArticle.next_review,
            PublishedArticle.published_at,
            PublishedArticle.article_id,
        ).where(*filters),
        PublishedArticle.published_at,
        PublishedArticle.article_id,
        cursor,
    )
    rows = session.execute(query.limit(limit + 1)).all()
    total = session.execute(
        sa.select(sa.func.count()).select_from(PublishedArticle).where(*filters)
    ).scalar_one()
    rows, next_cursor = cursors.page(
        rows, limit, lambda row: cursors.Position(row.published_at, row.article_id)
    )
    body = b"".join(
        (
            b'{"items":[',
            b",".join(
                (
                    mark_overdue(row.summary_json)
                    if overdue(row.next_review, today)
                    else row.summary_json
                ).encode()
                for row in rows
            ),
            b'],"total":',
            str(total).encode(),
            b',"next_cursor":',
            orjson.dumps(next_cursor),
            b"}",
        )
    )
    return ListPage(
        body=body,
        etag=entity_tag(body),
        keys=keys.listing(locale, conditions),
        next_cursor=next_cursor,
    )


# --- schema.org JSON-LD -------------------------------------------------------------


def _jsonld_tag(snapshot_etag: str, site: jsonld.Site) -> str:
    # The page changes with the article's content and with the deployment's settings.
    return f"{snapshot_etag}-ld{site.digest}"


def article_jsonld_etag(session: Session, *, slug: str, locale: str, site: jsonld.Site) -> str:
    """The JSON-LD page's entity tag alone, to answer a revalidation with 304."""
    etag = session.execute(
        _ETAG_BY_SLUG.with_only_columns(PublishedArticle.etag), {"slug": slug, "locale": locale}
    ).scalar_one_or_none()
    if etag is None:
        raise _not_found(session, slug, locale)
    return _jsonld_tag(etag, site)


def article_jsonld(
    session: Session, *, slug: str, locale: str, site: jsonld.Site
) -> Representation:
    """The schema.org ``MedicalWebPage`` of a published article, from its stored bytes."""
    row = session.execute(_JSONLD_BY_SLUG, {"slug": slug, "locale": locale}).one_or_none()
    if row is None:
        raise _not_found(session, slug, locale)
    stored = row.jsonld_json
    if stored is None:  # published by code older than the JSON-LD snapshots
        detail = session.execute(
            sa.select(PublishedArticle.detail_json).where(*_BY_SLUG),
            {"slug": slug, "locale": locale},
        ).scalar_one()
        stored = orjson.dumps(jsonld.page_document(orjson.loads(detail))).decode()
    return Representation(
        body=site.page(stored, slug=slug, locale=locale),
        etag=_jsonld_tag(row.etag, site),
        keys=keys.detail(row.article_id, locale, slug),
    )
