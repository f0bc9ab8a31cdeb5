"""When the database stops or hangs, the app answers honestly and recovers by itself.

A private PostgreSQL cluster (started by the test, never the machine's own) is
stopped, then paused with SIGSTOP, under a running gunicorn:

- routes that need the database answer 503 problem+json with Retry-After, fast;
- public articles already in the delivery cache keep being served, marked stale;
- /healthz answers throughout;
- once the database is back, everything works again without a restart.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cms import migrate
from cms.db import create_engine
from tests.live import Server, free_port, gunicorn, issue_tokens, publish_article
from tests.live import request as http

PG_BIN = next(
    (p for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None
) if Path("/usr/lib/postgresql").exists() else None  # fmt: skip
TIMEOUT = 1.0  # CMS_DB_STATEMENT_TIMEOUT for the app under test


class Cluster:
    """A throwaway PostgreSQL cluster on a free port, run by the postgres user."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="cms-pg-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "--auth=trust", "-U", "postgres")

    def start(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-w", "-l", str(self.dir / "log"),
            "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir}", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def pids(self) -> list[int]:
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(postmaster)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        return [postmaster, *map(int, children)]

    def signal(self, number: int) -> None:
        for pid in self.pids():
            os.kill(pid, number)

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if PG_BIN is None or shutil.which("runuser") is None:
        pytest.skip("PostgreSQL server binaries are not installed (apt-get install postgresql)")
    cluster = Cluster(PG_BIN)
    cluster.init()
    cluster.start()
    try:
        yield cluster
    finally:
        try:
            cluster.signal(signal.SIGCONT)
            cluster.stop()
        except (OSError, subprocess.CalledProcessError, FileNotFoundError):
            pass
        cluster.remove()


@pytest.fixture
def server(cluster: Cluster, tmp_path: Path) -> Iterator[Server]:
    engine = create_engine(cluster.url)
    migrate.upgrade(engine)
    engine.dispose()
    secrets = issue_tokens(cluster.url)
    env = {"CMS_DB_STATEMENT_TIMEOUT": str(TIMEOUT), "CMS_DB_CONNECT_TIMEOUT": "2"}
    with gunicorn(cluster.url, tmp_path, workers=1, env=env) as running:
        running.secrets = secrets
        yield running


def timed(url: str, **kwargs) -> tuple[float, object]:
    start = time.monotonic()
    reply = http(url, **kwargs)
    return time.monotonic() - start, reply


def assert_unavailable(reply) -> None:
    assert reply.status == 503, (reply.status, reply.body[:300])
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert int(reply.headers["Retry-After"]) > 0


def test_a_stopped_database_gives_503s_cached_articles_and_recovery(
    cluster: Cluster, server: Server
):
    publish_article(server)
    publish_article(server, slug="second-article")
    cached = f"{server.base}/api/v1/articles/stem-cells-scleroderma"
    assert http(cached).status == 200  # now in the worker's delivery cache
    assert http(cached).status == 200

    cluster.stop()
    stale = http(cached)
    assert stale.status == 200
    assert stale.headers["X-Cache"] == "stale"
    assert_unavailable(http(f"{server.base}/api/v1/articles/second-article"))
    assert_unavailable(http(server.base + "/api/v1/manage/articles", headers=server.auth("editor")))
    assert http(f"{server.base}/healthz").status == 200

    cluster.start()
    deadline = time.monotonic() + 15
    while http(f"{server.base}/api/v1/articles/second-article").status != 200:
        assert time.monotonic() < deadline, "did not recover after the database came back"
        time.sleep(0.2)
    fresh = http(cached)
    assert (fresh.status, fresh.headers.get("X-Cache")) == (200, None)
    listing = http(server.base + "/api/v1/manage/articles", headers=server.auth("editor"))
    assert listing.status == 200


def test_a_hung_database_gives_fast_503s_and_healthz_keeps_answering(
    cluster: Cluster, server: Server
):
    publish_article(server)
    cached = f"{server.base}/api/v1/articles/stem-cells-scleroderma"
    http(cached)
    cluster.signal(signal.SIGSTOP)
    try:
        elapsed, reply = timed(
            server.base + "/api/v1/manage/articles", headers=server.auth("editor")
        )
        assert_unavailable(reply)
        # Within the configured statement timeout and the client's extra second,
        # plus a margin for a loaded machine: far below gunicorn's 30 s.
        assert elapsed < TIMEOUT + 1 + 5
        elapsed, reply = timed(f"{server.base}/healthz")
        assert reply.status == 200
        assert elapsed < 2
        stale = http(cached)
        assert (stale.status, stale.headers["X-Cache"]) == (200, "stale")
    finally:
        cluster.signal(signal.SIGCONT)
    deadline = time.monotonic() + 20
    while (
        http(server.base + "/api/v1/manage/articles", headers=server.auth("editor")).status != 200
    ):
        assert time.monotonic() < deadline, "did not recover after the database resumed"
        time.sleep(0.2)
