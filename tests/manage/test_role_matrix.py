"""Every management route: anonymous 401, wrong role 403, right role succeeds.

Who may do what is written out below from the README's role table, not read from
``cms.auth.roles``: the test fails when the permissions drift from the specification.

Drafts never reach the public API, whoever writes them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask.testing import FlaskClient

from cms.auth.roles import Role
from tests.editors import MANAGE, Editors
from tests.factories import article_document


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str  # the operation's path in openapi.yaml
    # Builds a request that succeeds for an allowed role: (method, url, kwargs, expected status).
    build: Callable[[Editors], tuple[str, str, dict[str, Any], int]]


_slugs = itertools.count()


def _draft(editors: Editors, status: str = "draft", **overrides: Any) -> tuple[str, str]:
    """An article in ``status``, as (id, etag): written by the editor, moved on by the admin."""
    created = editors.create("editor", slug=f"matrix-{next(_slugs)}", **overrides)
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


def _outdated_translation(editors: Editors) -> tuple[str, str, dict[str, Any], int]:
    """A German draft translating a live original that has gone live again since."""
    original_id, etag = _draft(editors, "published")
    original = editors.client.get(f"{MANAGE}/{original_id}", headers=editors.headers("admin"))
    slug = original.get_json()["slug"]
    translation = editors.create(
        "editor", slug=f"{slug}-de", locale="de", translation_of={"slug": slug, "locale": "en"}
    )
    changed = editors.client.patch(
        f"{MANAGE}/{original_id}",
        json={"title": "Stem cell transplantation for scleroderma: updated"},
        headers=editors.headers("editor", **{"If-Match": etag}),
    )
    assert changed.status_code == 200, changed.get_json()
    etag = changed.headers["ETag"]
    for action in ("submit", "approve", "publish"):
        moved = editors.act("admin", original_id, etag, action)
        assert moved.status_code == 200, moved.get_json()
        etag = moved.headers["ETag"]
    url = f"{MANAGE}/{translation.get_json()['id']}/translation/confirm"
    headers = {"If-Match": translation.headers["ETag"]}
    return "POST", url, {**headers, "json_body": {"reason": "Still says the same."}}, 200


def _cancel_schedule(editors: Editors) -> tuple[str, str, dict[str, Any], int]:
    article_id, etag = _draft(editors, "approved")
    scheduled = editors.act(
        "admin", article_id, etag, "schedule", publish_at="2099-01-01T09:00:00Z"
    )
    assert scheduled.status_code == 200, scheduled.get_json()
    body = {"action": "cancel_schedule"}
    headers = {"If-Match": scheduled.headers["ETag"]}
    return "POST", f"{MANAGE}/{article_id}/transitions", {**headers, "json_body": body}, 200


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


def _waiver(editors: Editors) -> str:
    """A draft whose title the checks wrongly read as a claim: (article id, waiver id)."""
    article_id, _etag = _draft(editors, title=WAIVABLE_TITLE)
    created = editors.client.post(
        f"{MANAGE}/{article_id}/checks/waivers",
        json={**WAIVER, "quote": WAIVABLE_TITLE},
        headers=editors.headers("admin"),
    )
    assert created.status_code == 201, created.get_json()
    return f"{MANAGE}/{article_id}/checks/waivers/{created.get_json()['id']}"


def _create_waiver(editors: Editors) -> tuple[str, str, dict[str, Any], int]:
    article_id, _etag = _draft(editors, title=WAIVABLE_TITLE)
    body = {**WAIVER, "quote": WAIVABLE_TITLE}
    return "POST", f"{MANAGE}/{article_id}/checks/waivers", {"json_body": body}, 201


def _revoke_waiver(editors: Editors) -> tuple[str, str, dict[str, Any], int]:
    return "DELETE", _waiver(editors), {}, 200


WEBHOOKS = "/api/v1/manage/webhooks"
WEBHOOK = WEBHOOKS + "/{webhook_id}"


def _webhook(editors: Editors) -> tuple[str, str]:
    """A webhook endpoint on a public address (no DNS needed): (its URL here, its ETag)."""
    created = editors.client.post(
        WEBHOOKS,
        json={"url": "https://93.184.215.14/hooks", "events": ["*"]},
        headers=editors.headers("admin"),
    )
    assert created.status_code == 201, created.get_json()
    return f"{WEBHOOKS}/{created.get_json()['id']}", created.headers["ETag"]


def _on_webhook(method: str, path: str = "", code: int = 200, **kwargs: Any):
    def build(editors: Editors) -> tuple[str, str, dict[str, Any], int]:
        url, etag = _webhook(editors)
        headers = {"If-Match": etag} if method == "PATCH" else {}
        return method, url + path, {**headers, **kwargs}, code

    return build


WAIVABLE_TITLE = "Stem cells: the most promising research for scleroderma"
WAIVER = {"code": "claims.absolute", "pointer": "/title", "reason": "Names a programme."}

ARTICLE = "/api/v1/manage/articles/{article_id}"

# The specification, written out from the README's role table ("The editors' API"):
#   editor     read everything, create and edit drafts, submit, restore a revision,
#              run the checks, ingest a legacy page
#   reviewer   editor + approve and request_changes, and waivers ("reviewer or admin");
#              withdraw, confirm a translation still follows its original
#   publisher  editor + publish, unpublish, archive, schedule, cancel_schedule,
#              withdraw, trash and restore from the trash
#   admin      everything, plus tokens, the audit log, API imports and webhooks
# "yes": the role's request succeeds; "403": it is refused. Deliberately not derived
# from cms.auth.roles: changing who may do what must change this table too.
EXPECTED = """
# route             editor  reviewer  publisher  admin
  list              yes     yes       yes        yes
  create            yes     yes       yes        yes
  get               yes     yes       yes        yes
  put               yes     yes       yes        yes
  patch             yes     yes       yes        yes
  trash             403     403       yes        yes
  untrash           403     403       yes        yes
  submit            yes     yes       yes        yes
  approve           403     yes       403        yes
  request_changes   403     yes       403        yes
  publish           403     403       yes        yes
  unpublish         403     403       yes        yes
  archive           403     403       yes        yes
  schedule          403     403       yes        yes
  expire            403     403       yes        yes
  cancel_schedule   403     403       yes        yes
  withdraw          403     yes       yes        yes
  confirm_translation  403  yes       403        yes
  reviews           yes     yes       yes        yes
  preview           yes     yes       yes        yes
  revisions         yes     yes       yes        yes
  revision          yes     yes       yes        yes
  diff              yes     yes       yes        yes
  restore_revision  yes     yes       yes        yes
  checks            yes     yes       yes        yes
  waivers           yes     yes       yes        yes
  waive             403     yes       403        yes
  revoke_waiver     403     yes       403        yes
  check_any         yes     yes       yes        yes
  ingest            yes     yes       yes        yes
  audit             403     403       403        yes
  import            403     403       403        yes
  tokens            403     403       403        yes
  create_token      403     403       403        yes
  revoke_token      403     403       403        yes
  webhooks          403     403       403        yes
  create_webhook    403     403       403        yes
  webhook           403     403       403        yes
  update_webhook    403     403       403        yes
  delete_webhook    403     403       403        yes
  rotate_secret     403     403       403        yes
  deliveries        403     403       403        yes
  redeliver         403     403       403        yes
