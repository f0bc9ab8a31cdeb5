"""Reviews coming due: the editors' list, and one article.review_due per live next_review."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.outbox.models import OutboxEvent
from cms.publishing import service as publishing
from cms.reviews.service import remind_due
from cms.worker import default_tasks
from tests.editors import Editors
from tests.factories import NOW, TESTER, create_article, revise

REVIEWS = "/api/v1/manage/reviews"


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day + "T06:00:00+00:00")


def _reminders(session: Session) -> list[dict]:
    events = session.scalars(
        sa.select(OutboxEvent)
        .where(OutboxEvent.type == "article.review_due")
        .order_by(OutboxEvent.id)
    )
    return [event.payload["data"] for event in events]


def test_the_worker_runs_the_reminders():
    assert remind_due in default_tasks()


def test_a_passed_next_review_is_announced_once(session: Session):
    article = create_article(session)  # live, next_review 2027-10-01
    version = article.version
    assert remind_due(session, _at("2027-10-01")) == 0  # due that day, not yet passed
    assert remind_due(session, _at("2027-10-02")) == 1
    assert remind_due(session, _at("2027-10-03")) == 0
    assert _reminders(session) == [
        {
            "article": {
                "id": str(article.id), "slug": "stem-cells-scleroderma", "locale": "en",
                "live_revision": 1,
            },
            "next_review": "2027-10-01",
        }
    ]  # fmt: skip
    session.refresh(article)
    assert article.version == version  # editors' copies (ETags) stay current


def test_a_new_next_review_rearms_the_reminder(session: Session):
    article = create_article(session)
    assert remind_due(session, _at("2027-10-02")) == 1
    revise(session, article, publish=True, next_review="2028-06-01")
    assert remind_due(session, _at("2027-10-03")) == 0
    assert remind_due(session, _at("2028-06-02")) == 1
    assert [r["next_review"] for r in _reminders(session)] == ["2027-10-01", "2028-06-01"]


def test_drafts_and_offline_articles_get_no_reminder(session: Session):
    create_article(session, slug="only-a-draft", publish=False)
    offline = create_article(session, slug="taken-offline")
    publishing.unpublish(session, article=offline, actor=TESTER, now=NOW, comment=None)
    assert remind_due(session, _at("2030-01-01")) == 0


def test_the_list_shows_live_articles_soonest_first_page_by_page(
    editors: Editors, client: FlaskClient, session: Session
):
    for slug, next_review in [
        ("later", "2027-09-01"), ("soonest", "2027-01-15"), ("middle", "2027-03-01"),
        ("beyond", "2028-01-01"),
    ]:  # fmt: skip
        create_article(session, slug=slug, next_review=next_review)
    create_article(session, slug="draft", next_review="2027-01-01", publish=False)
    session.commit()
    headers = editors.headers("editor")
    first = client.get(f"{REVIEWS}?due_before=2027-12-31&limit=2", headers=headers)
    assert first.status_code == 200, first.get_json()
    body = first.get_json()
    assert [(i["slug"], i["next_review"]) for i in body["items"]] == [
        ("soonest", "2027-01-15"), ("middle", "2027-03-01"),
    ]  # fmt: skip
    assert body["total"] == 3
    second = client.get(
        f"{REVIEWS}?due_before=2027-12-31&limit=2&cursor={body['next_cursor']}", headers=headers
    )
    assert [i["slug"] for i in second.get_json()["items"]] == ["later"]
    assert second.get_json()["next_cursor"] is None
    everything = client.get(REVIEWS, headers=headers).get_json()
    assert [i["slug"] for i in everything["items"]] == ["soonest", "middle", "later", "beyond"]


def test_bad_query_parameters_are_400(editors: Editors, client: FlaskClient):
    headers = editors.headers("editor")
    assert client.get(f"{REVIEWS}?due_before=31-12-2027", headers=headers).status_code == 400
    assert client.get(f"{REVIEWS}?cursor=not-ours", headers=headers).status_code == 400
