"""The admin API for webhook endpoints: secrets shown once, rotation, validation, roles,
the SSRF guard, the delivery log and redelivery."""

from __future__ import annotations

import base64
import datetime as dt
import socket
import uuid
from typing import Any

import pytest
import standardwebhooks
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.webhooks.models import Webhook
from tests.editors import Editors
from tests.factories import NOW, create_article
from tests.webhooks.helpers import LOOPBACK, deliver, dispatch
from tests.webhooks.receiver import receiver

WEBHOOKS = "/api/v1/manage/webhooks"
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def loopback_allowed(app: Flask) -> Flask:
    app.config["WEBHOOK_ALLOW_CIDRS"] = ["127.0.0.0/8"]
    return app


def _create(client: FlaskClient, editors: Editors, **body: Any) -> Any:
    return client.post(
        WEBHOOKS,
        json={"url": "https://93.184.215.14/hooks", "events": ["*"], **body},
        headers=editors.headers("admin"),
    )


def test_the_secret_is_shown_once_and_never_listed(client: FlaskClient, editors: Editors):
    created = _create(client, editors, events=["cdn.purge"], description="Varnish purger")
    assert created.status_code == 201
    body = created.get_json()
    assert body["secret"].startswith("whsec_")
    standardwebhooks.Webhook(body["secret"])  # a secret the reference library accepts
    assert len(base64.b64decode(body["secret"].removeprefix("whsec_"))) == 32
    assert body["events"] == ["cdn.purge"]
    assert body["active"] is True
    assert created.headers["ETag"] == '"v1"'
    listing = client.get(WEBHOOKS, headers=editors.headers("admin")).get_json()["items"]
    assert [item["id"] for item in listing] == [body["id"]]
    one = client.get(f"{WEBHOOKS}/{body['id']}", headers=editors.headers("admin"))
    for shown in (*listing, one.get_json()):
        assert "secret" not in shown
        assert body["secret"] not in str(shown)
    assert one.get_json()["description"] == "Varnish purger"


def test_patch_needs_the_current_etag(client: FlaskClient, editors: Editors):
    created = _create(client, editors)
    url = f"{WEBHOOKS}/{created.get_json()['id']}"
    admin = editors.headers("admin")
    assert client.patch(url, json={"active": False}, headers=admin).status_code == 428
    changed = client.patch(
        url, json={"active": False, "events": ["article.published"]},
        headers={**admin, "If-Match": created.headers["ETag"]},
    )  # fmt: skip
    assert changed.status_code == 200
    assert changed.get_json()["active"] is False
    assert changed.get_json()["events"] == ["article.published"]
    stale = client.patch(
        url, json={"active": True}, headers={**admin, "If-Match": created.headers["ETag"]}
    )
    assert stale.status_code == 412
    assert client.get(url, headers=admin).get_json()["active"] is False


def test_delete_removes_the_endpoint(client: FlaskClient, editors: Editors):
    url = f"{WEBHOOKS}/{_create(client, editors).get_json()['id']}"
    admin = editors.headers("admin")
    assert client.delete(url, headers=admin).status_code == 204
    assert client.get(url, headers=admin).status_code == 404
    assert client.delete(url, headers=admin).status_code == 404


