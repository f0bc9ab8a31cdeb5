"""The editorial store: creating and revising articles, their immutable revisions.

What the public sees is another module's business: every change of public state
(publish, unpublish, trash, archive, withdraw) goes through ``cms.publishing``.

Services take a session and plain values, raise ``cms.errors`` exceptions, and
only flush: the caller (a request or a CLI command) owns the transaction. Every
change records its audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cms import checks
from cms import cursor as cursors
from cms.articles import translations
from cms.articles.diff import diff_documents
from cms.articles.manage_schemas import ManagedArticleWriteSchema, WriteRequest
from cms.articles.merge_patch import merge_patch
from cms.articles.models import Article, ArticleCondition, ArticleStatus, Revision
from cms.audit import service as audit
from cms.audit.service import Actor
from cms.checks import waivers
from cms.errors import Conflict, InvalidDocument, NotFound, PreconditionFailed
from cms.validation import field_errors

_managed_schema = ManagedArticleWriteSchema()


def content_hash(document: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON form: equal documents, equal hashes."""
    return hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()


# --- Reading -----------------------------------------------------------------------


def find_by_slug(
    session: Session, *, slug: str, locale: str, for_update: bool = False
) -> Article | None:
    query = sa.select(Article).where(Article.slug == slug, Article.locale == locale)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def get_article(session: Session, article_id: uuid.UUID, *, for_update: bool = False) -> Article:
    """The article, locked against concurrent writers when ``for_update``."""
    query = sa.select(Article).where(Article.id == article_id)
    if for_update:
        query = query.with_for_update()
    article = session.execute(query).scalar_one_or_none()
    if article is None:
        raise NotFound(f"No article with id {article_id}.")
    return article


def get_revision(session: Session, *, article: Article, number: int) -> Revision | None:
    return session.execute(
        sa.select(Revision).where(Revision.article_id == article.id, Revision.number == number)
    ).scalar_one_or_none()


def require_revision(session: Session, *, article: Article, number: int) -> Revision:
    revision = get_revision(session, article=article, number=number)
    if revision is None:
        raise NotFound(f"Article {article.id} has no revision {number}.")
    return revision


def current_revision(session: Session, article: Article) -> Revision:
    return require_revision(session, article=article, number=article.current_revision)


@dataclass(frozen=True, slots=True)
class RevisionPage:
    revisions: list[Revision]
    total: int
    next_cursor: str | None  # the last revision number shown, while older ones remain


def revisions_page(
    session: Session, *, article: Article, before: int | None, limit: int
) -> RevisionPage:
    """Revisions newest first, ``before`` a revision number (numbers have no gaps)."""
    query = sa.select(Revision).where(Revision.article_id == article.id)
    if before is not None:
        query = query.where(Revision.number < before)
    page = list(session.scalars(query.order_by(Revision.number.desc()).limit(limit)))
    more = bool(page) and page[-1].number > 1
    return RevisionPage(page, article.current_revision, str(page[-1].number) if more else None)


def summary_view(article: Article) -> dict[str, Any]:
    """An article's identity and workflow state, as listed by the management API."""
    return {
        "id": article.id,
        "slug": article.slug,
        "locale": article.locale,
        "title": article.title,
        "status": article.status,
        "version": article.version,
        "revision": article.current_revision,
        "live_revision": article.live_revision,
        "has_unpublished_changes": article.live_revision != article.current_revision,
        "trashed": article.trashed_at is not None,
        "created_at": article.created_at,
        "updated_at": article.updated_at,
    }


def check_report(
    session: Session,
    *,
    article: Article,
    today: dt.date,
    also: Sequence[checks.Finding] = (),
) -> checks.Report:
    """The content checks on the latest revision, with the reviewers' waivers, and whether
    it could be published today. ``also``: findings decided outside the text (a translation
    against its original: ``cms.publishing.service.findings_against_original``)."""
    document = current_revision(session, article).document
    applying = waivers.active_waivers(session, article_id=article.id, document=document)
    return checks.report(document, today=today, waivers=applying, also=also)


def revision_diff(
    session: Session, *, article: Article, number: int, against: int | None
) -> dict[str, Any]:
    """How revision ``number`` differs from ``against`` (default: the one before)."""
    new = require_revision(session, article=article, number=number)
    base_number = against if against is not None else max(number - 1, 1)
    old = require_revision(session, article=article, number=base_number)
    return {"revision": number, "against": base_number} | diff_documents(old.document, new.document)