"""

ROLES = ("editor", "reviewer", "publisher", "admin")


def _expected() -> dict[str, dict[str, bool]]:
    rows = [line.split() for line in EXPECTED.strip().splitlines()[1:]]
    return {
        name: dict(zip(ROLES, [c == "yes" for c in cells], strict=True)) for name, *cells in rows
    }


ALLOWED = _expected()

ROUTES = [
    Route("list", "GET", "/api/v1/manage/articles", _fixed("GET", MANAGE)),
    Route(
        "create", "POST", "/api/v1/manage/articles", _fixed("POST", MANAGE, 201, article_document())
    ),
    Route("get", "GET", ARTICLE, _read("")),
    Route("put", "PUT", ARTICLE, _write("PUT", "", json_body=article_document(title="New"))),
    Route("patch", "PATCH", ARTICLE, _write("PATCH", "", json_body={"title": "Patched"})),
    Route("trash", "DELETE", ARTICLE, _write("DELETE", "")),
    Route("untrash", "POST", ARTICLE + "/restore", _trashed),
    Route("submit", "POST", ARTICLE + "/transitions", _transition("submit", "draft")),
    Route("approve", "POST", ARTICLE + "/transitions", _transition("approve", "in_review")),
    Route(
        "request_changes",
        "POST",
        ARTICLE + "/transitions",
        _transition("request_changes", "in_review", comment="Fix"),
    ),
    Route("publish", "POST", ARTICLE + "/transitions", _transition("publish", "approved")),
    Route("unpublish", "POST", ARTICLE + "/transitions", _transition("unpublish", "published")),
    Route("archive", "POST", ARTICLE + "/transitions", _transition("archive", "draft")),
    Route(
        "schedule",
        "POST",
        ARTICLE + "/transitions",
        _transition("schedule", "approved", publish_at="2099-01-01T09:00:00+01:00"),
    ),
    Route(
        "expire",
        "POST",
        ARTICLE + "/transitions",
        _transition("schedule", "published", unpublish_at="2099-01-01T09:00:00Z"),
    ),
    Route("cancel_schedule", "POST", ARTICLE + "/transitions", _cancel_schedule),
    Route(
        "withdraw",
        "POST",
        ARTICLE + "/withdraw",
        _write("POST", "/withdraw", "published", json_body={"reason": "Unsafe dose."}),
    ),
    Route("confirm_translation", "POST", ARTICLE + "/translation/confirm", _outdated_translation),
    Route("reviews", "GET", "/api/v1/manage/reviews", _fixed("GET", "/api/v1/manage/reviews")),
    Route("preview", "GET", ARTICLE + "/preview", _read("/preview")),
    Route("revisions", "GET", ARTICLE + "/revisions", _read("/revisions")),
    Route("revision", "GET", ARTICLE + "/revisions/{number}", _read("/revisions/1")),
    Route("diff", "GET", ARTICLE + "/revisions/{number}/diff", _read("/revisions/1/diff")),
    Route(
        "restore_revision",
        "POST",
        ARTICLE + "/revisions/{number}/restore",
        _write("POST", "/revisions/1/restore"),
    ),
    Route("checks", "GET", ARTICLE + "/checks", _read("/checks")),
    Route("waivers", "GET", ARTICLE + "/checks/waivers", _read("/checks/waivers")),
    Route("waive", "POST", ARTICLE + "/checks/waivers", _create_waiver),
    Route("revoke_waiver", "DELETE", ARTICLE + "/checks/waivers/{waiver_id}", _revoke_waiver),
    Route(
        "check_any",
        "POST",
        "/api/v1/manage/checks",
        _fixed("POST", "/api/v1/manage/checks", body={"title": "x"}),
    ),
    Route("ingest", "POST", "/api/v1/manage/ingest", _ingest),
    Route("audit", "GET", "/api/v1/manage/audit", _fixed("GET", "/api/v1/manage/audit")),
    Route(
        "import",
        "POST",
        "/api/v1/manage/imports",
        _fixed(
            "POST", "/api/v1/manage/imports?dry_run=true", body=[article_document(slug="imported")]
        ),
    ),
    Route("tokens", "GET", "/api/v1/manage/tokens", _fixed("GET", "/api/v1/manage/tokens")),
    Route(
        "create_token",
        "POST",
        "/api/v1/manage/tokens",
        _fixed("POST", "/api/v1/manage/tokens", 201, {"name": "new-one", "role": "editor"}),
    ),
    Route(
        "revoke_token",
        "DELETE",
        "/api/v1/manage/tokens/{name}",
        _fixed("DELETE", "/api/v1/manage/tokens/editor-token"),
    ),
    Route("webhooks", "GET", WEBHOOKS, _fixed("GET", WEBHOOKS)),
    Route(
        "create_webhook",
        "POST",
        WEBHOOKS,
        _fixed("POST", WEBHOOKS, 201, {"url": "https://93.184.215.14/", "events": ["*"]}),
    ),
    Route("webhook", "GET", WEBHOOK, _on_webhook("GET")),
    Route("update_webhook", "PATCH", WEBHOOK, _on_webhook("PATCH", json_body={"active": False})),
    Route("delete_webhook", "DELETE", WEBHOOK, _on_webhook("DELETE", code=204)),
    Route(
        "rotate_secret", "POST", WEBHOOK + "/rotate-secret", _on_webhook("POST", "/rotate-secret")
    ),
    Route("deliveries", "GET", WEBHOOK + "/deliveries", _on_webhook("GET", "/deliveries")),
    Route(
        "redeliver",
        "POST",
        WEBHOOK + "/deliveries/{delivery_id}/redeliver",
        # Allowed, and told there is no such delivery: not refused.
        _on_webhook("POST", "/deliveries/1/redeliver", code=404),
    ),
]


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
def test_each_role_gets_403_or_succeeds_as_the_readme_table_says(
    editors: Editors, route: Route, role: Role
):
    response, expected = send(editors, route, role.value)
    if ALLOWED[route.name][role.value]:
        assert response.status_code == expected, (route.name, role, response.get_json())
    else:
        assert response.status_code == 403, (route.name, role)
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["status"] == 403


def test_the_table_covers_every_management_operation_and_role():
    document = yaml.safe_load((Path(__file__).parents[2] / "openapi.yaml").read_text())
    operations = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        if path.startswith("/api/v1/manage")
        for method in item
        if method in {"get", "put", "post", "patch", "delete"}
    }
    # A new management operation needs its row here, saying who may call it.
    assert {(r.method, r.path) for r in ROUTES} == operations
    # Every route has its row in the table, and the table no row without a route.
    assert [r.name for r in ROUTES] == list(ALLOWED)
    assert {role.value for role in Role} == set(ROLES)


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
