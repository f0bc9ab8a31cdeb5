"""The public snapshot of each live article.

Publishing renders the article once (Markdown to HTML, references numbered) and
stores the exact response bytes for the detail and the list entry. A public
read is then one indexed lookup, with no ORM tree to rebuild or serialize.
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.articles.models import Article
from cms.db import Base, JSONDocument


class PublishedArticle(Base):
    __tablename__ = "published_articles"
    __table_args__ = (
        sa.UniqueConstraint("slug", "locale"),
        # Keyset pagination, newest first, optionally within one locale.
        sa.Index("ix_published_articles_feed", "published_at", "article_id"),
        sa.Index("ix_published_articles_locale_feed", "locale", "published_at", "article_id"),
        # The other public orders (?sort=), keyset-paginated alike.
        sa.Index("ix_published_articles_updated", "updated_at", "article_id"),
        sa.Index("ix_published_articles_locale_updated", "locale", "updated_at", "article_id"),
        sa.Index("ix_published_articles_title", "title", "article_id"),
        sa.Index("ix_published_articles_locale_title", "locale", "title", "article_id"),
        sa.Index("ix_published_articles_review", "next_review", "article_id"),
        sa.Index("ix_published_articles_locale_review", "locale", "next_review", "article_id"),
        sa.Index("ix_published_articles_reviewed", "last_reviewed", "article_id"),
        sa.Index("ix_published_articles_locale_reviewed", "locale", "last_reviewed", "article_id"),
        # One live article per locale in a family of translations.
        sa.Index("ix_published_articles_translations", "translation_group", "locale", unique=True),
    )

    article_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey(Article.id), primary_key=True)
    revision_number: Mapped[int]
    slug: Mapped[str] = mapped_column(sa.String(120))
    locale: Mapped[str] = mapped_column(sa.String(35))
    # The live title, for ?sort=title (the rest of it is in the stored bytes); in code
    # point order on both backends (PostgreSQL's collation would follow the server's locale).
    title: Mapped[str] = mapped_column(
        sa.String(200).with_variant(sa.String(200, collation="C"), "postgresql"),
        server_default=sa.text("''"),
    )
    # First publication; stays put when a new revision goes live, so pages stay stable.
    published_at: Mapped[dt.datetime]
    # When the live revision went live.
    updated_at: Mapped[dt.datetime]
    next_review: Mapped[dt.date | None]
    # Null only for rows published by code older than migration 0017 (and the article's).
    last_reviewed: Mapped[dt.date | None]
    etag: Mapped[str] = mapped_column(sa.String(64))
    # Pre-serialized response JSON (text, not JSONB: these are bytes to send, not data to query).
    summary_json: Mapped[str] = mapped_column(sa.Text)
    detail_json: Mapped[str] = mapped_column(sa.Text)
    # The family of translations: the original's article id (its own, for an original).
    # Null only for rows published by code older than migration 0012.
    translation_group: Mapped[uuid.UUID | None]
    # SHA-256 of the live risks, evidence and benefits sections (cms.articles.translations),
    # and when it last changed: what tells a translation it is out of date.
    safety_hash: Mapped[str | None] = mapped_column(sa.String(64))
    safety_changed_at: Mapped[dt.datetime | None]
    # A translation's: the same hash over the original's revision it was translated from.
    source_safety_hash: Mapped[str | None] = mapped_column(sa.String(64))
    # schema.org JSON-LD without the deployment's URL and publisher (cms.delivery.jsonld);
    # null only for rows published by code older than migration 0004.
    jsonld_json: Mapped[str | None] = mapped_column(sa.Text)

    conditions: Mapped[list[PublishedCondition]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="raise_on_sql"
    )


class PublishedCondition(Base):
    """One row per (condition, live article): the index behind ``?condition=``."""

    __tablename__ = "published_article_conditions"
    __table_args__ = (
        # A page of ``?condition=`` in any order: as many index rows as the page has.
        sa.Index("ix_published_article_conditions_feed", "condition", "published_at", "article_id"),
        *(
            sa.Index(f"ix_published_article_conditions_{key}", "condition", key, "article_id")
            for key in ("updated_at", "title", "next_review", "last_reviewed")
        ),
    )

    condition: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    article_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("published_articles.article_id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    # The article's sort keys, copied (published_at is fixed for the life of a snapshot;
    # the others change with each publication). Null only for a moment in rows written
    # by code older than migrations 0015 and 0017: triggers copy them from the article.
    published_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime | None]
    title: Mapped[str | None] = mapped_column(
        sa.String(200).with_variant(sa.String(200, collation="C"), "postgresql")
    )
    next_review: Mapped[dt.date | None]
    last_reviewed: Mapped[dt.date | None]


class DeliveryState(Base):
    """One row: a counter bumped in the same transaction as every snapshot change.

    Each process caches public responses and compares this generation to know
    when they are stale (see ``cms.delivery.cache``).
    """

    __tablename__ = "delivery_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(sa.BigInteger)
    # Signs the sync feed's tokens (random, made by the migration): shared by every node.
    token_key: Mapped[str] = mapped_column(sa.String(64))


class DeliveryChange(Base):
    """One row per article whose public state changed, numbered by delivery generation.

    The change log behind the sync feed (what mobile apps fetch since their last
    token) and behind every process's response cache (the surrogate keys a change
    touched). Written only by ``cms.publishing``, in the transaction of the change;
    generations commit in increasing order (see ``cms.publishing.service``).
    """

    __tablename__ = "delivery_changes"
    __table_args__ = (sa.Index("ix_delivery_changes_generation", "generation", "id"),)

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True
    )
    generation: Mapped[int] = mapped_column(sa.BigInteger)
    # None for changes that are not about one article (a rebuilt search index).
    article_id: Mapped[uuid.UUID | None]
    slug: Mapped[str | None] = mapped_column(sa.String(120))
    locale: Mapped[str | None] = mapped_column(sa.String(35))
    # published, updated (a new live revision), unpublished, trashed, archived,
    # withdrawn, expired, reindexed.
    kind: Mapped[str] = mapped_column(sa.String(20))
    changed_at: Mapped[dt.datetime]
    keys: Mapped[list[str]] = mapped_column(JSONDocument)


class Tombstone(Base):
    """A public address whose article was live and is no more: it answers 410 Gone.

    Kept until another article is published at the same slug and locale, so
    caches that ask again replace their copy instead of keeping it.
    """

    __tablename__ = "public_tombstones"

    slug: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    locale: Mapped[str] = mapped_column(sa.String(35), primary_key=True)
    article_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(sa.String(20))
    removed_at: Mapped[dt.datetime]
