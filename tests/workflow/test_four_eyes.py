"""Four eyes: whoever approves an article did not write any change since its last sign-off."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.app import create_app
from cms.audit.models import AuditEvent
from cms.db import Database
from tests.editors import MANAGE, Editors


def _patch(editors: Editors, role: str, article_id: str, etag: str, **fields: Any) -> str:
    response = editors.client.patch(
        f"{MANAGE}/{article_id}",
        json=fields,
        headers=editors.headers(role, **{"If-Match": etag}),
    )
    assert response.status_code == 200, response.get_json()
    return response.headers["ETag"]


def _submitted(editors: Editors, author: str) -> tuple[str, str]:
    created = editors.create(author)
    article_id = created.get_json()["id"]
    submitted = editors.act(author, article_id, created.headers["ETag"], "submit")
    return article_id, submitted.headers["ETag"]


def test_a_reviewer_cannot_approve_an_edit_of_their_own(editors: Editors):
    article_id, etag = _submitted(editors, "editor")
    changes = editors.act("reviewer", article_id, etag, "request_changes", comment="Fix it.")
    # The reviewer fixes it themselves, then tries to sign off their own change.
    etag = _patch(editors, "reviewer", article_id, changes.headers["ETag"], summary="Fixed.")
    etag = editors.act("reviewer", article_id, etag, "submit").headers["ETag"]
    refused = editors.act("reviewer", article_id, etag, "approve")
    assert refused.status_code == 403
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["type"] == "/problems/four-eyes-required"
    assert editors.act("admin", article_id, etag, "approve").status_code == 200


def test_an_admin_cannot_write_approve_and_publish_alone(editors: Editors):
    article_id, etag = _submitted(editors, "admin")
    assert editors.act("admin", article_id, etag, "approve").status_code == 403
    approved = editors.act("reviewer", article_id, etag, "approve")
    assert approved.status_code == 200
    published = editors.act("admin", article_id, approved.headers["ETag"], "publish")
    assert published.status_code == 200


def test_only_changes_since_the_previous_sign_off_count(editors: Editors):
    # The admin wrote revision 1; the reviewer signed it off. The editor then changes
    # it: the admin did not write anything since, so the admin may sign off now.
    article_id, etag = _submitted(editors, "admin")
    etag = editors.act("reviewer", article_id, etag, "approve").headers["ETag"]
    etag = _patch(editors, "editor", article_id, etag, summary="A later change.")
    etag = editors.act("editor", article_id, etag, "submit").headers["ETag"]
    assert editors.act("admin", article_id, etag, "approve").status_code == 200


def test_the_sign_off_revision_itself_is_not_an_edit_by_the_reviewer(editors: Editors):
    article_id, etag = _submitted(editors, "editor")
    etag = editors.act("reviewer", article_id, etag, "approve").headers["ETag"]
    etag = _patch(editors, "editor", article_id, etag, summary="Edited after sign-off.")
    etag = editors.act("editor", article_id, etag, "submit").headers["ETag"]
    assert editors.act("reviewer", article_id, etag, "approve").status_code == 200


@pytest.fixture
def single_person(database: Database) -> FlaskClient:
    return create_app({"DATABASE": database, "ALLOW_SELF_APPROVAL": True}).test_client()


def test_a_single_person_installation_may_relax_it_and_the_audit_log_says_so(
    single_person: FlaskClient, editors: Editors, session: Session
):
    editors.client = single_person
    article_id, etag = _submitted(editors, "admin")
    approved = editors.act("admin", article_id, etag, "approve")
    assert approved.status_code == 200
    event = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "article.approve")
    ).one()
    assert event.details["self_approval"] is True
