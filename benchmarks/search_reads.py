"""Search latency over a generated corpus, on SQLite and (optionally) PostgreSQL.

Run with `make bench-search` (or `python -m benchmarks.search_reads 200 50000`).
For each corpus size it builds a database of published articles generated in the
product's format (``benchmarks/corpus.py``), then times, in process through the
WSGI app, single-word, phrase, prefix and condition-filtered searches:

- cache miss: the in-process delivery cache disabled, so every request parses,
  queries the database and builds the page;
- cache hit: the same requests answered by the delivery cache;
- hit ratio: a stream of searches with a skewed popularity (a few queries are
  most of the traffic, as on a real site) against the cache.

Filling is a bulk version of what publishing does (``benchmarks.published``: the
rows of publishing's own rendering, a few hundred articles rendered and each
inserted many times). Set CMS_BENCH_DATABASE_URL to a PostgreSQL database to add
it (the script empties it: it migrates down to base, then up).
"""

from __future__ import annotations

import io
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from werkzeug.test import EnvironBuilder

from benchmarks import published
from cms.app import create_app
from cms.db import Database

REQUESTS = 300  # timed requests per case and mode

CASES: dict[str, list[str]] = {
    "single word": ["transplant", "methotrexate", "insomnia", "physiotherapy", "relapse"],
    "phrase": ['"stem cell"', '"heart failure"', '"side effects"', '"bowel cancer"'],
    "prefix": ["transpl*", "metho*", "physio*", "immuno*"],
    "short prefix": ["tr*", "co*", "im*", "pre*"],  # what search as you type sends first
    "word + condition": [
        "transplant&condition=lupus",
        "treatment&condition=asthma",
        "risks&condition=migraine",
    ],
}


def wsgi_call(app: Callable[..., Any], url: str) -> Callable[[], bytes]:
    path, _, query = url.partition("?")
    environ = EnvironBuilder(path=path, query_string=query).get_environ()
    status: list[str] = []

    def start_response(s: str, _headers: list[Any], _exc: Any = None) -> None:
        status.append(s)

    def call() -> bytes:
        env = dict(environ)
        env["wsgi.input"] = io.BytesIO()
        body = b"".join(app(env, start_response))
        if not status.pop().startswith("200"):
            raise SystemExit(f"{url}: {body[:200]!r}")
        return body

    return call


def search_url(query: str) -> str:
    q, _, rest = query.partition("&")
    return "/api/v1/search?" + "&".join(filter(None, [f"q={q}", rest]))


def timings_ms(calls: list[Callable[[], bytes]], requests: int) -> tuple[float, float]:
    for call in calls:
        call()  # warm: first statement preparation, page cache
    samples = []
    for i in range(requests):
        call = calls[i % len(calls)]
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def hit_ratio(app: Any, queries: list[str], requests: int = 2000) -> float:
    """A skewed stream (Zipf-like popularity over ``queries``) against the cache."""
    rng = random.Random(7)
    weights = [1 / (rank + 1) for rank in range(len(queries))]
    cache = app.extensions["cms.delivery_cache"]
    cache.invalidate()
    calls = {q: wsgi_call(app, search_url(q)) for q in queries}
    before = len(cache)
    for query in rng.choices(queries, weights, k=requests):
        calls[query]()
    return 1 - (len(cache) - before) / requests


def matches(app: Any, query: str) -> int:
    """How many articles a query finds (pages through it): the size of what is ranked."""
    client, url, found = app.test_client(), search_url(query) + "&limit=50", 0
    while url:
        body = client.get(url).get_json()
        found += len(body["items"])
        url = (
            (search_url(query) + "&limit=50&cursor=" + body["next_cursor"])
            if body["next_cursor"]
            else ""
        )
        if found >= 5000:
            return found  # enough to say "thousands"
    return found


def stream_queries() -> list[str]:
    words = [q for case in CASES.values() for q in case]
    extra = ["lupus", "asthma", "dialysis", "yoga", "statins", "migraine", "gout", "eczema"]
    return words + extra + [f"{a} {b}" for a in extra for b in ("risks", "evidence")]


def bench(url: str, count: int) -> list[tuple[str, int, float, float, float, float]]:
    uncached = create_app({"DATABASE_URL": url, "DELIVERY_CACHE_BYTES": 0, "REQUEST_LOG": False})
    cached = create_app({"DATABASE_URL": url, "REQUEST_LOG": False})
    results = []
    for name, queries in CASES.items():
        found = max(matches(uncached, q) for q in queries)
        miss = timings_ms([wsgi_call(uncached, search_url(q)) for q in queries], REQUESTS)
        hit = timings_ms([wsgi_call(cached, search_url(q)) for q in queries], REQUESTS)
        results.append((name, found, *miss, *hit))
    ratio = hit_ratio(cached, stream_queries())
    print(f"  cache hit ratio over a skewed stream of 2,000 searches: {ratio:.0%}")
    return results


def report(label: str, count: int, rows: list[tuple[str, int, float, float, float, float]]):
    print(f"\n{label}, {count:,} published articles (ms per request, in process)")
    print(
        f"  {'search':18} {'most found':>10} {'miss p50':>9} {'miss p99':>9} "
        f"{'hit p50':>8} {'hit p99':>8}"
    )
    for name, found, miss50, miss99, hit50, hit99 in rows:
        print(f"  {name:18} {found:>10,} {miss50:9.2f} {miss99:9.2f} {hit50:8.3f} {hit99:8.3f}")


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for count in sizes:
            for label, url in published.databases(Path(tmp), f"search-{count}"):
                started = time.perf_counter()
                published.fill(Database.from_url(url), count)
                print(
                    f"\n{label}: generated and published {count:,} articles "
                    f"in {time.perf_counter() - started:.0f} s"
                )
                report(label, count, bench(url, count))


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [200, 50_000])
