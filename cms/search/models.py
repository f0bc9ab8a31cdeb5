"""The search index's shared table: one row per live article, its text per field.

Each backend adds its own structures in the migration (0004), kept out of the
shared metadata because they only exist on one database: on SQLite the FTS5
tables (``search_fts``, and one per better ranking tier since 0018; with prefix
indexes since 0019) and the triggers
that keep them in step with this table; on PostgreSQL the weighted ``vector``
column, one smaller vector per ranking tier (0012), their GIN indexes and the trigger
that computes them. ``ENGINE_OBJECTS`` names them so that the model check skips them.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cms.db import Base

ENGINE_OBJECTS = frozenset(
    {
        # SQLite: the FTS5 tables (the whole text, and one per better ranking tier:
        # migration 0018), the shadow tables FTS5 creates for each, and the view they
        # read (migration 0016).
        *(
            f"{table}{shadow}"
            for table in ("search_fts", "search_fts_title", "search_fts_lead", "search_fts_head")
            for shadow in ("", "_config", "_data", "_docsize", "_idx")
        ),
        "search_fts_content",
        # PostgreSQL: the tsvector columns (the whole text, and one per ranking tier:
        # migration 0012) and their indexes.
        "vector",
        "ix_search_documents_vector",
        "title_vector",
        "ix_search_documents_title_vector",
        "lead_vector",
        "ix_search_documents_lead_vector",
        "head_vector",
        "ix_search_documents_head_vector",
    }
)


class SearchDocument(Base):
    __tablename__ = "search_documents"
    __table_args__ = (sa.Index("ix_search_documents_locale", "locale"),)

    # An integer key: FTS5 addresses its rows by integer rowid.
    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True
    )
    article_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("published_articles.article_id", ondelete="CASCADE"), unique=True
    )
    locale: Mapped[str] = mapped_column(sa.String(35))
    # The text-search configuration the text was indexed with (PostgreSQL: english, german...).
    config: Mapped[str] = mapped_column(sa.String(32))
    title: Mapped[str] = mapped_column(sa.Text)
    summary: Mapped[str] = mapped_column(sa.Text)
    headings: Mapped[str] = mapped_column(sa.Text)
    body: Mapped[str] = mapped_column(sa.Text)
    # The article's condition slugs, space-separated: PostgreSQL's trigger puts them in
    # every tier's vector as ``#slug`` (migration 0014), so that the GIN index answers
    # a search with a condition. NULL only in rows older code wrote (the trigger then
    # reads them from the conditions table).
    conditions: Mapped[str | None] = mapped_column(sa.Text)
