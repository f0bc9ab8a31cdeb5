"""Editorial storage: an article and its immutable revisions."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.db import Base, JSONDocument


class ArticleStatus(enum.StrEnum):
    """Workflow state of an article's working copy (its latest revision)."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Article(Base):
    """The identity of an article across revisions and locales' slugs."""

    __tablename__ = "articles"
    __table_args__ = (
        sa.UniqueConstraint("slug", "locale"),
        # Management listing: newest first, keyset-paginated.
        sa.Index("ix_articles_listing", "created_at", "id"),
        # An original has at most one translation per locale.
        sa.Index("ix_articles_translation_locale", "translation_source_id", "locale", unique=True),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(sa.String(120))
    locale: Mapped[str] = mapped_column(sa.String(35))
    # The original this article translates (from the latest revision's translation_of);
    # None for an original. Articles are never hard-deleted, so it needs no foreign key.
    translation_source_id: Mapped[uuid.UUID | None]
    # Copied from the latest revision, for listings.
    title: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[ArticleStatus] = mapped_column(
        sa.Enum(
            ArticleStatus,
            name="article_status",
            native_enum=False,
            create_constraint=True,
            length=20,
            values_callable=lambda members: [m.value for m in members],
        )
    )
    # Latest revision number, and the one the public API serves (None: not live).
    current_revision: Mapped[int]
    live_revision: Mapped[int | None]
    # Optimistic locking: every UPDATE checks and bumps it.
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    # In the trash: off the public API, read-only until restored. Nothing is hard-deleted.
    trashed_at: Mapped[dt.datetime | None]
    # The live next_review date the worker last sent article.review_due for (a new
    # next_review re-arms the reminder). Written without bumping ``version``: it is
    # bookkeeping, not editorial state.
    review_due_notified_for: Mapped[dt.date | None]

    revisions: Mapped[list[Revision]] = relationship(
        back_populates="article", order_by="Revision.number", lazy="raise_on_sql"
    )
    conditions: Mapped[list[ArticleCondition]] = relationship(cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class Revision(Base):
    """One saved version of an article document. Never updated, never deleted."""

    __tablename__ = "article_revisions"
    __table_args__ = (sa.UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True
    )
    article_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("articles.id"))
    number: Mapped[int]
    document: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    # SHA-256 of the canonical JSON document: cheap "did anything change?".
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(sa.String(200))
    change_note: Mapped[str | None] = mapped_column(sa.Text)

    article: Mapped[Article] = relationship(back_populates="revisions", lazy="raise_on_sql")


class ArticleCondition(Base):
    """The conditions of an article's latest revision: the index behind ``?condition=``."""

    __tablename__ = "article_conditions"

    condition: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    article_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("articles.id"), primary_key=True, index=True
    )
