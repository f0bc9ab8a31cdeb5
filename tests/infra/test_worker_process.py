"""``cms worker`` as it really runs: a process of its own on a committed database."""

from __future__ import annotations

import datetime as dt
import signal
from pathlib import Path

import pytest
import sqlalchemy as sa

from cms.app import create_app
from cms.audit.service import Actor
from cms.db import Database, create_engine, utcnow
from cms.outbox import service as outbox
from cms.outbox.models import OutboxEvent
from cms.workflow import service as workflow
from cms.workflow.states import Action
from tests.factories import TESTER, create_article
from tests.live import live_database_url, wait_for, worker_process

REVIEWER = Actor(name="dr-reviewer", role="reviewer", display_name="Dr R", credentials="MD")
APP_NAME = "cms-worker-under-test"  # libpq's PGAPPNAME: only its connections are killed


@pytest.fixture
def url(backend: str, tmp_path: Path) -> str:
    return live_database_url(backend, tmp_path, "worker_live")


def _pending(database: Database) -> int:
    with database.session() as session:
        return outbox.pending(session)


def _publish(database: Database, slug: str) -> None:
    with database.session(write=True) as session:
        create_article(session, slug=slug)
        session.commit()


def test_the_worker_delivers_what_was_written_before_it_started_and_stops_on_sigterm(
    url: str, tmp_path: Path
):
    database = Database(create_engine(url))
    _publish(database, "written-while-no-worker-ran")
    assert _pending(database) == 2
    with worker_process(url, tmp_path) as worker:
        wait_for(lambda: _pending(database) == 0, what="the backlog to drain")
        _publish(database, "written-while-it-runs")
        wait_for(lambda: _pending(database) == 0, what="the new events")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(10) == 0
    log = worker.log_path.read_text()  # type: ignore[attr-defined]
    assert "worker stopping on SIGTERM" in log
    assert "Traceback" not in log
    with database.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(OutboxEvent)) == 4
    database.dispose()


def test_the_worker_carries_on_by_itself_after_the_database_drops_its_connections(
    backend: str, url: str, tmp_path: Path
):
    """As after a PostgreSQL restart: every server connection of the worker is killed."""
    if backend != "postgresql":
        pytest.skip("SQLite has no server connections to lose")
    database = Database(create_engine(url))
    with worker_process(url, tmp_path, env={"PGAPPNAME": APP_NAME}) as worker:
        _publish(database, "before-the-restart")
        wait_for(lambda: _pending(database) == 0, what="the first events")
        with database.engine.begin() as connection:
            killed = connection.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": APP_NAME},
            ).scalar_one()
        assert killed >= 1
        _publish(database, "after-the-restart")
        wait_for(lambda: _pending(database) == 0, timeout=30, what="events after the restart")
        assert worker.poll() is None  # still running
        worker.terminate()
        assert worker.wait(10) == 0
    database.dispose()


def test_a_scheduled_publication_goes_live_by_itself_within_seconds(url: str, tmp_path: Path):
    database = Database(create_engine(url))
    with database.session(write=True) as session:
        article = create_article(session, slug="goes-live-by-itself", publish=False, now=utcnow())
        for action, actor in ((Action.SUBMIT, TESTER), (Action.APPROVE, REVIEWER)):
            workflow.transition(session, article=article, action=action, actor=actor, now=utcnow())
        publish_at = utcnow() + dt.timedelta(seconds=2)
        workflow.transition(
            session, article=article, action=Action.SCHEDULE, actor=TESTER, now=utcnow(),
            publish_at=publish_at,
        )  # fmt: skip
        session.commit()
    public = create_app({"DATABASE": database, "TESTING": True}).test_client()
    assert public.get("/api/v1/articles/goes-live-by-itself").status_code == 404
    with worker_process(url, tmp_path) as worker:
        live = wait_for(
            lambda: public.get("/api/v1/articles/goes-live-by-itself").status_code == 200,
            timeout=15,
            what="the scheduled publication",
        )
        assert live
        assert utcnow() >= publish_at
        worker.terminate()
        assert worker.wait(10) == 0
    assert "Traceback" not in worker.log_path.read_text()  # type: ignore[attr-defined]
    database.dispose()
