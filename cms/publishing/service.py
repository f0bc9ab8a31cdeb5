"""Publishing verbs: every change of what the public API serves goes through here.

Each verb takes the session and plain values, checks what it must, changes the
article, the public snapshot and the search index, records the change
(``_record_change``: the delivery generation and, for the caches, the surrogate
keys it touched), and writes its audit event — all in the caller's transaction.
The use-case verbs for the management API (``trash``, ``restore``) lock the
article and check the client's version first.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cms import checks
from cms.articles import service as articles
from cms.articles.models import Article, ArticleStatus
from cms.audit import service as audit
from cms.audit.service import Actor
from cms.checks import waivers
from cms.delivery import keys, snapshots
from cms.delivery.models import DeliveryChange, DeliveryState, Tombstone
from cms.delivery.snapshots import Listing
from cms.errors import Conflict, InvalidDocument
from cms.observability import metrics
from cms.search import index as search_index
from cms.validation import field_errors
from cms.workflow.approvals import approval_of_current
from cms.workflow.models import Approval

OPERATOR_BYPASS = "bypassed: trusted operator import"


class ChangeKind(enum.StrEnum):
    """What happened to an article's public state (the change log and tombstones say)."""

    PUBLISHED = "published"  # first publication
    UPDATED = "updated"  # a new live revision
    UNPUBLISHED = "unpublished"
    TRASHED = "trashed"
    ARCHIVED = "archived"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"  # a scheduled unpublication
    MOVED = "moved"  # the old address of a renamed article (it redirects)
    REINDEXED = "reindexed"  # the search index was rebuilt


def publish(
    session: Session,
    *,
    article: Article,
    actor: Actor,
    now: dt.datetime,
    approval: Approval | None,
    allow_overdue_review: bool = False,
) -> None:
    """Make the latest revision live: a first publication or a new live revision.

    ``approval`` is the sign-off of that exact revision; None only on the trusted
    operator's import path, which the audit log records as such. Every path to the
    public API passes the content checks (``ContentChecksFailed``); errors a
    reviewer waived do not block.

    ``allow_overdue_review`` (the operator's import only, never with an approval): a
    review date that has passed does not block; the public API marks the article
    ``review_overdue`` and the audit event says it was published so.
    """
    if allow_overdue_review and approval is not None:
        raise ValueError("allow_overdue_review is for the operator's import, not a sign-off")
    articles.ensure_not_trashed(article)
    revision = articles.current_revision(session, article)
    findings = checks.run_for_publish(
        revision.document,
        today=now.date(),
        waivers=waivers.active_waivers(session, article_id=article.id, document=revision.document),
        tolerated=[checks.OVERDUE_REVIEW] if allow_overdue_review else [],
    )
    overdue = any(f.code == checks.OVERDUE_REVIEW for f in findings)
    try:
        with session.begin_nested():
            written = snapshots.write_snapshot(
                session,
                article_id=article.id,
                document=revision.document,
                revision_number=revision.number,
                now=now,
            )
            search_index.index_article(
                session, article_id=article.id, public_document=written.public
            )
            article.live_revision = revision.number
            article.status = ArticleStatus.PUBLISHED
            article.updated_at = now
    except IntegrityError as exc:
        raise articles.slug_taken(revision.document) from exc
    except ValidationError as exc:
        # Stored under older rules that have since been tightened: fix it in a new revision.
        raise InvalidDocument(
            f"Revision {revision.number} no longer passes validation and cannot be published.",
            errors=field_errors(exc.messages),
        ) from exc
    kind = ChangeKind.PUBLISHED if written.before is None else ChangeKind.UPDATED
    _record_change(session, kind=kind, before=written.before, after=written.after, now=now)
    metrics.published(session, first=written.before is None)
    audit.record(
        session,
        actor=actor,
        action="article.publish",
        now=now,
        article_id=article.id,
        revision=revision.number,
        details={"approval": approval.id if approval else OPERATOR_BYPASS}
        | ({"review_overdue": True} if overdue else {}),
    )


def unpublish(
    session: Session, *, article: Article, actor: Actor, now: dt.datetime, comment: str | None
) -> None:
    """Take a live article off the public API; it keeps its revisions and sign-off."""
    previous = article.status
    if _take_offline(session, article=article, now=now, kind=ChangeKind.UNPUBLISHED) is None:
        raise Conflict(f"Article {article.id} is not live.")
    _record_transition(
        session, article=article, actor=actor, now=now, action="unpublish",
        previous=previous, comment=comment,
    )  # fmt: skip


def archive(
    session: Session, *, article: Article, actor: Actor, now: dt.datetime, comment: str | None
) -> None:
    """Retire an article: offline if it was live, out of the editorial flow."""
    previous = article.status
    was_live = _take_offline(session, article=article, now=now, kind=ChangeKind.ARCHIVED)
    article.status = ArticleStatus.ARCHIVED
    _record_transition(
        session, article=article, actor=actor, now=now, action="archive",
        previous=previous, comment=comment, was_live=was_live is not None,
    )  # fmt: skip