@dataclass(frozen=True, slots=True)
class ArticlePage:
    articles: list[Article]
    total: int
    next_cursor: str | None


def list_articles(
    session: Session,
    *,
    statuses: Sequence[ArticleStatus] = (),
    locale: str | None = None,
    conditions: Sequence[str] = (),
    trashed: bool = False,
    limit: int = 20,
    cursor: str | None = None,
) -> ArticlePage:
    """Articles newest first (by creation), keyset-paginated like the public list."""
    filters: list[sa.ColumnElement[bool]] = [
        Article.trashed_at.is_not(None) if trashed else Article.trashed_at.is_(None)
    ]
    if statuses:
        filters.append(Article.status.in_(statuses))
    if locale is not None:
        filters.append(Article.locale == locale)
    if conditions:
        filters.append(
            sa.exists().where(
                ArticleCondition.article_id == Article.id,
                ArticleCondition.condition.in_(conditions),
            )
        )
    query = cursors.newest_first(
        sa.select(Article).where(*filters), Article.created_at, Article.id, cursor
    )
    rows = list(session.scalars(query.limit(limit + 1)))
    total = session.scalar(sa.select(sa.func.count()).select_from(Article).where(*filters)) or 0
    rows, next_cursor = cursors.page(rows, limit, lambda a: cursors.Position(a.created_at, a.id))
    return ArticlePage(rows, total, next_cursor)


# --- Guards --------------------------------------------------------------------------


def check_version(article: Article, expected: Collection[int] | None) -> None:
    """Refuse a write based on an outdated copy (``expected`` None: any version)."""
    if expected is not None and article.version not in expected:
        raise PreconditionFailed(
            f"The article changed since you read it: it is now at version {article.version}. "
            "Reload it, reapply your change and send the new ETag in If-Match."
        )


def lock_for_write(
    session: Session, *, article_id: uuid.UUID, expected: Collection[int] | None
) -> Article:
    """The article, locked until the transaction ends, if the caller's copy is current.

    The row lock serialises concurrent writers on PostgreSQL (SQLite serialises
    write transactions itself): the second one waits, then fails the version check.
    """
    article = get_article(session, article_id, for_update=True)
    check_version(article, expected)
    return article


def ensure_not_trashed(article: Article) -> None:
    if article.trashed_at is not None:
        raise Conflict(f"Article {article.id} is in the trash: restore it before changing it.")


# --- Writing ------------------------------------------------------------------------


def slug_taken(document: dict[str, Any]) -> Conflict:
    return Conflict(
        f"Another article already uses slug '{document['slug']}' in locale '{document['locale']}'."
    )


def _copy_listing_fields(
    article: Article, document: dict[str, Any], original_id: uuid.UUID | None
) -> None:
    article.translation_source_id = original_id
    article.slug = document["slug"]
    article.locale = document["locale"]
    article.title = document["title"]
    article.conditions = [
        ArticleCondition(condition=c) for c in dict.fromkeys(document.get("conditions", []))
    ]


def create_article(
    session: Session,
    *,
    document: dict[str, Any],
    actor: Actor,
    now: dt.datetime,
    note: str | None = None,
) -> Article:
    """A new draft article whose first revision is ``document`` (already validated)."""
    document, original_id = translations.link(session, article=None, document=document)
    article = Article(
        status=ArticleStatus.DRAFT,
        current_revision=1,
        live_revision=None,
        created_at=now,
        updated_at=now,
        trashed_at=None,
    )
    _copy_listing_fields(article, document, original_id)
    revision = Revision(
        article=article,
        number=1,
        document=document,
        content_hash=content_hash(document),
        created_at=now,
        created_by=actor.name,
        change_note=note,
    )
    try:
        with session.begin_nested():
            session.add_all([article, revision])
    except IntegrityError as exc:
        raise slug_taken(document) from exc
    audit.record(
        session, actor=actor, action="article.create", now=now, article_id=article.id, revision=1,
        details={"change_note": note} if note else None,
    )  # fmt: skip
    return article


