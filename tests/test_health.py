"""Liveness and readiness probes."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from cms.app import create_app
from cms.db import Database


def test_liveness_needs_nothing(client: FlaskClient):
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})


def test_ready_when_the_database_is_migrated(client: FlaskClient):
    response = client.get("/readyz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ready"})


def test_not_ready_when_the_schema_is_missing(tmp_path: Path):
    database = Database.from_url(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    response = create_app({"DATABASE": database}).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert "cms db upgrade" in response.get_json()["detail"]


def test_not_ready_when_the_database_is_unreachable():
    # Port 1 on loopback: nothing listens there, the connection is refused at once.
    database = Database.from_url("postgresql+psycopg://cms@127.0.0.1:1/cms?connect_timeout=2")
    response = create_app({"DATABASE": database}).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["detail"] == "The database is not reachable."
