"""What the public list's ``total`` costs, with and without counting once per generation.

Run with `make bench-totals` (or `python -m benchmarks.list_totals 50000`). Builds a
temporary SQLite database of published articles (list rows in the product's format,
with the corpus's titles, locales and conditions; the detail bytes are the summary,
since lists never read them), then times list requests in process through the WSGI
app with the delivery cache off (every request reaches the database):

- counted per request: ``total`` is a ``count(*)`` over the filters each time;
- per generation: ``total`` is counted once per delivery generation and filters
  (``cms.delivery.service.Totals``), then read from memory.

Each case walks pages with cursors, so the rows come from the database every time.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from werkzeug.test import EnvironBuilder

from benchmarks.corpus import article
from cms import migrate
from cms.app import create_app
from cms.articles.models import Article
from cms.db import Database
from cms.delivery.models import DeliveryState, PublishedArticle, PublishedCondition

BATCH = 5000
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LOCALES = ("en", "en", "en", "de", "fr")  # most articles in English
PAGES = 20  # pages walked per timed run
RUNS = 7


def _rows(number: int) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    document = article(number)
    article_id = uuid.UUID(int=number + 1)
    at = START + dt.timedelta(seconds=number)
    locale = LOCALES[number % len(LOCALES)]
    summary = orjson.dumps(
        {
            "id": str(article_id),
            "slug": document["slug"],
            "locale": locale,
            "title": document["title"],
            "summary": document["summary"],
            "conditions": document["conditions"],
            "published_at": at.isoformat(),
            "updated_at": at.isoformat(),
            "last_reviewed": document.get("last_reviewed"),
            "next_review": document.get("next_review"),
            "review_overdue": False,
        }
    ).decode()
    common = {"slug": document["slug"], "locale": locale, "updated_at": at}
    return (
        {
            "id": article_id,
            "title": document["title"],
            "status": "published",
            "current_revision": 1,
            "live_revision": 1,
            "version": 1,
            "created_at": at,
            **common,
        },
        {
            "article_id": article_id,
            "revision_number": 1,
            "title": document["title"],
            "published_at": at,
            "next_review": dt.date(2030, 1, 1) + dt.timedelta(days=number % 1000),
            "etag": f"bench{number}",
            "detail_json": summary,
            "summary_json": summary,
            **common,
        },
        [
            {"condition": c, "article_id": article_id, "published_at": at}
            for c in document["conditions"]
        ],
    )


def fill(database: Database, count: int) -> str:
    """Publishes ``count`` list rows; returns a condition that many articles have."""
    migrate.upgrade(database.engine)
    for start in range(0, count, BATCH):
        rows = [_rows(n) for n in range(start, min(start + BATCH, count))]
        with database.session(write=True) as session:
            session.execute(sa.insert(Article), [r[0] for r in rows])
            session.execute(sa.insert(PublishedArticle), [r[1] for r in rows])
            session.execute(sa.insert(PublishedCondition), [c for r in rows for c in r[2]])
            session.commit()
    with database.session(write=True) as session:
        session.execute(
            sa.update(DeliveryState)
            .where(DeliveryState.id == 1)
            .values(generation=DeliveryState.generation + 1)
        )
        session.commit()
        return session.execute(
            sa.select(PublishedCondition.condition)
            .group_by(PublishedCondition.condition)
            .order_by(sa.func.count().desc())
            .limit(1)
        ).scalar_one()


class PerRequest:
    """``total`` counted on every request (what the list did before)."""

    def get(self, _session: Any, _filters: Any, count: Callable[[], int]) -> int:
        return count()


def get(app: Any, url: str) -> dict[str, Any]:
    path, _, query = url.partition("?")
    environ = EnvironBuilder(path=path, query_string=query).get_environ()
    environ["wsgi.input"] = io.BytesIO()
    status: list[str] = []
    body = b"".join(app(environ, lambda s, _h, _e=None: status.append(s)))
    if not status[0].startswith("200"):
        raise SystemExit(f"{url}: {body[:200]!r}")
    return orjson.loads(body)


def walk_ms(app: Any, url: str) -> float:
    """Median milliseconds per page over RUNS walks of PAGES pages."""
    results = []
    for _ in range(RUNS):
        start, next_url, pages = time.perf_counter(), url, 0
        while next_url and pages < PAGES:
            body = get(app, next_url)
            pages += 1
            cursor = body["next_cursor"]
            next_url = f"{url}&cursor={cursor}" if cursor else None
        results.append((time.perf_counter() - start) / pages * 1000)
    return statistics.median(results)


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'totals.sqlite3'}"
        started = time.perf_counter()
        condition = fill(Database.from_url(url), count)
        filled = time.perf_counter() - started
        print(f"SQLite, {count} published articles (filled in {filled:.0f} s)")
        settings = {"DATABASE_URL": url, "DELIVERY_CACHE_BYTES": 0, "REQUEST_LOG": False}
        per_request = create_app(settings)
        per_request.extensions["cms.delivery_totals"] = PerRequest()
        per_generation = create_app(settings)
        cases = [
            ("all, newest first", "/api/v1/articles?limit=20"),
            ("locale=en", "/api/v1/articles?limit=20&locale=en"),
            (f"condition={condition}", f"/api/v1/articles?limit=20&condition={condition}"),
            ("locale=de, sort=title", "/api/v1/articles?limit=20&locale=de&sort=title"),
            ("all, sort=next_review", "/api/v1/articles?limit=20&sort=next_review"),
        ]
        print(f"  ms per list request, cache off ({PAGES} pages walked, median of {RUNS})")
        print(f"  {'list':28} {'total':>7} {'per request':>12} {'per generation':>15}")
        for name, path in cases:
            total = get(per_generation, path)["total"]
            before = walk_ms(per_request.wsgi_app, path)
            after = walk_ms(per_generation.wsgi_app, path)
            print(f"  {name:28} {total:7d} {before:12.2f} {after:15.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
