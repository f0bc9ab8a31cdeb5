"""search: the article's conditions inside each tier's vector (PostgreSQL)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 19:00:00.000000

``search?q=…&condition=…`` filtered the matches of the words by an EXISTS on
``published_article_conditions``: PostgreSQL then looked up every article of the
condition (1,400 index probes for one condition at 50,000 articles), so a search
with a condition grew with the site. Now every tier's vector also holds one lexeme
per condition, ``#lupus``, and the query asks the GIN index for the words and the
condition together: the index intersects the two and only the matches are read.
No word a reader types can become such a lexeme (the parser drops ``#``; a
prefix holds only letters and digits).

The new column ``search_documents.conditions`` (the slugs, space-separated) is
written by the index; SQLite keeps filtering through the conditions table, where
FTS5 already walks its matches in order.

Every migration must keep working with the previous release's code running
against it (deploys migrate first, then roll out the code): older code does not
write the column; for its rows (NULL) the trigger reads the article's conditions
from ``published_article_conditions``, which publishing writes before the index.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _vector_function(conditions: bool) -> str:
    """The trigger function; with ``conditions``, every vector holds the ``#slug`` lexemes."""
    declare, fill, title = "", "", "setweight(to_tsvector(NEW.config::regconfig, NEW.title), 'A')"
    if conditions:
        declare = "DECLARE\n        conditions tsvector;"
        fill = """IF NEW.conditions IS NULL THEN
            NEW.conditions := coalesce((
                SELECT string_agg(condition, ' ' ORDER BY condition)
                FROM published_article_conditions WHERE article_id = NEW.article_id
            ), '');
        END IF;
        conditions := array_to_tsvector(ARRAY(
            SELECT '#' || slug FROM unnest(string_to_array(NEW.conditions, ' ')) AS slug
        ));"""
        title += " || conditions"
    return f"""CREATE OR REPLACE FUNCTION search_documents_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    {declare}
    BEGIN
        {fill}
        NEW.title_vector := {title};
        NEW.lead_vector := NEW.title_vector
            || setweight(to_tsvector(NEW.config::regconfig, NEW.summary), 'B');
        NEW.head_vector := NEW.lead_vector
            || setweight(to_tsvector(NEW.config::regconfig, NEW.headings), 'C');
        NEW.vector := NEW.head_vector
            || setweight(to_tsvector(NEW.config::regconfig, NEW.body), 'D');
        RETURN NEW;
    END $$"""


UPGRADE = [
    _vector_function(conditions=True),
    # Fills the column and the vectors through the trigger (the column is NULL): long at
    # scale (53 s for 50,000 long articles on the 2-core development machine), so without
    # the migrations' 60 s statement timeout; the lock timeout still applies.
    "SET LOCAL statement_timeout = 0",
    "UPDATE search_documents SET config = config",
    "ANALYZE search_documents",
]

# As migration 0012 left it.
DOWNGRADE = [
    _vector_function(conditions=False),
    "SET LOCAL statement_timeout = 0",
    "UPDATE search_documents SET config = config",
]


def upgrade() -> None:
    op.add_column("search_documents", sa.Column("conditions", sa.Text(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE:
            op.execute(statement)
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy would drop the FTS triggers.
    op.drop_column("search_documents", "conditions")