def append_revision(
    session: Session,
    *,
    article: Article,
    document: dict[str, Any],
    actor: Actor,
    now: dt.datetime,
    status: ArticleStatus,
    note: str | None = None,
    even_if_unchanged: bool = False,
) -> Revision | None:
    """Store ``document`` as the next revision with the article's new ``status``,
    unless the document equals the latest one (then nothing changes) and
    ``even_if_unchanged`` is false.

    Low level: no audit event (callers record what happened). One UPDATE of the
    article row, so one write is one new version (one new ETag).
    """
    latest = current_revision(session, article)
    document, original_id = translations.link(
        session, article=article, document=document, latest=latest.document
    )
    digest = content_hash(document)
    if latest.content_hash == digest and not even_if_unchanged:
        return None
    revision = Revision(
        article_id=article.id,
        number=article.current_revision + 1,
        document=document,
        content_hash=digest,
        created_at=now,
        created_by=actor.name,
        change_note=note,
    )
    try:
        with session.begin_nested():
            # The article row is written first: with its version check, a concurrent
            # writer fails here instead of racing for the revision number.
            article.current_revision = revision.number
            article.status = status
            article.updated_at = now
            _copy_listing_fields(article, document, original_id)
            session.flush()
            session.add(revision)
    except IntegrityError as exc:
        raise slug_taken(document) from exc
    return revision


def save_revision(
    session: Session,
    *,
    article: Article,
    document: dict[str, Any],
    actor: Actor,
    now: dt.datetime,
    note: str | None = None,
    action: str = "article.update",
    details: dict[str, Any] | None = None,
) -> Revision | None:
    """An editor's change: a new draft revision; ``None`` if nothing changed.

    The public API keeps serving the live revision until this one is published,
    and any approval of the previous revision no longer applies.
    """
    ensure_not_trashed(article)
    previous_status = article.status
    revision = append_revision(
        session,
        article=article,
        document=document,
        actor=actor,
        now=now,
        status=ArticleStatus.DRAFT,
        note=note,
    )
    if revision is None:
        return None
    audit.record(
        session,
        actor=actor,
        action=action,
        now=now,
        article_id=article.id,
        revision=revision.number,
        details={
            **({"change_note": note} if note else {}),
            **({"status": [previous_status.value, "draft"]} if previous_status != "draft" else {}),
            **(details or {}),
        },
    )
    return revision


def restore_revision(
    session: Session,
    *,
    article: Article,
    number: int,
    actor: Actor,
    now: dt.datetime,
    note: str | None = None,
) -> Revision | None:
    """A new draft revision with the content of revision ``number``."""
    old = require_revision(session, article=article, number=number)
    return save_revision(
        session,
        article=article,
        document=old.document,
        actor=actor,
        now=now,
        note=note or f"Restored revision {number}.",
        action="article.restore_revision",
        details={"restored_from": number},
    )


# --- Use cases of the management API: lock, check the version, change -----------------


def update_article(
    session: Session,
    *,
    article_id: uuid.UUID,
    expected: Collection[int] | None,
    write: WriteRequest,
    actor: Actor,
    now: dt.datetime,
) -> Article:
    """Full replace (PUT): a new draft revision unless nothing changed."""
    article = lock_for_write(session, article_id=article_id, expected=expected)
    save_revision(
        session, article=article, document=write.document, actor=actor, now=now, note=write.note
    )
    return article


def patch_article(
    session: Session,
    *,
    article_id: uuid.UUID,
    expected: Collection[int] | None,
    patch: dict[str, Any],
    note: str | None,
    actor: Actor,
    now: dt.datetime,
) -> Article:
    """JSON Merge Patch (RFC 7396) on the latest document; the result is fully validated."""
    article = lock_for_write(session, article_id=article_id, expected=expected)
    merged = merge_patch(current_revision(session, article).document, patch)
    try:
        write: WriteRequest = _managed_schema.load(merged)
    except ValidationError as exc:
        raise InvalidDocument(
            "The article would not be valid after this patch.", errors=field_errors(exc.messages)
        ) from exc
    save_revision(
        session,
        article=article,
        document=write.document,
        actor=actor,
        now=now,
        note=write.note or note,
    )
    return article


def restore_revision_of(
    session: Session,
    *,
    article_id: uuid.UUID,
    number: int,
    expected: Collection[int] | None,
    actor: Actor,
    now: dt.datetime,
    note: str | None = None,
) -> Article:
    article = lock_for_write(session, article_id=article_id, expected=expected)
    restore_revision(session, article=article, number=number, actor=actor, now=now, note=note)
    return article
