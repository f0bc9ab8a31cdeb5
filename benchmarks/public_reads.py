"""Public read throughput, against the fastest answer a Python WSGI server can give.

Run with `make bench`. Two measurements:

1. In process: microseconds per request through the WSGI callable, for a
   baseline app that returns constant pre-serialized bytes, and for the CMS's
   public routes served from the delivery cache and straight from the database.
2. Over HTTP (when `wrk` is installed): gunicorn serving the baseline and the
   CMS with the same settings, loaded by wrk on loopback.

The database is a temporary SQLite file holding the fixtures plus copies of
them, so list pages are full. Set CMS_BENCH_DATABASE_URL to benchmark another
database (it must be empty: the script migrates and fills it).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from werkzeug.test import EnvironBuilder

from cms import migrate
from cms.app import create_app
from cms.articles import service
from cms.audit.service import OPERATOR
from cms.db import Database, utcnow
from cms.importing.service import validate_paths

ROOT = Path(__file__).resolve().parent.parent
COPIES = 50  # copies of each fixture, so the list has several full pages


def fill(database: Database) -> str:
    """Migrate and publish the fixtures (and copies); returns one slug to read."""
    migrate.upgrade(database.engine)
    validation = validate_paths([ROOT / "fixtures" / "articles"])
    if validation.problems:
        raise SystemExit("\n".join(map(str, validation.problems)))
    with database.session() as session:
        for copy in range(COPIES):
            for source in validation.documents:
                document = {**source.document, "slug": f"{source.document['slug']}-{copy}"}
                article = service.create_article(
                    session, document=document, actor=OPERATOR, now=utcnow()
                )
                service.publish_revision(
                    session, article=article, actor=OPERATOR, now=utcnow(), approval=None
                )
        session.commit()
    return f"{validation.documents[0].document['slug']}-0"


def wsgi_call(app: Callable[..., Any], path: str, headers: dict[str, str] | None = None):
    environ = EnvironBuilder(path=path, headers=headers).get_environ()

    def start_response(status: str, response_headers: list[Any], exc_info: Any = None) -> None:
        pass

    def call() -> bytes:
        env = dict(environ)
        env["wsgi.input"] = io.BytesIO()
        return b"".join(app(env, start_response))

    return call


def per_request_us(call: Callable[[], bytes], seconds: float = 1.0) -> float:
    """Median of five runs of the mean time per call."""
    call()
    results = []
    for _ in range(5):
        count, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds / 5:
            for _ in range(50):
                call()
            count += 50
        results.append(elapsed / count * 1e6)
    return statistics.median(results)


def make_baseline(body: bytes) -> Callable[..., Any]:
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]

    def baseline(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", headers)
        return [body]

    return baseline


def in_process(url: str, slug: str) -> bytes:
    cached = create_app({"DATABASE_URL": url})
    uncached = create_app({"DATABASE_URL": url, "DELIVERY_CACHE_BYTES": 0})
    client = cached.test_client()
    detail = f"/api/v1/articles/{slug}"
    body = client.get(detail).data
    detail_etag = client.get(detail).headers["ETag"]
    list_etag = client.get("/api/v1/articles").headers["ETag"]
    baseline = make_baseline(body)
    rows = [
        ("baseline: constant bytes", wsgi_call(baseline, "/")),
        ("detail 200, cached", wsgi_call(cached, detail)),
        ("detail 304, cached", wsgi_call(cached, detail, {"If-None-Match": detail_etag})),
        ("list of 20, cached", wsgi_call(cached, "/api/v1/articles")),
        ("list 304, cached", wsgi_call(cached, "/api/v1/articles", {"If-None-Match": list_etag})),
        ("detail 200, database", wsgi_call(uncached, detail)),
        ("detail 304, database", wsgi_call(uncached, detail, {"If-None-Match": detail_etag})),
        ("list of 20, database", wsgi_call(uncached, "/api/v1/articles")),
        ("list of 100, database", wsgi_call(uncached, "/api/v1/articles?limit=100")),
    ]
    print(f"\nIn process (WSGI callable, {len(body)} byte article body)")
    print(f"  {'route':28} {'us/request':>11} {'requests/s':>12}")
    for name, call in rows:
        us = per_request_us(call)
        print(f"  {name:28} {us:11.1f} {1e6 / us:12.0f}")
    return body


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(app_spec: str, env: dict[str, str], workers: int) -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"),
            "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
            "--access-logfile", "/dev/null", app_spec,
        ],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.1)
        else:
            raise SystemExit(f"gunicorn did not start for {app_spec}")
        yield port
    finally:
        process.terminate()
        process.wait(10)


def wrk(url: str, headers: dict[str, str] | None = None) -> tuple[float, str]:
    # Warm up first: workers finish booting and fill their caches.
    subprocess.run(["wrk", "-t1", "-c4", "-d1s", url], capture_output=True, check=True)
    command = ["wrk", "-t2", "-c32", "-d5s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+(\S+)", output).group(1)  # type: ignore[union-attr]
    return rate, p99


def over_http(url: str, slug: str, body: bytes, workdir: Path) -> None:
    if shutil.which("wrk") is None:
        print("\nOver HTTP: skipped, wrk is not installed (apt-get install wrk).")
        return
    workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))
    (workdir / "bench_baseline.py").write_bytes(
        b"BODY = " + repr(body).encode() + b"\n"
        b"HEADERS = [('Content-Type', 'application/json'), ('Content-Length', str(len(BODY)))]\n"
        b"def app(environ, start_response):\n"
        b"    start_response('200 OK', HEADERS)\n"
        b"    return [BODY]\n"
    )
    env = {"CMS_DATABASE_URL": url, "PYTHONPATH": str(workdir)}
    detail = f"/api/v1/articles/{slug}"
    print(f"\nOver HTTP (gunicorn, {workers} sync workers; wrk -t2 -c32 -d5s on loopback)")
    print(f"  {'route':28} {'requests/s':>12} {'p99':>9} {'vs baseline':>12}")
    with gunicorn("bench_baseline:app", env, workers) as port:
        base, p99 = wrk(f"http://127.0.0.1:{port}/")
    print(f"  {'baseline: constant bytes':28} {base:12.0f} {p99:>9} {'100%':>12}")
    with gunicorn("cms.app:create_app()", env, workers) as port:
        cases = [
            ("detail 200", detail, None),
            ("list of 20", "/api/v1/articles", None),
        ]
        for name, path, headers in cases:
            rate, p99 = wrk(f"http://127.0.0.1:{port}{path}", headers)
            print(f"  {name:28} {rate:12.0f} {p99:>9} {rate / base:12.0%}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = os.environ.get("CMS_BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
        slug = fill(Database.from_url(url))
        print(f"Database: {url.split('@')[-1]}; {COPIES * 4} published articles")
        body = in_process(url, slug)
        over_http(url, slug, body, workdir)


if __name__ == "__main__":
    main()
