"""translations: links between articles, and what tells a translation it is outdated

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 06:00:00.000000

Every migration must keep working with the previous release's code running
against it (deploys migrate first, then roll out the code): the new columns are
nullable, so older code that does not write them still inserts rows. Existing
live rows become families of one (their own id); their safety hash is computed
when they are next published, and until then nothing is compared with it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import cms.db

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("translation_source_id", sa.Uuid(), nullable=True))
    op.create_index(
        "ix_articles_translation_locale",
        "articles",
        ["translation_source_id", "locale"],
        unique=True,
    )
    op.add_column("published_articles", sa.Column("translation_group", sa.Uuid(), nullable=True))
    op.add_column(
        "published_articles", sa.Column("safety_hash", sa.String(length=64), nullable=True)
    )
    op.add_column(
        "published_articles",
        sa.Column("safety_changed_at", cms.db.UTCDateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "published_articles", sa.Column("source_safety_hash", sa.String(length=64), nullable=True)
    )
    op.execute("UPDATE published_articles SET translation_group = article_id")
    op.create_index(
        "ix_published_articles_translations",
        "published_articles",
        ["translation_group", "locale"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("ix_published_articles_translations", table_name="published_articles")
    for column in ("source_safety_hash", "safety_changed_at", "safety_hash", "translation_group"):
        op.drop_column("published_articles", column)
    op.drop_index("ix_articles_translation_locale", table_name="articles")
    op.drop_column("articles", "translation_source_id")
