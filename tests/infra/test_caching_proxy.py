"""Behind a caching reverse proxy configured the way many sites are (nginx,
``proxy_cache_valid 200 1m``, the cache key ignoring Authorization), an anonymous
reader never receives a management response, a draft or a revision."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.factories import article_document
from tests.live import MANAGE, Server, free_port, gunicorn, issue_tokens, live_database_url
from tests.live import request as http

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

CONFIG = """\
{user}
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    proxy_cache_path {dir}/cache levels=1:2 keys_zone=cms:10m max_size=100m;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_cache cms;
            proxy_cache_valid 200 1m;
            proxy_cache_key $scheme$proxy_host$request_uri;
            add_header X-Proxy-Cache $upstream_cache_status always;
        }}
    }}
}}
"""


@pytest.fixture
def proxied(backend: str, tmp_path: Path) -> Iterator[tuple[str, Server]]:
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install nginx; .ci/run installs it)")
    url = live_database_url(backend, tmp_path, "cms_live_proxy")
    secrets = issue_tokens(url)
    with gunicorn(url, tmp_path, workers=2) as server:
        server.secrets = secrets
        port = free_port()
        work = tmp_path / "nginx"
        work.mkdir()
        config = work / "nginx.conf"
        # As root, nginx's workers would drop to "nobody", who cannot enter tmp_path.
        user = "user root root;" if os.geteuid() == 0 else ""
        upstream = server.base.rsplit(":", 1)[1]
        config.write_text(CONFIG.format(user=user, dir=work, port=port, upstream=upstream))
        nginx = subprocess.Popen([NGINX, "-c", str(config), "-p", str(work)])
        proxy = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    if http(f"{proxy}/healthz").status == 200:
                        break
                except OSError:
                    pass
                assert nginx.poll() is None, (work / "error.log").read_text()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
            yield proxy, server
        finally:
            nginx.terminate()
            nginx.wait(10)


def test_an_anonymous_reader_never_gets_what_an_editor_read_through_the_proxy(
    proxied: tuple[str, Server],
):
    proxy, server = proxied
    created = http(
        proxy + MANAGE,
        method="POST",
        headers=server.auth("editor"),
        body=article_document(slug="draft-only", title="An unpublished draft"),
    )
    assert created.status == 201
    article_id = created.json()["id"]
    patched = http(
        f"{proxy}{MANAGE}/{article_id}",
        method="PATCH",
        headers=server.auth(
            "editor",
            **{"If-Match": created.headers["ETag"], "Content-Type": "application/merge-patch+json"},
        ),
        body={"summary": "A second revision, still a draft."},
    )
    assert patched.status == 200
    editor_reads = [
        MANAGE,
        f"{MANAGE}/{article_id}",
        f"{MANAGE}/{article_id}/revisions",
        f"{MANAGE}/{article_id}/revisions/1",
        f"{MANAGE}/{article_id}/revisions/2/diff",
        f"{MANAGE}/{article_id}/preview",
        f"{MANAGE}/{article_id}/checks",
        "/api/v1/manage/audit",
        "/api/v1/manage/tokens",
    ]
    for path in editor_reads:
        role = "admin" if path.endswith(("audit", "tokens")) else "editor"
        for _ in range(2):  # a second read would be a HIT if the proxy had stored the first
            reply = http(proxy + path, headers=server.auth(role))
            assert reply.status == 200, (path, reply.status)
            assert reply.headers.get("X-Proxy-Cache") != "HIT", path
    for path in editor_reads:
        anonymous = http(proxy + path)
        assert anonymous.status == 401, (path, anonymous.status, anonymous.body[:200])
        assert b"An unpublished draft" not in anonymous.body
        assert b"still a draft" not in anonymous.body
    draft = http(f"{proxy}/api/v1/articles/draft-only")
    assert draft.status == 404


def test_public_reads_are_cached_by_the_proxy(proxied: tuple[str, Server]):
    # The proxy really caches: what it does not store above, it chose not to store.
    proxy, _server = proxied
    first = http(f"{proxy}/api/v1/articles")
    second = http(f"{proxy}/api/v1/articles")
    assert (first.status, second.status) == (200, 200)
    assert second.headers["X-Proxy-Cache"] == "HIT"
