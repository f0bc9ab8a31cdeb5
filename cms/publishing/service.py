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
from cms.articles import translations
from cms.articles.models import Article, ArticleStatus
from cms.audit import service as audit
from cms.audit.service import Actor
from cms.checks import waivers
from cms.delivery import freshness, keys, snapshots
from cms.delivery.models import DeliveryChange, DeliveryState, Tombstone
from cms.delivery.snapshots import Listing
from cms.errors import Conflict, InvalidDocument
from cms.observability import metrics
from cms.outbox import service as outbox
from cms.outbox.events import EventType
from cms.publishing.models import Schedule
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


ARTICLE_EVENTS = {
    ChangeKind.PUBLISHED: EventType.ARTICLE_PUBLISHED,
    ChangeKind.UPDATED: EventType.ARTICLE_PUBLISHED,
    ChangeKind.UNPUBLISHED: EventType.ARTICLE_UNPUBLISHED,
    ChangeKind.TRASHED: EventType.ARTICLE_TRASHED,
    ChangeKind.ARCHIVED: EventType.ARTICLE_ARCHIVED,
    ChangeKind.WITHDRAWN: EventType.ARTICLE_WITHDRAWN,
    ChangeKind.EXPIRED: EventType.ARTICLE_EXPIRED,
}


def publish(
    session: Session,
    *,
    article: Article,
    actor: Actor,
    now: dt.datetime,
    approval: Approval | None,
    details: dict[str, Any] | None = None,
    allow_overdue_review: bool = False,
    loaded_document: dict[str, Any] | None = None,
) -> None:
    """Make the latest revision live: a first publication or a new live revision.

    ``approval`` is the sign-off of that exact revision; None only on the trusted
    operator's import path, which the audit log records as such. Every path to the
    public API passes the content checks (``ContentChecksFailed``); errors a
    reviewer waived do not block. ``details`` go into the audit event (a scheduled
    publication says who scheduled it).

    ``allow_overdue_review`` (the operator's import only, never with an approval): a
    review date that has passed does not block; the public API marks the article
    ``review_overdue`` and the audit event says it was published so.

    ``loaded_document`` (the import only): the latest revision's document as the schema
    loaded it while the import validated the file, so it is not validated again.
    """
    if allow_overdue_review and approval is not None:
        raise ValueError("allow_overdue_review is for the operator's import, not a sign-off")
    articles.ensure_not_trashed(article)
    revision = articles.current_revision(session, article)
    family = translations.family(session, article=article, document=revision.document)
    findings = checks.run_for_publish(
        revision.document,
        today=now.date(),
        waivers=waivers.active_waivers(session, article_id=article.id, document=revision.document),
        tolerated=[checks.OVERDUE_REVIEW] if allow_overdue_review else [],
        also=_against_original(session, article, revision.document, family),
    )
    overdue = any(f.code == checks.OVERDUE_REVIEW for f in findings)
    former_family = snapshots.family_of(session, article.id)
    try:
        with session.begin_nested():
            written = snapshots.write_snapshot(
                session,
                article_id=article.id,
                document=revision.document,
                revision_number=revision.number,
                now=now,
                family=family,
                loaded=loaded_document,
            )
            search_index.index_article(
                session, article_id=article.id, public_document=written.public
            )
            article.live_revision = revision.number
            article.status = ArticleStatus.PUBLISHED
            article.updated_at = now
    except IntegrityError as exc:
        if "translations" in str(exc.orig):
            raise Conflict(
                f"Another '{revision.document['locale']}' translation of this article's original "
                "is live: unpublish it first."
            ) from exc
        raise articles.slug_taken(revision.document) from exc
    except ValidationError as exc:
        # Stored under older rules that have since been tightened: fix it in a new revision.
        raise InvalidDocument(
            f"Revision {revision.number} no longer passes validation and cannot be published.",
            errors=field_errors(exc.messages),
        ) from exc
    kind = ChangeKind.PUBLISHED if written.before is None else ChangeKind.UPDATED
    _record_change(
        session, kind=kind, before=written.before, after=written.after,
        revision=revision.number, now=now,
    )  # fmt: skip
    _refresh_families(session, {former_family, family.group}, changed=article.id, now=now)
    metrics.published(session, first=written.before is None)
    audit.record(
        session,
        actor=actor,
        action="article.publish",
        now=now,
        article_id=article.id,
        revision=revision.number,
        details={"approval": approval.id if approval else OPERATOR_BYPASS, **(details or {})}
        | ({"review_overdue": True} if overdue else {}),
    )


def _against_original(
    session: Session, article: Article, document: dict[str, Any], family: translations.Family
) -> list[checks.Finding]:
    """A translation's check against its original as served (nothing for an original)."""
    if family.group == article.id:
        return []
    live = snapshots.original_state(session, family.group)
    reference = document.get("translation_of")
    if reference is None or live is None or live.safety_hash is None:
        return []  # the original is not live: there is nothing to follow
    return checks.translation_outdated(
        original=f"'{live.slug}' ({live.locale})",
        followed_revision=reference["revision"],
        live_revision=live.live_revision,
        follows_live=family.source_safety_hash == live.safety_hash,
        changed_at=live.safety_changed_at,
    )


def findings_against_original(session: Session, *, article: Article) -> list[checks.Finding]:
    """What publishing the latest revision of a translation would find against its original:
    for check reports (the other findings come from the text alone)."""
    document = articles.current_revision(session, article).document
    family = translations.family(session, article=article, document=document)
    return _against_original(session, article, document, family)


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


