"""Emergency withdrawal: off the public API at once, 410 with a neutral notice, sign-off gone."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.audit.models import AuditEvent
from cms.outbox.models import OutboxEvent
from tests.editors import MANAGE, Editors

REASON = "The dosing table gives the adult dose for children."
NOTICE = "This article has been withdrawn and is no longer available."
_slugs = itertools.count()


def _live(editors: Editors) -> tuple[str, str, str]:
    """A published article (written by the editor, signed off and published by the admin)."""
    slug = f"withdrawn-{next(_slugs)}"
    created = editors.create("editor", slug=slug)
    article_id, etag = created.get_json()["id"], created.headers["ETag"]
    for action in ("submit", "approve", "publish"):
        response = editors.act("admin", article_id, etag, action)
        assert response.status_code == 200, response.get_json()
        etag = response.headers["ETag"]
    return article_id, etag, slug


def _withdraw(editors: Editors, article_id: str, etag: str | None, role: str = "reviewer", **body):
    headers = editors.headers(role, **({"If-Match": etag} if etag else {}))
    return editors.client.post(
        f"{MANAGE}/{article_id}/withdraw", json=body or {"reason": REASON}, headers=headers
    )


def test_the_public_address_answers_410_with_the_neutral_notice_never_the_reason(
    editors: Editors, client: FlaskClient
):
    article_id, etag, slug = _live(editors)
    assert client.get(f"/api/v1/articles/{slug}").status_code == 200
    withdrawn = _withdraw(editors, article_id, etag)
    assert withdrawn.status_code == 200, withdrawn.get_json()
    body = withdrawn.get_json()
    assert (body["status"], body["live_revision"], body["approval"]) == ("draft", None, None)
    assert body["allowed_actions"] == ["submit"]  # the reviewer's own buttons
    gone = client.get(f"/api/v1/articles/{slug}")
    assert gone.status_code == 410
    assert gone.get_json()["type"] == "/problems/withdrawn"
    assert gone.get_json()["detail"] == NOTICE
    assert "dose" not in gone.get_data(as_text=True)
    assert client.get("/api/v1/articles").get_json()["items"] == []
    assert client.get("/api/v1/search?q=scleroderma").get_json()["items"] == []


def test_the_audit_log_records_who_withdrew_it_and_why(editors: Editors, session: Session):
    article_id, etag, _slug = _live(editors)
    assert _withdraw(editors, article_id, etag, role="publisher").status_code == 200
    event = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "article.withdraw")
    ).one()
    assert str(event.article_id) == article_id
    assert (event.actor, event.actor_role) == ("publisher-token", "publisher")
    assert event.details["reason"] == REASON
    assert event.details["status"] == ["published", "draft"]
    assert event.revision == 2  # the signed-off revision that was live


def test_it_leaves_a_withdrawn_event_and_a_purge_in_the_outbox(editors: Editors, session: Session):
    article_id, etag, slug = _live(editors)
    session.execute(sa.delete(OutboxEvent))
    assert _withdraw(editors, article_id, etag).status_code == 200
    events = list(session.scalars(sa.select(OutboxEvent).order_by(OutboxEvent.id)))
    assert [event.type for event in events] == ["article.withdrawn", "cdn.purge"]
    data = events[0].payload["data"]
    assert data["article"] == {
        "id": article_id, "slug": slug, "locale": "en", "live_revision": None, "revision": 2,
    }  # fmt: skip
    assert data["change"]["kind"] == "withdrawn"
    assert f"slug:en:{slug}" in events[1].payload["data"]["surrogate_keys"]
    assert "reason" not in str(events[0].payload)


def test_publishing_again_needs_a_fresh_review_and_approval(
    editors: Editors, client: FlaskClient, session: Session
):
    article_id, etag, slug = _live(editors)
    etag = _withdraw(editors, article_id, etag).headers["ETag"]
    refused = editors.act("admin", article_id, etag, "publish")
    assert refused.status_code == 409
    assert refused.get_json()["allowed_actions"] == ["submit", "archive"]
    submitted = editors.act("editor", article_id, etag, "submit")
    # The same reviewer may sign it off again on the same day: a new revision carries it.
    approved = editors.act("admin", article_id, submitted.headers["ETag"], "approve")
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["revision"] == 3
    assert approved.get_json()["approval"]["revision"] == 3
    published = editors.act("admin", article_id, approved.headers["ETag"], "publish")
    assert published.status_code == 200, published.get_json()
    assert client.get(f"/api/v1/articles/{slug}").status_code == 200


def test_a_withdrawal_drops_a_pending_schedule(editors: Editors):
    article_id, etag, _slug = _live(editors)
    scheduled = editors.act("admin", article_id, etag, "schedule", unpublish_at="2099-01-01T00:00Z")
    assert scheduled.status_code == 200, scheduled.get_json()
    withdrawn = _withdraw(editors, article_id, scheduled.headers["ETag"])
    assert withdrawn.get_json()["schedule"] is None


def test_an_article_that_is_not_live_cannot_be_withdrawn(editors: Editors):
    created = editors.create("editor", slug="never-live")
    article_id, etag = created.get_json()["id"], created.headers["ETag"]
    refused = _withdraw(editors, article_id, etag)
    assert refused.status_code == 409
    assert "not live" in refused.get_json()["detail"]
    read = editors.client.get(f"{MANAGE}/{article_id}", headers=editors.headers("editor"))
    assert read.headers["ETag"] == etag  # unchanged


@pytest.mark.parametrize(
    "body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 2001}, {"reason": 7}]
)
def test_a_reason_is_required_and_bounded(editors: Editors, body: dict):
    article_id, etag, slug = _live(editors)
    refused = editors.client.post(
        f"{MANAGE}/{article_id}/withdraw",
        json=body,
        headers=editors.headers("reviewer", **{"If-Match": etag}),
    )
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["errors"][0]["pointer"] == "/reason"
    assert editors.client.get(f"/api/v1/articles/{slug}").status_code == 200


def test_if_match_is_required_and_must_be_current(editors: Editors, client: FlaskClient):
    article_id, etag, slug = _live(editors)
    assert _withdraw(editors, article_id, None).status_code == 428
    assert _withdraw(editors, article_id, 'W/"v1"').status_code == 412
    assert client.get(f"/api/v1/articles/{slug}").status_code == 200
    assert _withdraw(editors, article_id, etag).status_code == 200


def test_an_editor_may_not_withdraw(editors: Editors, client: FlaskClient):
    article_id, etag, slug = _live(editors)
    assert _withdraw(editors, article_id, etag, role="editor").status_code == 403
    assert client.get(f"/api/v1/articles/{slug}").status_code == 200
