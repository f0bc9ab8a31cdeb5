"""Public read throughput, against the fastest answer a Python WSGI server can give.

Run with `make bench`. Two measurements:

1. In process: microseconds per request through the WSGI callable, for a
   baseline app that returns constant pre-serialized bytes, and for the CMS's
   public routes served from the delivery cache and straight from the database.
2. Over HTTP (when `wrk` is installed): gunicorn serving the baseline and the
   CMS with the same settings, loaded by wrk on loopback.

Both also show what observing a request costs on the cached path: the request
id, metrics (CMS_METRICS_ENABLED) and the request log line (CMS_REQUEST_LOG),
switched on one after the other, as the cached read ratio with metrics on and off.

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
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.test import EnvironBuilder

from cms import migrate
from cms.app import create_app
from cms.articles import service
from cms.audit.service import OPERATOR
from cms.db import Database, utcnow
from cms.importing.service import validate_paths
from cms.publishing import service as publishing

ROOT = Path(__file__).resolve().parent.parent
COPIES = 50  # copies of each fixture, so the list has several full pages
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))  # HTTP runs per configuration, interleaved

# What observing a request costs: settings switched on one after the other.
OBSERVING: dict[str, dict[str, Any]] = {
    "metrics off": {"METRICS_ENABLED": False, "REQUEST_LOG": False},
    "metrics on": {"METRICS_ENABLED": True, "REQUEST_LOG": False},
    "metrics on + request log": {"METRICS_ENABLED": True, "REQUEST_LOG": True},
}
HTTP_CONFIGURATIONS = {
    "metrics off": {"CMS_METRICS_ENABLED": "false", "CMS_REQUEST_LOG": "false"},
    "metrics on": {"CMS_METRICS_ENABLED": "true", "CMS_REQUEST_LOG": "false"},
    "metrics on + request log": {"CMS_METRICS_ENABLED": "true", "CMS_REQUEST_LOG": "true"},
    # For comparison: what gunicorn's access log (the earlier default) costs instead.
    "metrics off + gunicorn access log": {
        "CMS_METRICS_ENABLED": "false",
        "CMS_REQUEST_LOG": "false",
        "CMS_ACCESS_LOG": "/dev/null",
    },
}


def fill(database: Database) -> str:
    """Migrate and publish the fixtures (and copies); returns one slug to read."""
    migrate.upgrade(database.engine)
    validation = validate_paths([ROOT / "fixtures" / "articles"])
    if validation.problems:
        raise SystemExit("\n".join(map(str, validation.problems)))
    with database.session() as session:
        # Originals before translations; each copy of a translation translates its copy.
        sources = sorted(validation.documents, key=lambda s: "translation_of" in s.document)
        for copy in range(COPIES):
            for source in sources:
                document = {**source.document, "slug": f"{source.document['slug']}-{copy}"}
                if "translation_of" in document:
                    original = document["translation_of"]
                    document["translation_of"] = {**original, "slug": f"{original['slug']}-{copy}"}
                article = service.create_article(
                    session, document=document, actor=OPERATOR, now=utcnow()
                )
                publishing.publish(
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


def cpu_per_request_us(call: Callable[[], bytes], runs: int = 9, count: int = 2000) -> float:
    """Fewest CPU microseconds per call over several runs.

    CPU time, not wall time, and the best run: on a busy machine other processes
    take turns on the cores, which wall time would count against the code measured.
    """
    call()
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        for _ in range(count):
            call()
        best = min(best, (time.process_time() - start) / count * 1e6)
    return best


def make_baseline(body: bytes) -> Callable[..., Any]:
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]

    def baseline(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", headers)
        return [body]

    return baseline


def in_process(url: str, slug: str) -> bytes:
    cached = create_app({"DATABASE_URL": url, "REQUEST_LOG": False})
    uncached = create_app({"DATABASE_URL": url, "DELIVERY_CACHE_BYTES": 0, "REQUEST_LOG": False})
    client = cached.test_client()
    detail = f"/api/v1/articles/{slug}"
    body = client.get(detail).data
    detail_etag = client.get(detail).headers["ETag"]
    # A front end's card: title and the text of one section (the risks come along).
    sparse = f"{detail}?fields=title,sections(type,html)&section_types=benefits"
    sparse_etag = client.get(sparse).headers["ETag"]
    list_etag = client.get("/api/v1/articles").headers["ETag"]
    baseline = make_baseline(body)
    rows = [
        ("baseline: constant bytes", wsgi_call(baseline, "/")),
        ("detail 200, cached", wsgi_call(cached, detail)),
        ("detail 304, cached", wsgi_call(cached, detail, {"If-None-Match": detail_etag})),
        ("sparse detail 200, cached", wsgi_call(cached, sparse)),
        ("sparse detail 304, cached", wsgi_call(cached, sparse, {"If-None-Match": sparse_etag})),
        ("list of 20, cached", wsgi_call(cached, "/api/v1/articles")),
        ("list 304, cached", wsgi_call(cached, "/api/v1/articles", {"If-None-Match": list_etag})),
        ("detail 200, database", wsgi_call(uncached, detail)),
        ("detail 304, database", wsgi_call(uncached, detail, {"If-None-Match": detail_etag})),
        ("sparse detail 200, database", wsgi_call(uncached, sparse)),
        (
            "sparse detail 304, database",
            wsgi_call(uncached, sparse, {"If-None-Match": sparse_etag}),
        ),
        ("list of 20, database", wsgi_call(uncached, "/api/v1/articles")),
        ("list of 100, database", wsgi_call(uncached, "/api/v1/articles?limit=100")),
    ]
    print(f"\nIn process (WSGI callable, {len(body)} byte article body)")
    print(f"  {'route':30} {'us/request':>11} {'requests/s':>12}")
    with quiet_stderr():
        for name, call in rows:
            us = per_request_us(call)
            print(f"  {name:30} {us:11.1f} {1e6 / us:12.0f}")
    return body


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Request log lines go to /dev/null (really written, as a server would)."""
    with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(devnull):
        yield