def test_rotation_shows_a_new_secret_once(client: FlaskClient, editors: Editors):
    created = _create(client, editors).get_json()
    rotated = client.post(
        f"{WEBHOOKS}/{created['id']}/rotate-secret", headers=editors.headers("admin")
    )
    assert rotated.status_code == 200
    body = rotated.get_json()
    assert body["secret"].startswith("whsec_")
    assert body["secret"] != created["secret"]
    assert body["previous_secret_expires_at"] is not None


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"url": "ftp://example.org/x"}, "/url"),
        ({"url": "not a url"}, "/url"),
        ({"events": ["article.deleted"]}, "/events/0"),
        ({"events": []}, "/events"),
        ({"events": ["*", "cdn.purge"]}, "/events"),
        ({"secret": "whsec_mine"}, "/secret"),
        ({"colour": "blue"}, "/colour"),
    ],
)
def test_invalid_bodies_are_refused_naming_the_field(
    client: FlaskClient, editors: Editors, body: dict[str, Any], pointer: str
):
    response = _create(client, editors, **body)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert pointer in [error["pointer"] for error in response.get_json()["errors"]]


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:8000/hooks",
        "http://[::1]/hooks",
        "http://192.168.1.20/hooks",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://localhost/hooks",
    ],
)
def test_private_and_special_addresses_are_refused(client: FlaskClient, editors: Editors, url: str):
    response = _create(client, editors, url=url)
    assert response.status_code == 422
    (error,) = response.get_json()["errors"]
    assert (error["pointer"], error["code"]) == ("/url", "unsafe_url")
    assert client.get(WEBHOOKS, headers=editors.headers("admin")).get_json()["items"] == []


def test_a_name_that_resolves_to_loopback_is_refused(
    client: FlaskClient, editors: Editors, monkeypatch: pytest.MonkeyPatch
):
    def fake_dns(host: str, *args: Any, **kwargs: Any) -> list[Any]:
        assert host == "hooks.example.net"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 443))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_dns)
    response = _create(client, editors, url="https://hooks.example.net/in")
    assert response.status_code == 422
    assert "127.0.0.1" in response.get_json()["errors"][0]["message"]


