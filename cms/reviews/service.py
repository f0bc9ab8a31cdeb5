"""Which live articles are due for medical review, and the reminder when one falls due.

A live article is due for review once the ``next_review`` of its live revision
has passed (the public API then marks it ``review_overdue``). ``remind_due`` is
a ``cms worker`` task: it emits ``article.review_due`` once per live
``next_review`` date (``articles.review_due_notified_for`` remembers which), so
a new sign-off with a new date re-arms the reminder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms import cursor as cursors
from cms.articles.models import Article
from cms.delivery.models import PublishedArticle
from cms.outbox import service as outbox
from cms.outbox.events import EventType

BATCH = 100


@dataclass(frozen=True, slots=True)
class ReviewPage:
    items: list[tuple[Article, dt.date]]  # each article with its live next_review
    total: int
    next_cursor: str | None


def due_page(
    session: Session, *, due_before: dt.date | None, limit: int, cursor: str | None
) -> ReviewPage:
    """Live articles whose next_review is before ``due_before`` (None: any), soonest first."""
    filters: list[sa.ColumnElement[bool]] = [
        PublishedArticle.next_review.is_not(None),
        Article.trashed_at.is_(None),
    ]
    if due_before is not None:
        filters.append(PublishedArticle.next_review < due_before)
    query = (
        sa.select(Article, PublishedArticle.next_review)
        .join(PublishedArticle, PublishedArticle.article_id == Article.id)
        .where(*filters)
    )
    if cursor is not None:
        position = cursors.decode(cursor)
        query = query.where(
            sa.tuple_(PublishedArticle.next_review, Article.id)
            > sa.tuple_(
                sa.literal(position.at.date(), sa.Date()),
                sa.literal(position.id, Article.id.type),
            )
        )
    query = query.order_by(PublishedArticle.next_review, Article.id).limit(limit + 1)
    rows = [(row[0], row[1]) for row in session.execute(query)]
    total = (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Article)
            .join(PublishedArticle, PublishedArticle.article_id == Article.id)
            .where(*filters)
        )
        or 0
    )
    rows, next_cursor = cursors.page(rows, limit, _position)
    return ReviewPage(rows, total, next_cursor)


def _position(row: tuple[Article, dt.date]) -> cursors.Position:
    article, next_review = row
    return cursors.Position(dt.datetime.combine(next_review, dt.time(), dt.UTC), article.id)


def item_view(article: Article, next_review: dt.date, *, today: dt.date) -> dict[str, Any]:
    return {
        "id": article.id,
        "slug": article.slug,
        "locale": article.locale,
        "title": article.title,
        "status": article.status,
        "live_revision": article.live_revision,
        "next_review": next_review,
        "overdue": next_review < today,
    }


_articles = Article.__table__


def remind_due(session: Session, now: dt.datetime) -> int:
    """Emit ``article.review_due`` for each live article whose next_review has passed and
    that has not had it for that date; returns how many were emitted."""
    today = now.date()
    due = session.execute(
        sa.select(
            Article.id,
            Article.slug,
            Article.locale,
            Article.live_revision,
            PublishedArticle.next_review,
        )
        .join(PublishedArticle, PublishedArticle.article_id == Article.id)
        .where(
            PublishedArticle.next_review < today,
            sa.or_(
                Article.review_due_notified_for.is_(None),
                Article.review_due_notified_for != PublishedArticle.next_review,
            ),
        )
        .order_by(PublishedArticle.next_review, Article.id)
        .limit(BATCH)
        .with_for_update(of=Article, skip_locked=True)
    ).all()
    for row in due:
        outbox.emit(
            session,
            type=EventType.ARTICLE_REVIEW_DUE,
            data={
                "article": {
                    "id": str(row.id),
                    "slug": row.slug,
                    "locale": row.locale,
                    "live_revision": row.live_revision,
                },
                "next_review": row.next_review.isoformat(),
            },
            now=now,
        )
        # The table, not the mapped class: bookkeeping that leaves the version (ETag) alone.
        session.execute(
            sa.update(_articles)
            .where(_articles.c.id == row.id)
            .values(review_due_notified_for=row.next_review)
        )
    return len(due)
