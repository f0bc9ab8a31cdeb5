"""Failed authentication is rate limited per client and per token prefix, and audited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.app import create_app
from cms.audit.models import AuditEvent
from cms.db import Database
from tests.editors import MANAGE, Editors

LIMIT = 5


@pytest.fixture
def limited(database: Database) -> Flask:
    return create_app({"DATABASE": database, "AUTH_FAILURE_LIMIT": LIMIT})


def _bad(client: FlaskClient, index: int, address: str = "203.0.113.7", prefix: str = "cms_"):
    return client.get(
        MANAGE,
        headers={"Authorization": f"Bearer {prefix}{index:06d}wrong-secret"},
        environ_base={"REMOTE_ADDR": address},
    )


def test_a_burst_of_bad_tokens_gets_429_once_the_limit_is_reached(
    limited: Flask, editors: Editors, session: Session
):
    client = limited.test_client()
    statuses = [_bad(client, i).status_code for i in range(12)]
    assert statuses == [401] * LIMIT + [429] * (12 - LIMIT)
    refused = _bad(client, 99)
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["type"] == "/problems/rate-limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Even a valid token is refused from that client until the window ends...
    valid = client.get(
        MANAGE, headers=editors.headers("editor"), environ_base={"REMOTE_ADDR": "203.0.113.7"}
    )
    assert valid.status_code == 429
    # ...while other clients are unaffected.
    other = client.get(
        MANAGE, headers=editors.headers("editor"), environ_base={"REMOTE_ADDR": "198.51.100.1"}
    )
    assert other.status_code == 200


def test_the_same_token_prefix_from_many_addresses_is_limited_too(limited: Flask):
    client = limited.test_client()
    statuses = [
        _bad(client, 0, address=f"192.0.2.{i}", prefix="cms_samepr").status_code
        for i in range(LIMIT + 2)
    ]
    assert statuses == [401] * LIMIT + [429] * 2


def test_failures_are_in_the_audit_log_without_the_secret(limited: Flask, session: Session):
    client = limited.test_client()
    for i in range(LIMIT + 3):
        _bad(client, i)
    events = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action.like("auth.%")).order_by(AuditEvent.id)
    ).all()
    actions = [event.action for event in events]
    # One event per counted failure, then one saying the limit was reached: refused
    # attempts after it are not written (a flood cannot fill the log).
    assert actions == ["auth.failure"] * LIMIT + ["auth.rate_limited"]
    assert {event.client_address for event in events} == {"203.0.113.7"}
    for event in events:
        assert "wrong-secret" not in str(event.details)
        assert len(event.details["prefix"]) == 10


def test_a_request_without_credentials_is_not_counted(limited: Flask, editors: Editors):
    client = limited.test_client()
    for _ in range(LIMIT * 2):
        assert client.get(MANAGE).status_code == 401
    assert client.get(MANAGE, headers=editors.headers("editor")).status_code == 200
