"""search index and JSON-LD snapshots

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:00:00.000000

Every migration must keep working with the previous release's code running
against it (deploys migrate first, then roll out the code): the JSON-LD column
is nullable (older code does not write it; reads build it from the snapshot
then), and the index rows follow their snapshot's deletion by cascade.

The shared table ``search_documents`` is in the models; each database's own
structures (FTS5 on SQLite, the weighted tsvector on PostgreSQL) are created
here only, and ``cms.search.models.ENGINE_OBJECTS`` keeps the model check from
reporting them.
"""

from collections.abc import Sequence

import orjson
import sqlalchemy as sa
from alembic import op

from cms.delivery.jsonld import page_document
from cms.search.index import index_rows

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIELDS = "title, summary, headings, body"
OLD_FIELDS = "old.title, old.summary, old.headings, old.body"
NEW_FIELDS = "new.title, new.summary, new.headings, new.body"

SQLITE_UPGRADE = [
    # External content: the text lives once, in search_documents.
    f"""CREATE VIRTUAL TABLE search_fts USING fts5(
        {FIELDS}, content='search_documents', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN
        INSERT INTO search_fts(rowid, {FIELDS}) VALUES (new.id, {NEW_FIELDS});
    END""",
    f"""CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, {FIELDS})
        VALUES ('delete', old.id, {OLD_FIELDS});
    END""",
    f"""CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, {FIELDS})
        VALUES ('delete', old.id, {OLD_FIELDS});
        INSERT INTO search_fts(rowid, {FIELDS}) VALUES (new.id, {NEW_FIELDS});
    END""",
]
SQLITE_DOWNGRADE = [
    "DROP TRIGGER search_documents_au",
    "DROP TRIGGER search_documents_ad",
    "DROP TRIGGER search_documents_ai",
    "DROP TABLE search_fts",
]

POSTGRESQL_UPGRADE = [
    "ALTER TABLE search_documents ADD COLUMN vector tsvector",
    # The configuration (stemmer, stop words) is the row's: english, german, simple...
    """CREATE FUNCTION search_documents_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.vector :=
            setweight(to_tsvector(NEW.config::regconfig, NEW.title), 'A') ||
            setweight(to_tsvector(NEW.config::regconfig, NEW.summary), 'B') ||
            setweight(to_tsvector(NEW.config::regconfig, NEW.headings), 'C') ||
            setweight(to_tsvector(NEW.config::regconfig, NEW.body), 'D');
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER search_documents_vector BEFORE INSERT OR UPDATE ON search_documents
        FOR EACH ROW EXECUTE FUNCTION search_documents_vector()""",
    "CREATE INDEX ix_search_documents_vector ON search_documents USING gin (vector)",
]
POSTGRESQL_DOWNGRADE = [
    "DROP INDEX ix_search_documents_vector",
    "DROP TRIGGER search_documents_vector ON search_documents",
    "DROP FUNCTION search_documents_vector()",
    "ALTER TABLE search_documents DROP COLUMN vector",
]


def upgrade() -> None:
    op.create_table(
        "search_documents",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("article_id", sa.Uuid(), nullable=False),
        sa.Column("locale", sa.String(length=35), nullable=False),
        sa.Column("config", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("headings", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["published_articles.article_id"],
            name=op.f("fk_search_documents_article_id_published_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("article_id", name=op.f("uq_search_documents_article_id")),
    )
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.create_index("ix_search_documents_locale", ["locale"], unique=False)
    with op.batch_alter_table("published_articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("jsonld_json", sa.Text(), nullable=True))

    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UPGRADE if dialect == "sqlite" else POSTGRESQL_UPGRADE:
        op.execute(statement)
    _fill_from_snapshots()


def _fill_from_snapshots() -> None:
    """Index every live article and pre-serialize its JSON-LD, from the stored snapshots."""
    connection = op.get_bind()
    published = sa.table(
        "published_articles",
        sa.column("article_id", sa.Uuid()),
        sa.column("detail_json", sa.Text()),
        sa.column("jsonld_json", sa.Text()),
    )
    documents = sa.table(
        "search_documents",
        *(sa.column(name) for name in ("locale", "config", *FIELDS.split(", "))),
        sa.column("article_id", sa.Uuid()),
    )
    rows = connection.execute(sa.select(published.c.article_id, published.c.detail_json)).all()
    for article_id, detail_json in rows:
        public = orjson.loads(detail_json)
        # Only the columns of this revision's table: later ones add more (0014: conditions).
        row = {k: v for k, v in index_rows(article_id, public).items() if k in documents.c}
        connection.execute(documents.insert().values(**row))
        connection.execute(
            published.update()
            .where(published.c.article_id == article_id)
            .values(jsonld_json=orjson.dumps(page_document(public)).decode())
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWNGRADE if dialect == "sqlite" else POSTGRESQL_DOWNGRADE:
        op.execute(statement)
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_search_documents_locale")
    op.drop_table("search_documents")
    with op.batch_alter_table("published_articles", schema=None) as batch_op:
        batch_op.drop_column("jsonld_json")
