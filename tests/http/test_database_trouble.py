"""A database that cannot take a write answers with a problem, loses nothing, and reads go on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from cms import migrate
from cms.app import create_app
from cms.articles.models import Article
from cms.auth import service as tokens
from cms.auth.roles import Role
from cms.db import Database, create_engine, utcnow
from tests.factories import TESTER, article_document, create_article


def _committed(path: Path) -> tuple[str, str]:
    """A migrated SQLite file with one published article; returns (url, admin secret)."""
    url = f"sqlite:///{path}"
    database = Database.from_url(url)
    migrate.upgrade(database.engine)
    with database.session(write=True) as session:
        secret = tokens.create_token(
            session, name="boss", role=Role.ADMIN, actor=TESTER, now=utcnow(), credentials="MD"
        ).secret
        create_article(session)
        session.commit()
    database.engine.dispose()
    return url, secret


def _count_articles(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(sa.select(sa.func.count()).select_from(Article)).scalar_one()
    engine.dispose()
    return count


def test_a_full_disk_is_a_507_problem_and_nothing_is_imported(tmp_path: Path):
    url, secret = _committed(tmp_path / "full.sqlite3")
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _no_room_to_grow(dbapi_connection: Any, _record: Any) -> None:
        # SQLITE_FULL, as on a full disk: the file may not grow past its size now.
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 2}")

    database = Database(engine)
    app = create_app({"DATABASE": database})
    batch = [article_document(slug=f"bulk-{i}", summary="x" * 900) for i in range(60)]
    response = app.test_client().post(
        "/api/v1/manage/imports", json=batch, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 507
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["type"] == "/problems/storage-full"
    assert "Retry-After" in response.headers
    assert _count_articles(url) == 1
    # Reads still work.
    assert app.test_client().get("/api/v1/articles/stem-cells-scleroderma").status_code == 200
    database.dispose()


def test_a_read_only_database_refuses_writes_with_503_and_keeps_serving(tmp_path: Path):
    path = tmp_path / "readonly.sqlite3"
    _url, secret = _committed(path)
    app = create_app({"DATABASE_URL": f"sqlite:///file:{path}?mode=ro&uri=true"})
    client = app.test_client()
    assert client.get("/api/v1/articles/stem-cells-scleroderma").status_code == 200
    response = client.post(
        "/api/v1/manage/articles",
        json=article_document(slug="new-one"),
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["type"] == "/problems/database-read-only"
    assert int(response.headers["Retry-After"]) > 0
    app.extensions["cms.database"].dispose()


@pytest.mark.parametrize("path", ["/api/v1/articles", "/api/v1/manage/articles"])
def test_an_unreachable_database_is_a_503_problem(path: str):
    # Nothing listens on port 1: connection refused at once.
    app = create_app({"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    response = app.test_client().get(path, headers={"Authorization": "Bearer cms_x"})
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["type"] == "/problems/database-unavailable"
    assert response.headers["Retry-After"] == "5"
    assert app.test_client().get("/healthz").status_code == 200
