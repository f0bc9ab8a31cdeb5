"""API tokens: created once, stored as a hash, listed, revoked; from the CLI and the API."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from cms.auth.models import ApiToken
from cms.cli import main
from tests.editors import MANAGE, Editors


def test_cli_creates_a_token_that_works_and_stores_only_its_hash(
    cli: FlaskCliRunner, client: FlaskClient, session: Session
):
    result = cli.invoke(
        main, ["token", "create", "--name", "jane", "--role", "reviewer", "--credentials", "MD"]
    )
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert secret.startswith("cms_")
    assert "cannot be shown again" in result.stderr
    stored = session.scalar(sa.select(ApiToken).where(ApiToken.name == "jane"))
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {getattr(stored, c.key) for c in ApiToken.__table__.columns}
    assert client.get(MANAGE, headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_cli_lists_and_revokes(cli: FlaskCliRunner, client: FlaskClient):
    secret = cli.invoke(main, ["token", "create", "--name", "bob", "--role", "editor"]).stdout
    listing = cli.invoke(main, ["token", "list"]).output
    assert "bob\teditor\tactive\tcms_" in listing
    assert cli.invoke(main, ["token", "revoke", "bob"]).exit_code == 0
    assert "revoked" in cli.invoke(main, ["token", "list"]).output
    auth = {"Authorization": f"Bearer {secret.strip()}"}
    assert client.get(MANAGE, headers=auth).status_code == 401


def test_cli_refuses_duplicates_unknown_roles_and_unknown_tokens(cli: FlaskCliRunner):
    assert cli.invoke(main, ["token", "create", "--name", "x", "--role", "editor"]).exit_code == 0
    duplicate = cli.invoke(main, ["token", "create", "--name", "x", "--role", "editor"])
    assert duplicate.exit_code == 1
    assert "already exists" in duplicate.stderr
    assert cli.invoke(main, ["token", "create", "--name", "y", "--role", "god"]).exit_code == 2
    assert cli.invoke(main, ["token", "revoke", "nobody"]).exit_code == 1


def test_api_creates_shows_the_secret_once_and_lists_without_it(
    editors: Editors, client: FlaskClient
):
    created = client.post(
        "/api/v1/manage/tokens",
        json={"name": "api-made", "role": "publisher"},
        headers=editors.headers("admin"),
    )
    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "private, no-store"
    secret = created.get_json()["token"]
    listing = client.get("/api/v1/manage/tokens", headers=editors.headers("admin"))
    assert secret not in listing.get_data(as_text=True)
    names = {item["name"]: item for item in listing.get_json()["items"]}
    assert names["api-made"]["role"] == "publisher"
    assert names["api-made"]["active"] is True
    assert client.get(MANAGE, headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_api_token_names_are_validated(editors: Editors, client: FlaskClient):
    response = client.post(
        "/api/v1/manage/tokens",
        json={"name": "Not Valid!", "role": "editor"},
        headers=editors.headers("admin"),
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/name"


def test_token_events_are_audited(editors: Editors, client: FlaskClient):
    client.delete("/api/v1/manage/tokens/editor-token", headers=editors.headers("admin"))
    events = client.get(
        "/api/v1/manage/audit?action=token.revoke", headers=editors.headers("admin")
    ).get_json()["items"]
    assert [(e["actor"], e["details"]["name"]) for e in events] == [("admin-token", "editor-token")]
