"""Scheduled publication and expiry, run by the worker's task at fixed times."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.articles.models import Article
from cms.audit.models import AuditEvent
from cms.audit.service import Actor
from cms.errors import Conflict, InvalidDocument
from cms.outbox.models import OutboxEvent
from cms.publishing import schedules
from cms.publishing.schedules import run_schedules
from cms.worker import default_tasks
from cms.workflow import service as workflow
from cms.workflow.states import Action
from tests.factories import NOW, create_article, revise

REVIEWER = Actor(name="dr-reviewer", role="reviewer", display_name="Dr R", credentials="MD")
PUBLISHER = Actor(name="the-publisher", role="publisher")
HOUR = dt.timedelta(hours=1)
DETAIL = "/api/v1/articles/stem-cells-scleroderma"


def _approved(session: Session, **overrides) -> Article:
    article = create_article(session, publish=False, **overrides)
    for action, actor in ((Action.SUBMIT, PUBLISHER), (Action.APPROVE, REVIEWER)):
        workflow.transition(session, article=article, action=action, actor=actor, now=NOW)
    session.flush()
    return article


def _schedule(session: Session, article: Article, **times: dt.datetime) -> None:
    workflow.transition(
        session, article=article, action=Action.SCHEDULE, actor=PUBLISHER, now=NOW, **times
    )
    session.flush()


def _actions(session: Session, article: Article) -> list[tuple[str, str]]:
    events = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.article_id == article.id).order_by(AuditEvent.id)
    )
    return [(event.action, event.actor) for event in events]


def _event_types(session: Session) -> list[str]:
    return [e.type for e in session.scalars(sa.select(OutboxEvent).order_by(OutboxEvent.id))]


def test_the_worker_runs_the_schedule_task():
    assert run_schedules in default_tasks()


def test_a_scheduled_publication_goes_live_when_due_and_not_before(
    session: Session, client: FlaskClient
):
    article = _approved(session)
    _schedule(session, article, publish_at=NOW + HOUR)
    assert run_schedules(session, NOW + HOUR - dt.timedelta(seconds=1)) == 0
    session.commit()
    assert client.get(DETAIL).status_code == 404
    session.execute(sa.delete(OutboxEvent))
    assert run_schedules(session, NOW + HOUR) == 1
    session.commit()
    live = client.get(DETAIL)
    assert live.status_code == 200
    assert live.get_json()["revision"] == 2  # the signed-off revision
    assert (article.status, article.live_revision) == ("published", 2)
    assert schedules.get(session, article) is None
    assert _actions(session, article)[-2:] == [
        ("article.schedule", "the-publisher"),
        ("article.publish", "cms worker"),
    ]
    published = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "article.publish")
    ).one()
    assert published.details["scheduled_by"] == "the-publisher"
    assert _event_types(session) == ["article.published", "cdn.purge"]
    assert run_schedules(session, NOW + 2 * HOUR) == 0  # done once


def test_an_edit_after_scheduling_cancels_the_publication(session: Session, client: FlaskClient):
    article = _approved(session)
    _schedule(session, article, publish_at=NOW + HOUR)
    revise(session, article, title="Changed after the sign-off")
    shown = schedules.view(session, article)
    assert shown is not None
    assert shown["state"] == "cancelled"
    assert "revision 2 was scheduled" in shown["cancel_reason"].lower()
    assert run_schedules(session, NOW + HOUR) == 1
    session.commit()
    assert client.get(DETAIL).status_code == 404
    assert article.live_revision is None
    cancelled = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "article.cancel_schedule")
    ).one()
    assert cancelled.actor == "cms worker"
    assert "changed since" in cancelled.details["reason"]
    assert run_schedules(session, NOW + 2 * HOUR) == 0  # cancelled rows are not claimed again


def test_an_expiry_takes_a_live_article_offline_with_a_410(session: Session, client: FlaskClient):
    article = create_article(session)
    _schedule(session, article, unpublish_at=NOW + HOUR)
    session.execute(sa.delete(OutboxEvent))
    assert run_schedules(session, NOW + HOUR) == 1
    session.commit()
    gone = client.get(DETAIL)
    assert gone.status_code == 410
    assert gone.get_json()["detail"] == "This article is no longer published."
    assert article.live_revision is None
    assert _event_types(session) == ["article.expired", "cdn.purge"]
    assert _actions(session, article)[-1] == ("article.expire", "cms worker")


def test_publication_and_expiry_run_in_order(session: Session, client: FlaskClient):
    article = _approved(session)
    _schedule(session, article, publish_at=NOW + HOUR, unpublish_at=NOW + 3 * HOUR)
    assert run_schedules(session, NOW + 2 * HOUR) == 1
    session.commit()
    assert client.get(DETAIL).status_code == 200
    shown = schedules.view(session, article)
    assert shown is not None
    assert (shown["publish_at"], shown["unpublish_at"]) == (None, NOW + 3 * HOUR)
    assert run_schedules(session, NOW + 3 * HOUR) == 1
    session.commit()
    assert client.get(DETAIL).status_code == 410
    assert schedules.get(session, article) is None


def test_a_publication_the_checks_now_refuse_is_cancelled_with_the_reason(
    session: Session, client: FlaskClient
):
    article = _approved(session)  # next_review: 12 months after NOW
    due = NOW + dt.timedelta(days=400)
    _schedule(session, article, publish_at=due)
    assert run_schedules(session, due) == 1
    session.commit()
    assert client.get(DETAIL).status_code == 404
    shown = schedules.view(session, article)
    assert shown is not None
    assert shown["state"] == "cancelled"
    assert shown["cancel_reason"].startswith("Publishing failed:")
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxEvent)) == 0


def test_a_publication_needs_an_approved_revision_and_an_expiry_a_live_article(
    session: Session,
):
    draft = create_article(session, publish=False)
    with pytest.raises(Conflict):
        schedules.schedule(
            session, article=draft, actor=PUBLISHER, now=NOW, publish_at=NOW + HOUR,
            unpublish_at=None,
        )  # fmt: skip
    with pytest.raises(Conflict):
        schedules.schedule(
            session, article=draft, actor=PUBLISHER, now=NOW, publish_at=None,
            unpublish_at=NOW + HOUR,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("publish_at", "unpublish_at", "pointer"),
    [
        (NOW - HOUR, None, "/publish_at"),
        (NOW, None, "/publish_at"),
        (NOW + HOUR, NOW + HOUR, "/unpublish_at"),
        (None, None, "/publish_at"),
    ],
)
def test_times_must_lie_ahead_and_in_order(
    session: Session, publish_at: dt.datetime | None, unpublish_at: dt.datetime | None, pointer: str
):
    article = _approved(session)
    with pytest.raises(InvalidDocument) as refused:
        schedules.schedule(
            session, article=article, actor=PUBLISHER, now=NOW, publish_at=publish_at,
            unpublish_at=unpublish_at,
        )  # fmt: skip
    assert refused.value.errors[0].pointer == pointer
    assert schedules.get(session, article) is None


def test_cancelling_drops_the_schedule(session: Session):
    article = _approved(session)
    _schedule(session, article, publish_at=NOW + HOUR)
    workflow.transition(
        session, article=article, action=Action.CANCEL_SCHEDULE, actor=PUBLISHER, now=NOW
    )
    assert schedules.get(session, article) is None
    assert run_schedules(session, NOW + HOUR) == 0
    assert article.live_revision is None
    assert _actions(session, article)[-1] == ("article.cancel_schedule", "the-publisher")
