"""search: one FTS5 table per ranking tier (SQLite)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 01:40:00.000000

A search ranks hits by tier: the title holds every term (4), the title and summary
(3), those and the section headings (2), the whole text (1). On SQLite every tier was
asked of the one FTS5 table with a column filter (``{title} : "relapse"``). FTS5 keeps
one doclist per term for all columns and applies a column filter to each entry of it,
so a word that is in many bodies and in no title made the title tier read the whole
doclist: at 50,000 articles ``q=relapse`` took 12 ms before its first hit, against
0.3 ms at 200. PostgreSQL has had one vector per tier since migration 0012.

Now each better tier has its own FTS5 table, holding only the columns of that tier
and of the tiers above it, and the conditions: ``search_fts_title`` (title),
``search_fts_lead`` (title, summary) and ``search_fts_head`` (title, summary,
headings). Their doclists hold only what is in those columns, so a tier with no hits
is one look-up, and a tier's "not in the better tier" stays a column filter over its
own, small doclists. ``search_fts`` (everything) stays the last tier's and the
snippets'. All four read the same view (``search_fts_content``, migration 0016), and
the triggers on ``search_documents`` keep all four in step.

The previous release's code reads ``search_fts`` only and writes ``search_documents``
only, which is what the triggers take: it keeps working during a deploy.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOKENIZE = "tokenize='porter unicode61 remove_diacritics 2'"
TEXT = ("title", "summary", "headings", "body")
# The FTS5 tables and the text columns each holds (each also holds the conditions).
TABLES = {
    "search_fts_title": ("title",),
    "search_fts_lead": ("title", "summary"),
    "search_fts_head": ("title", "summary", "headings"),
    "search_fts": TEXT,
}


def tokens(column: str) -> str:
    """SQL: the space-separated slugs in ``column`` as index tokens (migration 0016)."""
    return (
        f"CASE WHEN coalesce({column}, '') = '' THEN '' ELSE "
        f"replace(replace(replace({column}, 'z', 'zz'), '-', 'zh'), ' ', '0 ') || '0' END"
    )


def _writes(tables: Sequence[str]) -> tuple[str, str]:
    """The trigger bodies that add a row to ``tables`` and take one out of them."""
    inserts, deletes = [], []
    for table in tables:
        text = TABLES[table]
        columns = ", ".join((*text, "conditions"))
        new = ", ".join((*(f"new.{c}" for c in text), tokens("new.conditions")))
        old = ", ".join((*(f"old.{c}" for c in text), tokens("old.conditions")))
        inserts.append(f"INSERT INTO {table}(rowid, {columns}) VALUES (new.id, {new});")
        deletes.append(
            f"INSERT INTO {table}({table}, rowid, {columns}) VALUES ('delete', old.id, {old});"
        )
    return " ".join(inserts), " ".join(deletes)


def _triggers(tables: Sequence[str]) -> list[str]:
    insert, delete = _writes(tables)
    return [
        "DROP TRIGGER search_documents_au",
        "DROP TRIGGER search_documents_ad",
        "DROP TRIGGER search_documents_ai",
        f"CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN {insert} END",
        f"CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN {delete} END",
        "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
        f"{delete} {insert} END",
    ]


NEW = [table for table in TABLES if table != "search_fts"]

UPGRADE = [
    *(
        f"CREATE VIRTUAL TABLE {table} USING fts5({', '.join(TABLES[table])}, conditions, "
        f"content='search_fts_content', content_rowid='id', {TOKENIZE})"
        for table in NEW
    ),
    *_triggers(tuple(TABLES)),
    *(f"INSERT INTO {table}({table}) VALUES ('rebuild')" for table in NEW),
    *(f"INSERT INTO {table}({table}) VALUES ('optimize')" for table in NEW),
]
DOWNGRADE = [*_triggers(("search_fts",)), *(f"DROP TABLE {table}" for table in NEW)]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in DOWNGRADE:
            op.execute(statement)
