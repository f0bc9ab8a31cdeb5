"""A catalogue of hostile requests, run against every operation of the OpenAPI document.

Whatever a client sends — malformed or deeply nested JSON, wrong content types and
shapes, huge numbers, NUL bytes, lone surrogates, invalid UTF-8, tampered cursors,
traversal and very long path segments, unknown routes, wrong methods — the answer
is a 4xx problem+json, and the database is exactly as it was.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.db import Base
from tests.editors import MANAGE, Editors


def _spec(app: Flask) -> dict[str, Any]:
    return app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


def _parameters(spec: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, Any]]:
    components = spec["components"].get("parameters", {})
    return [
        components[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p
        for p in operation.get("parameters", [])
    ]


def _operations(app: Flask) -> Iterator[tuple[str, str, dict[str, Any]]]:
    spec = _spec(app)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield (
                    method.upper(),
                    path,
                    {**operation, "parameters": _parameters(spec, operation)},
                )


# /readyz proves the database takes a write by upserting its own row: not content.
PROBES = {"readiness_probe"}


def fingerprint(session: Session) -> str:
    """Every row of every table: equal fingerprints, equal databases."""
    digest = hashlib.sha256()
    for table in Base.metadata.sorted_tables:
        if table.name in PROBES:
            continue
        rows = session.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
        digest.update(table.name.encode() + repr([tuple(map(str, row)) for row in rows]).encode())
    return digest.hexdigest()


def _cursor(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# Parameters whose values are free text: any text is a valid value (a search for
# "-1" finds nothing, correctly); only what no text may hold must be refused.
FREE_TEXT = {("/api/v1/search", "q")}
NOT_TEXT = {"nul", "invalid-utf8", "lone-surrogate-utf8", "long"}

DEEP = 100_000
HOSTILE_QUERY_VALUES = {
    "nul": "a%00b",
    "invalid-utf8": "%FF%FE",
    "lone-surrogate-utf8": "%ED%A0%80",
    "long": "x" * 5000,
    "digits": "9" * 5000,
    "negative": "-1",
    "tampered-cursor": _cursor(
        b'["9999-12-31T23:59:59-23:59", "00000000000000000000000000000000"]'
    ),
    "cursor-out-of-range": _cursor(
        b'["0001-01-01T00:00:00+14:00", "ffffffffffffffffffffffffffffffff"]'
    ),
    "cursor-not-json": _cursor(b"\x00\xff garbage"),
    "cursor-wrong-shape": _cursor(b'{"a": 1}'),
}
HOSTILE_SEGMENTS = {
    "traversal": "..%2F..%2Fetc%2Fpasswd",
    "dotdot": "..",
    "nul": "a%00b",
    "invalid-utf8": "%FF",
    "long": "a" * 5000,
    "digits": "9" * 5000,
    "negative": "-1",
    "spaces": "a%20b",
    "newline": "x%0A",
}


TEXT_BODIES = {
    "invalid-utf8": b"Title\n\n\xff\xfe broken bytes",
    "surrogate-bytes": b"Title\n\n\xed\xa0\x80",
    "nul": b"Title\n\nA paragraph\x00 with NUL.",
    "empty": b"",
    "too-large": b"word " * (3 * 1024 * 1024),
}


def _bodies(content_types: set[str]) -> Iterator[tuple[str, bytes, str]]:
    """(case, body, content type) for an operation accepting ``content_types``."""
    if content_types & {"application/json", "application/merge-patch+json"}:
        json_type = sorted(content_types & {"application/json", "application/merge-patch+json"})[0]
        for case, (body, content_type) in _json_bodies().items():
            wrong = content_type != "application/json"
            yield case, body, content_type if wrong else json_type
    if any(t.startswith("text/") for t in content_types):
        text_type = sorted(t for t in content_types if t.startswith("text/"))[0]
        for case, body in TEXT_BODIES.items():
            yield f"text-{case}", body, text_type
    for wrong in ("application/xml", "image/png", "multipart/form-data; boundary=x"):
        if wrong.split(";")[0] not in content_types:
            yield f"wrong-type-{wrong}", b"<x/>", wrong


def _json_bodies() -> dict[str, tuple[bytes, str]]:
    """Raw bodies and their content types."""
    return {
        "malformed": (b'{"title": ', "application/json"),
        "not-json": (b"<xml/>", "application/json"),
        "empty": (b"", "application/json"),
        "array": (b"[1, 2, 3]", "application/json"),
        "string": (b'"just a string"', "application/json"),
        "number": (b"42", "application/json"),
        "null": (b"null", "application/json"),
        "deep-array": (b"[" * DEEP + b"]" * DEEP, "application/json"),
        "deep-object": (b'{"a":' * 2000 + b"1" + b"}" * 2000, "application/json"),
        "deep-under-limit": (b'{"sections": ' + b"[" * 900 + b"]" * 900 + b"}", "application/json"),
        "huge-integer": (b'{"year": ' + b"7" * 5000 + b"}", "application/json"),
        "big-integer-in-field": (
            b'{"action": "approve", "references": [{"year": ' + b"9" * 30 + b"}]}",
            "application/json",
        ),
        "infinite-float": (b'{"limit": 1e999}', "application/json"),
        "nan": (b'{"limit": NaN}', "application/json"),
        "nul-in-string": (b'{"slug": "a\\u0000b", "title": "t\\u0000"}', "application/json"),
        "nul-in-key": (b'{"a\\u0000": 1}', "application/json"),
        "lone-surrogate": (b'{"title": "\\ud800"}', "application/json"),
        "lone-low-surrogate": (b'{"title": "\\udc00x"}', "application/json"),
        "invalid-utf8": (b'{"title": "\xff\xfe"}', "application/json"),
        "utf8-surrogate-bytes": (b'{"title": "\xed\xa0\x80"}', "application/json"),
        "wrong-type-form": (b"title=x", "application/x-www-form-urlencoded"),
        "too-large": (b'{"summary": "' + b"x" * (11 * 1024 * 1024) + b'"}', "application/json"),
    }


@pytest.fixture
def target(client: FlaskClient, editors: Editors) -> dict[str, str]:
    """Real path values, so hostile requests get past routing to the checks behind it."""
    created = editors.create("admin", slug="hostile-target")
    return {
        "article_id": created.get_json()["id"],
        "etag": created.headers["ETag"],
        "number": "1",
        "slug": "hostile-target",
        "name": "no-such-token",  # revoking a real one would succeed, and change data
        "delivery_id": "1",  # webhook deliveries are numbered
    }


def _fill(path: str, values: dict[str, str], override: tuple[str, str] | None = None) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if override and override[0] == name:
            return override[1]
        # Unknown ids: a well-formed one that names nothing, so routing still matches.
        default = "00000000-0000-4000-8000-000000000000" if name.endswith("_id") else "1"
        return values.get(name, default)

    return re.sub(r"\{(\w+)\}", value, path)


def assert_problem(response: Any, case: str) -> None:
    assert 400 <= response.status_code < 500, (case, response.status_code, response.data[:300])
    if response.status_code == 304:
        return
    assert response.mimetype == "application/problem+json", (case, response.mimetype)
    problem = response.get_json()
    assert problem["status"] == response.status_code, case
    assert problem["type"], case
    assert problem["title"], case


def test_every_operation_answers_hostile_requests_with_a_4xx_problem_and_changes_nothing(  # noqa: PLR0917
    app: Flask,
    client: FlaskClient,
    editors: Editors,
    session: Session,
    target: dict[str, str],
    subtests: Any,
):
    session.flush()
    before = fingerprint(session)
    auth = editors.headers("admin", **{"If-Match": target["etag"]})
    for method, path, operation in _operations(app):
        url = _fill(path, target)
        call = getattr(client, method.lower())
        for parameter in operation["parameters"]:
            if parameter["in"] == "query":
                free_text = (path, parameter["name"]) in FREE_TEXT
                for case, value in HOSTILE_QUERY_VALUES.items():
                    with subtests.test(f"{method} {path} ?{parameter['name']}={case}"):
                        response = call(f"{url}?{parameter['name']}={value}", headers=auth)
                        if free_text and case not in NOT_TEXT:
                            assert response.status_code < 500, (path, case)
                            continue
                        assert_problem(response, f"{method} {path} ?{parameter['name']}={case}")
            elif parameter["in"] == "path":
                for case, value in HOSTILE_SEGMENTS.items():
                    with subtests.test(f"{method} {path} {{{parameter['name']}}}={case}"):
                        response = call(
                            _fill(path, target, (parameter["name"], value)), headers=auth
                        )
                        assert_problem(response, f"{method} {path} {parameter['name']}={case}")
        if "requestBody" in operation:
            content_types = set(operation["requestBody"]["content"])
            for case, body, content_type in _bodies(content_types):
                with subtests.test(f"{method} {path} body {case}"):
                    response = call(url, data=body, headers={**auth, "Content-Type": content_type})
                    assert_problem(response, f"{method} {path} body {case}")
        stale = {**auth, "If-Match": '"v999999"'}  # so that no header case can write
        for header, value in {
            "X-Change-Note": "note\x00",
            "If-Match": '"v' + "9" * 5000 + '"',
            "If-None-Match": '"' + "x" * 5000 + '"',
        }.items():
            with subtests.test(f"{method} {path} header {header}"):
                response = call(url, headers={**stale, header: value})
                assert response.status_code < 500, (method, path, header, response.status_code)
        session.expire_all()
        assert fingerprint(session) == before, f"{method} {path} changed the database"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing", "/api/v2/articles", MANAGE + "/x/y/z", "/api/v1/articles/a/b/c"],
)
def test_unknown_routes_are_problem_404s(client: FlaskClient, path: str):
    assert_problem(client.get(path), path)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path", ["/\x00", "/api/v1/articles/\xff", "/api/v1/articles/\xed\xa0\x80", "/api/v1/a\nb"]
)
def test_paths_with_characters_nothing_can_store_are_400s_pointing_at_the_path(
    client: FlaskClient, path: str
):
    # PATH_INFO as a WSGI server passes it: the raw bytes, read as latin-1 (PEP 3333);
    # the test client would re-encode invalid UTF-8 as U+FFFD.
    response = client.get("/", environ_overrides={"PATH_INFO": path})
    assert_problem(response, path)
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["pointer"] == "/path"


def test_wrong_methods_are_405_problems_that_name_the_allowed_ones(
    app: Flask, client: FlaskClient, target: dict[str, str]
):
    for method, path, _operation in _operations(app):
        url = _fill(path, target)
        allowed = {m for m, p, _ in _operations(app) if p == path}
        for wrong in {"GET", "POST", "PUT", "PATCH", "DELETE"} - allowed:
            response = client.open(url, method=wrong)
            assert response.status_code == 405, (wrong, path, response.status_code)
            assert response.mimetype == "application/problem+json"
            assert set(response.headers["Allow"].split(", ")) >= allowed, (wrong, path)
        assert method in allowed
