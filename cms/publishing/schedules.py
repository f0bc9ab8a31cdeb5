"""Scheduled publication and expiry: what a publisher asks for, and the worker's run.

A publisher schedules an approved revision's publication (``publish_at``),
optionally with its expiry (``unpublish_at``), or only the expiry of a live
article. The schedule holds the exact revision and sign-off it will publish:
any edit after scheduling makes another revision the latest, and the schedule
no longer applies. The editors' API shows it ``cancelled`` at once, and the
worker's run clears it instead of publishing (it never publishes a revision
nobody approved).

``run_schedules`` is a ``cms worker`` task: it carries out what is due through
``cms.publishing.service`` (``publish`` with the stored sign-off, ``expire``),
claiming rows with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so that several
workers never run the same schedule. Each schedule is carried out in a
SAVEPOINT: one that cannot be (its content checks now fail, it was trashed)
is cancelled with the reason, and the others go ahead.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms.articles import service as articles
from cms.articles.models import Article, ArticleStatus
from cms.audit import service as audit
from cms.audit.service import Actor
from cms.errors import CMSError, Conflict, InvalidDocument
from cms.observability import events
from cms.publishing import service as publishing
from cms.publishing.models import Schedule
from cms.validation import FieldError
from cms.workflow.approvals import approval_of_current

SCHEDULER = Actor(name="cms worker", role="scheduler")
BATCH = 50

PENDING = "pending"
CANCELLED = "cancelled"


def _invalid(pointer: str, code: str, message: str) -> InvalidDocument:
    return InvalidDocument(message, errors=[FieldError(pointer, code, message)])


def get(session: Session, article: Article) -> Schedule | None:
    return session.get(Schedule, article.id)


def schedule(
    session: Session,
    *,
    article: Article,
    actor: Actor,
    now: dt.datetime,
    publish_at: dt.datetime | None,
    unpublish_at: dt.datetime | None,
) -> Schedule:
    """Schedule the approved revision's publication and/or the live article's expiry.

    Replaces any schedule the article had. Times must carry a time zone (the
    request schema refuses naive ones) and lie ahead; ``unpublish_at`` after
    ``publish_at``. Publishing needs the latest revision's sign-off; an expiry
    alone needs the article live (otherwise ``Conflict``).
    """
    if publish_at is None and unpublish_at is None:
        raise _invalid(
            "/publish_at", "required", "Send publish_at, unpublish_at or both to schedule."
        )
    for pointer, at in (("/publish_at", publish_at), ("/unpublish_at", unpublish_at)):
        if at is not None and at <= now:
            raise _invalid(pointer, "past", f"Must be in the future (it is now {_iso(now)}).")
    if publish_at is not None and unpublish_at is not None and unpublish_at <= publish_at:
        raise _invalid("/unpublish_at", "order", "Must be after publish_at.")
    approval = None
    if publish_at is not None:
        approval = approval_of_current(session, article)
        if article.status != ArticleStatus.APPROVED or approval is None:
            raise Conflict(
                f"Only an approved revision can be scheduled for publication; the article is "
                f"{article.status}. To schedule only its expiry, send unpublish_at alone."
            )
    elif article.live_revision is None:
        raise Conflict(
            f"Article {article.id} is not live: an expiry needs publish_at too, or a live article."
        )
    entry = get(session, article)
    replaced = entry is not None
    if entry is None:
        entry = Schedule(article_id=article.id)
        session.add(entry)
    entry.publish_at = publish_at
    entry.unpublish_at = unpublish_at
    entry.revision = article.current_revision if publish_at is not None else None
    entry.approval_id = approval.id if approval is not None else None
    entry.scheduled_by = actor.name
    entry.scheduled_at = now
    entry.cancelled_at = None
    entry.cancel_reason = None
    article.updated_at = now  # a new version: the article's ETag covers its schedule
    audit.record(
        session, actor=actor, action="article.schedule", now=now, article_id=article.id,
        revision=article.current_revision,
        details={
            **({"publish_at": _iso(publish_at)} if publish_at else {}),
            **({"unpublish_at": _iso(unpublish_at)} if unpublish_at else {}),
            **({"replaced": True} if replaced else {}),
        },
    )  # fmt: skip
    return entry


def cancel(session: Session, *, article: Article, actor: Actor, now: dt.datetime) -> None:
    """Drop the article's schedule (``Conflict`` if it has none)."""
    entry = get(session, article)
    if entry is None:
        raise Conflict(f"Article {article.id} has no schedule to cancel.")
    session.delete(entry)
    article.updated_at = now
    session.flush()
    audit.record(
        session, actor=actor, action="article.cancel_schedule", now=now, article_id=article.id,
        revision=article.current_revision, details=_describe(entry),
    )  # fmt: skip