def observing_in_process(url: str, detail: str) -> dict[str, float]:
    """CPU microseconds each observing layer adds to a cached article read."""
    full = create_app({"DATABASE_URL": url, "LOG_FORMAT": "json"})
    layers = [
        ("cache alone (no request id)", full.wsgi_app.app),  # type: ignore[attr-defined]
        ("+ request id, metrics off", create_app(OBSERVING["metrics off"] | {"DATABASE_URL": url})),
        ("+ metrics", create_app(OBSERVING["metrics on"] | {"DATABASE_URL": url})),
        ("+ request log (/dev/null)", full),
    ]
    print("\nCached article in process: what observing a request costs (CPU, best of 9 runs)")
    print(f"  {'layers':28} {'us/request':>11} {'added':>8}")
    added: dict[str, float] = {}
    with quiet_stderr():
        bare = None
        for name, app in layers:
            us = cpu_per_request_us(wsgi_call(app, detail))
            bare = us if bare is None else bare
            added[name] = us - bare
            print(f"  {name:28} {us:11.2f} {us - bare:+8.2f}")
    return added


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    port: int
    pid: int

    def cpu_seconds(self) -> float:
        """User and system CPU time of the server's worker processes so far (Linux /proc)."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        ticks = 0
        for child in children:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def gunicorn(app_spec: str, env: dict[str, str], workers: int) -> Iterator[Server]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"),
            "--workers", str(workers), "--bind", f"127.0.0.1:{port}", app_spec,
        ],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        # Until a worker answers (not just the port opens: workers boot after the master).
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).close()
                break
            time.sleep(0.1)
        else:
            raise SystemExit(f"gunicorn did not start for {app_spec}")
        yield Server(port, process.pid)
    finally:
        process.terminate()
        process.wait(10)


@dataclass
class Load:
    rate: float  # requests per second
    p99_ms: float  # wrk's 99th percentile latency
    cpu_us: (
        float  # server CPU time per request, microseconds: steadier than the rate on a busy machine
    )


_UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def wrk(
    server: Server,
    path: str,
    headers: dict[str, str] | None = None,
    *,
    script: Path | None = None,
    connections: int = 32,
    seconds: int = 5,
) -> Load:
    """wrk against ``path`` (or the paths ``script`` sends) on ``server``, after a warm-up."""
    url = f"http://127.0.0.1:{server.port}{path}"
    scripted = ["-s", str(script)] if script is not None else []
    # Warm up first: workers finish booting and fill their caches.
    subprocess.run(["wrk", "-t1", "-c4", "-d1s", *scripted, url], capture_output=True, check=True)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *scripted]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    cpu_before = server.cpu_seconds()
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    cpu = server.cpu_seconds() - cpu_before
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p99, unit = re.search(r"99%\s+([\d.]+)(us|ms|s|m)", output).groups()  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    if not requests or "Non-2xx or 3xx responses" in output:
        raise SystemExit(f"wrk {path}: no answers, or errors\n{output}")
    return Load(rate, float(p99) * _UNITS_MS[unit], cpu / requests * 1e6)


def http_workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))


def write_baseline(workdir: Path, body: bytes) -> str:
    """A WSGI module in ``workdir`` answering ``body`` to everything; returns its app spec."""
    (workdir / "bench_baseline.py").write_bytes(
        b"BODY = " + repr(body).encode() + b"\n"
        b"HEADERS = [('Content-Type', 'application/json'), ('Content-Length', str(len(BODY)))]\n"
        b"def app(environ, start_response):\n"
        b"    start_response('200 OK', HEADERS)\n"
        b"    return [BODY]\n"
    )
    return "bench_baseline:app"


def over_http(url: str, slug: str, body: bytes, workdir: Path, added: dict[str, float]) -> None:
    if shutil.which("wrk") is None:
        print("\nOver HTTP: skipped, wrk is not installed (apt-get install wrk).")
        return
    workers = http_workers()
    write_baseline(workdir, body)
    env = {"CMS_DATABASE_URL": url, "PYTHONPATH": str(workdir), "CMS_LOG_FORMAT": "json"}
    cases = [("article 200", f"/api/v1/articles/{slug}"), ("list of 20", "/api/v1/articles")]
    print(f"\nOver HTTP, cached reads (gunicorn, {workers} sync workers; wrk -t2 -c32 -d5s on")
    print(f"  loopback; best of {ROUNDS} interleaved runs; CPU: server CPU time per request)")
    runs: dict[tuple[str, str], list[Load]] = {}
    for _ in range(ROUNDS):
        with gunicorn("bench_baseline:app", env, workers) as server:
            runs.setdefault(("baseline", ""), []).append(wrk(server, "/"))
        for config, settings in HTTP_CONFIGURATIONS.items():
            with gunicorn("cms.app:create_app()", env | settings, workers) as server:
                for case, path in cases:
                    runs.setdefault((config, case), []).append(wrk(server, path))
    # Best of the runs: other processes on the machine only ever make a run slower.
    rate = {key: max(load.rate for load in loads) for key, loads in runs.items()}
    cpu = {key: min(load.cpu_us for load in loads) for key, loads in runs.items()}
    base = ("baseline", "")
    print(f"  {'configuration':32} {'route':12} {'req/s':>7} {'vs base':>8} {'CPU us':>7}")
    print(
        f"  {'baseline: constant bytes':32} {'':12} {rate[base]:7.0f} {'100%':>8} {cpu[base]:7.0f}"
    )
    for config in HTTP_CONFIGURATIONS:
        for case, _ in cases:
            key = (config, case)
            print(
                f"  {config:32} {case:12} {rate[key]:7.0f} {rate[key] / rate[base]:8.1%}"
                f" {cpu[key]:7.0f}"
            )
    served = cpu[("metrics off", "article 200")]
    observing = added["+ metrics"]
    log_line = added["+ request log (/dev/null)"] - observing
    print(
        f"  request id + metrics: {observing:.1f} us of CPU in process, "
        f"{observing / served:.1%} of the {served:.0f} us of server CPU a cached article costs;"
    )
    print(f"  the request log line: {log_line:.1f} us more ({log_line / served:.1%})")
    print("  cached read ratio against 'metrics off' (throughput; CPU per request):")
    for config in list(HTTP_CONFIGURATIONS)[1:]:
        for case, _ in cases:
            key, off = (config, case), ("metrics off", case)
            print(
                f"    {config:30} {case:12} {rate[key] / rate[off]:7.1%} {cpu[off] / cpu[key]:7.1%}"
            )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = os.environ.get("CMS_BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
        slug = fill(Database.from_url(url))
        print(f"Database: {url.split('@')[-1]}; {COPIES * 5} published articles")
        body = in_process(url, slug)
        added = observing_in_process(url, f"/api/v1/articles/{slug}")
        over_http(url, slug, body, workdir, added)


if __name__ == "__main__":
    main()
