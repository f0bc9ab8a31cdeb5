"""Every error anywhere in the API is RFC 9457 problem+json; nothing a client sends is a 500."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cms.app import create_app
from cms.db import Database


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == status
    assert {"type", "title", "detail"} <= set(problem)
    return problem


def test_unknown_route_is_a_problem_404(client: FlaskClient):
    problem = assert_problem(client.get("/api/v1/nothing-here"), 404)
    assert problem["type"] == "about:blank"


def test_wrong_method_is_a_problem_405_that_keeps_the_allow_header(client: FlaskClient):
    response = client.post("/api/v1/articles")
    assert_problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


@pytest.fixture
def failing_app(database: Database) -> Flask:
    app = create_app({"DATABASE": database, "TESTING": False})

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internal detail")

    return app


def test_unexpected_failure_is_a_problem_500_without_internals(failing_app: Flask):
    response = failing_app.test_client().get("/boom")
    problem = assert_problem(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert problem["detail"] == "The server could not complete the request."


def test_problem_type_uris_resolve_to_their_description(client: FlaskClient):
    problem = client.get("/api/v1/articles?limit=0").get_json()
    description = client.get(problem["type"])
    assert description.status_code == 200
    assert description.get_json()["status"] == 400
    assert description.get_json()["title"] == problem["title"]


def test_unknown_problem_type_is_404(client: FlaskClient):
    assert_problem(client.get("/problems/nope"), 404)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/articles/%00",
        "/api/v1/articles/" + "a" * 5000,
        "/api/v1/articles?limit=%00",
        "/api/v1/articles?locale=%ff%fe",
        "/api/v1/articles?cursor=%ff",
        "/api/v1/articles?cursor=eyJ4IjoxfQ",
        "/api/v1/articles?cursor=WyJub3QgYSBkYXRlIiwiYWJjIl0",
        "/api/v1/articles?cursor=WyIyMDI2LTAxLTAxVDAwOjAwOjAwIiwiMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAiXQ",
        "/api/v1/articles?condition=",
        "/api/v1/articles?limit=&locale=",
    ],
)
def test_hostile_input_never_causes_a_500(client: FlaskClient, path: str):
    response = client.get(path)
    assert response.status_code in (200, 400, 404)
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json"
