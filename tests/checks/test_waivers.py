"""Reviewers waive content-check errors that are wrong for an article, with a reason."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.audit.models import AuditEvent
from cms.checks.models import CheckWaiver
from tests.editors import MANAGE, Editors
from tests.factories import RISKS_BODY, article_document, section

# A title the checks read as a superlative claim; the reviewer decides it is not one.
TITLE = "Stem cells: the most promising research for scleroderma"
REASON = "The title names the research programme, not a treatment claim."

# The commands and the API read the clock; the documents' review dates are fixed
# (tests.factories), so the clock is set to the day they were written for.
pytestmark = pytest.mark.usefixtures("clock")


def waive(editors: Editors, article_id: str, role: str = "reviewer", **body: Any) -> Any:
    return editors.client.post(
        f"{MANAGE}/{article_id}/checks/waivers", json=body, headers=editors.headers(role)
    )


def report(editors: Editors, article_id: str) -> dict[str, Any]:
    return editors.client.get(
        f"{MANAGE}/{article_id}/checks", headers=editors.headers("editor")
    ).get_json()


def title_finding(editors: Editors, article_id: str) -> dict[str, Any]:
    [finding] = [f for f in report(editors, article_id)["findings"] if f["pointer"] == "/title"]
    return finding


def sign_off(editors: Editors, article_id: str, etag: str) -> str:
    for role, action in (("editor", "submit"), ("reviewer", "approve")):
        response = editors.act(role, article_id, etag, action)
        assert response.status_code == 200, response.get_json()
        etag = response.headers["ETag"]
    return etag


def events(session: Session, action: str) -> list[AuditEvent]:
    return list(session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_a_reviewer_waives_a_false_error_and_the_article_publishes(
    editors: Editors, client: FlaskClient, session: Session
):
    created = editors.create(title=TITLE)
    article_id = created.get_json()["id"]
    finding = title_finding(editors, article_id)
    assert (finding["code"], finding["severity"], finding["waiver"]) == (
        "claims.absolute", "error", None,
    )  # fmt: skip
    assert report(editors, article_id)["publishable"] is False

    response = waive(
        editors, article_id, code=finding["code"], pointer="/title", quote=finding["quote"],
        reason=REASON,
    )  # fmt: skip
    assert response.status_code == 201, response.get_json()
    waiver = response.get_json()
    assert (waiver["code"], waiver["revision"], waiver["waived_by"], waiver["active"]) == (
        "claims.absolute", 1, "reviewer-token", True,
    )  # fmt: skip

    checked = report(editors, article_id)
    assert (checked["publishable"], checked["errors"], checked["waived"]) == (True, 0, 1)
    assert title_finding(editors, article_id)["waiver"]["reason"] == REASON

    # Approval writes a new revision (reviewer and dates): the title is unchanged, so the
    # waiver carries over, shows in the reviewer's findings, and publish proceeds.
    etag = created.headers["ETag"]
    submitted = editors.act("editor", article_id, etag, "submit")
    assert submitted.get_json()["findings"][0]["waiver"]["id"] == waiver["id"]
    approved = editors.act("reviewer", article_id, submitted.headers["ETag"], "approve")
    assert approved.get_json()["findings"][0]["waiver"]["id"] == waiver["id"]
    published = editors.act("publisher", article_id, approved.headers["ETag"], "publish")
    assert published.status_code == 200, published.get_json()
    assert client.get("/api/v1/articles").get_json()["total"] == 1

    [event] = events(session, "check.waive")
    assert (event.actor, str(event.article_id), event.revision) == ("reviewer-token", article_id, 1)
    assert event.details["reason"] == REASON
    assert event.details["quote"] == TITLE


def test_a_waiver_lapses_when_the_quoted_text_changes(editors: Editors):
    created = editors.create(title=TITLE)
    article_id = created.get_json()["id"]
    finding = title_finding(editors, article_id)
    waive(editors, article_id, code="claims.absolute", pointer="/title",
          quote=finding["quote"], reason=REASON)  # fmt: skip
    changed = "Stem cells: the most promising research for lupus"
    patched = editors.client.patch(
        f"{MANAGE}/{article_id}",
        json={"title": changed},
        headers=editors.headers("editor", **{"If-Match": created.headers["ETag"]},
                                **{"Content-Type": "application/merge-patch+json"}),
    )  # fmt: skip
    assert patched.status_code == 200, patched.get_json()
    finding = title_finding(editors, article_id)
    assert (finding["quote"], finding["waiver"]) == (changed, None)
    assert report(editors, article_id)["publishable"] is False
    etag = sign_off(editors, article_id, patched.headers["ETag"])
    refused = editors.act("admin", article_id, etag, "publish")
    assert refused.status_code == 422
    assert refused.get_json()["findings"][0]["pointer"] == "/title"


def test_unsafe_advice_cannot_be_waived(editors: Editors, session: Session):
    advice = "Stop taking your steroids a week before the infusion."
    created = editors.create(
        sections=[
            section("overview", "Severe scleroderma can damage the lungs [@scot2018]."),
            section("risks", RISKS_BODY),
            section("outlook", advice),
        ]
    )
    article_id = created.get_json()["id"]
    [finding] = [f for f in report(editors, article_id)["findings"] if f["code"] == "advice.unsafe"]
    response = waive(editors, article_id, code="advice.unsafe", pointer=finding["pointer"],
                     quote=advice, reason="The reader was told by their own doctor.")  # fmt: skip
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["type"] == "/problems/finding-not-waivable"
    assert "cannot be waived" in problem["detail"]
    assert session.scalar(sa.select(sa.func.count()).select_from(CheckWaiver)) == 0
    assert events(session, "check.waive") == []


def test_schema_errors_and_the_risks_section_cannot_be_waived(editors: Editors):
    article_id = editors.create().get_json()["id"]
    for code in ("schema.risks_required", "risks.hollow", "markup.raw_html"):
        response = waive(editors, article_id, code=code, pointer="/sections", quote="",
                         reason="Not applicable here.")  # fmt: skip
        assert response.status_code == 422, code
        assert response.get_json()["type"] == "/problems/finding-not-waivable"


def test_only_reviewers_and_admins_waive(editors: Editors):
    article_id = editors.create(title=TITLE).get_json()["id"]
    body = {"code": "claims.absolute", "pointer": "/title", "quote": TITLE, "reason": REASON}
    assert waive(editors, article_id, "editor", **body).status_code == 403
    assert waive(editors, article_id, "publisher", **body).status_code == 403
    assert waive(editors, article_id, "admin", **body).status_code == 201


def test_a_waiver_must_name_a_current_error_finding(editors: Editors):
    article_id = editors.create().get_json()["id"]
    response = waive(editors, article_id, code="claims.absolute", pointer="/title",
                     quote="Stem cell transplantation for scleroderma", reason=REASON)  # fmt: skip
    assert response.status_code == 409
    assert "no error finding" in response.get_json()["detail"]
    missing = waive(editors, "00000000-0000-0000-0000-000000000000", code="claims.absolute",
                    pointer="/title", quote="x", reason=REASON)  # fmt: skip
    assert missing.status_code == 404


def test_revoking_a_waiver_blocks_publishing_again_and_is_audited(
    editors: Editors, session: Session
):
    created = editors.create(title=TITLE)
    article_id = created.get_json()["id"]
    waiver = waive(editors, article_id, code="claims.absolute", pointer="/title", quote=TITLE,
                   reason=REASON).get_json()  # fmt: skip
    assert waive(editors, article_id, code="claims.absolute", pointer="/title", quote=TITLE,
                 reason=REASON).status_code == 409  # already waived  # fmt: skip
    url = f"{MANAGE}/{article_id}/checks/waivers"
    revoked = editors.client.delete(f"{url}/{waiver['id']}", headers=editors.headers("reviewer"))
    assert revoked.status_code == 200
    assert (revoked.get_json()["active"], revoked.get_json()["revoked_by"]) == (
        False, "reviewer-token",
    )  # fmt: skip
    assert report(editors, article_id)["publishable"] is False
    listed = editors.client.get(url, headers=editors.headers("editor")).get_json()["items"]
    assert [(w["id"], w["active"]) for w in listed] == [(waiver["id"], False)]
    again = editors.client.delete(f"{url}/{waiver['id']}", headers=editors.headers("reviewer"))
    assert again.status_code == 409
    assert len(events(session, "check.waiver_revoke")) == 1
    etag = sign_off(editors, article_id, created.headers["ETag"])
    refused = editors.act("admin", article_id, etag, "publish")
    assert refused.status_code == 422


def test_a_draft_without_waivers_reports_none(editors: Editors):
    article_id = editors.create(title=TITLE).get_json()["id"]
    listed = editors.client.get(
        f"{MANAGE}/{article_id}/checks/waivers", headers=editors.headers("editor")
    )
    assert listed.get_json() == {"items": []}
    assert article_document()["title"] != TITLE
