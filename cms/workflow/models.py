"""Medical sign-offs: which reviewer approved which exact revision."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cms.articles.models import Article
from cms.db import Base


class Approval(Base):
    __tablename__ = "approvals"
    __table_args__ = (sa.UniqueConstraint("article_id", "revision"),)

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True
    )
    article_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey(Article.id))
    # The revision the reviewer read, and the revision that carries the sign-off
    # (the same content plus reviewer, last_reviewed and next_review): the one
    # that may be published.
    reviewed_revision: Mapped[int]
    revision: Mapped[int]
    reviewer_token: Mapped[str] = mapped_column(sa.String(100))
    reviewer_name: Mapped[str] = mapped_column(sa.String(200))
    reviewer_credentials: Mapped[str] = mapped_column(sa.String(200))
    approved_at: Mapped[dt.datetime]
    last_reviewed: Mapped[dt.date]
    next_review: Mapped[dt.date]
    comment: Mapped[str | None] = mapped_column(sa.Text)
    # Set by an emergency withdrawal: the sign-off no longer allows publishing, and
    # the article needs a fresh review and approval to go live again.
    revoked_at: Mapped[dt.datetime | None]