def expire(
    session: Session, *, article: Article, actor: Actor, now: dt.datetime, details: dict[str, Any]
) -> bool:
    """A scheduled unpublication came due: offline like ``unpublish``, recorded as expired.

    Returns whether it was live (an article unpublished by hand meanwhile has nothing
    left to expire, and nothing is recorded).
    """
    previous = article.status
    if _take_offline(session, article=article, now=now, kind=ChangeKind.EXPIRED) is None:
        return False
    _record_transition(
        session, article=article, actor=actor, now=now, action="expire",
        previous=previous, comment=None, **details,
    )  # fmt: skip
    return True


def withdraw(
    session: Session,
    *,
    article_id: uuid.UUID,
    expected: Collection[int] | None,
    reason: str,
    actor: Actor,
    now: dt.datetime,
) -> Article:
    """Emergency withdrawal: off the public API at once, and out of publishing until reviewed.

    The public address answers 410 Gone with a neutral notice (never ``reason``,
    which is for the audit log). Every sign-off of the article is revoked, so it
    is a ``draft`` again: going live needs a new submit, review and approval. A
    pending schedule is dropped. An article must be live to be withdrawn
    (``Conflict`` otherwise: there is nothing public to withdraw; to stop an
    approved article from being published, edit it or cancel its schedule).

    An article has one locale (its slug and locale are its public address), so this
    withdraws everything the public API serves of it.
    """
    article = articles.lock_for_write(session, article_id=article_id, expected=expected)
    articles.ensure_not_trashed(article)
    if article.live_revision is None:
        raise Conflict(
            f"Article {article.id} is not live: there is nothing public to withdraw. To stop it "
            "from being published, edit it or cancel its schedule."
        )
    previous, live = article.status, article.live_revision
    # Every statement before the article row's one UPDATE (in _take_offline).
    revoked = list(
        session.scalars(
            sa.update(Approval)
            .where(Approval.article_id == article.id, Approval.revoked_at.is_(None))
            .values(revoked_at=now)
            .returning(Approval.id)
        )
    )
    schedule = session.get(Schedule, article.id)
    if schedule is not None:
        session.delete(schedule)
    _take_offline(session, article=article, now=now, kind=ChangeKind.WITHDRAWN)
    article.status = ArticleStatus.DRAFT
    metrics.withdrawn(session)
    audit.record(
        session, actor=actor, action="article.withdraw", now=now, article_id=article.id,
        revision=live,
        details={
            "reason": reason,
            "revoked_approvals": sorted(revoked),
            **({"cancelled_schedule": True} if schedule is not None else {}),
            "status": [previous.value, article.status.value],
        },
    )  # fmt: skip
    return article


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
    _record_change(
        session, kind=ChangeKind.REINDEXED, before=None, after=None, revision=None, now=now
    )
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
    family = snapshots.family_of(session, article.id)
    listing = snapshots.remove_snapshot(session, article_id=article.id)
    search_index.remove_article(session, article_id=article.id)
    if listing is not None:
        _record_change(
            session, kind=kind, before=listing, after=None,
            revision=article.live_revision, now=now,
        )  # fmt: skip
        _refresh_families(session, {family}, changed=article.id, now=now)
        metrics.unpublished(session)
    # The article row last, after every statement: one UPDATE, one new version (ETag).
    article.live_revision = None
    article.updated_at = now
    article.status = fallback
    return listing


def _refresh_families(
    session: Session, groups: set[uuid.UUID | None], *, changed: uuid.UUID, now: dt.datetime
) -> None:
    """After ``changed`` went live or offline: the links of its translation families. Each
    other member whose served links changed (a new sibling, a sibling gone, outdated or no
    longer) is a change of its own, for caches, apps and webhooks."""
    for group in sorted(g for g in groups if g is not None):
        for listing, revision in snapshots.refresh_family(session, group):
            if listing.article_id != changed:
                _record_change(
                    session, kind=ChangeKind.UPDATED, before=listing, after=listing,
                    revision=revision, now=now,
                )  # fmt: skip


def _record_change(
    session: Session,
    *,
    kind: ChangeKind,
    before: Listing | None,
    after: Listing | None,
    revision: int | None,
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
    The outbox gets the article's event (for webhooks) and a ``cdn.purge`` of the
    same keys, delivered by ``cms worker`` once this transaction commits.
    """
    generation = session.execute(
        sa.update(DeliveryState)
        .where(DeliveryState.id == 1)
        .values(generation=DeliveryState.generation + 1)
        .returning(DeliveryState.generation)
    ).scalar_one()
    freshness.announce(session, generation)
    subject = after or before
    touched = keys.change([before, after]) if subject else [keys.ALL_SEARCHES]
    session.add(
        DeliveryChange(
            generation=generation,
            article_id=subject.article_id if subject else None,
            slug=subject.slug if subject else None,
            locale=subject.locale if subject else None,
            kind=kind,
            changed_at=now,
            keys=touched,
        )
    )
    change = {"kind": str(kind), "generation": generation}
    if subject is not None:
        article_data = {
            "id": str(subject.article_id),
            "slug": subject.slug,
            "locale": subject.locale,
            "live_revision": revision if after is not None else None,
            "revision": revision,
        }
        if before is not None and after is not None and before.slug != after.slug:
            article_data["previous_slug"] = before.slug
        outbox.emit(
            session,
            type=ARTICLE_EVENTS[kind],
            data={"article": article_data, "change": change, "surrogate_keys": touched},
            now=now,
        )
    outbox.emit(
        session, type=EventType.CDN_PURGE, data={"surrogate_keys": touched, "change": change},
        now=now,
    )  # fmt: skip
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
