"""openapi.yaml is the contract: it must be exactly what the app generates."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from cms.config import PROJECT_ROOT
from tests.editors import Editors

OPENAPI = PROJECT_ROOT / "openapi.yaml"


def generated(app: Flask) -> dict:
    # Round-trip through JSON so tuples and lazy objects compare as the YAML file does.
    return orjson.loads(
        orjson.dumps(app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict())
    )


def test_committed_openapi_matches_the_app(app: Flask):
    committed = yaml.safe_load(Path(OPENAPI).read_text("utf-8"))
    assert committed == generated(app), "openapi.yaml is stale: run `make openapi`"


def test_served_openapi_json_matches_the_committed_file(app: Flask):
    served = app.test_client().get("/openapi.json").get_json()
    assert served == yaml.safe_load(OPENAPI.read_text("utf-8"))


def test_every_error_response_is_documented_as_problem_json(app: Flask):
    responses = generated(app)["components"]["responses"]
    for name, response in responses.items():
        if "content" in response:
            assert list(response["content"]) == ["application/problem+json"], name


def test_every_operation_has_a_summary_and_a_tag(app: Flask):
    for path, item in generated(app)["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), f"{method.upper()} {path}"
            assert operation.get("tags"), f"{method.upper()} {path}"


def test_interactive_docs_are_served_from_this_origin_with_their_own_policy(app: Flask):
    client = app.test_client()
    page = client.get("/docs")
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "connect-src 'self';" in policy
    html = page.get_data(as_text=True)
    assert 'data-openapi-url="/openapi.json"' in html
    assert "<script>" not in html  # no inline script: the policy allows none
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(urls) == 3
    for url in urls:
        assert url.startswith("/docs/"), url  # nothing from a CDN
        with client.get(url) as asset:
            assert asset.status_code == 200, url


# --- What a generated client needs -----------------------------------------------

OPERATIONS = {
    # Generated clients name their functions after these: renaming one breaks them.
    ("get", "/api/v1/articles"): "listArticles",
    ("get", "/api/v1/articles/{slug}"): "getArticle",
    ("get", "/api/v1/sync"): "syncArticles",
    ("get", "/api/v1/manage/articles"): "listManagedArticles",
    ("post", "/api/v1/manage/articles"): "createManagedArticle",
    ("get", "/api/v1/manage/articles/{article_id}"): "getManagedArticle",
    ("put", "/api/v1/manage/articles/{article_id}"): "replaceManagedArticle",
    ("patch", "/api/v1/manage/articles/{article_id}"): "updateManagedArticle",
    ("delete", "/api/v1/manage/articles/{article_id}"): "deleteManagedArticle",
    ("post", "/api/v1/manage/articles/{article_id}/restore"): "restoreManagedArticle",
    ("post", "/api/v1/manage/articles/{article_id}/transitions"): "transitionManagedArticle",
    ("post", "/api/v1/manage/articles/{article_id}/withdraw"): "withdrawManagedArticle",
    (
        "post",
        "/api/v1/manage/articles/{article_id}/translation/confirm",
    ): "confirmManagedArticleTranslation",
    ("get", "/api/v1/manage/articles/{article_id}/checks"): "getManagedArticleChecks",
    ("get", "/api/v1/manage/articles/{article_id}/preview"): "getManagedArticlePreview",
    ("get", "/api/v1/manage/articles/{article_id}/revisions"): "listManagedArticleRevisions",
    ("get", "/api/v1/manage/articles/{article_id}/revisions/{number}"): "getManagedArticleRevision",
    (
        "get",
        "/api/v1/manage/articles/{article_id}/revisions/{number}/diff",
    ): "getManagedArticleRevisionDiff",
    (
        "post",
        "/api/v1/manage/articles/{article_id}/revisions/{number}/restore",
    ): "restoreManagedArticleRevision",
    ("post", "/api/v1/manage/checks"): "checkDocument",
    ("post", "/api/v1/manage/imports"): "importArticles",
    ("post", "/api/v1/manage/ingest"): "ingestLegacyArticle",
    ("get", "/api/v1/manage/tokens"): "listTokens",
    ("post", "/api/v1/manage/tokens"): "createToken",
    ("delete", "/api/v1/manage/tokens/{name}"): "deleteToken",
    ("get", "/api/v1/manage/audit"): "listAuditEvents",
    ("get", "/api/v1/manage/reviews"): "listReviews",
    ("get", "/api/v1/manage/webhooks"): "listWebhooks",
    ("post", "/api/v1/manage/webhooks"): "createWebhook",
    ("get", "/api/v1/manage/webhooks/{webhook_id}"): "getWebhook",
    ("patch", "/api/v1/manage/webhooks/{webhook_id}"): "updateWebhook",
    ("delete", "/api/v1/manage/webhooks/{webhook_id}"): "deleteWebhook",
    ("post", "/api/v1/manage/webhooks/{webhook_id}/rotate-secret"): "rotateWebhookSecret",
    ("get", "/api/v1/manage/webhooks/{webhook_id}/deliveries"): "listWebhookDeliveries",
    (
        "post",
        "/api/v1/manage/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
    ): "redeliverWebhookDelivery",
    ("get", "/healthz"): "getHealthz",
    ("get", "/readyz"): "getReadyz",
    ("get", "/problems/{slug}"): "getProblemType",
}
VERSIONED_WRITES = [
    ("put", "/api/v1/manage/articles/{article_id}"),
    ("patch", "/api/v1/manage/articles/{article_id}"),
    ("delete", "/api/v1/manage/articles/{article_id}"),
    ("post", "/api/v1/manage/articles/{article_id}/restore"),
    ("post", "/api/v1/manage/articles/{article_id}/transitions"),
    ("post", "/api/v1/manage/articles/{article_id}/withdraw"),
    ("post", "/api/v1/manage/articles/{article_id}/translation/confirm"),
    ("post", "/api/v1/manage/articles/{article_id}/revisions/{number}/restore"),
]
# Versioned like articles, outside them (428/412: tests/webhooks).
OTHER_VERSIONED_WRITES = [("patch", "/api/v1/manage/webhooks/{webhook_id}")]


def operations(spec: dict) -> dict[tuple[str, str], dict]:
    return {
        (method, path): operation
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
    }


def header_parameters(spec: dict, operation: dict) -> dict[str, dict]:
    found = {}
    for declared in operation.get("parameters", []):
        parameter = declared
        if "$ref" in declared:
            parameter = spec["components"]["parameters"][declared["$ref"].rsplit("/", 1)[1]]
        if parameter["in"] == "header":
            found[parameter["name"]] = parameter
    return found


def test_operation_ids_are_stable_and_unique(app: Flask):
    spec = generated(app)
    ids = {key: operation.get("operationId") for key, operation in operations(spec).items()}
    assert {key: ids.get(key) for key in OPERATIONS} == OPERATIONS
    assert len(set(ids.values())) == len(ids), "two operations share an operationId"
    for key, operation_id in ids.items():
        assert operation_id, key
        assert operation_id[0].islower(), key
        assert operation_id.isalnum(), key


def test_public_operations_say_they_need_no_token(app: Flask):
    for (method, path), operation in operations(generated(app)).items():
        expected = [{"bearerAuth": []}] if path.startswith("/api/v1/manage/") else []
        assert operation["security"] == expected, f"{method.upper()} {path}"


def test_servers_are_declared(app: Flask):
    assert generated(app)["servers"] == [
        {"url": "/", "description": "The server that serves this document"}
    ]


def test_every_versioned_write_declares_a_required_if_match_and_its_answers(app: Flask):
    spec = generated(app)
    for key, operation in operations(spec).items():
        if_match = header_parameters(spec, operation).get("If-Match")
        if key not in VERSIONED_WRITES + OTHER_VERSIONED_WRITES:
            assert if_match is None, key
            continue
        assert if_match, key
        assert if_match["required"] is True, key
        assert 'W/"v3"' in if_match["description"]
        assert "`*` is refused" in if_match["description"]
        assert {"412", "428"} <= set(operation["responses"]), key
        success = next(code for code in operation["responses"] if code.startswith("2"))
        assert "ETag" in operation["responses"][success]["headers"], key


def test_change_note_header_is_declared_where_it_is_read(app: Flask):
    spec = generated(app)
    accepting = {
        key
        for key, operation in operations(spec).items()
        if "X-Change-Note" in header_parameters(spec, operation)
    }
    assert accepting == {
        ("post", "/api/v1/manage/articles"),
        ("put", "/api/v1/manage/articles/{article_id}"),
        ("patch", "/api/v1/manage/articles/{article_id}"),
        ("post", "/api/v1/manage/articles/{article_id}/revisions/{number}/restore"),
    }


def test_read_only_fields_are_required_in_responses_and_not_in_requests(app: Flask):
    schemas = generated(app)["components"]["schemas"]
    read, write = schemas["ManagedArticle"], schemas["ManagedArticleWrite"]
    state = {"id", "status", "version", "revision", "live_revision", "has_unpublished_changes"}
    state |= {"trashed", "allowed_actions", "approval", "created_at", "updated_at"}
    assert state <= set(read["required"])
    assert {"slug", "title", "sections", "references"} <= set(read["required"])
    assert not state & set(write.get("required", []))
    assert all(write["properties"][name].get("readOnly") for name in state)
    assert "caller's role" in read["properties"]["allowed_actions"]["description"]


@pytest.mark.parametrize(
    "key",
    [
        ("post", "/api/v1/manage/articles"),
        ("put", "/api/v1/manage/articles/{article_id}"),
        ("patch", "/api/v1/manage/articles/{article_id}"),
        ("post", "/api/v1/manage/articles/{article_id}/transitions"),
        ("post", "/api/v1/manage/tokens"),
        ("post", "/api/v1/manage/imports"),
    ],
)
def test_main_write_routes_have_request_examples(app: Flask, key: tuple[str, str]):
    content = operations(generated(app))[key]["requestBody"]["content"]
    media = next(iter(content.values()))
    assert media.get("example") or media.get("examples"), key


def request_examples(spec: dict, key: tuple[str, str]) -> list[tuple[str, object]]:
    body = operations(spec)[key].get("requestBody")
    if body is None:
        return [("", None)]
    media_type, media = next(iter(body["content"].items()))
    if "example" in media:
        return [(media_type, media["example"])]
    return [(media_type, example["value"]) for example in media["examples"].values()]


def call(client: FlaskClient, method: str, url: str, headers: dict, example: tuple[str, object]):
    media_type, body = example
    data = None if body is None else orjson.dumps(body)
    if media_type:
        headers = {**headers, "Content-Type": media_type}
    return client.open(url, method=method.upper(), data=data, headers=headers)


@pytest.mark.parametrize("key", VERSIONED_WRITES)
def test_versioned_writes_answer_428_without_if_match_or_with_star(
    app: Flask, editors: Editors, key: tuple[str, str]
):
    # The documented header is the one the route enforces: every example body is
    # valid, so the only thing missing is the version.
    spec = generated(app)
    article_id = editors.create("admin").get_json()["id"]
    method, path = key
    url = path.format(article_id=article_id, number=1)
    for media_type, body in request_examples(spec, key):
        for if_match in ({}, {"If-Match": "*"}):
            headers = editors.headers("admin", **if_match)
            response = call(editors.client, method, url, headers, (media_type, body))
            assert response.status_code == 428, (key, body, if_match, response.get_json())


def test_request_examples_are_accepted(app: Flask, editors: Editors, client: FlaskClient):
    spec = generated(app)
    admin, editor = editors.headers("admin"), editors.headers("editor")
    article = request_examples(spec, ("post", "/api/v1/manage/articles"))[0]
    # Written by an editor, so that the admin may sign it off (four eyes).
    created = call(client, "post", "/api/v1/manage/articles", editor, article)
    assert created.status_code == 201, created.get_json()
    url = f"/api/v1/manage/articles/{created.get_json()['id']}"
    etag = created.headers["ETag"]
    for key in [
        ("put", "/api/v1/manage/articles/{article_id}"),
        ("patch", "/api/v1/manage/articles/{article_id}"),
    ]:
        example = request_examples(spec, key)[0]
        response = call(client, key[0], url, {**editor, "If-Match": etag}, example)
        assert response.status_code == 200, (key, response.get_json())
        etag = response.headers["ETag"]
    transitions = dict(
        zip(
            ["submit", "approve", "request_changes", "publish", "unpublish", "schedule", "expire",
             "cancel_schedule"],
            request_examples(spec, ("post", "/api/v1/manage/articles/{article_id}/transitions")),
            strict=True,
        )
    )  # fmt: skip
    for action in ("submit", "approve", "schedule", "cancel_schedule", "publish", "expire",
                   "cancel_schedule", "unpublish"):  # fmt: skip
        headers = {**admin, "If-Match": etag}
        response = call(client, "post", f"{url}/transitions", headers, transitions[action])
        assert response.status_code == 200, (action, response.get_json())
        etag = response.headers["ETag"]
    # Unpublished, it keeps its sign-off: live again, then withdrawn.
    headers = {**admin, "If-Match": etag}
    etag = call(client, "post", f"{url}/transitions", headers, transitions["publish"]).headers[
        "ETag"
    ]
    withdrawal = request_examples(spec, ("post", "/api/v1/manage/articles/{article_id}/withdraw"))
    withdrawn = call(client, "post", f"{url}/withdraw", {**admin, "If-Match": etag}, withdrawal[0])
    assert withdrawn.status_code == 200, withdrawn.get_json()
    token = request_examples(spec, ("post", "/api/v1/manage/tokens"))[0]
    assert call(client, "post", "/api/v1/manage/tokens", admin, token).status_code == 201
    batch = request_examples(spec, ("post", "/api/v1/manage/imports"))[0]
    imported = call(client, "post", "/api/v1/manage/imports?dry_run=true", admin, batch)
    assert imported.status_code == 200, imported.get_json()
