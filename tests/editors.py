"""Tokens for every role, and helpers for the management API (the `editors` fixture)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.auth import service as tokens
from cms.auth.roles import Role
from cms.db import utcnow
from tests.factories import TESTER, article_document

MANAGE = "/api/v1/manage/articles"


class Editors:
    """Bearer headers for one token per role, plus a few request helpers."""

    def __init__(self, client: FlaskClient, secrets: dict[str, str]):
        self.client = client
        self.secrets = secrets

    def headers(self, role: str | None, **extra: str) -> dict[str, str]:
        headers = dict(extra)
        if role is not None:
            headers["Authorization"] = f"Bearer {self.secrets[role]}"
        return headers

    def create(self, role: str = "editor", **overrides: Any) -> Any:
        response = self.client.post(
            MANAGE, json=article_document(**overrides), headers=self.headers(role)
        )
        assert response.status_code == 201, response.get_json()
        return response

    def act(self, role: str, article_id: str, etag: str, action: str, **body: Any) -> Any:
        return self.client.post(
            f"{MANAGE}/{article_id}/transitions",
            json={"action": action, **body},
            headers=self.headers(role, **{"If-Match": etag}),
        )


@pytest.fixture
def editors(client: FlaskClient, session: Session) -> Editors:
    secrets = {}
    for role in Role:
        issued = tokens.create_token(
            session,
            name=f"{role.value}-token",
            role=role,
            actor=TESTER,
            now=utcnow(),
            display_name=f"Dr {role.value.title()}"
            if role in (Role.REVIEWER, Role.ADMIN)
            else None,
            credentials="MD, rheumatology" if role in (Role.REVIEWER, Role.ADMIN) else None,
        )
        secrets[role.value] = issued.secret
    session.flush()
    return Editors(client, secrets)
