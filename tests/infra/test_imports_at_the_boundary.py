"""Imports at the HTTP and process boundary: chunked bodies over the limit, two runs at once."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from cms.articles.models import Article
from cms.db import create_engine
from tests.factories import article_document
from tests.live import ROOT, Server, gunicorn, issue_tokens, live_database_url


@pytest.fixture
def server(backend: str, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    url = live_database_url(backend, tmp_path, "cms_live_imports")
    secrets = issue_tokens(url)
    with gunicorn(url, tmp_path) as running:
        running.secrets = secrets
        yield running, url


def count_articles(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(sa.select(sa.func.count()).select_from(Article)).scalar_one()
    engine.dispose()
    return count


def _chunks(lines: int) -> Iterator[bytes]:
    for index in range(lines):
        yield json.dumps(article_document(slug=f"bulk-{index}", summary="x" * 900)).encode() + b"\n"


def test_a_chunked_import_over_the_limit_is_a_413_and_imports_nothing(
    server: tuple[Server, str],
):
    running, url = server
    host, port = running.base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    # 4,500 lines of 2.6 kB, 11 MiB, with no Content-Length: the server only learns
    # the size by reading; the limit is 10 MiB.
    connection.request(
        "POST",
        "/api/v1/manage/imports",
        body=_chunks(4500),
        headers={**running.auth("admin"), "Content-Type": "application/x-ndjson"},
        encode_chunked=True,
    )
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 413, body[:300]
    assert response.getheader("Content-Type") == "application/problem+json"
    assert count_articles(url) == 0


def test_a_chunked_import_within_the_limit_is_imported_whole(server: tuple[Server, str]):
    running, url = server
    host, port = running.base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    connection.request(
        "POST",
        "/api/v1/manage/imports",
        body=_chunks(30),
        headers={**running.auth("admin"), "Content-Type": "application/x-ndjson"},
        encode_chunked=True,
    )
    response = connection.getresponse()
    report = json.loads(response.read())
    assert (response.status, report["created"]) == (200, 30)
    assert count_articles(url) == 30


def test_two_cms_imports_at_once_end_cleanly(backend: str, tmp_path: Path):
    url = live_database_url(backend, tmp_path, "cms_live_cli_imports")
    folder = tmp_path / "articles"
    folder.mkdir()
    for index in range(40):
        document = article_document(slug=f"cli-{index}")
        (folder / f"cli-{index}.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    env = {**os.environ, "CMS_DATABASE_URL": url}
    command = [str(Path(sys.executable).parent / "cms"), "import", str(folder)]
    runs = [
        subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outcomes = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        outcomes.append((run.returncode, out, err))
    for code, _out, err in outcomes:
        assert b"Traceback" not in err, err.decode()
        assert code in (0, 1)
    assert any(code == 0 for code, _, _ in outcomes)
    for code, _out, err in outcomes:
        if code == 1:
            assert b"nothing was imported" in err
    assert count_articles(url) == 40
