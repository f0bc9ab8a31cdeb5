"""The product as it really runs: gunicorn worker processes on a committed database.

For tests about what only real processes show (several workers, proxies in front,
caches between). Each live database is empty and migrated: a SQLite file, or a
schema of its own in ``CMS_TEST_DATABASE_URL``.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy.engine import make_url

from cms import migrate
from cms.auth import service as tokens
from cms.auth.roles import Role
from cms.db import Database, create_engine, utcnow
from tests.conftest import POSTGRES_URL, postgres_engine
from tests.factories import TESTER, article_document

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def live_database_url(backend: str, tmp_path: Path, name: str) -> str:
    """The URL of an empty, migrated database that other processes can open."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / (name + '.sqlite3')}"
        engine = create_engine(url)
    else:
        assert POSTGRES_URL is not None
        engine = postgres_engine(name)
        base = make_url(POSTGRES_URL).render_as_string(hide_password=False)
        url = f"{base}?options={quote(f'-csearch_path={name}')}"
    migrate.upgrade(engine)
    engine.dispose()
    return url


def issue_tokens(url: str) -> dict[str, str]:
    """One token per role (reviewers and admins carry credentials), committed."""
    database = Database.from_url(url)
    secrets = {}
    with database.session(write=True) as session:
        for role in Role:
            secrets[role.value] = tokens.create_token(
                session,
                name=f"live-{role.value}",
                role=role,
                actor=TESTER,
                now=utcnow(),
                display_name=f"Dr {role.value.title()}",
                credentials="MD",
            ).secret
        session.commit()
    database.engine.dispose()
    return secrets


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def request(
    url: str, *, method: str = "GET", headers: dict[str, str] | None = None, body: Any = None
) -> Reply:
    """One HTTP request on a new connection (so successive ones may reach other workers)."""
    data = None
    headers = {"Connection": "close", **(headers or {})}
    if body is not None:
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return Reply(response.status, dict(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers.items()), error.read())


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]
    access_log: Path
    workers: int
    secrets: dict[str, str] = field(default_factory=dict)

    def pids_in_log(self, probe: str) -> set[str]:
        """Worker pids that answered requests sent with ``X-Probe: <probe>``."""
        lines = self.access_log.read_text().splitlines()
        return {line.split(" ", 1)[0] for line in lines if line.endswith(" " + probe)}

    def read_everywhere(
        self, path: str, probe: str, reads: int = 120, rounds: int = 5
    ) -> list[Reply]:
        """GET ``path`` ``reads`` times, in parallel on new connections, and again (up to
        ``rounds`` times) until every worker has answered some: what each worker serves,
        not just one of them. One worker can take a whole round of fast answers, and the
        access log is written as each request ends, so each round is counted once done."""
        replies: list[Reply] = []
        with ThreadPoolExecutor(8) as pool:
            for round_ in range(rounds):
                if round_:
                    time.sleep(0.2)  # the access log lines of the round before
                replies += pool.map(
                    lambda _: request(self.base + path, headers={"X-Probe": probe}), range(reads)
                )
                if len(self.pids_in_log(probe)) == self.workers:
                    return replies
        raise AssertionError(f"not every worker was reached in {rounds} rounds of {reads}")

    def auth(self, role: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secrets[role]}", **extra}


@contextlib.contextmanager
def gunicorn(
    url: str, tmp_path: Path, *, workers: int = 1, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """gunicorn serving the app on a free loopback port; the access log names each pid."""
    port = free_port()
    access_log = tmp_path / f"access-{port}.log"
    error_log = tmp_path / f"gunicorn-{port}.log"
    with error_log.open("wb") as errors:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn",
                "--config", str(ROOT / "gunicorn.conf.py"),
                "--workers", str(workers),
                "--bind", f"127.0.0.1:{port}",
                "--access-logfile", str(access_log),
                "--access-logformat", "%(p)s %(m)s %(U)s %(s)s %({x-probe}i)s",
                "cms.app:create_app()",
            ],
            env={**os.environ, "CMS_DATABASE_URL": url, **(env or {})},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        server = Server(base, process, access_log, workers)
        deadline = time.monotonic() + 30
        while True:  # until every worker has booted and answered
            with contextlib.suppress(OSError, AssertionError):
                server.read_everywhere("/healthz", "boot", reads=4 * workers)
                break
            if process.poll() is not None or time.monotonic() > deadline:
                log = error_log.read_text()
                raise RuntimeError(f"gunicorn did not start:\n{log}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


MANAGE = "/api/v1/manage/articles"


def publish_article(server: Server, **overrides: Any) -> tuple[str, str]:
    """Create, submit, approve and publish an article through the API: (id, etag)."""
    created = request(
        server.base + MANAGE,
        method="POST",
        headers=server.auth("editor"),
        body=article_document(**overrides),
    )
    assert created.status == 201, created.body
    article_id, etag = created.json()["id"], created.headers["ETag"]
    for role, action in (("editor", "submit"), ("reviewer", "approve"), ("publisher", "publish")):
        etag = act(server, role, article_id, etag, action)
    return article_id, etag


def act(server: Server, role: str, article_id: str, etag: str, action: str) -> str:
    reply = request(
        f"{server.base}{MANAGE}/{article_id}/transitions",
        method="POST",
        headers=server.auth(role, **{"If-Match": etag}),
        body={"action": action},
    )
    assert reply.status == 200, reply.body
    return reply.headers["ETag"]


@contextlib.contextmanager
def worker_process(
    url: str, tmp_path: Path, *, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """``cms worker`` on the database at ``url``, polling fast; its log in tmp_path."""
    log_path = tmp_path / f"worker-{time.monotonic_ns()}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "cms", "worker"],
            env={
                **os.environ,
                "CMS_DATABASE_URL": url,
                "CMS_WORKER_POLL_SECONDS": "0.1",
                **(env or {}),
            },
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    process.log_path = log_path  # type: ignore[attr-defined]
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_for(condition: Any, *, timeout: float = 15.0, what: str = "the condition") -> Any:
    """Poll ``condition()`` until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)
