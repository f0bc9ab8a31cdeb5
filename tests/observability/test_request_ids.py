"""Every response carries an X-Request-ID; problems, logs and the audit log carry the same id."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.app import create_app
from cms.db import Database
from tests.editors import MANAGE, Editors
from tests.factories import article_document, create_article

DETAIL = "/api/v1/articles/stem-cells-scleroderma"


def requests(client: FlaskClient, editors: Editors) -> list[tuple[str, Any]]:
    """One of each kind of answer: cached and not, 304, Flask's 404/405, problems, probes."""
    etag = client.get(DETAIL).headers["ETag"]
    return [
        ("public list (cache miss)", client.get("/api/v1/articles")),
        ("public list (cache hit)", client.get("/api/v1/articles")),
        ("public detail HEAD", client.head(DETAIL)),
        ("304 from the cache", client.get(DETAIL, headers={"If-None-Match": etag})),
        ("404 unknown article", client.get("/api/v1/articles/no-such-article")),
        ("404 unknown URL", client.get("/nowhere")),
        ("405 wrong method", client.delete("/api/v1/articles")),
        ("400 bad query", client.get("/api/v1/articles?limit=0")),
        ("401 no token", client.get(MANAGE)),
        ("403 wrong role", client.get("/api/v1/manage/audit", headers=editors.headers("editor"))),
        ("422 invalid body", client.post(MANAGE, json={}, headers=editors.headers("editor"))),
        ("200 management list", client.get(MANAGE, headers=editors.headers("editor"))),
        ("liveness", client.get("/healthz")),
        ("readiness", client.get("/readyz")),
        ("metrics, not configured", client.get("/metrics")),
        ("OpenAPI document", client.get("/openapi.json")),
    ]


def test_every_response_has_its_own_request_id(
    client: FlaskClient, session: Session, editors: Editors
):
    create_article(session)
    answers = requests(client, editors)
    ids = [response.headers.get("X-Request-ID") for _, response in answers]
    missing = [name for (name, _), request_id in zip(answers, ids, strict=True) if not request_id]
    assert missing == []
    assert len(set(ids)) == len(ids)
    # Every status above really was answered (not one error page for all).
    statuses = {name: response.status_code for name, response in answers}
    assert statuses["304 from the cache"] == 304
    assert statuses["405 wrong method"] == 405
    assert statuses["403 wrong role"] == 403


def test_every_problem_carries_the_id_of_its_response(
    client: FlaskClient, session: Session, editors: Editors
):
    create_article(session)
    problems = [
        (name, response)
        for name, response in requests(client, editors)
        if response.mimetype == "application/problem+json"
    ]
    assert len(problems) >= 8
    for name, response in problems:
        assert response.get_json()["request_id"] == response.headers["X-Request-ID"], name


def test_a_sane_incoming_request_id_is_kept(client: FlaskClient, session: Session):
    create_article(session)
    for sent in ("4bf92f3577b34da6a3ce929d0e0e4736", "Root=1-5759e988-bd862e3fe1be46a994272793"):
        client.get(DETAIL)  # the next read is a cache hit
        for response in (client.get(DETAIL, headers={"X-Request-ID": sent}),
                         client.get("/nowhere", headers={"X-Request-ID": sent})):  # fmt: skip
            assert response.headers["X-Request-ID"] == sent
        assert (
            client.get("/nowhere", headers={"X-Request-ID": sent}).get_json()["request_id"] == sent
        )


@pytest.mark.parametrize(
    "sent",
    ["x" * 129, "has space", 'quote"d', "tab\tin it", "<script>", "", "é"],
    ids=["too long", "space", "quote", "tab", "markup", "empty", "non-ascii"],
)
def test_an_unsafe_incoming_request_id_is_replaced(client: FlaskClient, sent: str):
    response = client.get("/nowhere", headers={"X-Request-ID": sent})
    given = response.headers["X-Request-ID"]
    assert given != sent
    assert re.fullmatch(r"[0-9a-f]{16}-[0-9a-f]{8}", given)
    assert response.get_json()["request_id"] == given


def test_the_audit_log_records_the_request_id_of_the_change(client: FlaskClient, editors: Editors):
    created = client.post(
        MANAGE,
        json=article_document(),
        headers=editors.headers("editor", **{"X-Request-ID": "create-req-1"}),
    )
    assert created.status_code == 201
    events = client.get(
        "/api/v1/manage/audit?action=article.create", headers=editors.headers("admin")
    ).get_json()["items"]
    assert [event["request_id"] for event in events] == ["create-req-1"]


def test_an_error_before_flask_is_a_problem_with_the_request_id(database: Database):
    app: Flask = create_app({"DATABASE": database})

    def broken(environ: dict[str, Any], start_response: Any) -> Any:
        raise RuntimeError("a middleware bug")

    app.wsgi_app.app = broken  # type: ignore[attr-defined]  # behind the request-id layer
    response = app.test_client().get("/api/v1/articles", headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert response.headers["X-Request-ID"] == "boom-1"
    assert response.get_json()["request_id"] == "boom-1"
    assert "middleware bug" not in response.get_data(as_text=True)
