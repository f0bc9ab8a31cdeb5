"""Scheduled changes of public state: a publication, an expiry, or both."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cms.articles.models import Article
from cms.db import Base


class Schedule(Base):
    """At most one per article: when ``cms worker`` publishes it, when it takes it offline.

    ``publish_at`` publishes exactly ``revision`` with its sign-off ``approval_id``:
    an edit after scheduling makes another revision the latest, and the schedule no
    longer applies (the worker cancels it, and the editors' API shows it cancelled
    at once). ``unpublish_at`` alone is the expiry of a live article. A schedule the
    worker could not carry out keeps ``cancelled_at`` and the reason.
    """

    __tablename__ = "schedules"
    __table_args__ = (
        sa.CheckConstraint(
            "publish_at IS NOT NULL OR unpublish_at IS NOT NULL", name="publish_or_unpublish"
        ),
        sa.Index("ix_schedules_publish_at", "publish_at"),
        sa.Index("ix_schedules_unpublish_at", "unpublish_at"),
    )

    article_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey(Article.id), primary_key=True)
    publish_at: Mapped[dt.datetime | None]
    unpublish_at: Mapped[dt.datetime | None]
    # The approved revision publish_at publishes, and its sign-off (None: expiry only).
    revision: Mapped[int | None]
    approval_id: Mapped[int | None] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"), sa.ForeignKey("approvals.id")
    )
    scheduled_by: Mapped[str] = mapped_column(sa.String(200))
    scheduled_at: Mapped[dt.datetime]
    cancelled_at: Mapped[dt.datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(500))
