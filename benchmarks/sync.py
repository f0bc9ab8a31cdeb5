"""Sync feed cost at scale: an initial sync of 50,000 articles, page by page, and deltas.

Run with `make bench-sync` (or `python -m benchmarks.sync [COUNT]`). It fills a
database with COUNT published articles (default 50,000) and their change-log rows,
then, in process through the WSGI app (sync answers are not cached in process):

- times a whole initial sync (every page, at the largest page size and at the
  default one): total, and per page median and p99;
- makes 100 changes (80 new live revisions, 20 removals) and times the delta that
  brings a client up to date, and an empty delta (nothing changed).

Filling is bulk: a few hundred articles are rendered as publishing renders them
(``public_document`` and the public schemas), and copied under new ids and slugs
into ``articles``, ``published_articles`` and ``delivery_changes`` (one "published"
change per article, generations 1..COUNT, as publishing would have written them).
The changes are bulk writes of the same rows publishing writes. Set
CMS_BENCH_DATABASE_URL to a PostgreSQL database to add it (the script empties it:
it migrates down to base, then up).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa

from benchmarks import published
from benchmarks.corpus import article
from cms import migrate
from cms.app import create_app
from cms.articles.models import Article
from cms.articles.schemas import document_schema
from cms.db import Database
from cms.delivery.models import DeliveryChange, DeliveryState, PublishedArticle
from cms.delivery.schemas import PublicArticleSchema, PublicArticleSummarySchema
from cms.delivery.snapshots import entity_tag, public_document
from cms.sync.schemas import DEFAULT_LIMIT, MAX_LIMIT

TEMPLATES = 200  # articles rendered for real; the rest are copies under other ids
BATCH = 2000
CHANGES = 100
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

_detail, _summary = PublicArticleSchema(), PublicArticleSummarySchema()


def _template(number: int) -> tuple[dict[str, Any], str, str]:
    """One rendered article: its document, detail JSON and summary JSON (id and slug to swap)."""
    document = document_schema.load(article(number))
    public = public_document(
        article_id=uuid.UUID(int=0),
        document=document,
        revision_number=1,
        published_at=START,
        updated_at=START,
    )
    return (
        document,
        orjson.dumps(_detail.dump(public)).decode(),
        orjson.dumps(_summary.dump(public)).decode(),
    )


def _copy(text: str, template_slug: str, article_id: uuid.UUID, slug: str) -> str:
    return text.replace(str(uuid.UUID(int=0)), str(article_id)).replace(
        f'"{template_slug}"', f'"{slug}"'
    )


def fill(database: Database, count: int) -> None:
    migrate.upgrade(database.engine)
    templates = [_template(n) for n in range(TEMPLATES)]
    for start in range(0, count, BATCH):
        articles, snapshots, changes = [], [], []
        for number in range(start, min(start + BATCH, count)):
            document, detail, summary = templates[number % TEMPLATES]
            article_id = uuid.UUID(int=number + 1)
            slug = f"{document['slug'][:100]}-{number}"
            at = START + dt.timedelta(seconds=number)
            detail = _copy(detail, document["slug"], article_id, slug)
            articles.append(
                {
                    "id": article_id, "slug": slug, "locale": document["locale"],
                    "title": document["title"], "status": "published", "current_revision": 1,
                    "live_revision": 1, "version": 1, "created_at": at, "updated_at": at,
                }
            )  # fmt: skip
            snapshots.append(
                {
                    "article_id": article_id, "revision_number": 1, "slug": slug,
                    "locale": document["locale"], "published_at": at, "updated_at": at,
                    "next_review": document.get("next_review"), "etag": entity_tag(detail.encode()),
                    "detail_json": detail,
                    "summary_json": _copy(summary, document["slug"], article_id, slug),
                    "jsonld_json": None,
                }
            )  # fmt: skip
            changes.append(
                {
                    "generation": number + 1, "article_id": article_id, "slug": slug,
                    "locale": document["locale"], "kind": "published", "changed_at": at,
                    "keys": [f"article:{article_id}", "list", f"list:{document['locale']}"],
                }
            )  # fmt: skip
        with database.session(write=True) as session:
            session.execute(sa.insert(Article), articles)
            session.execute(sa.insert(PublishedArticle), snapshots)
            session.execute(sa.insert(DeliveryChange), changes)
            session.commit()
    with database.session(write=True) as session:
        session.execute(sa.update(DeliveryState).values(generation=count))
        session.commit()


def change(database: Database, count: int, changes: int) -> None:
    """``changes`` changes after the initial sync: 4 in 5 new revisions, 1 in 5 removals."""
    now = START + dt.timedelta(days=300)
    with database.session(write=True) as session:
        generation = session.execute(sa.select(DeliveryState.generation)).scalar_one()
        step = max(count // changes, 1)
        for n in range(changes):
            article_id = uuid.UUID(int=n * step + 1)
            generation += 1
            removed = n % 5 == 4
            snapshot = session.get(PublishedArticle, article_id)
            if removed:
                session.execute(
                    sa.delete(PublishedArticle).where(PublishedArticle.article_id == article_id)
                )
            else:
                snapshot.updated_at = now
                snapshot.revision_number = 2
            session.add(
                DeliveryChange(
                    generation=generation,
                    article_id=article_id,
                    slug=snapshot.slug,
                    locale=snapshot.locale,
                    kind="unpublished" if removed else "updated",
                    changed_at=now,
                    keys=[f"article:{article_id}"],
                )
            )
        session.execute(sa.update(DeliveryState).values(generation=generation))
        session.commit()


def get(client: Any, params: dict[str, Any]) -> tuple[dict[str, Any], float, int]:
    """One request: (the page, ms to answer it, body bytes)."""
    started = time.perf_counter()
    response = client.get("/api/v1/sync", query_string=params)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{params}: {response.status_code} {response.data[:300]!r}")
    return response.get_json(), elapsed, len(response.data)


def full_sync(client: Any, limit: int) -> tuple[int, list[float], int, str]:
    """Every page of an initial sync: (articles, per-page ms, bytes, the sync token)."""
    params: dict[str, Any] = {"limit": limit}
    received, times, size = 0, [], 0
    while True:
        page, ms, length = get(client, params)
        times.append(ms)
        size += length
        received += len(page["upserts"])
        if page["next_page_token"] is None:
            return received, times, size, page["next_sync_token"]
        params = {"limit": limit, "page_token": page["next_page_token"]}


def delta(client: Any, token: str) -> tuple[int, int, float, int]:
    """A whole delta: (upserts, deletions, total ms, pages)."""
    params: dict[str, Any] = {"limit": MAX_LIMIT, "sync_token": token}
    upserts = deletions = pages = 0
    total = 0.0
    while True:
        page, ms, _ = get(client, params)
        total += ms
        pages += 1
        upserts += len(page["upserts"])
        deletions += len(page["deletions"])
        if page["next_page_token"] is None:
            return upserts, deletions, total, pages
        params = {"limit": MAX_LIMIT, "page_token": page["next_page_token"]}


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(int(len(ordered) * 0.99) - 1, 0)]


def bench(label: str, url: str, count: int) -> None:
    database = Database.from_url(url)
    started = time.perf_counter()
    fill(database, count)
    filled = time.perf_counter() - started
    print(f"\n{label}: {count:,} published articles filled in {filled:.1f} s")
    client = create_app({"DATABASE_URL": url, "REQUEST_LOG": False}).test_client()
    get(client, {"limit": 1})  # warm: connections, statement caches
    token = ""
    print(f"  {'initial sync':24} {'pages':>6} {'articles':>9} {'total s':>8} "
          f"{'page p50 ms':>12} {'page p99 ms':>12} {'MB':>7}")  # fmt: skip
    for limit in (MAX_LIMIT, DEFAULT_LIMIT):
        received, times, size, token = full_sync(client, limit)
        if received != count:
            raise SystemExit(f"initial sync returned {received} articles, expected {count}")
        print(
            f"  {f'limit={limit}':24} {len(times):6} {received:9,} {sum(times) / 1000:8.2f} "
            f"{statistics.median(times):12.1f} {p99(times):12.1f} {size / 1e6:7.0f}"
        )
    _, empty_ms, _ = get(client, {"sync_token": token})
    change(database, count, CHANGES)
    upserts, deletions, first_ms, pages = delta(client, token)
    _, again_ms, _ = get(client, {"limit": MAX_LIMIT, "sync_token": token})
    print(f"  delta, nothing changed: {empty_ms:.2f} ms")
    print(
        f"  delta after {CHANGES} changes: {upserts} upserts + {deletions} deletions in "
        f"{pages} page(s), {first_ms:.1f} ms (again: {again_ms:.1f} ms)"
    )
    database.dispose()


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for label, url in published.databases(Path(tmp), "sync"):
            bench(label, url, count)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
