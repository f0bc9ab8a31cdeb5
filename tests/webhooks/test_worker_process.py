"""At least once, for real: ``cms worker`` killed with SIGKILL while a delivery is in
flight, restarted, and the event still arrives with the same webhook-id."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
import standardwebhooks

from cms.db import Database, create_engine, utcnow
from cms.webhooks import service as webhooks
from cms.webhooks.models import WebhookAttempt, WebhookDelivery
from tests.factories import NOW, TESTER, create_article
from tests.live import live_database_url, wait_for, worker_process
from tests.webhooks.helpers import LOOPBACK
from tests.webhooks.receiver import receiver

WORKER_ENV = {
    "CMS_WEBHOOK_ALLOW_CIDRS": "127.0.0.0/8",
    "CMS_WEBHOOK_CONNECT_TIMEOUT": "1",
    "CMS_WEBHOOK_READ_TIMEOUT": "3",  # the worker is killed well before the first times out
    "CMS_WEBHOOK_LEASE_SECONDS": "1",  # raised to one whole attempt, 1 + 3 + 5 s
}


@pytest.fixture
def url(backend: str, tmp_path: Path) -> str:
    return live_database_url(backend, tmp_path, "webhooks_live")


def _attempts(database: Database) -> list[WebhookAttempt]:
    with database.session() as session:
        return list(session.scalars(sa.select(WebhookAttempt).order_by(WebhookAttempt.attempt)))


def _log(database: Database) -> list[tuple[int, str]]:
    return [(a.attempt, a.outcome) for a in _attempts(database)]


def _status(database: Database) -> str | None:
    with database.session() as session:
        return session.scalar(sa.select(WebhookDelivery.status))


def test_a_worker_killed_mid_delivery_leaves_it_to_the_next_worker(url: str, tmp_path: Path):
    database = Database(create_engine(url))
    release = threading.Event()
    with receiver() as endpoint:
        endpoint.before_answer = lambda number: release.wait(30) if number == 1 else None
        with database.session(write=True) as session:
            issued = webhooks.create_webhook(
                session, url=endpoint.url, events=["article.published"], actor=TESTER,
                now=utcnow(), settings=LOOPBACK,
            )  # fmt: skip
            session.commit()
            # Published at the fixtures' time, whose review dates hold on any day; the
            # worker hands the event on by its own clock.
            create_article(session, slug="published-while-no-worker-ran", now=NOW)
            session.commit()
        with worker_process(url, tmp_path, env=WORKER_ENV) as first:
            wait_for(lambda: len(endpoint.received) == 1, what="the first attempt")
            first.send_signal(signal.SIGKILL)
            assert first.wait(10) == -signal.SIGKILL
        assert _status(database) == "sending"
        assert _log(database) == [(1, "sending")]
        release.set()  # the endpoint answers the dead connection; nobody records it
        with worker_process(url, tmp_path, env=WORKER_ENV) as second:
            # Not before the lease of the killed worker's claim has run out (9 s).
            wait_for(lambda: _status(database) == "delivered", timeout=40, what="the delivery")
            second.terminate()
            assert second.wait(10) == 0
    first_try, second_try = endpoint.received
    assert first_try.headers["webhook-id"] == second_try.headers["webhook-id"]
    verifier = standardwebhooks.Webhook(issued.secret)
    assert verifier.verify(second_try.body, second_try.headers)["type"] == "article.published"
    assert _log(database) == [(1, "abandoned"), (2, "delivered")]
    killed, redone = _attempts(database)
    assert (redone.attempted_at - killed.attempted_at).total_seconds() >= 9  # after the lease
    assert "Traceback" not in second.log_path.read_text()  # type: ignore[attr-defined]
    database.dispose()
