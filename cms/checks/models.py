"""Reviewers' waivers of content-check findings."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cms.articles.models import Article
from cms.db import Base


class CheckWaiver(Base):
    """A reviewer's decision that one error finding is wrong for this article.

    It names the finding by code, JSON pointer and quoted text, so it covers that
    finding on every later revision while the text is unchanged. Revoking keeps the
    row (and the audit log keeps both events).
    """

    __tablename__ = "check_waivers"
    __table_args__ = (sa.Index("ix_check_waivers_article_id", "article_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    article_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey(Article.id))
    revision: Mapped[int]  # the revision the reviewer saw the finding on
    code: Mapped[str] = mapped_column(sa.String(100))
    pointer: Mapped[str] = mapped_column(sa.String(500))
    quote: Mapped[str] = mapped_column(sa.Text)
    reason: Mapped[str] = mapped_column(sa.Text)
    created_by: Mapped[str] = mapped_column(sa.String(100))
    created_role: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(sa.String(100))

    @property
    def active(self) -> bool:
        return self.revoked_at is None
