"""Editorial operations: creating articles, saving revisions, publishing.

Services take a session and plain values, raise ``cms.errors`` exceptions, and
only flush: the caller (a request or a CLI command) owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import orjson
import sqlalchemy as sa
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cms.articles.models import Article, ArticleStatus, Revision
from cms.delivery import snapshots
from cms.errors import Conflict, InvalidDocument
from cms.validation import field_errors


def content_hash(document: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON form: equal documents, equal hashes."""
    return hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()


def find_by_slug(session: Session, *, slug: str, locale: str) -> Article | None:
    return session.execute(
        sa.select(Article).where(Article.slug == slug, Article.locale == locale)
    ).scalar_one_or_none()


def get_revision(session: Session, *, article: Article, number: int) -> Revision | None:
    return session.execute(
        sa.select(Revision).where(Revision.article_id == article.id, Revision.number == number)
    ).scalar_one_or_none()


def _slug_taken(document: dict[str, Any]) -> Conflict:
    return Conflict(
        f"Another article already uses slug '{document['slug']}' in locale '{document['locale']}'."
    )


def create_article(
    session: Session,
    *,
    document: dict[str, Any],
    actor: str,
    now: dt.datetime,
    note: str | None = None,
) -> Article:
    """A new draft article whose first revision is ``document`` (already validated)."""
    article = Article(
        slug=document["slug"],
        locale=document["locale"],
        status=ArticleStatus.DRAFT,
        current_revision=1,
        live_revision=None,
        created_at=now,
        updated_at=now,
    )
    revision = Revision(
        article=article,
        number=1,
        document=document,
        content_hash=content_hash(document),
        created_at=now,
        created_by=actor,
        change_note=note,
    )
    try:
        with session.begin_nested():
            session.add_all([article, revision])
    except IntegrityError as exc:
        raise _slug_taken(document) from exc
    return article


def save_revision(
    session: Session,
    *,
    article: Article,
    document: dict[str, Any],
    actor: str,
    now: dt.datetime,
    note: str | None = None,
) -> Revision | None:
    """Append a revision if ``document`` differs from the latest one; ``None`` if unchanged.

    A new revision is a draft: the public API keeps serving the live one.
    """
    digest = content_hash(document)
    latest = get_revision(session, article=article, number=article.current_revision)
    if latest is not None and latest.content_hash == digest:
        return None
    revision = Revision(
        article_id=article.id,
        number=article.current_revision + 1,
        document=document,
        content_hash=digest,
        created_at=now,
        created_by=actor,
        change_note=note,
    )
    try:
        with session.begin_nested():
            session.add(revision)
            article.current_revision = revision.number
            article.slug = document["slug"]
            article.locale = document["locale"]
            article.status = ArticleStatus.DRAFT
            article.updated_at = now
    except IntegrityError as exc:
        raise _slug_taken(document) from exc
    return revision


def publish(session: Session, *, article: Article, now: dt.datetime) -> None:
    """Make the latest revision live: its snapshot is written in this same transaction."""
    revision = get_revision(session, article=article, number=article.current_revision)
    if revision is None:  # pragma: no cover - every article has its first revision
        raise Conflict(f"Article {article.id} has no revision {article.current_revision}.")
    try:
        with session.begin_nested():
            snapshots.write_snapshot(
                session,
                article_id=article.id,
                document=revision.document,
                revision_number=revision.number,
                now=now,
            )
            article.live_revision = revision.number
            article.status = ArticleStatus.PUBLISHED
            article.updated_at = now
    except IntegrityError as exc:
        raise _slug_taken(revision.document) from exc
    except ValidationError as exc:
        # Stored under older rules that have since been tightened: fix it in a new revision.
        raise InvalidDocument(
            f"Revision {revision.number} no longer passes validation and cannot be published.",
            errors=field_errors(exc.messages),
        ) from exc
