"""search: one tsvector per ranking tier (PostgreSQL)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 05:30:00.000000

Search ranks by tiers (``cms.search.backend``): the terms all in the title, then in
title and summary, then in those and the headings, then anywhere. On PostgreSQL
each tier gets its own small vector and GIN index, so that the planner knows how
many articles each tier holds (a weight-restricted query on the one big vector is
estimated from the whole text's statistics) and checking a row reads no TOASTed
body. SQLite needs nothing: FTS5 restricts a query to columns itself.

Every migration must keep working with the previous release's code running
against it (deploys migrate first, then roll out the code): the old code neither
reads nor writes the new columns; the trigger fills them.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIER_VECTORS = ("title_vector", "lead_vector", "head_vector")

UPGRADE = [
    *(f"ALTER TABLE search_documents ADD COLUMN {name} tsvector" for name in TIER_VECTORS),
    """CREATE OR REPLACE FUNCTION search_documents_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.title_vector := setweight(to_tsvector(NEW.config::regconfig, NEW.title), 'A');
        NEW.lead_vector := NEW.title_vector
            || setweight(to_tsvector(NEW.config::regconfig, NEW.summary), 'B');
        NEW.head_vector := NEW.lead_vector
            || setweight(to_tsvector(NEW.config::regconfig, NEW.headings), 'C');
        NEW.vector := NEW.head_vector
            || setweight(to_tsvector(NEW.config::regconfig, NEW.body), 'D');
        RETURN NEW;
    END $$""",
    # Fills the new columns through the trigger: long at scale (about a minute for 50,000
    # long articles), so without the migrations' 60 s statement timeout; the lock timeout
    # still keeps the migration from queueing behind traffic.
    "SET LOCAL statement_timeout = 0",
    "UPDATE search_documents SET config = config",
    *(
        f"CREATE INDEX ix_search_documents_{name} ON search_documents USING gin ({name})"
        for name in TIER_VECTORS
    ),
    "ANALYZE search_documents",
]

DOWNGRADE = [
    *(f"DROP INDEX ix_search_documents_{name}" for name in TIER_VECTORS),
    """CREATE OR REPLACE FUNCTION search_documents_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.vector :=
            setweight(to_tsvector(NEW.config::regconfig, NEW.title), 'A') ||
            setweight(to_tsvector(NEW.config::regconfig, NEW.summary), 'B') ||
            setweight(to_tsvector(NEW.config::regconfig, NEW.headings), 'C') ||
            setweight(to_tsvector(NEW.config::regconfig, NEW.body), 'D');
        RETURN NEW;
    END $$""",
    *(f"ALTER TABLE search_documents DROP COLUMN {name}" for name in TIER_VECTORS),
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE:
            op.execute(statement)
