"""Liveness and readiness probes: what an orchestrator sees when the database is in trouble."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from cms import migrate
from cms.app import create_app
from cms.db import Database, create_engine
from tests.conftest import POSTGRES_URL, empty_engine
from tests.observability.outbox_table import create_outbox

ROOT = os.geteuid() == 0


def ready_response(app: Flask, timeout: float = 30) -> Any:
    """GET /readyz in a thread: a probe that hangs fails the test instead of hanging it."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(app.test_client().get("/readyz")))
    thread.start()
    thread.join(timeout)
    assert result, f"/readyz did not answer within {timeout} s"
    return result[0]


def failing(response: Any) -> dict[str, str]:
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"]
    body = response.get_json()
    return {check["name"]: check["detail"] for check in body["checks"] if not check["ok"]}


def migrated_sqlite(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    migrate.upgrade(engine)
    engine.dispose()  # the last connection closes: SQLite folds the WAL back into the file
    return url


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make a file or directory unwritable for this process, even as root (immutable flag)."""
    if ROOT:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        if ROOT:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        else:
            path.chmod(mode)


def test_liveness_needs_nothing(client: FlaskClient):
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})


def test_liveness_answers_while_the_database_is_unreachable():
    database = Database.from_url("postgresql+psycopg://cms@127.0.0.1:1/cms")
    response = create_app({"DATABASE": database}).test_client().get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})


def test_ready_when_the_database_is_migrated_and_writable(client: FlaskClient, backend: str):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ready"
    checks = {check["name"]: check["ok"] for check in body["checks"]}
    expected = {"database": True, "schema": True, "writable": True, "outbox": True}
    if backend == "sqlite":
        expected["disk_space"] = True
    assert checks == expected


def test_not_ready_when_the_schema_is_missing(tmp_path: Path):
    database = Database.from_url(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    response = create_app({"DATABASE": database}).test_client().get("/readyz")
    problems = failing(response)
    assert list(problems) == ["schema"]
    assert "cms db upgrade" in response.get_json()["detail"]


def test_not_ready_when_the_database_is_unreachable():
    # Port 1 on loopback: nothing listens there, the connection is refused at once.
    database = Database.from_url("postgresql+psycopg://cms@127.0.0.1:1/cms")
    response = ready_response(create_app({"DATABASE": database}))
    problems = failing(response)
    assert list(problems) == ["database"]
    assert problems["database"].startswith("The database is not reachable")
    assert "Connection refused" in problems["database"]


def test_not_ready_within_the_timeout_when_the_database_does_not_answer():
    # A socket that accepts connections and never says a word: a hung server.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        database = Database.from_url(f"postgresql+psycopg://cms@127.0.0.1:{port}/cms")
        app = create_app({"DATABASE": database, "READY_TIMEOUT": 0.5})
        problems = failing(ready_response(app))
        assert problems == {"database": "The database did not answer within 0.5 s."}
        # While that probe still waits, the next one does not pile up another connection.
        problems = failing(ready_response(app))
        assert problems == {"database": "The previous probe is still waiting for the database."}


def test_not_ready_when_the_sqlite_file_is_read_only(tmp_path: Path):
    url = migrated_sqlite(tmp_path / "cms.sqlite3")
    app = create_app({"DATABASE_URL": url})
    with read_only(tmp_path / "cms.sqlite3"):
        problems = failing(ready_response(app))
    assert list(problems) == ["writable"]
    assert "readonly database" in problems["writable"]
    assert ready_response(app).status_code == 200  # and ready again, without a restart


def test_not_ready_when_the_sqlite_directory_is_read_only(tmp_path: Path):
    folder = tmp_path / "data"
    folder.mkdir()
    url = migrated_sqlite(folder / "cms.sqlite3")
    app = create_app({"DATABASE_URL": url})
    with read_only(folder):
        # SQLite cannot create its write-ahead log and lock files beside the database.
        problems = failing(ready_response(app))
    assert list(problems) == ["database"]
    assert "unable to open database file" in problems["database"]


def test_not_ready_when_free_disk_space_is_below_the_minimum(tmp_path: Path):
    url = migrated_sqlite(tmp_path / "cms.sqlite3")
    free_mb = shutil.disk_usage(tmp_path).free // 2**20
    app = create_app({"DATABASE_URL": url, "READY_MIN_FREE_MB": free_mb + 1024})
    problems = failing(ready_response(app))
    assert list(problems) == ["disk_space"]
    assert "free on the database's disk" in problems["disk_space"]


@pytest.mark.skipif(not ROOT, reason="mounting a small file system needs root")
def test_not_ready_when_the_disk_is_full(tmp_path: Path):
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], check=True)
    try:
        url = migrated_sqlite(mount / "cms.sqlite3")
        app = create_app({"DATABASE_URL": url, "READY_MIN_FREE_MB": 0})
        assert ready_response(app).status_code == 200
        with open(mount / "filler", "wb") as filler, contextlib.suppress(OSError):
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        problems = failing(ready_response(app))
        assert list(problems) == ["writable"]
        assert "full" in problems["writable"]
        app.extensions["cms.database"].engine.dispose()
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


@pytest.mark.skipif(not POSTGRES_URL, reason="needs CMS_TEST_DATABASE_URL")
def test_not_ready_when_postgresql_refuses_writes():
    engine = empty_engine("postgresql", Path(), "cms_readiness_test")
    migrate.upgrade(engine)
    engine.dispose()
    # A read-only session, as on a hot standby after a botched failover.
    read_only_engine = create_engine(
        POSTGRES_URL,  # type: ignore[arg-type]
        connect_args={
            "options": "-c search_path=cms_readiness_test -c default_transaction_read_only=on"
        },
    )
    app = create_app({"DATABASE": Database(read_only_engine)})
    problems = failing(ready_response(app))
    assert list(problems) == ["writable"]
    assert "read-only transaction" in problems["writable"]
    read_only_engine.dispose()


@pytest.fixture
def outbox_engine(backend: str, tmp_path: Path) -> Iterator[sa.Engine]:
    engine = empty_engine(backend, tmp_path, "cms_outbox_test")
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


def test_outbox_age_is_reported_and_fails_readiness_past_the_limit(outbox_engine: sa.Engine):
    now = dt.datetime.now(dt.UTC)
    create_outbox(outbox_engine, now - dt.timedelta(minutes=10), now, delivered=3)
    database = Database(outbox_engine)
    relaxed = create_app({"DATABASE": database}).test_client().get("/readyz")
    assert relaxed.status_code == 200
    (outbox,) = [c for c in relaxed.get_json()["checks"] if c["name"] == "outbox"]
    assert outbox["ok"]
    assert re.fullmatch(r"2 undelivered event\(s\), the oldest 6\d\d s old\.", outbox["detail"])
    strict = create_app({"DATABASE": database, "READY_MAX_OUTBOX_AGE": 300})
    problems = failing(ready_response(strict))
    assert list(problems) == ["outbox"]
    assert "The limit is 300 s" in problems["outbox"]
