"""Scheduling through the editors' API: times with zones, ahead; the schedule on the article."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.editors import MANAGE, Editors

# The API acts at the real time: schedules lie ahead of it.
AHEAD = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=2)


def _approved(editors: Editors, slug: str = "scheduled") -> tuple[str, str]:
    created = editors.create("editor", slug=slug)
    article_id, etag = created.get_json()["id"], created.headers["ETag"]
    for action in ("submit", "approve"):
        etag = editors.act("admin", article_id, etag, action).headers["ETag"]
    return article_id, etag


def test_the_article_shows_its_schedule(editors: Editors):
    article_id, etag = _approved(editors)
    publish_at = AHEAD.astimezone(dt.timezone(dt.timedelta(hours=2)))
    scheduled = editors.act(
        "publisher", article_id, etag, "schedule", publish_at=publish_at.isoformat()
    )
    assert scheduled.status_code == 200, scheduled.get_json()
    assert scheduled.headers["ETag"] != etag  # caches of the article must see it
    schedule = scheduled.get_json()["schedule"]
    assert dt.datetime.fromisoformat(schedule["publish_at"]) == AHEAD  # the same instant
    assert (schedule["unpublish_at"], schedule["revision"]) == (None, 2)
    assert (schedule["state"], schedule["scheduled_by"]) == ("pending", "publisher-token")
    assert scheduled.get_json()["status"] == "approved"  # not live until the worker runs
    assert "cancel_schedule" in scheduled.get_json()["allowed_actions"]
    read = editors.client.get(f"{MANAGE}/{article_id}", headers=editors.headers("editor"))
    assert read.get_json()["schedule"] == schedule
    cancelled = editors.act("publisher", article_id, scheduled.headers["ETag"], "cancel_schedule")
    assert cancelled.status_code == 200
    assert cancelled.get_json()["schedule"] is None


def test_an_edit_after_scheduling_shows_the_schedule_cancelled(editors: Editors):
    article_id, etag = _approved(editors)
    etag = editors.act(
        "publisher", article_id, etag, "schedule", publish_at=AHEAD.isoformat()
    ).headers["ETag"]
    edited = editors.client.patch(
        f"{MANAGE}/{article_id}",
        json={"title": "Changed after the sign-off"},
        headers=editors.headers("editor", **{"If-Match": etag}),
    )
    schedule = edited.get_json()["schedule"]
    assert schedule["state"] == "cancelled"
    assert "approve and schedule it again" in schedule["cancel_reason"]


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"publish_at": "2099-01-01T09:00:00"}, "/publish_at"),  # no time zone
        ({"publish_at": "next tuesday"}, "/publish_at"),
        ({"publish_at": "2020-01-01T09:00:00Z"}, "/publish_at"),  # past
        ({"publish_at": AHEAD.isoformat(), "unpublish_at": AHEAD.isoformat()}, "/unpublish_at"),
        ({}, "/publish_at"),
    ],
)
def test_bad_times_are_422(editors: Editors, body: dict, pointer: str):
    article_id, etag = _approved(editors)
    refused = editors.act("publisher", article_id, etag, "schedule", **body)
    assert refused.status_code == 422, refused.get_json()
    assert [e["pointer"] for e in refused.get_json()["errors"]] == [pointer]
    read = editors.client.get(f"{MANAGE}/{article_id}", headers=editors.headers("editor"))
    assert read.get_json()["schedule"] is None
    assert read.headers["ETag"] == etag


def test_a_draft_cannot_be_scheduled(editors: Editors):
    created = editors.create("editor", slug="draft-only")
    refused = editors.act(
        "publisher", created.get_json()["id"], created.headers["ETag"], "schedule",
        publish_at=AHEAD.isoformat(),
    )  # fmt: skip
    assert refused.status_code == 409
    assert refused.get_json()["allowed_actions"] == ["submit", "archive"]


def test_only_publishers_schedule(editors: Editors):
    article_id, etag = _approved(editors)
    for role in ("editor", "reviewer"):
        refused = editors.act(role, article_id, etag, "schedule", publish_at=AHEAD.isoformat())
        assert refused.status_code == 403
