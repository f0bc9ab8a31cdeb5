"""Metrics, request ids and logs under real gunicorn with several worker processes."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cms import migrate
from cms.db import create_engine
from tests.observability.scraping import parse, value

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "gunicorn-metrics-token"
WORKERS = 3


@dataclass
class Server:
    port: int
    log: Path
    metrics_dir: Path
    process: subprocess.Popen[bytes]

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def metrics(self) -> dict[Any, float]:
        status, _, body = self.get("/metrics", {"Authorization": f"Bearer {TOKEN}"})
        assert status == 200
        return parse(body.decode())

    def log_lines(self) -> list[dict[str, Any]]:
        lines = self.log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("gunicorn")
    url = f"sqlite:///{tmp / 'cms.sqlite3'}"
    engine = create_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    port = free_port()
    env = {
        **os.environ,
        "CMS_DATABASE_URL": url,
        "CMS_METRICS_TOKEN": TOKEN,
        "CMS_LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp / "metrics"),
        "WEB_CONCURRENCY": str(WORKERS),
    }
    log_path = tmp / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", "cms.app:create_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    running = Server(port, log_path, tmp / "metrics", process)
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError):
                if running.get("/healthz")[0] == 200:
                    break
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
        yield running
    finally:
        process.terminate()
        process.wait(30)


def wait_for(condition: Any, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


LIST = {"route": "/api/v1/articles", "method": "GET", "status": "200"}


def answered_by(server: Server, ids: set[str]) -> dict[str, dict[str, Any]]:
    """The request log lines of these requests, by request id."""
    return {
        line["request_id"]: line
        for line in server.log_lines()
        if line["logger"] == "cms.request" and line["request_id"] in ids
    }


def test_metrics_sum_the_requests_of_every_worker(server: Server):
    def cache_lookups(samples: dict[Any, float]) -> float:
        return sum(
            value(samples, "cms_delivery_cache_requests_total", result=result)
            for result in ("hit", "miss")
        )

    first = server.metrics()
    before = value(first, "cms_http_requests_total", **LIST)
    # Concurrent requests until at least two workers have answered some (on a
    # busy machine one worker may take a whole burst).
    ids: set[str] = set()
    batches = 0
    with ThreadPoolExecutor(max_workers=12) as pool:
        while batches < 25:
            batches += 1
            answers = list(pool.map(lambda _: server.get("/api/v1/articles"), range(40)))
            assert {status for status, _, _ in answers} == {200}
            ids |= {headers["X-Request-ID"] for _, headers, _ in answers}
            if len({line["pid"] for line in answered_by(server, ids).values()}) >= 2:
                break
    sent = len(ids)
    assert sent == 40 * batches  # every answer had its own id

    # Workers write their tallies out about once a second.
    wait_for(lambda: value(server.metrics(), "cms_http_requests_total", **LIST) >= before + sent)
    time.sleep(2.5)  # a few more flushes: nothing is counted twice
    samples = server.metrics()
    assert value(samples, "cms_http_requests_total", **LIST) == before + sent
    assert value(samples, "cms_http_request_duration_seconds_count", **LIST) == before + sent
    assert cache_lookups(samples) - cache_lookups(first) == sent

    # Each answer was logged once, with its id, by the worker that answered it.
    lines = answered_by(server, ids)
    assert set(lines) == ids
    assert all(line["route"] == "/api/v1/articles" for line in lines.values())
    workers = {line["pid"] for line in lines.values()}
    assert len(workers) >= 2, "one worker answered everything"
    assert server.process.pid not in workers


def test_unauthenticated_metrics_are_refused(server: Server):
    status, headers, body = server.get("/metrics", {"X-Request-ID": "scraper-without-token"})
    assert status == 401
    assert headers["Content-Type"] == "application/problem+json"
    assert headers["X-Request-ID"] == "scraper-without-token"
    assert json.loads(body)["request_id"] == "scraper-without-token"
    assert b"cms_http_requests_total" not in body
    status, _, _ = server.get("/metrics", {"Authorization": "Bearer wrong"})
    assert status == 401


def test_a_dead_workers_counts_stay_and_its_live_gauges_go(server: Server):
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda _: server.get("/api/v1/articles"), range(30)))
    time.sleep(2.5)  # flushed
    before = value(server.metrics(), "cms_http_requests_total", **LIST)
    gauges = {
        int(path.stem.rsplit("_", 1)[1]): path
        for path in server.metrics_dir.glob("gauge_livesum_*.db")
    }
    victim = next(pid for pid in gauges if pid != server.process.pid)
    os.kill(victim, signal.SIGKILL)  # no clean exit: the server must tidy up after it
    wait_for(lambda: not gauges[victim].exists())
    assert value(server.metrics(), "cms_http_requests_total", **LIST) == before