def view(session: Session, article: Article) -> dict[str, Any] | None:
    """The schedule as the editors' API shows it, with its state: pending or cancelled."""
    entry = get(session, article)
    if entry is None:
        return None
    reason = (
        entry.cancel_reason if entry.cancelled_at is not None else _stale(session, article, entry)
    )
    return {
        "publish_at": entry.publish_at,
        "unpublish_at": entry.unpublish_at,
        "revision": entry.revision,
        "scheduled_by": entry.scheduled_by,
        "scheduled_at": entry.scheduled_at,
        "state": CANCELLED if reason else PENDING,
        "cancel_reason": reason,
    }


def _stale(session: Session, article: Article, entry: Schedule) -> str | None:
    """Why a pending publication no longer applies (None: it still does)."""
    if entry.publish_at is None:
        return None
    if article.trashed_at is not None:
        return "The article was moved to the trash."
    if article.current_revision != entry.revision:
        return (
            f"Revision {entry.revision} was scheduled; the article has changed since "
            f"(revision {article.current_revision}): approve and schedule it again."
        )
    approval = approval_of_current(session, article)
    if approval is None or approval.id != entry.approval_id:
        return f"The sign-off of revision {entry.revision} no longer applies."
    if article.status != ArticleStatus.APPROVED and article.live_revision != entry.revision:
        return f"The article is {article.status}."
    return None


# --- The worker's run ----------------------------------------------------------------------------


def run_schedules(session: Session, now: dt.datetime) -> int:
    """Carry out the publications and expiries due at ``now``; returns how many were handled.

    Publications first, so that a schedule whose publish_at and unpublish_at are
    both past publishes and then expires, in that order.
    """
    started = time.perf_counter()
    publishing_due = _claim(session, Schedule.publish_at <= now)
    published = sum(_run_publication(session, entry, now) for entry in publishing_due)
    expiring = _claim(session, Schedule.publish_at.is_(None), Schedule.unpublish_at <= now)
    expired = sum(_run_expiry(session, entry, now) for entry in expiring)
    events.schedule_run(
        published=published, unpublished=expired, seconds=time.perf_counter() - started
    )
    # Every claimed row was settled (carried out, found moot, or cancelled).
    return len(publishing_due) + len(expiring)


def _claim(session: Session, *conditions: sa.ColumnElement[bool]) -> list[Schedule]:
    query = (
        sa.select(Schedule)
        .where(Schedule.cancelled_at.is_(None), *conditions)
        .order_by(sa.func.coalesce(Schedule.publish_at, Schedule.unpublish_at), Schedule.article_id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(query))


def _run_publication(session: Session, entry: Schedule, now: dt.datetime) -> bool:
    """Publish what the entry scheduled, or cancel it with the reason; True if published."""
    article = articles.get_article(session, entry.article_id, for_update=True)
    reason = _stale(session, article, entry)
    if reason is None and article.live_revision == entry.revision:
        # Published by hand meanwhile: nothing left to publish.
        _done_publishing(session, entry)
        return False
    if reason is None:
        approval = approval_of_current(session, article)
        try:
            with session.begin_nested():
                publishing.publish(
                    session, article=article, actor=SCHEDULER, now=now, approval=approval,
                    details={"scheduled_by": entry.scheduled_by,
                             "publish_at": _iso(entry.publish_at)},
                )  # fmt: skip
        except CMSError as exc:
            reason = f"Publishing failed: {exc.detail}"
        else:
            _done_publishing(session, entry)
            return True
    entry.cancelled_at = now
    entry.cancel_reason = reason[:500]
    audit.record(
        session, actor=SCHEDULER, action="article.cancel_schedule", now=now,
        article_id=article.id, revision=article.current_revision,
        details={**_describe(entry), "reason": entry.cancel_reason},
    )  # fmt: skip
    return False


def _done_publishing(session: Session, entry: Schedule) -> None:
    if entry.unpublish_at is None:
        session.delete(entry)
    else:  # the expiry stays, for the next claim
        entry.publish_at = None
    session.flush()


def _run_expiry(session: Session, entry: Schedule, now: dt.datetime) -> bool:
    article = articles.get_article(session, entry.article_id, for_update=True)
    details = {"scheduled_by": entry.scheduled_by, "unpublish_at": _iso(entry.unpublish_at)}
    session.delete(entry)
    session.flush()
    if article.trashed_at is not None:
        return False
    return publishing.expire(session, article=article, actor=SCHEDULER, now=now, details=details)


def _describe(entry: Schedule) -> dict[str, Any]:
    return {
        key: _iso(value)
        for key, value in (("publish_at", entry.publish_at), ("unpublish_at", entry.unpublish_at))
        if value is not None
    } | ({"revision": entry.revision} if entry.revision is not None else {})


def _iso(at: dt.datetime | None) -> str:
    assert at is not None
    return at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
