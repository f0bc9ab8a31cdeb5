"""A database of published articles, filled in bulk, for the read benchmarks.

Publishing renders each article once and writes its snapshot (detail, list entry
and JSON-LD bytes), its conditions and its search-index row
(``cms.delivery.snapshots.write_snapshot``, ``cms.search.index``). Doing that
for 50,000 articles one by one takes many minutes, so this module does it in
bulk: ``render`` runs the same functions publishing runs (the document schema,
``public_document``, the public schemas, ``cms.delivery.jsonld``,
``cms.search.index.index_rows``) for one generated article of
``benchmarks.corpus``, and ``fill`` renders a few hundred of them on every core
and inserts each one many times, under its own id, slug and publication time
(the rest of the bytes are the template's). A corpus word is then in the same
share of articles at every size.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa

from benchmarks.corpus import article
from cms import migrate
from cms.articles.models import Article
from cms.articles.schemas import document_schema
from cms.db import Database
from cms.delivery import jsonld
from cms.delivery.models import DeliveryState, PublishedArticle, PublishedCondition
from cms.delivery.schemas import PublicArticleSchema, PublicArticleSummarySchema
from cms.delivery.snapshots import entity_tag, public_document
from cms.search import index as search_index
from cms.search.models import SearchDocument

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
TEMPLATES = 500  # articles rendered for real; the others are copies of them
BATCH = 1000

_detail = PublicArticleSchema()
_summary = PublicArticleSummarySchema()
_TEMPLATE_ID = uuid.UUID(int=0)


@dataclass(frozen=True, slots=True)
class Rendered:
    """Every row publishing writes for one article."""

    article: dict[str, Any]
    snapshot: dict[str, Any]
    conditions: list[dict[str, Any]]
    index: dict[str, Any]


def published_at(number: int) -> dt.datetime:
    """Article ``number``'s publication time: one second after the one before."""
    return START + dt.timedelta(seconds=number)


def render(number: int, article_id: uuid.UUID | None = None) -> Rendered:
    """The rows publishing writes for corpus article ``number`` (a bulk ``write_snapshot``)."""
    article_id = article_id or uuid.UUID(int=number + 1)
    document = document_schema.load(article(number))
    at = published_at(number)
    public = public_document(
        article_id=article_id,
        document=document,
        revision_number=1,
        published_at=at,
        updated_at=at,
    )
    public_json = _detail.dump(public)
    detail = orjson.dumps(public_json)
    common = {"slug": document["slug"], "locale": document["locale"], "title": document["title"]}
    return Rendered(
        article={
            "id": article_id, "status": "published", "current_revision": 1, "live_revision": 1,
            "version": 1, "created_at": at, "updated_at": at, **common,
        },
        snapshot={
            "article_id": article_id, "revision_number": 1, "published_at": at,
            "updated_at": at, "next_review": document.get("next_review"),
            "last_reviewed": document.get("last_reviewed"),
            "etag": entity_tag(detail), "detail_json": detail.decode(),
            "summary_json": orjson.dumps(_summary.dump(public)).decode(),
            "jsonld_json": orjson.dumps(jsonld.page_document(public_json)).decode(),
            **common,
        },
        conditions=[
            {"condition": c, "article_id": article_id, "published_at": at, "updated_at": at,
             "title": document["title"], "next_review": document.get("next_review"),
             "last_reviewed": document.get("last_reviewed")}
            for c in public["conditions"]
        ],
        index=search_index.index_rows(article_id, public_json),
    )  # fmt: skip


def _templates(numbers: range) -> list[Rendered]:
    return [render(n, _TEMPLATE_ID) for n in numbers]


