"""search: the article's conditions in the FTS5 index (SQLite)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 18:30:00.000000

On SQLite, ``search?q=…&condition=…`` walked the matches of the words newest first
and probed each one's conditions with an EXISTS until a page was full. For a
condition few of the matches have, or none, that is every match of the words: at
50,000 articles "transplant" with a condition no matching article has took 20 ms,
and the cost grew with the site. PostgreSQL answers the same search from its GIN
index since migration 0014.

Now the FTS5 table has a fifth column, ``conditions``, one token per condition slug,
and the query asks FTS5 for the words and the condition together: FTS5 intersects
the two doclists (1.4 ms for the same search). The column's text comes from a view
over ``search_documents`` (``search_fts_content``), so that the triggers, FTS5's own
``rebuild`` and its ``delete`` all see the same tokens. A slug becomes one token that
the tokenizer keeps whole and that no other slug shares: ``z`` is written ``zz``, a
hyphen ``zh``, and a ``0`` ends it (the porter stemmer changes no word ending in a
digit), so ``multiple-sclerosis`` is ``multiplezhsclerosis0`` and a search for the
condition ``sclerosis`` does not find it.

Every migration must keep working with the previous release's code running against
it: that code writes ``search_documents.conditions`` (since migration 0014), which
is all the view reads. Rows that code older still left without it (NULL: on SQLite
nothing filled them) get their article's conditions first. PostgreSQL: nothing to
do (its trigger fills such rows).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOKENIZE = "tokenize='porter unicode61 remove_diacritics 2'"
TEXT = ("title", "summary", "headings", "body")


def tokens(column: str) -> str:
    """SQL: the space-separated slugs in ``column`` as index tokens (see above).
    ``cms.search.sqlite.condition_token`` is the same for one slug."""
    return (
        f"CASE WHEN coalesce({column}, '') = '' THEN '' ELSE "
        f"replace(replace(replace({column}, 'z', 'zz'), '-', 'zh'), ' ', '0 ') || '0' END"
    )


def _triggers(fields: Sequence[str], old: Sequence[str], new: Sequence[str]) -> list[str]:
    columns, old_values, new_values = ", ".join(fields), ", ".join(old), ", ".join(new)
    insert = f"INSERT INTO search_fts(rowid, {columns}) VALUES (new.id, {new_values});"
    delete = (
        f"INSERT INTO search_fts(search_fts, rowid, {columns}) "
        f"VALUES ('delete', old.id, {old_values});"
    )
    return [
        f"CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN {insert} END",
        f"CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN {delete} END",
        "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
        f"{delete} {insert} END",
    ]


DROP = [
    "DROP TRIGGER search_documents_au",
    "DROP TRIGGER search_documents_ad",
    "DROP TRIGGER search_documents_ai",
    "DROP TABLE search_fts",
]
REBUILD = [
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    "INSERT INTO search_fts(search_fts) VALUES ('optimize')",
]

UPGRADE = [
    "UPDATE search_documents SET conditions = coalesce((SELECT group_concat(condition, ' ')"
    " FROM (SELECT condition FROM published_article_conditions AS c"
    " WHERE c.article_id = search_documents.article_id ORDER BY condition)), '')"
    " WHERE conditions IS NULL",
    *DROP,
    f"CREATE VIEW search_fts_content AS SELECT id, {', '.join(TEXT)}, "
    f"{tokens('conditions')} AS conditions FROM search_documents",
    f"CREATE VIRTUAL TABLE search_fts USING fts5({', '.join(TEXT)}, conditions, "
    f"content='search_fts_content', content_rowid='id', {TOKENIZE})",
    *_triggers(
        (*TEXT, "conditions"),
        (*(f"old.{c}" for c in TEXT), tokens("old.conditions")),
        (*(f"new.{c}" for c in TEXT), tokens("new.conditions")),
    ),
    *REBUILD,
]
DOWNGRADE = [  # migration 0004's table and triggers
    *DROP,
    "DROP VIEW search_fts_content",
    f"CREATE VIRTUAL TABLE search_fts USING fts5({', '.join(TEXT)}, "
    f"content='search_documents', content_rowid='id', {TOKENIZE})",
    *_triggers(TEXT, [f"old.{c}" for c in TEXT], [f"new.{c}" for c in TEXT]),
    *REBUILD,
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in DOWNGRADE:
            op.execute(statement)
