"""The editors' whole path through HTTP, as the issue describes it, with its audit trail."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.editors import MANAGE, Editors
from tests.factories import article_document, section

PUBLIC = "/api/v1/articles/stem-cells-scleroderma"


def test_draft_to_review_to_publish_to_edit_to_republish_to_unpublish_to_restore(
    editors: Editors, client: FlaskClient
):
    # Create a draft: private.
    created = editors.create("editor", change_note="First draft")
    article, etag = created.get_json(), created.headers["ETag"]
    article_id = article["id"]
    assert (article["status"], article["revision"], article["live_revision"]) == ("draft", 1, None)
    assert client.get(PUBLIC).status_code == 404

    # Submit, and the reviewer asks for changes.
    submitted = editors.act("editor", article_id, etag, "submit")
    assert submitted.get_json()["status"] == "in_review"
    changes = editors.act(
        "reviewer", article_id, submitted.headers["ETag"], "request_changes",
        comment="Give absolute numbers for treatment-related deaths.",
    )  # fmt: skip
    assert changes.get_json()["status"] == "draft"

    # Edit, resubmit, approve (the medical sign-off), publish.
    edited = client.put(
        f"{MANAGE}/{article_id}",
        json=article_document(title="Stem cell transplantation for scleroderma: the trials"),
        headers=editors.headers("editor", **{"If-Match": changes.headers["ETag"]}),
    )
    assert edited.status_code == 200
    assert edited.get_json()["revision"] == 2
    submitted = editors.act("editor", article_id, edited.headers["ETag"], "submit")
    approved = editors.act(
        "reviewer", article_id, submitted.headers["ETag"], "approve", comment="Accurate."
    )
    assert approved.status_code == 200, approved.get_json()
    approval = approved.get_json()["approval"]
    assert (approval["reviewer_name"], approval["reviewed_revision"]) == ("Dr Reviewer", 2)
    assert approved.get_json()["reviewer"] == {
        "name": "Dr Reviewer",
        "credentials": "MD, rheumatology",
    }
    published = editors.act("publisher", article_id, approved.headers["ETag"], "publish")
    assert published.get_json()["status"] == "published"
    live_revision = published.get_json()["live_revision"]
    first_public = client.get(PUBLIC).get_json()
    assert first_public["title"] == "Stem cell transplantation for scleroderma: the trials"

    # An edit of the live article is a draft beside it: the public still sees the old text.
    draft = client.patch(
        f"{MANAGE}/{article_id}",
        json={"summary": "Updated summary, not yet reviewed."},
        headers=editors.headers(
            "editor", **{"If-Match": published.headers["ETag"], "X-Change-Note": "Summary"}
        ),
    )
    assert draft.status_code == 200, draft.get_json()
    assert draft.get_json()["status"] == "draft"
    assert draft.get_json()["has_unpublished_changes"] is True
    assert client.get(PUBLIC).get_json()["summary"] == first_public["summary"]
    assert client.get(PUBLIC).get_json()["revision"] == live_revision

    # Review and publish it: the public now sees the new text.
    submitted = editors.act("editor", article_id, draft.headers["ETag"], "submit")
    approved = editors.act("reviewer", article_id, submitted.headers["ETag"], "approve")
    # Same reviewer, same day: the revision already carries the sign-off fields, so the
    # approval applies to it as it is (no extra revision).
    assert approved.get_json()["approval"]["revision"] == 4
    republished = editors.act("publisher", article_id, approved.headers["ETag"], "publish")
    assert republished.status_code == 200
    assert client.get(PUBLIC).get_json()["summary"] == "Updated summary, not yet reviewed."

    # Unpublish: gone from the public API at once (410: it was published here).
    unpublished = editors.act("publisher", article_id, republished.headers["ETag"], "unpublish")
    assert unpublished.get_json()["status"] == "approved"
    assert client.get(PUBLIC).status_code == 410
    assert client.get("/api/v1/articles").get_json()["total"] == 0

    # Restore an older revision as a new draft.
    restored = client.post(
        f"{MANAGE}/{article_id}/revisions/1/restore",
        headers=editors.headers("editor", **{"If-Match": unpublished.headers["ETag"]}),
    )
    assert restored.status_code == 200
    body = restored.get_json()
    assert body["status"] == "draft"
    assert body["title"] == "Stem cell transplantation for scleroderma"
    assert body["revision"] == 5

    # Every step is in the audit log, in order, with who did it.
    trail = client.get(
        f"/api/v1/manage/audit?article={article_id}&limit=200", headers=editors.headers("admin")
    ).get_json()["items"]
    assert [(event["action"], event["actor"]) for event in reversed(trail)] == [
        ("article.create", "editor-token"),
        ("article.submit", "editor-token"),
        ("article.request_changes", "reviewer-token"),
        ("article.update", "editor-token"),
        ("article.submit", "editor-token"),
        ("article.approve", "reviewer-token"),
        ("article.publish", "publisher-token"),
        ("article.update", "editor-token"),
        ("article.submit", "editor-token"),
        ("article.approve", "reviewer-token"),
        ("article.publish", "publisher-token"),
        ("article.unpublish", "publisher-token"),
        ("article.restore_revision", "editor-token"),
    ]
    assert all(event["client_address"] == "127.0.0.1" for event in trail)
    request_changes = next(e for e in trail if e["action"] == "article.request_changes")
    assert request_changes["details"]["comment"].startswith("Give absolute numbers")
    patch_event = next(e for e in trail if e["action"] == "article.update")
    assert patch_event["details"]["change_note"] == "Summary"


def test_an_edit_after_approval_sends_the_article_back_to_draft(
    editors: Editors, client: FlaskClient
):
    created = editors.create()
    article_id = created.get_json()["id"]
    submitted = editors.act("editor", article_id, created.headers["ETag"], "submit")
    approved = editors.act("reviewer", article_id, submitted.headers["ETag"], "approve")
    edited = client.patch(
        f"{MANAGE}/{article_id}",
        json={"title": "Changed after sign-off"},
        headers=editors.headers("editor", **{"If-Match": approved.headers["ETag"]}),
    )
    assert edited.get_json()["status"] == "draft"
    assert edited.get_json()["approval"] is None
    refused = editors.act("publisher", article_id, edited.headers["ETag"], "publish")
    assert refused.status_code == 409
    problem = refused.get_json()
    assert problem["type"] == "/problems/invalid-transition"
    assert problem["allowed_actions"] == ["submit", "archive"]


def test_drafts_without_risks_are_refused_at_creation(editors: Editors, client: FlaskClient):
    response = client.post(
        MANAGE,
        json=article_document(sections=[section("overview")]),
        headers=editors.headers("editor"),
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert {k: response.get_json()["errors"][0][k] for k in ("pointer", "code")} == {
        "pointer": "/sections",
        "code": "risks_required",
    }
