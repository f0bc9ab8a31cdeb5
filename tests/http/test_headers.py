"""Who may cache each response, baseline security headers, and CORS for browser front ends."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.app import create_app
from cms.db import Database
from tests.editors import MANAGE, Editors
from tests.factories import create_article

PUBLIC_LIST = "/api/v1/articles"
DETAIL = "/api/v1/articles/stem-cells-scleroderma"


def _private(response) -> None:
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Authorization" in response.headers["Vary"]


def test_every_management_answer_is_private_success_or_error(client: FlaskClient, editors: Editors):
    created = editors.create()
    article_id = created.get_json()["id"]
    _private(created)
    for path in (
        MANAGE,
        f"{MANAGE}/{article_id}",
        f"{MANAGE}/{article_id}/revisions",
        f"{MANAGE}/{article_id}/revisions/1",
        f"{MANAGE}/{article_id}/revisions/1/diff",
        f"{MANAGE}/{article_id}/preview",
        f"{MANAGE}/{article_id}/checks",
    ):
        _private(client.get(path, headers=editors.headers("editor")))
    _private(client.get(f"{MANAGE}/{article_id}"))  # 401
    _private(client.get(f"{MANAGE}/00000000-0000-0000-0000-000000000000",
                        headers=editors.headers("editor")))  # 404  # fmt: skip
    _private(client.get("/api/v1/manage/tokens", headers=editors.headers("editor")))  # 403


def test_a_not_modified_management_answer_is_private_too(client: FlaskClient, editors: Editors):
    created = editors.create()
    response = client.get(
        f"{MANAGE}/{created.get_json()['id']}",
        headers=editors.headers("editor", **{"If-None-Match": created.headers["ETag"]}),
    )
    assert response.status_code == 304
    _private(response)


def test_a_public_read_that_carries_authorization_is_private(client: FlaskClient, session: Session):
    create_article(session)
    _private(client.get(DETAIL, headers={"Authorization": "Bearer whatever"}))
    assert client.get(DETAIL).headers["Cache-Control"].startswith("public, max-age=60")


@pytest.mark.parametrize(
    ("path", "method", "status", "policy"),
    [
        ("/api/v1/articles/nothing-here", "get", 404, "public, max-age=30, s-maxage=30"),
        ("/api/v1/articles?limit=0", "get", 400, "public, max-age=30, s-maxage=30"),
        ("/api/v1/articles", "post", 405, "public, max-age=30, s-maxage=30"),
    ],
)
def test_public_errors_have_a_short_deliberate_cache_policy(
    client: FlaskClient, path: str, method: str, status: int, policy: str
):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response.headers["Cache-Control"] == policy


def test_public_error_caching_can_be_switched_off(database: Database):
    app = create_app({"DATABASE": database, "PUBLIC_ERROR_MAX_AGE": 0})
    assert app.test_client().get("/api/v1/articles/nope").headers["Cache-Control"] == "no-store"


def test_server_errors_are_never_stored(database: Database):
    app = create_app({"DATABASE": database})

    @app.get("/api/v1/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    response = app.test_client().get("/api/v1/boom")
    assert (response.status_code, response.headers["Cache-Control"]) == (500, "no-store")


@pytest.mark.parametrize("path", [PUBLIC_LIST, "/api/v1/articles/nope", MANAGE, "/healthz"])
def test_baseline_security_headers_on_every_response(client: FlaskClient, path: str):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


# --- CORS ---------------------------------------------------------------------------------


def test_a_cross_origin_read_of_the_public_list_can_see_etag_and_link(
    client: FlaskClient, session: Session
):
    create_article(session)
    create_article(session, slug="second-article")
    for _ in range(2):  # from the app, then from the delivery cache
        response = client.get(f"{PUBLIC_LIST}?limit=1", headers={"Origin": "https://app.example"})
        assert response.status_code == 200
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        exposed = {
            h.strip().lower() for h in response.headers["Access-Control-Expose-Headers"].split(",")
        }
        assert {"etag", "link"} <= exposed
        assert response.headers["ETag"]
        assert response.headers["Link"]


def test_a_public_preflight_is_answered(client: FlaskClient):
    response = client.options(
        PUBLIC_LIST,
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "if-none-match" in response.headers["Access-Control-Allow-Headers"].lower()


@pytest.fixture
def listed_app(database: Database) -> Flask:
    return create_app(
        {
            "DATABASE": database,
            "CORS_ORIGINS": ["https://www.example.org"],
            "ADMIN_ORIGINS": ["https://admin.example.org"],
        }
    )


def test_listed_public_origins_get_their_own_answer_even_from_the_cache(
    listed_app: Flask, session: Session
):
    create_article(session)
    client = listed_app.test_client()
    for _ in range(2):
        listed = client.get(DETAIL, headers={"Origin": "https://www.example.org"})
        other = client.get(DETAIL, headers={"Origin": "https://evil.example"})
        plain = client.get(DETAIL)
        assert listed.headers["Access-Control-Allow-Origin"] == "https://www.example.org"
        assert "Origin" in listed.headers["Vary"]
        assert "Access-Control-Allow-Origin" not in other.headers
        assert "Access-Control-Allow-Origin" not in plain.headers


def test_the_management_api_answers_only_listed_admin_origins(listed_app: Flask, editors: Editors):
    client = listed_app.test_client()
    preflight = {
        "Access-Control-Request-Method": "PATCH",
        "Access-Control-Request-Headers": "Authorization, If-Match, Content-Type",
    }
    admin = client.options(MANAGE, headers={"Origin": "https://admin.example.org", **preflight})
    assert admin.headers["Access-Control-Allow-Origin"] == "https://admin.example.org"
    allowed_headers = admin.headers["Access-Control-Allow-Headers"].lower()
    assert {"authorization", "if-match", "content-type"} <= {
        h.strip() for h in allowed_headers.split(",")
    }
    for origin in ("https://www.example.org", "https://evil.example"):
        refused = client.options(MANAGE, headers={"Origin": origin, **preflight})
        assert "Access-Control-Allow-Origin" not in refused.headers
        read = client.get(MANAGE, headers={"Origin": origin, **editors.headers("editor")})
        assert "Access-Control-Allow-Origin" not in read.headers


def test_by_default_no_origin_may_call_the_management_api(client: FlaskClient, editors: Editors):
    response = client.get(
        MANAGE, headers={"Origin": "https://app.example", **editors.headers("editor")}
    )
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
