"""public list orders: title column and sort indexes

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 01:50:00.000000

Every migration must keep working with the previous release's code running
against it (deploys migrate first, then roll out the code): the new column has
a default, so older code that does not write it still inserts rows (their title
sorts first until they are published again).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    ("ix_published_articles_updated", ["updated_at", "article_id"]),
    ("ix_published_articles_locale_updated", ["locale", "updated_at", "article_id"]),
    ("ix_published_articles_title", ["title", "article_id"]),
    ("ix_published_articles_locale_title", ["locale", "title", "article_id"]),
    ("ix_published_articles_review", ["next_review", "article_id"]),
    ("ix_published_articles_locale_review", ["locale", "next_review", "article_id"]),
]


def upgrade() -> None:
    op.add_column(
        "published_articles",
        sa.Column(
            "title",
            sa.String(length=200).with_variant(sa.String(200, collation="C"), "postgresql"),
            server_default=sa.text("''"),
            nullable=False,
        ),
    )
    # The live title is in the stored summary bytes.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE published_articles SET title = summary_json::jsonb ->> 'title'")
    else:
        op.execute("UPDATE published_articles SET title = json_extract(summary_json, '$.title')")
    for name, columns in INDEXES:
        op.create_index(name, "published_articles", columns, unique=False)


def downgrade() -> None:
    for name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name="published_articles")
    op.drop_column("published_articles", "title")
