"""``allowed_actions`` is what the caller's own role may do next: no button that answers 403."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tests.editors import MANAGE, Editors

_slugs = itertools.count()

# What the README's role table promises, per workflow state (the article's state
# allows these; each role sees the ones its permissions cover).
EXPECTED = {
    "draft": {
        "editor": ["submit"],
        "reviewer": ["submit"],
        "publisher": ["submit", "archive"],
        "admin": ["submit", "archive"],
    },
    "in_review": {
        "editor": [],
        "reviewer": ["approve", "request_changes"],
        "publisher": ["archive"],
        "admin": ["approve", "request_changes", "archive"],
    },
    "approved": {
        "editor": [],
        "reviewer": [],
        "publisher": ["publish", "archive", "schedule"],
        "admin": ["publish", "archive", "schedule"],
    },
    "published": {
        "editor": [],
        "reviewer": [],
        "publisher": ["unpublish", "archive", "schedule"],
        "admin": ["unpublish", "archive", "schedule"],
    },
    "scheduled": {
        "editor": [],
        "reviewer": [],
        "publisher": ["publish", "archive", "schedule", "cancel_schedule"],
        "admin": ["publish", "archive", "schedule", "cancel_schedule"],
    },
}
# The API acts at the real time: schedules lie a day ahead of it.
AHEAD = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
STEPS = {
    "draft": [],
    "in_review": ["submit"],
    "approved": ["submit", "approve"],
    "published": ["submit", "approve", "publish"],
    "scheduled": ["submit", "approve", "schedule"],
}
BODIES = {
    "request_changes": {"comment": "Please cite the trial."},
    "schedule": {"publish_at": AHEAD},
}


def _body(status: str, action: str) -> dict[str, str]:
    if action == "schedule" and status == "published":
        return {"unpublish_at": AHEAD}  # a live article's expiry
    return BODIES.get(action, {})


def _article_in(editors: Editors, status: str) -> tuple[str, str]:
    created = editors.create("editor", slug=f"actions-{next(_slugs)}")
    article_id, etag = created.get_json()["id"], created.headers["ETag"]
    for action in STEPS[status]:
        etag = editors.act("admin", article_id, etag, action, **_body(status, action)).headers[
            "ETag"
        ]
    return article_id, etag


@pytest.mark.parametrize("status", list(EXPECTED))
def test_allowed_actions_are_those_of_the_callers_role(editors: Editors, status: str):
    article_id, _etag = _article_in(editors, status)
    for role, expected in EXPECTED[status].items():
        read = editors.client.get(f"{MANAGE}/{article_id}", headers=editors.headers(role))
        assert read.get_json()["allowed_actions"] == expected, role


@pytest.mark.parametrize("role", ["editor", "reviewer", "publisher"])
def test_every_offered_action_succeeds_and_every_other_is_refused(editors: Editors, role: str):
    for status in EXPECTED:
        article_id, etag = _article_in(editors, status)
        read = editors.client.get(f"{MANAGE}/{article_id}", headers=editors.headers(role))
        offered = read.get_json()["allowed_actions"]
        possible = EXPECTED[status]["admin"]  # everything the state allows
        for action in [a for a in possible if a not in offered]:
            assert editors.act(role, article_id, etag, action).status_code == 403, (status, action)
        for action in offered:  # each on a fresh copy: one would move the article on
            article_id, etag = _article_in(editors, status)
            response = editors.act(role, article_id, etag, action, **_body(status, action))
            assert response.status_code == 200, (status, action, response.get_json())


def test_the_answer_to_a_write_lists_the_writers_actions(editors: Editors):
    created = editors.create("editor")
    assert created.get_json()["allowed_actions"] == ["submit"]
    article_id, etag = created.get_json()["id"], created.headers["ETag"]
    submitted = editors.act("editor", article_id, etag, "submit")
    assert submitted.get_json()["allowed_actions"] == []
    listed = editors.client.get(f"{MANAGE}/{article_id}", headers=editors.headers("reviewer"))
    assert listed.get_json()["allowed_actions"] == ["approve", "request_changes"]


def test_an_action_the_role_may_not_take_is_403_whatever_if_match_says(editors: Editors):
    article_id, _etag = _article_in(editors, "in_review")
    for if_match in ({}, {"If-Match": '"v1"'}, {"If-Match": "*"}):
        response = editors.client.post(
            f"{MANAGE}/{article_id}/transitions",
            json={"action": "approve"},
            headers=editors.headers("editor", **if_match),
        )
        assert response.status_code == 403, if_match
