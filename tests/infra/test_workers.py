"""Several gunicorn workers on one database: once a change of public state has been
answered, every worker serves the new state on its very next request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import (
    MANAGE,
    Server,
    act,
    gunicorn,
    issue_tokens,
    live_database_url,
    publish_article,
)
from tests.live import request as http

WORKERS = 4


@pytest.fixture(params=["read", "notify"])
def server(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Server]:
    """Each way a process learns of changes: a read per request, PostgreSQL's NOTIFY."""
    if request.param == "notify" and backend != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; SQLite always reads per request")
    url = live_database_url(backend, tmp_path, "cms_live_workers")
    secrets = issue_tokens(url)
    env = {"CMS_DELIVERY_FRESHNESS": request.param}
    with gunicorn(url, tmp_path, workers=WORKERS, env=env) as running:
        running.secrets = secrets
        yield running


def statuses(server: Server, path: str, probe: str) -> set[int]:
    return {reply.status for reply in server.read_everywhere(path, probe)}


def test_publish_unpublish_and_new_revisions_show_on_every_worker_at_once(server: Server):
    detail = "/api/v1/articles/stem-cells-scleroderma"
    # Every worker caches "not found", then the article once it is live.
    assert statuses(server, detail, "before") == {404}
    article_id, etag = publish_article(server)
    assert statuses(server, detail, "live") == {200}

    # A new live revision: every worker serves its title on the next request.
    patched = http(
        f"{server.base}{MANAGE}/{article_id}",
        method="PATCH",
        headers=server.auth(
            "editor", **{"If-Match": etag, "Content-Type": "application/merge-patch+json"}
        ),
        body={"title": "Stem cell transplantation for scleroderma, revised"},
    )
    assert patched.status == 200, patched.body
    etag = patched.headers["ETag"]
    for role, action in (("editor", "submit"), ("reviewer", "approve"), ("publisher", "publish")):
        etag = act(server, role, article_id, etag, action)
    titles = {reply.json()["title"] for reply in server.read_everywhere(detail, "revised")}
    assert titles == {"Stem cell transplantation for scleroderma, revised"}

    act(server, "publisher", article_id, etag, "unpublish")
    # Gone: 410, since it was published there.
    assert statuses(server, detail, "unpublished") == {410}
    listings = server.read_everywhere("/api/v1/articles", "list")
    assert {reply.json()["total"] for reply in listings} == {0}
