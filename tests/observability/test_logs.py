"""Log lines: one per request, JSON or text, with the request id; worker events; no secrets."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from cms.app import create_app
from cms.db import Database
from cms.observability import events
from tests.editors import MANAGE, Editors
from tests.factories import article_document, create_article

DETAIL = "/api/v1/articles/stem-cells-scleroderma"


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def request_lines(text: str) -> list[dict[str, Any]]:
    return [line for line in json_lines(text) if line["logger"] == "cms.request"]


@pytest.fixture
def json_app(database: Database) -> Flask:
    return create_app({"DATABASE": database, "TESTING": True, "LOG_FORMAT": "json"})


def test_each_request_logs_one_json_line_with_its_id(
    json_app: Flask, session: Session, capsys: pytest.CaptureFixture[str]
):
    create_article(session)
    client = json_app.test_client()
    capsys.readouterr()
    miss = client.get(DETAIL)
    hit = client.get(DETAIL)
    not_found = client.get("/api/v1/articles/no-such-article", headers={"X-Request-ID": "nf-1"})
    lines = request_lines(capsys.readouterr().err)
    assert [line["request_id"] for line in lines] == [
        miss.headers["X-Request-ID"],
        hit.headers["X-Request-ID"],
        "nf-1",
    ]
    assert not_found.get_json()["request_id"] == "nf-1"
    route = "/api/v1/articles/<slug:slug>"  # the template, never the path with its slug
    assert [(line["method"], line["route"], line["status"], line["cache"]) for line in lines] == [
        ("GET", route, 200, "miss"),
        ("GET", route, 200, "hit"),
        ("GET", route, 404, "miss"),
    ]
    for line in lines:
        assert isinstance(line["duration_ms"], float)
        assert line["duration_ms"] > 0
        assert line["client"] == "127.0.0.1"
        assert line["level"] == "INFO"
        assert line["time"].endswith("+00:00")


def test_unmatched_paths_are_logged_without_the_path(
    json_app: Flask, capsys: pytest.CaptureFixture[str]
):
    # Not hexadecimal: a request id (hex) can never contain it by chance.
    json_app.test_client().get("/secret-looking/path?token=quokka")
    (line,) = request_lines(capsys.readouterr().err)
    assert (line["route"], line["status"]) == ("(unmatched)", 404)
    assert "secret-looking" not in json.dumps(line)
    assert "quokka" not in json.dumps(line)


def test_client_address_is_the_one_behind_trusted_proxies(
    database: Database, capsys: pytest.CaptureFixture[str]
):
    def logged_client(proxies: int) -> str:
        app = create_app({"DATABASE": database, "LOG_FORMAT": "json", "TRUSTED_PROXIES": proxies})
        capsys.readouterr()
        app.test_client().get("/healthz", headers={"X-Forwarded-For": "203.0.113.7"})
        (line,) = request_lines(capsys.readouterr().err)
        return line["client"]

    assert logged_client(1) == "203.0.113.7"
    assert logged_client(0) == "127.0.0.1"  # an untrusted header is ignored


def test_lines_logged_while_handling_a_request_carry_its_id(
    capsys: pytest.CaptureFixture[str],
):
    database = Database.from_url("postgresql+psycopg://cms@127.0.0.1:1/cms")
    app = create_app({"DATABASE": database, "LOG_FORMAT": "json"})
    capsys.readouterr()
    response = app.test_client().get("/readyz", headers={"X-Request-ID": "probe-7"})
    assert response.status_code == 503
    lines = json_lines(capsys.readouterr().err)
    reports = [line for line in lines if line["level"] in ("WARNING", "ERROR")]
    assert reports
    assert all(line["request_id"] == "probe-7" for line in reports)
    assert "reachable" in reports[0]["message"]


def test_text_format_for_development(
    database: Database, session: Session, capsys: pytest.CaptureFixture[str]
):
    create_article(session)
    app = create_app({"DATABASE": database, "LOG_FORMAT": "text"})
    capsys.readouterr()
    response = app.test_client().get(DETAIL)
    (line,) = capsys.readouterr().err.splitlines()
    assert f"INFO cms.request [{response.headers['X-Request-ID']}] GET " in line
    assert "/api/v1/articles/<slug:slug> 200 " in line
    assert line.endswith("client=127.0.0.1 cache=miss")


def test_no_token_and_no_article_body_reaches_the_log(
    editors: Editors, database: Database, capsys: pytest.CaptureFixture[str]
):
    # Logging is configured per process: the app built last (here, after the
    # editors fixture's) decides the format.
    client = create_app({"DATABASE": database, "LOG_FORMAT": "json"}).test_client()
    body = article_document(title="A perfectly ordinary title, unique 7f3a")
    created = client.post(MANAGE, json=body, headers=editors.headers("editor"))
    duplicate = client.post(MANAGE, json=body, headers=editors.headers("editor"))
    assert (created.status_code, duplicate.status_code) == (201, 409)
    client.get(MANAGE, headers={"Authorization": "Bearer not-a-real-token-5c1d"})
    logged = capsys.readouterr().err
    assert len(request_lines(logged)) == 3
    for secret in [*editors.secrets.values(), "not-a-real-token-5c1d", "unique 7f3a"]:
        assert secret not in logged


def test_an_unknown_log_format_stops_the_start(database: Database):
    with pytest.raises(RuntimeError, match="CMS_LOG_FORMAT"):
        create_app({"DATABASE": database, "LOG_FORMAT": "xml"})


def test_request_log_can_be_switched_off(database: Database, capsys: pytest.CaptureFixture[str]):
    app = create_app({"DATABASE": database, "LOG_FORMAT": "json", "REQUEST_LOG": False})
    capsys.readouterr()
    assert app.test_client().get("/healthz").status_code == 200
    assert request_lines(capsys.readouterr().err) == []


def test_worker_events_log_the_endpoint_origin_only(
    json_app: Flask, capsys: pytest.CaptureFixture[str]
):
    capsys.readouterr()
    events.webhook_delivery(
        event_id="evt-1",
        event_type="article.published",
        webhook_id="wh-9",
        url="https://user:pa55@hooks.example.com:8443/services/T000/B000/XXXX?sig=abc",
        attempt=2,
        outcome="retrying",
        seconds=0.25,
        status_code=503,
        error="server error",
    )
    events.cdn_purge(
        event_id="evt-1", keys=["article:1", "list:en"], outcome="purged", seconds=0.01
    )
    events.schedule_run(published=1, unpublished=0, seconds=0.002)
    delivery, purge, run = json_lines(capsys.readouterr().err)
    assert (delivery["logger"], delivery["level"]) == ("cms.worker", "WARNING")
    assert delivery["endpoint"] == "https://hooks.example.com:8443"
    assert {
        k: delivery[k] for k in ("event", "webhook_id", "attempt", "outcome", "status_code")
    } == {
        "event": "webhook.delivery",
        "webhook_id": "wh-9",
        "attempt": 2,
        "outcome": "retrying",
        "status_code": 503,
    }
    assert "pa55" not in json.dumps(delivery)
    assert "XXXX" not in json.dumps(delivery)
    assert (purge["event"], purge["keys"], purge["key_count"]) == (
        "cdn.purge",
        ["article:1", "list:en"],
        2,
    )
    assert (run["event"], run["published"], run["level"]) == ("schedule.run", 1, "INFO")
    assert "request_id" not in run  # not during a request


def test_other_loggers_are_left_alone(json_app: Flask, capsys: pytest.CaptureFixture[str]):
    logging.getLogger("somewhere.else").warning("not ours")
    assert "not ours" not in capsys.readouterr().err