def trash(
    session: Session,
    *,
    article_id: uuid.UUID,
    expected: Collection[int] | None,
    actor: Actor,
    now: dt.datetime,
) -> Article:
    """Move to the trash: off the public API at once, read-only, restorable."""
    article = articles.lock_for_write(session, article_id=article_id, expected=expected)
    articles.ensure_not_trashed(article)
    was_live = _take_offline(session, article=article, now=now, kind=ChangeKind.TRASHED)
    article.trashed_at = now
    audit.record(
        session, actor=actor, action="article.trash", now=now, article_id=article.id,
        revision=article.current_revision, details={"was_live": was_live is not None},
    )  # fmt: skip
    return article


def restore(
    session: Session,
    *,
    article_id: uuid.UUID,
    expected: Collection[int] | None,
    actor: Actor,
    now: dt.datetime,
) -> Article:
    """Bring an article back from the trash; it stays offline until published again."""
    article = articles.lock_for_write(session, article_id=article_id, expected=expected)
    if article.trashed_at is None:
        raise Conflict(f"Article {article.id} is not in the trash.")
    article.trashed_at = None
    article.updated_at = now
    audit.record(
        session, actor=actor, action="article.restore", now=now, article_id=article.id,
        revision=article.current_revision,
    )  # fmt: skip
    return article


def reindex_search(session: Session, *, now: dt.datetime) -> int:
    """Rebuild the search index from the live snapshots; returns how many were indexed."""
    count = search_index.reindex(session)
    # Cached search answers are stale now.
    _record_change(session, kind=ChangeKind.REINDEXED, before=None, after=None, now=now)
    return count


# --- Inside every change -----------------------------------------------------------------


def _take_offline(
    session: Session, *, article: Article, now: dt.datetime, kind: ChangeKind
) -> Listing | None:
    """Remove the article from the public API; returns where it was live (None: it was not).

    A published article falls back to ``approved`` if its latest revision still has
    a sign-off, otherwise to ``draft``.
    """
    fallback = article.status
    if article.status == ArticleStatus.PUBLISHED:
        approved = approval_of_current(session, article) is not None
        fallback = ArticleStatus.APPROVED if approved else ArticleStatus.DRAFT
    listing = snapshots.remove_snapshot(session, article_id=article.id)
    search_index.remove_article(session, article_id=article.id)
    if listing is not None:
        _record_change(session, kind=kind, before=listing, after=None, now=now)
        metrics.unpublished(session)
    # The article row last, after every statement: one UPDATE, one new version (ETag).
    article.live_revision = None
    article.updated_at = now
    article.status = fallback
    return listing


def _record_change(
    session: Session,
    *,
    kind: ChangeKind,
    before: Listing | None,
    after: Listing | None,
    now: dt.datetime,
) -> int:
    """Record a change of public state: returns its delivery generation.

    The generation is one row, updated in the transaction of the change: its row
    lock orders concurrent publishers, so generations commit in increasing order
    and a reader that has seen generation N has seen every change up to N. The
    change-log row carries the surrogate keys the change touched (for every
    process's delivery cache) and what the sync feed tells apps. Removed
    addresses get a tombstone (they answer 410 Gone); a renamed article's old
    address one that redirects; an address published again loses its tombstone.
    """
    generation = session.execute(
        sa.update(DeliveryState)
        .where(DeliveryState.id == 1)
        .values(generation=DeliveryState.generation + 1)
        .returning(DeliveryState.generation)
    ).scalar_one()
    subject = after or before
    session.add(
        DeliveryChange(
            generation=generation,
            article_id=subject.article_id if subject else None,
            slug=subject.slug if subject else None,
            locale=subject.locale if subject else None,
            kind=kind,
            changed_at=now,
            keys=keys.change([before, after]) if subject else [keys.ALL_SEARCHES],
        )
    )
    if after is not None:
        _forget_tombstone(session, after.locale, after.slug)
        if before is not None and (before.slug, before.locale) != (after.slug, after.locale):
            _bury(session, before, ChangeKind.MOVED, now)
    elif before is not None:
        _bury(session, before, kind, now)
    return generation


def _bury(session: Session, listing: Listing, kind: ChangeKind, now: dt.datetime) -> None:
    _forget_tombstone(session, listing.locale, listing.slug)
    session.add(
        Tombstone(
            slug=listing.slug,
            locale=listing.locale,
            article_id=listing.article_id,
            kind=kind,
            removed_at=now,
        )
    )


def _forget_tombstone(session: Session, locale: str, slug: str) -> None:
    session.execute(sa.delete(Tombstone).where(Tombstone.slug == slug, Tombstone.locale == locale))


def _record_transition(
    session: Session,
    *,
    article: Article,
    actor: Actor,
    now: dt.datetime,
    action: str,
    previous: ArticleStatus,
    comment: str | None,
    **details: Any,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=f"article.{action}",
        now=now,
        article_id=article.id,
        revision=article.current_revision,
        details={
            **({"comment": comment} if comment else {}),
            **details,
            "status": [previous.value, article.status.value],
        },
    )