def test_a_patch_to_a_private_url_is_refused(client: FlaskClient, editors: Editors):
    created = _create(client, editors)
    response = client.patch(
        f"{WEBHOOKS}/{created.get_json()['id']}",
        json={"url": "http://10.1.2.3/"},
        headers={**editors.headers("admin"), "If-Match": created.headers["ETag"]},
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/url"


def test_private_addresses_may_be_allowed_by_configuration(
    app: Flask, client: FlaskClient, editors: Editors
):
    app.config["WEBHOOK_ALLOW_PRIVATE"] = True
    assert _create(client, editors, url="http://10.0.0.1/hooks").status_code == 201
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    app.config["WEBHOOK_ALLOW_CIDRS"] = ["10.0.0.0/24"]
    assert _create(client, editors, url="http://10.0.0.2/hooks").status_code == 201
    assert _create(client, editors, url="http://10.0.1.2/hooks").status_code == 422


@pytest.mark.parametrize("role", ["editor", "reviewer", "publisher"])
def test_only_admins_manage_webhooks(client: FlaskClient, editors: Editors, role: str):
    created = _create(client, editors).get_json()
    item = f"{WEBHOOKS}/{created['id']}"
    for method, url in [
        ("get", WEBHOOKS), ("post", WEBHOOKS), ("get", item), ("patch", item),
        ("delete", item), ("post", item + "/rotate-secret"), ("get", item + "/deliveries"),
        ("post", item + "/deliveries/1/redeliver"),
    ]:  # fmt: skip
        response = getattr(client, method)(
            url, json={"url": "https://93.184.215.14/"} if method in ("post", "patch") else None,
            headers=editors.headers(role),
        )  # fmt: skip
        assert response.status_code == 403, (method, url)
        assert "manage_webhooks" in response.get_json()["detail"]
    assert client.get(WEBHOOKS).status_code == 401


def test_the_delivery_log_shows_every_attempt_and_a_redelivery_sends_again(
    loopback_allowed: Flask, client: FlaskClient, editors: Editors, session: Session
):
    admin = editors.headers("admin")
    with receiver() as endpoint:
        endpoint.answer(500, 500, 500, 200, 200)
        created = _create(client, editors, url=endpoint.url, events=["article.published"])
        webhook_id = created.get_json()["id"]
        create_article(session)
        session.commit()
        dispatch(session)
        for step in range(4):
            deliver(session, NOW + step * HOUR, LOOPBACK)
        log = client.get(f"{WEBHOOKS}/{webhook_id}/deliveries", headers=admin).get_json()
        (entry,) = log["items"]
        assert log["total"] == 1
        assert entry["event_type"] == "article.published"
        assert entry["status"] == "delivered"
        assert entry["attempt_count"] == 4
        assert [(a["attempt"], a["status_code"], a["outcome"]) for a in entry["attempts"]] == [
            (1, 500, "retrying"), (2, 500, "retrying"), (3, 500, "retrying"), (4, 200, "delivered"),
        ]  # fmt: skip
        for attempt in entry["attempts"]:
            assert attempt["duration_ms"] >= 0
        assert entry["attempts"][0]["error"] == "HTTP 500"
        assert entry["attempts"][0]["next_attempt_at"] is not None
        redelivered = client.post(
            f"{WEBHOOKS}/{webhook_id}/deliveries/{entry['id']}/redeliver", headers=admin
        )
        assert redelivered.status_code == 202
        assert redelivered.get_json()["status"] == "pending"
        assert deliver(session, dt.datetime.now(dt.UTC), LOOPBACK) == 1
    assert len(endpoint.received) == 5
    assert {r.headers["webhook-id"] for r in endpoint.received} == {entry["event_id"]}
    again = client.get(f"{WEBHOOKS}/{webhook_id}/deliveries?status=delivered", headers=admin)
    assert again.get_json()["items"][0]["attempt_count"] == 5
    other = client.post(f"{WEBHOOKS}/{webhook_id}/deliveries/999999/redeliver", headers=admin)
    assert other.status_code == 404


def test_switching_a_disabled_endpoint_back_on_clears_the_reason(
    client: FlaskClient, editors: Editors, session: Session
):
    created = _create(client, editors)
    webhook = session.get(Webhook, uuid.UUID(created.get_json()["id"]))
    assert webhook is not None
    webhook.active = False
    webhook.disabled_reason = "Nothing was accepted"
    session.commit()
    url = f"{WEBHOOKS}/{webhook.id}"
    current = client.get(url, headers=editors.headers("admin"))
    assert current.get_json()["disabled_reason"] == "Nothing was accepted"
    on = client.patch(
        url, json={"active": True},
        headers={**editors.headers("admin"), "If-Match": current.headers["ETag"]},
    )  # fmt: skip
    assert on.get_json()["active"] is True
    assert on.get_json()["disabled_reason"] is None


def test_webhook_changes_are_audited(client: FlaskClient, editors: Editors):
    created = _create(client, editors).get_json()
    client.post(f"{WEBHOOKS}/{created['id']}/rotate-secret", headers=editors.headers("admin"))
    events = client.get("/api/v1/manage/audit", headers=editors.headers("admin")).get_json()
    actions = [e["action"] for e in events["items"] if e["action"].startswith("webhook.")]
    assert actions == ["webhook.rotate_secret", "webhook.create"]
    assert created["secret"] not in str(events)


def test_a_delivery_of_an_inactive_endpoint_is_not_redelivered(
    loopback_allowed: Flask, client: FlaskClient, editors: Editors, session: Session
):
    admin = editors.headers("admin")
    with receiver() as endpoint:
        endpoint.answer(410)
        created = _create(client, editors, url=endpoint.url, events=["cdn.purge"])
        create_article(session)
        session.commit()
        dispatch(session)
        deliver(session, NOW, LOOPBACK)
    url = f"{WEBHOOKS}/{created.get_json()['id']}"
    (entry,) = client.get(url + "/deliveries", headers=admin).get_json()["items"]
    assert entry["status"] == "failed"
    current = client.get(url, headers=admin)
    client.patch(
        url, json={"active": False}, headers={**admin, "If-Match": current.headers["ETag"]}
    )
    refused = client.post(f"{url}/deliveries/{entry['id']}/redeliver", headers=admin)
    assert refused.status_code == 409
    assert "not active" in refused.get_json()["detail"]
