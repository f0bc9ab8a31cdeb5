"""published_article_conditions: each row carries its article's published_at

``?condition=lupus`` walked the newest-first index of every published article and
probed each one's conditions until a page was full: 633 articles for 21 at 50,000
(the share of the condition), so the filtered list cost grew with the site. With
the article's ``published_at`` on each condition row and an index on
``(condition, published_at, article_id)``, a page of one condition is an index scan
of as many rows as the page has, joined by primary key.

``published_at`` is fixed for the life of a snapshot (a republished article keeps
it), so the copy is written with the condition row. Every migration must keep
working with the previous release's code running against it (deploys migrate first,
then roll out the code): older code does not write the column, so for its rows (NULL)
a trigger copies the article's value, which publishing writes before the conditions.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import cms.db

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COPY = (
    "(SELECT published_at FROM published_articles"
    " WHERE published_articles.article_id = NEW.article_id)"
)
POSTGRESQL = [
    f"""CREATE FUNCTION published_condition_feed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.published_at IS NULL THEN
            NEW.published_at := {_COPY};
        END IF;
        RETURN NEW;
    END $$""",
    "CREATE TRIGGER published_condition_feed BEFORE INSERT ON published_article_conditions"
    " FOR EACH ROW EXECUTE FUNCTION published_condition_feed()",
]
SQLITE = [
    "CREATE TRIGGER published_condition_feed AFTER INSERT ON published_article_conditions"
    " WHEN NEW.published_at IS NULL BEGIN"
    f" UPDATE published_article_conditions SET published_at = {_COPY}"
    " WHERE condition = NEW.condition AND article_id = NEW.article_id; END",
]


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.add_column(
        "published_article_conditions",
        sa.Column("published_at", cms.db.UTCDateTime(timezone=True), nullable=True),
    )
    op.execute(
        "UPDATE published_article_conditions SET published_at = (SELECT published_at"
        " FROM published_articles"
        " WHERE published_articles.article_id = published_article_conditions.article_id)"
    )
    op.create_index(
        "ix_published_article_conditions_feed",
        "published_article_conditions",
        ["condition", "published_at", "article_id"],
    )
    for statement in POSTGRESQL if postgresql else SQLITE:
        op.execute(statement)
    if postgresql:
        op.execute("ANALYZE published_article_conditions")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.execute("DROP TRIGGER published_condition_feed" + (
        " ON published_article_conditions" if postgresql else ""
    ))  # fmt: skip
    if postgresql:
        op.execute("DROP FUNCTION published_condition_feed()")
    op.drop_index("ix_published_article_conditions_feed", "published_article_conditions")
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+), as migration 0014.
    op.drop_column("published_article_conditions", "published_at")