def copy(template: Rendered, number: int) -> Rendered:
    """``template`` published as article ``number``: its own id, slug and times."""
    article_id = uuid.UUID(int=number + 1)
    slug = f"{template.article['slug'].rsplit('-', 1)[0][:100]}-{number}"
    at = published_at(number)
    swaps = [
        (str(_TEMPLATE_ID), str(article_id)),
        (f'"{template.article["slug"]}"', f'"{slug}"'),
        (template.snapshot["published_at"].isoformat(), at.isoformat()),
    ]

    def swapped(text: str) -> str:
        for old, new in swaps:
            text = text.replace(old, new)
        return text

    detail = swapped(template.snapshot["detail_json"])
    times = {"published_at": at, "updated_at": at}
    return Rendered(
        article={**template.article, "id": article_id, "slug": slug, "created_at": at, **times},
        snapshot={
            **template.snapshot,
            **times,
            "article_id": article_id,
            "slug": slug,
            "etag": entity_tag(detail.encode()),
            "detail_json": detail,
            "summary_json": swapped(template.snapshot["summary_json"]),
            "jsonld_json": swapped(template.snapshot["jsonld_json"]),
        },
        conditions=[{**c, "article_id": article_id, **times} for c in template.conditions],
        index={**template.index, "article_id": article_id},
    )


def insert(database: Database, rows: list[Rendered]) -> None:
    """Write the rows as one publishing transaction would, for many articles at once."""
    with database.session(write=True) as session:
        session.execute(sa.insert(Article), [r.article for r in rows])
        session.execute(sa.insert(PublishedArticle), [r.snapshot for r in rows])
        session.execute(sa.insert(PublishedCondition), [c for r in rows for c in r.conditions])
        session.execute(sa.insert(SearchDocument), [r.index for r in rows])
        session.commit()


def fill(database: Database, count: int, *, templates: int = TEMPLATES) -> None:
    """Migrate ``database`` and publish ``count`` articles in it."""
    migrate.upgrade(database.engine)
    rendered: list[Rendered] = []
    chunks = [range(s, min(s + 50, templates, count)) for s in range(0, min(templates, count), 50)]
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        for chunk in pool.map(_templates, chunks):
            rendered += chunk
    for start in range(0, count, BATCH):
        numbers = range(start, min(start + BATCH, count))
        insert(database, [copy(rendered[n % len(rendered)], n) for n in numbers])
    with database.session(write=True) as session:
        search_index.rebuild(session)
        # As publishing does: a new generation, so no process keeps an older answer.
        session.execute(sa.update(DeliveryState).values(generation=DeliveryState.generation + 1))
        session.commit()
    if database.engine.dialect.name == "postgresql":
        # What autovacuum would have done by the time a site has this many articles; then
        # the checkpoint the bulk load calls for, now rather than during the measurements.
        with database.engine.connect() as connection:
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.exec_driver_sql("VACUUM ANALYZE")
            try:
                autocommit.exec_driver_sql("CHECKPOINT")
            except sa.exc.DBAPIError:  # a role without pg_checkpoint: measure regardless
                print("  (no CHECKPOINT: the role lacks pg_checkpoint)", file=sys.stderr)


def empty_schema(url: str) -> None:
    """Drop everything in the schema ``url`` works in. Faster and surer than migrating a
    database of 50,000 articles down (a downgrade rewrites the search index)."""
    database = Database.from_url(url)
    with database.engine.begin() as connection:
        schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
        name = connection.dialect.identifier_preparer.quote(schema)
        connection.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
        connection.exec_driver_sql(f"CREATE SCHEMA {name}")
    database.dispose()


def databases(workdir: Path, name: str) -> Iterator[tuple[str, str]]:
    """A new SQLite database in ``workdir``; then, with CMS_BENCH_DATABASE_URL set, that
    PostgreSQL database, emptied (its schema dropped and made again)."""
    yield "SQLite", f"sqlite:///{workdir / f'{name}.sqlite3'}"
    postgres = os.environ.get("CMS_BENCH_DATABASE_URL")
    if postgres:
        empty_schema(postgres)
        yield "PostgreSQL", postgres
