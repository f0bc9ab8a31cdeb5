"""The editors' article API: round trips, no lost updates, merge patch, trash, revisions."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.auth import service as tokens
from cms.auth.roles import Role
from cms.db import utcnow
from tests.editors import MANAGE, Editors
from tests.factories import TESTER, article_document, reference, section


@pytest.fixture
def draft(editors: Editors) -> tuple[str, str]:
    created = editors.create()
    return created.get_json()["id"], created.headers["ETag"]


def put(editors: Editors, article_id: str, body: dict, etag: str | None, role: str = "editor"):
    headers = editors.headers(role, **({"If-Match": etag} if etag else {}))
    return editors.client.put(f"{MANAGE}/{article_id}", json=body, headers=headers)


# --- Create and read -----------------------------------------------------------------


def test_create_returns_201_location_etag_and_the_document(editors: Editors, client: FlaskClient):
    response = editors.create()
    body = response.get_json()
    assert response.headers["ETag"] == '"v1"'
    assert response.headers["Location"] == f"{MANAGE}/{body['id']}"
    fetched = client.get(response.headers["Location"], headers=editors.headers("editor"))
    assert fetched.get_json() == body
    expected = article_document()
    assert {k: body[k] for k in expected} == expected


def test_get_answers_304_to_its_own_etag(editors: Editors, client: FlaskClient, draft):
    article_id, etag = draft
    response = client.get(
        f"{MANAGE}/{article_id}", headers=editors.headers("editor", **{"If-None-Match": etag})
    )
    assert response.status_code == 304
    assert response.headers["ETag"] == etag


@pytest.mark.parametrize("path", ["/00000000-0000-0000-0000-000000000000", "/not-a-uuid"])
def test_unknown_article_is_404(editors: Editors, client: FlaskClient, path: str):
    response = client.get(MANAGE + path, headers=editors.headers("editor"))
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_slug_already_used_is_409(editors: Editors, client: FlaskClient, draft):
    response = client.post(MANAGE, json=article_document(), headers=editors.headers("editor"))
    assert response.status_code == 409
    assert "stem-cells-scleroderma" in response.get_json()["detail"]


# --- GET → edit → PUT round trip ------------------------------------------------------


def test_get_then_put_unchanged_is_a_no_op(editors: Editors, client: FlaskClient, draft):
    article_id, etag = draft
    representation = client.get(f"{MANAGE}/{article_id}", headers=editors.headers("editor"))
    response = put(editors, article_id, representation.get_json(), etag)
    assert response.status_code == 200
    assert response.get_json() == representation.get_json()
    assert response.headers["ETag"] == etag


def test_get_edit_put_makes_a_new_revision(editors: Editors, client: FlaskClient, draft):
    article_id, etag = draft
    body = client.get(f"{MANAGE}/{article_id}", headers=editors.headers("editor")).get_json()
    body["title"] = "Edited title"
    response = put(editors, article_id, body, etag)
    assert response.get_json()["revision"] == 2
    assert response.get_json()["title"] == "Edited title"
    assert response.headers["ETag"] != etag


def test_read_only_fields_in_a_body_are_ignored(editors: Editors, draft):
    article_id, etag = draft
    body = article_document(title="Edited")
    body |= {"status": "published", "id": "00000000-0000-0000-0000-000000000000", "version": 99,
             "live_revision": 1, "approval": {"reviewer_name": "Nobody"}}  # fmt: skip
    response = put(editors, article_id, body, etag)
    result = response.get_json()
    assert (result["id"], result["status"], result["live_revision"]) == (article_id, "draft", None)
    assert result["approval"] is None


def test_unknown_fields_are_still_refused(editors: Editors, draft):
    article_id, etag = draft
    response = put(editors, article_id, article_document(colour="red"), etag)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/colour"


def test_put_validates_like_the_importer(editors: Editors, draft):
    article_id, etag = draft
    document = article_document(references=[reference(doi="https://doi.org/10.1/x")])
    response = put(editors, article_id, document, etag)
    assert response.status_code == 422
    pointers = {e["pointer"] for e in response.get_json()["errors"]}
    assert pointers == {"/references/0/doi", "/sections/2/body"}  # qiu2017 no longer exists


# --- No lost updates -------------------------------------------------------------------


def test_write_without_if_match_is_428(editors: Editors, draft):
    article_id, _ = draft
    response = put(editors, article_id, article_document(title="x"), None)
    assert response.status_code == 428
    assert response.get_json()["type"] == "/problems/if-match-required"


@pytest.mark.parametrize("etag", ['"v7"', 'W/"v7"', '"1"', "garbage"])
def test_write_with_a_stale_or_unusable_etag_is_412_and_changes_nothing(
    editors: Editors, client: FlaskClient, draft, etag: str
):
    article_id, _ = draft
    response = put(editors, article_id, article_document(title="Lost?"), etag)
    assert response.status_code == 412
    assert response.get_json()["type"] == "/problems/stale-version"
    current = client.get(f"{MANAGE}/{article_id}", headers=editors.headers("editor")).get_json()
    assert (current["title"], current["revision"]) == (article_document()["title"], 1)


def test_second_editor_of_the_same_version_gets_412_and_the_first_edit_survives(
    editors: Editors, client: FlaskClient, draft
):
    article_id, etag = draft
    first = put(editors, article_id, article_document(title="First editor"), etag)
    second = put(editors, article_id, article_document(title="Second editor"), etag, "reviewer")
    assert (first.status_code, second.status_code) == (200, 412)
    current = client.get(f"{MANAGE}/{article_id}", headers=editors.headers("editor")).get_json()
    assert current["title"] == "First editor"


def test_a_weak_if_match_names_the_same_version(editors: Editors, client: FlaskClient, draft):
    # What a client gets back through a compressing proxy: the ETag weakened.
    article_id, _ = draft
    response = put(editors, article_id, article_document(title="Through a CDN"), 'W/"v1"')
    assert response.status_code == 200
    assert response.headers["ETag"] == '"v2"'
    submitted = editors.act("editor", article_id, 'W/"v2"', "submit")
    assert (submitted.status_code, submitted.get_json()["status"]) == (200, "in_review")


@pytest.mark.parametrize("header", ["*", " * ", '"v1", *'])
def test_if_match_star_is_refused_with_428_and_changes_nothing(
    editors: Editors, client: FlaskClient, draft, header: str
):
    # `*` would match whatever version is current: a blind overwrite.
    article_id, _ = draft
    response = put(editors, article_id, article_document(title="Forced"), header)
    assert response.status_code == 428
    problem = response.get_json()
    assert problem["type"] == "/problems/if-match-required"
    assert "version" in problem["detail"]
    assert problem["errors"] == [
        {
            "pointer": "/headers/If-Match",
            "code": "star_refused",
            "message": "Name a version, not *.",
        }
    ]
    assert editors.act("publisher", article_id, "*", "archive").status_code == 428
    current = client.get(f"{MANAGE}/{article_id}", headers=editors.headers("editor")).get_json()
    assert (current["title"], current["version"], current["status"]) == (
        article_document()["title"],
        1,
        "draft",
    )


# --- PATCH (JSON Merge Patch) --------------------------------------------------------


def patch(editors: Editors, article_id: str, body, etag: str, content_type: str):
    return editors.client.patch(
        f"{MANAGE}/{article_id}",
        data=json.dumps(body),
        headers=editors.headers("editor", **{"If-Match": etag, "Content-Type": content_type}),
    )


@pytest.mark.parametrize("content_type", ["application/merge-patch+json", "application/json"])
def test_merge_patch_merges_objects_removes_nulls_and_replaces_lists(
    editors: Editors, draft, content_type: str
):
    article_id, etag = draft
    response = patch(
        editors,
        article_id,
        {"author": {"credentials": "MPH"}, "disclosures": None, "conditions": ["lupus"]},
        etag,
        content_type,
    )
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["author"] == {"name": "Editorial Team", "credentials": "MPH"}
    assert "disclosures" not in body
    assert body["conditions"] == ["lupus"]
    assert body["revision"] == 2


def test_patch_that_breaks_the_document_is_422_and_changes_nothing(editors: Editors, draft):
    article_id, etag = draft
    response = patch(
        editors, article_id, {"sections": [section("overview")]}, etag, "application/json"
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0] == {
        "pointer": "/sections",
        "code": "risks_required",
        "message": "Every article needs a 'risks' section describing harms and side effects.",
    }


def test_patch_body_must_be_an_object(editors: Editors, draft):
    article_id, etag = draft
    response = patch(editors, article_id, ["not", "an", "object"], etag, "application/json")
    assert response.status_code == 422


# --- Request bodies --------------------------------------------------------------------


def test_non_json_body_is_415(editors: Editors, client: FlaskClient):
    response = client.post(
        MANAGE, data="slug: x", headers=editors.headers("editor", **{"Content-Type": "text/yaml"})
    )
    assert response.status_code == 415
    assert response.mimetype == "application/problem+json"


def test_malformed_json_is_400(editors: Editors, client: FlaskClient):
    response = client.post(
        MANAGE,
        data='{"slug": ',
        headers=editors.headers("editor", **{"Content-Type": "application/json"}),
    )
    assert response.status_code == 400
    assert response.get_json()["type"] == "/problems/malformed-body"


def test_oversized_body_is_413(editors: Editors, client: FlaskClient):
    document = article_document(sections=[section("risks", "x " * 600_000)])
    response = client.post(MANAGE, json=document, headers=editors.headers("editor"))
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_change_note_comes_from_body_or_header(editors: Editors, client: FlaskClient, draft):
    article_id, etag = draft
    response = editors.client.put(
        f"{MANAGE}/{article_id}",
        json=article_document(title="Noted"),
        headers=editors.headers("editor", **{"If-Match": etag, "X-Change-Note": "Fix the title"}),
    )
    revision = client.get(
        f"{MANAGE}/{article_id}/revisions/2", headers=editors.headers("editor")
    ).get_json()
    assert response.status_code == 200
    assert (revision["change_note"], revision["created_by"]) == ("Fix the title", "editor-token")


# --- Listing ---------------------------------------------------------------------------


def test_list_filters_by_status_locale_and_condition(editors: Editors, client: FlaskClient):
    lupus = editors.create(slug="lupus-draft", conditions=["lupus"]).get_json()
    editors.create(slug="german", locale="de")
    submitted = editors.act("editor", lupus["id"], '"v1"', "submit")
    assert submitted.status_code == 200

    def slugs(query: str) -> list[str]:
        body = client.get(f"{MANAGE}?{query}", headers=editors.headers("editor")).get_json()
        return sorted(item["slug"] for item in body["items"])

    assert slugs("status=in_review") == ["lupus-draft"]
    assert slugs("status=draft&status=in_review") == ["german", "lupus-draft"]
    assert slugs("locale=de") == ["german"]
    assert slugs("condition=lupus") == ["lupus-draft"]
    assert (
        client.get(f"{MANAGE}?status=bogus", headers=editors.headers("editor")).status_code == 400
    )


def test_list_pages_follow_the_link_header(editors: Editors, client: FlaskClient):
    for i in range(5):
        editors.create(slug=f"article-{i}")
    seen, url = [], f"{MANAGE}?limit=2"
    while url:
        response = client.get(url, headers=editors.headers("editor"))
        seen += [item["slug"] for item in response.get_json()["items"]]
        link = response.headers.get("Link")
        url = link[1 : link.index(">")] if link else None
    assert sorted(seen) == [f"article-{i}" for i in range(5)]
    assert len(seen) == 5


# --- Trash --------------------------------------------------------------------------------


def test_trash_takes_a_live_article_offline_and_restore_brings_it_back(
    editors: Editors, client: FlaskClient
):
    created = editors.create("editor")
    article_id, etag = created.get_json()["id"], created.headers["ETag"]
    for action in ("submit", "approve", "publish"):
        etag = editors.act("admin", article_id, etag, action).headers["ETag"]
    assert client.get("/api/v1/articles/stem-cells-scleroderma").status_code == 200

    trashed = client.delete(
        f"{MANAGE}/{article_id}", headers=editors.headers("publisher", **{"If-Match": etag})
    )
    body = trashed.get_json()
    assert (body["trashed"], body["live_revision"], body["status"]) == (True, None, "approved")
    assert body["allowed_actions"] == []
    assert client.get("/api/v1/articles/stem-cells-scleroderma").status_code == 410
    listed = client.get(MANAGE, headers=editors.headers("editor")).get_json()["items"]
    in_trash = client.get(f"{MANAGE}?trashed=true", headers=editors.headers("editor"))
    assert listed == []
    assert [item["id"] for item in in_trash.get_json()["items"]] == [article_id]

    # In the trash, an article is read-only.
    refused = put(editors, article_id, article_document(title="x"), trashed.headers["ETag"])
    assert refused.status_code == 409

    restored = client.post(
        f"{MANAGE}/{article_id}/restore",
        headers=editors.headers("publisher", **{"If-Match": trashed.headers["ETag"]}),
    )
    assert restored.get_json()["trashed"] is False
    assert restored.get_json()["allowed_actions"] == ["publish", "archive", "schedule"]
    assert client.get("/api/v1/articles/stem-cells-scleroderma").status_code == 410


def test_restoring_an_article_not_in_the_trash_is_409(editors: Editors, draft):
    article_id, etag = draft
    response = editors.client.post(
        f"{MANAGE}/{article_id}/restore", headers=editors.headers("admin", **{"If-Match": etag})
    )
    assert response.status_code == 409


# --- Revisions --------------------------------------------------------------------------------


def test_revisions_are_listed_newest_first_and_kept_whole(
    editors: Editors, client: FlaskClient, draft
):
    article_id, etag = draft
    for title in ("Second", "Third"):
        etag = put(editors, article_id, article_document(title=title), etag).headers["ETag"]
    listing = client.get(
        f"{MANAGE}/{article_id}/revisions?limit=2", headers=editors.headers("editor")
    )
    body = listing.get_json()
    assert [item["number"] for item in body["items"]] == [3, 2]
    assert body["total"] == 3
    assert body["next_cursor"] == "2"
    rest = client.get(
        f"{MANAGE}/{article_id}/revisions?limit=2&cursor=2", headers=editors.headers("editor")
    ).get_json()
    assert [item["number"] for item in rest["items"]] == [1]
    first = client.get(f"{MANAGE}/{article_id}/revisions/1", headers=editors.headers("editor"))
    assert first.get_json()["document"] == article_document()
    missing = client.get(f"{MANAGE}/{article_id}/revisions/9", headers=editors.headers("editor"))
    assert missing.status_code == 404


def test_diff_names_changed_fields_sections_and_references(
    editors: Editors, client: FlaskClient, draft
):
    article_id, etag = draft
    document = article_document(title="New title")
    document["sections"][2]["body"] += " Infections are the main early risk [@new2020]."
    document["references"].append(reference("new2020", doi="10.1000/new"))
    document["sections"].append(section("outlook", "Trials continue [@new2020]."))
    put(editors, article_id, document, etag)
    diff = client.get(
        f"{MANAGE}/{article_id}/revisions/2/diff", headers=editors.headers("editor")
    ).get_json()
    assert diff["revision"] == 2
    assert diff["against"] == 1
    assert diff["fields"] == [
        {"field": "title", "before": article_document()["title"], "after": "New title"}
    ]
    assert diff["sections"]["added"] == ["outlook"]
    assert diff["sections"]["changed"][0]["type"] == "risks"
    assert "+" in diff["sections"]["changed"][0]["body_diff"]
    assert diff["references"]["added"] == ["new2020"]
    against = client.get(
        f"{MANAGE}/{article_id}/revisions/1/diff?against=2", headers=editors.headers("editor")
    ).get_json()
    assert against["sections"]["removed"] == ["outlook"]


# --- Preview ------------------------------------------------------------------------------


def test_preview_renders_exactly_what_publishing_serves(editors: Editors, client: FlaskClient):
    created = editors.create("editor")
    article_id, etag = created.get_json()["id"], created.headers["ETag"]
    etag = editors.act("admin", article_id, etag, "submit").headers["ETag"]
    etag = editors.act("admin", article_id, etag, "approve").headers["ETag"]
    preview = client.get(f"{MANAGE}/{article_id}/preview", headers=editors.headers("editor"))
    editors.act("admin", article_id, etag, "publish")
    public = client.get("/api/v1/articles/stem-cells-scleroderma").get_json()
    expected = {k: v for k, v in public.items() if k not in ("published_at", "updated_at")}
    assert {k: v for k, v in preview.get_json().items() if k in expected} == expected


# --- Workflow rules -----------------------------------------------------------------------


def test_approve_defaults_next_review_to_twelve_months(editors: Editors, clock):
    created = editors.create()
    article_id = created.get_json()["id"]
    etag = editors.act("editor", article_id, created.headers["ETag"], "submit").headers["ETag"]
    approved = editors.act("reviewer", article_id, etag, "approve").get_json()
    # The clock is at tests.factories.NOW, 2026-11-01.
    assert (approved["last_reviewed"], approved["next_review"]) == ("2026-11-01", "2027-11-01")


def test_an_approval_on_the_29th_of_february_is_due_on_the_28th_a_year_later(
    editors: Editors, clock
):
    clock.move_to(dt.datetime(2028, 2, 29, 9, 0, tzinfo=dt.UTC))
    created = editors.create()
    article_id = created.get_json()["id"]
    etag = editors.act("editor", article_id, created.headers["ETag"], "submit").headers["ETag"]
    approved = editors.act("reviewer", article_id, etag, "approve").get_json()
    assert (approved["last_reviewed"], approved["next_review"]) == ("2028-02-29", "2029-02-28")


@pytest.mark.parametrize("when", ["2026-11-01", "2026-10-22", "2029-11-02"])
def test_approve_refuses_a_next_review_out_of_range(editors: Editors, clock, when: str):
    # Today (NOW: 2026-11-01), ten days ago, a day beyond 36 months.
    created = editors.create()
    article_id = created.get_json()["id"]
    etag = editors.act("editor", article_id, created.headers["ETag"], "submit").headers["ETag"]
    response = editors.act("reviewer", article_id, etag, "approve", next_review=when)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/next_review"


def test_approve_needs_reviewer_credentials(editors: Editors, session: Session):
    issued = tokens.create_token(
        session, name="no-creds", role=Role.REVIEWER, actor=TESTER, now=utcnow()
    )
    editors.secrets["bare"] = issued.secret
    created = editors.create()
    article_id = created.get_json()["id"]
    etag = editors.act("editor", article_id, created.headers["ETag"], "submit").headers["ETag"]
    refused = editors.act("bare", article_id, etag, "approve")
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["pointer"] == "/reviewer_credentials"
    accepted = editors.act("bare", article_id, etag, "approve", reviewer_credentials="MBBS")
    assert accepted.get_json()["reviewer"] == {"name": "no-creds", "credentials": "MBBS"}


def test_request_changes_needs_a_comment(editors: Editors):
    created = editors.create()
    article_id = created.get_json()["id"]
    etag = editors.act("editor", article_id, created.headers["ETag"], "submit").headers["ETag"]
    response = editors.act("reviewer", article_id, etag, "request_changes")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/comment"


def test_invalid_transition_is_409_with_allowed_actions(editors: Editors, draft):
    article_id, etag = draft
    response = editors.act("admin", article_id, etag, "publish")
    assert response.status_code == 409
    assert response.get_json()["allowed_actions"] == ["submit", "archive"]


def test_unknown_action_is_422(editors: Editors, draft):
    article_id, etag = draft
    response = editors.act("admin", article_id, etag, "teleport")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/action"


def test_archive_takes_the_article_offline_and_an_edit_revives_it(
    editors: Editors, client: FlaskClient
):
    created = editors.create("editor")
    article_id, etag = created.get_json()["id"], created.headers["ETag"]
    for action in ("submit", "approve", "publish", "archive"):
        response = editors.act("admin", article_id, etag, action)
        etag = response.headers["ETag"]
    assert response.get_json()["status"] == "archived"
    assert response.get_json()["allowed_actions"] == []
    assert client.get("/api/v1/articles/stem-cells-scleroderma").status_code == 410
    revived = put(editors, article_id, article_document(title="Revived"), etag)
    assert revived.get_json()["status"] == "draft"


@pytest.mark.parametrize(
    ("header", "status"), [('""', 412), ('"", "v1"', 200), ("W/", 412), ('"v1', 412)]
)
def test_odd_if_match_headers_are_answered_not_crashed_on(
    editors: Editors, draft, header: str, status: int
):
    article_id, _ = draft
    assert put(editors, article_id, article_document(title="x"), header).status_code == status


def test_missing_body_is_422(editors: Editors, client: FlaskClient, draft):
    article_id, etag = draft
    response = client.patch(
        f"{MANAGE}/{article_id}", headers=editors.headers("editor", **{"If-Match": etag})
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"pointer": "", "code": "required", "message": "A JSON body is required."}
    ]


def test_each_successful_write_is_exactly_one_new_version(editors: Editors, client: FlaskClient):
    created = editors.create("editor")
    article_id, etags = created.get_json()["id"], [created.headers["ETag"]]
    for action in ("submit", "approve", "publish"):
        etags.append(editors.act("admin", article_id, etags[-1], action).headers["ETag"])
    patched = client.patch(
        f"{MANAGE}/{article_id}",
        json={"title": "Edited live article"},
        headers=editors.headers("admin", **{"If-Match": etags[-1]}),
    )
    etags.append(patched.headers["ETag"])
    assert etags == ['"v1"', '"v2"', '"v3"', '"v4"', '"v5"']
