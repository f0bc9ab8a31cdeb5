"""Every management route: anonymous 401, wrong role 403, right role succeeds.

Drafts never reach the public API, whoever writes them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient

from cms.auth.roles import PERMISSIONS, Permission, Role
from tests.editors import MANAGE, Editors
from tests.factories import article_document


@dataclass(frozen=True)
class Route:
    name: str
    permission: Permission
    # Builds a request that succeeds for an allowed role: (method, url, kwargs, expected status).
    build: Callable[[Editors], tuple[str, str, dict[str, Any], int]]


_slugs = itertools.count()


def _draft(editors: Editors, status: str = "draft") -> tuple[str, str]:
    """An article in ``status``, as (id, etag): written by the editor, moved on by the admin."""
    created = editors.create("editor", slug=f"matrix-{next(_slugs)}")
    article_id, etag = created.get_json()["id"], created.headers["ETag"]
    steps = {"draft": [], "in_review": ["submit"], "approved": ["submit", "approve"]}
    steps["published"] = [*steps["approved"], "publish"]
    for action in steps[status]:
        response = editors.act("admin", article_id, etag, action)
        assert response.status_code == 200, response.get_json()
        etag = response.headers["ETag"]
    return article_id, etag


def _write(method: str, path: str, status: str = "draft", code: int = 200, **kwargs: Any):
    def build(editors: Editors) -> tuple[str, str, dict[str, Any], int]:
        article_id, etag = _draft(editors, status)
        return method, f"{MANAGE}/{article_id}{path}", {"If-Match": etag, **kwargs}, code

    return build


def _read(path: str):
    def build(editors: Editors) -> tuple[str, str, dict[str, Any], int]:
        article_id, _etag = _draft(editors)
        return "GET", f"{MANAGE}/{article_id}{path}", {}, 200

    return build


def _transition(action: str, status: str, **body: Any):
    return _write("POST", "/transitions", status, json_body={"action": action, **body})


def _trashed(editors: Editors) -> tuple[str, str, dict[str, Any], int]:
    article_id, etag = _draft(editors)
    trashed = editors.client.delete(
        f"{MANAGE}/{article_id}", headers=editors.headers("admin", **{"If-Match": etag})
    )
    return "POST", f"{MANAGE}/{article_id}/restore", {"If-Match": trashed.headers["ETag"]}, 200


def _fixed(method: str, url: str, code: int = 200, body: Any = None):
    def build(_editors: Editors) -> tuple[str, str, dict[str, Any], int]:
        return method, url, {} if body is None else {"json_body": body}, code

    return build


def _ingest(_editors: Editors) -> tuple[str, str, dict[str, Any], int]:
    text = "An old article\n\nIt says things.\n\nRisks\n\nSome risks."
    return "POST", "/api/v1/manage/ingest", {"text_body": text}, 200


ROUTES = [
    Route("list", Permission.READ, _fixed("GET", MANAGE)),
    Route("create", Permission.EDIT, _fixed("POST", MANAGE, 201, article_document())),
    Route("get", Permission.READ, _read("")),
    Route("put", Permission.EDIT, _write("PUT", "", json_body=article_document(title="New"))),
    Route("patch", Permission.EDIT, _write("PATCH", "", json_body={"title": "Patched"})),
    Route("trash", Permission.TRASH, _write("DELETE", "")),
    Route("untrash", Permission.TRASH, _trashed),
    Route("submit", Permission.EDIT, _transition("submit", "draft")),
    Route("approve", Permission.REVIEW, _transition("approve", "in_review")),
    Route("request_changes", Permission.REVIEW,
          _transition("request_changes", "in_review", comment="Fix")),
    Route("publish", Permission.PUBLISH, _transition("publish", "approved")),
    Route("unpublish", Permission.PUBLISH, _transition("unpublish", "published")),
    Route("archive", Permission.PUBLISH, _transition("archive", "draft")),
    Route("schedule", Permission.PUBLISH,
          _transition("schedule", "approved", publish_at="2099-01-01T09:00:00+01:00")),
    Route("expire", Permission.PUBLISH,
          _transition("schedule", "published", unpublish_at="2099-01-01T09:00:00Z")),
    Route("withdraw", Permission.WITHDRAW,
          _write("POST", "/withdraw", "published", json_body={"reason": "Unsafe dose."})),
    Route("reviews", Permission.READ, _fixed("GET", "/api/v1/manage/reviews")),
    Route("preview", Permission.READ, _read("/preview")),
    Route("revisions", Permission.READ, _read("/revisions")),
    Route("revision", Permission.READ, _read("/revisions/1")),
    Route("diff", Permission.READ, _read("/revisions/1/diff")),
    Route("restore_revision", Permission.EDIT, _write("POST", "/revisions/1/restore")),
    Route("checks", Permission.READ, _read("/checks")),
    Route("check_any", Permission.READ,
          _fixed("POST", "/api/v1/manage/checks", body={"title": "x"})),
    Route("ingest", Permission.EDIT, _ingest),
    Route("audit", Permission.READ_AUDIT, _fixed("GET", "/api/v1/manage/audit")),
    Route("import", Permission.IMPORT, _fixed("POST", "/api/v1/manage/imports?dry_run=true",
                                              body=[article_document(slug="imported")])),
    Route("tokens", Permission.MANAGE_TOKENS, _fixed("GET", "/api/v1/manage/tokens")),
    Route("create_token", Permission.MANAGE_TOKENS,
          _fixed("POST", "/api/v1/manage/tokens", 201, {"name": "new-one", "role": "editor"})),
    Route("revoke_token", Permission.MANAGE_TOKENS,
          _fixed("DELETE", "/api/v1/manage/tokens/editor-token")),
]  # fmt: skip


def send(editors: Editors, route: Route, role: str | None, token: str | None = None) -> Any:
    method, url, kwargs, expected = route.build(editors)
    body = kwargs.pop("json_body", None)
    text = kwargs.pop("text_body", None)
    headers = editors.headers(role, **kwargs)
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if text is not None:
        headers["Content-Type"] = "text/plain"
        response = editors.client.open(url, method=method, data=text, headers=headers)
    else:
        response = editors.client.open(url, method=method, json=body, headers=headers)
    return response, expected


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_anonymous_and_bad_tokens_get_401(editors: Editors, route: Route):
    for token in (None, "cms_not-a-real-token", "garbage"):
        response, _ = send(editors, route, None, token)
        assert response.status_code == 401, (route.name, token)
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_each_role_gets_403_or_succeeds_as_its_permissions_say(
    editors: Editors, route: Route, role: Role
):
    response, expected = send(editors, route, role.value)
    if route.permission in PERMISSIONS[role]:
        assert response.status_code == expected, (route.name, role, response.get_json())
    else:
        assert response.status_code == 403, (route.name, role)
        problem = response.get_json()
        assert problem["status"] == 403
        assert route.permission.value in problem["detail"]


def test_a_publisher_cannot_approve_but_an_admin_can(editors: Editors):
    # Separation of duties: the medical sign-off belongs to reviewers.
    article_id, etag = _draft(editors, "in_review")
    assert editors.act("publisher", article_id, etag, "approve").status_code == 403
    assert editors.act("admin", article_id, etag, "approve").status_code == 200


def test_revoked_token_is_refused_at_once(editors: Editors, client: FlaskClient):
    headers = editors.headers("editor")
    assert client.get(MANAGE, headers=headers).status_code == 200
    revoked = client.delete("/api/v1/manage/tokens/editor-token", headers=editors.headers("admin"))
    assert revoked.get_json()["active"] is False
    assert client.get(MANAGE, headers=headers).status_code == 401


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_no_role_can_make_a_draft_public_by_writing(
    editors: Editors, client: FlaskClient, role: Role
):
    created = editors.create(role.value, slug=f"draft-by-{role.value}")
    client.patch(
        f"{MANAGE}/{created.get_json()['id']}",
        json={"title": "Still a draft"},
        headers=editors.headers(role.value, **{"If-Match": created.headers["ETag"]}),
    )
    assert client.get(f"/api/v1/articles/draft-by-{role.value}").status_code == 404
    assert client.get("/api/v1/articles").get_json()["items"] == []
