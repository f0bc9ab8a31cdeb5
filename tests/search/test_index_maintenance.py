"""Rebuilding the index, and the migration that creates it on an existing database."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import sqlalchemy as sa
from flask.testing import FlaskCliRunner
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cms import migrate
from cms.app import create_app
from cms.articles.schemas import document_schema
from cms.cli import main
from cms.db import Database, UTCDateTime
from cms.delivery.schemas import PublicArticleSchema, PublicArticleSummarySchema
from cms.delivery.snapshots import entity_tag, public_document
from cms.search.models import SearchDocument
from tests.conftest import empty_engine
from tests.factories import NOW, article_document
from tests.search.conftest import searchable


def test_reindex_rebuilds_a_lost_index_from_the_live_articles(
    cli: FlaskCliRunner, find, session: Session
):
    searchable(session, "live", title="Plasmapheresis for scleroderma")
    searchable(session, "draft", title="Plasmapheresis draft", publish=False)
    session.execute(sa.delete(SearchDocument))
    assert find("plasmapheresis") == []
    result = cli.invoke(main, ["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 1 published article(s)." in result.output
    assert find("plasmapheresis") == ["live"]


def test_after_a_reindex_hits_of_a_tier_are_still_newest_first(
    cli: FlaskCliRunner, find, session: Session
):
    # Published in this order, the newer one first: the rebuild goes by publication time.
    searchable(session, "newer", title="Plasmapheresis in practice", now=NOW + dt.timedelta(days=1))
    searchable(session, "older", title="Plasmapheresis for scleroderma")
    session.execute(sa.delete(SearchDocument))
    assert cli.invoke(main, ["search", "reindex"]).exit_code == 0
    assert find("plasmapheresis") == ["newer", "older"]


@pytest.mark.parametrize("table", ["search_fts_title", "search_fts_lead", "search_fts_head"])
def test_reindex_rebuilds_each_tier_s_index_on_sqlite(
    cli: FlaskCliRunner, find, session: Session, backend: str, table: str
):
    if backend != "sqlite":
        pytest.skip("Only SQLite keeps an index per tier (PostgreSQL: a vector per row).")
    searchable(session, "title", title="Plasmapheresis for scleroderma")
    searchable(session, "summary", summary="Where plasmapheresis helps, and where not.")
    searchable(session, "headings", overview_heading="Plasmapheresis")
    session.execute(sa.text(f"INSERT INTO {table}({table}) VALUES ('delete-all')"))
    session.commit()
    assert len(find("plasmapheresis")) < 3  # a tier's hits are lost with its index
    assert cli.invoke(main, ["search", "reindex"]).exit_code == 0
    assert find("plasmapheresis") == ["title", "summary", "headings"]


@pytest.fixture
def blank_engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    engine = empty_engine(backend, tmp_path, "cms_search_migration")
    yield engine
    engine.dispose()


def _snapshot_at_0002(engine: Engine) -> None:
    """An article published before search existed, written as that schema stored it."""
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    article_id = uuid.uuid4()
    document = document_schema.load(article_document(title="Plasmapheresis for scleroderma"))
    public = public_document(
        article_id=article_id,
        document=document,
        revision_number=1,
        published_at=now,
        updated_at=now,
    )
    detail = orjson.dumps(PublicArticleSchema().dump(public))
    articles = sa.table(
        "articles",
        sa.column("id", sa.Uuid()),
        *(sa.column(name) for name in ("slug", "locale", "title", "status")),
        *(sa.column(name) for name in ("current_revision", "live_revision", "version")),
        sa.column("created_at", UTCDateTime()),
        sa.column("updated_at", UTCDateTime()),
    )
    snapshots = sa.table(
        "published_articles",
        sa.column("article_id", sa.Uuid()),
        *(sa.column(name) for name in ("revision_number", "slug", "locale", "etag")),
        *(sa.column(name) for name in ("detail_json", "summary_json")),
        sa.column("published_at", UTCDateTime()),
        sa.column("updated_at", UTCDateTime()),
    )
    with engine.begin() as connection:
        connection.execute(
            articles.insert().values(
                id=article_id,
                slug=document["slug"],
                locale="en",
                title=document["title"],
                status="published",
                current_revision=1,
                live_revision=1,
                version=1,
                created_at=now,
                updated_at=now,
            )
        )
        connection.execute(
            snapshots.insert().values(
                article_id=article_id,
                revision_number=1,
                slug=document["slug"],
                locale="en",
                published_at=now,
                updated_at=now,
                etag=entity_tag(detail),
                detail_json=detail.decode(),
                summary_json=orjson.dumps(PublicArticleSummarySchema().dump(public)).decode(),
            )
        )


def test_the_migration_indexes_articles_published_before_it(blank_engine: Engine):
    migrate.upgrade(blank_engine, "0002")
    _snapshot_at_0002(blank_engine)
    migrate.upgrade(blank_engine)
    database = Database(blank_engine)
    client = create_app({"DATABASE": database}).test_client()
    hits = client.get("/api/v1/search?q=plasmapheresis").get_json()["items"]
    assert [hit["slug"] for hit in hits] == ["stem-cells-scleroderma"]
    jsonld = client.get("/api/v1/articles/stem-cells-scleroderma/jsonld").get_json()
    assert jsonld["@type"] == "MedicalWebPage"
    database.dispose()


def test_downgrading_removes_every_search_structure(blank_engine: Engine):
    migrate.upgrade(blank_engine)
    migrate.downgrade(blank_engine, "0002")
    inspector = sa.inspect(blank_engine)
    assert not [t for t in inspector.get_table_names() if t.startswith("search")]
    assert "jsonld_json" not in {c["name"] for c in inspector.get_columns("published_articles")}
    migrate.upgrade(blank_engine)
    migrate.check(blank_engine)
