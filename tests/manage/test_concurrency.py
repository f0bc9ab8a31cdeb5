"""No lost updates under real concurrency: committed transactions, parallel requests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from cms import migrate
from cms.app import create_app
from cms.articles import service
from cms.articles.models import Revision
from cms.articles.schemas import load_document
from cms.audit.models import AuditEvent
from cms.auth import service as tokens
from cms.auth.roles import Role
from cms.db import Database, utcnow
from tests.conftest import empty_engine
from tests.editors import MANAGE
from tests.factories import TESTER, article_document

WRITERS = 8


@pytest.fixture
def committing_app(backend: str, tmp_path: Path) -> Iterator[tuple[Flask, Database]]:
    """An app on its own database whose requests really commit (no wrapping transaction)."""
    engine = empty_engine(backend, tmp_path, "cms_concurrency_test")
    migrate.upgrade(engine)
    database = Database(engine)
    yield create_app({"DATABASE": database}), database
    database.dispose()


def test_concurrent_writers_of_one_version_one_wins_the_rest_get_412(committing_app):
    app, database = committing_app
    with database.session(write=True) as session:
        secrets = [
            tokens.create_token(
                session, name=f"writer-{i}", role=Role.EDITOR, actor=TESTER, now=utcnow()
            ).secret
            for i in range(WRITERS)
        ]
        article = service.create_article(
            session, document=load_document(article_document()), actor=TESTER, now=utcnow()
        )
        session.commit()
        article_id = article.id

    barrier = threading.Barrier(WRITERS)
    results: dict[int, tuple[int, str]] = {}

    def write(index: int) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.put(
            f"{MANAGE}/{article_id}",
            json=article_document(title=f"Title from writer {index}"),
            headers={"Authorization": f"Bearer {secrets[index]}", "If-Match": '"v1"'},
        )
        results[index] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = sorted(status for status, _ in results.values())
    assert statuses == [200] + [412] * (WRITERS - 1), results
    winner = next(i for i, (status, _) in results.items() if status == 200)
    with database.session() as session:
        revisions = session.scalars(
            sa.select(Revision).where(Revision.article_id == article_id).order_by(Revision.number)
        ).all()
        updates = session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "article.update")
        )
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[1].document["title"] == f"Title from writer {winner}"
    assert revisions[1].created_by == f"writer-{winner}"
    assert updates == 1


def test_concurrent_imports_of_one_slug_never_fail_with_a_server_error(committing_app):
    app, database = committing_app
    with database.session(write=True) as session:
        secret = tokens.create_token(
            session, name="importer", role=Role.ADMIN, actor=TESTER, now=utcnow()
        ).secret
        # The article exists: every import updates it at once.
        service.create_article(
            session, document=load_document(article_document()), actor=TESTER, now=utcnow()
        )
        session.commit()
    barrier = threading.Barrier(WRITERS)
    results: dict[int, int] = {}

    def import_one(index: int) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(
            "/api/v1/manage/imports",
            json=[article_document(title=f"Imported by {index}")],
            headers={"Authorization": f"Bearer {secret}"},
        )
        results[index] = response.status_code

    threads = [threading.Thread(target=import_one, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(results) == WRITERS
    assert set(results.values()) <= {200, 409}, results  # the losers may retry; never a 5xx
    assert 200 in results.values()
    with database.session() as session:
        titles = [r.document["title"] for r in session.scalars(sa.select(Revision))]
    # One article; each successful import added exactly one revision.
    assert len(titles) == 1 + sum(status == 200 for status in results.values())
