"""POST /api/v1/manage/imports: the fixture format, all or nothing, bounded."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.articles.models import Article
from tests.editors import Editors
from tests.factories import article_document, section

IMPORTS = "/api/v1/manage/imports"


def count_articles(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Article)) or 0


def test_json_array_creates_drafts_and_reports_each(
    editors: Editors, client: FlaskClient, session: Session
):
    batch = [article_document(slug="one"), article_document(slug="two")]
    response = client.post(IMPORTS, json=batch, headers=editors.headers("admin"))
    body = response.get_json()
    assert response.status_code == 200, body
    assert (body["created"], body["updated"], body["unchanged"], body["dry_run"]) == (
        2,
        0,
        0,
        False,
    )
    assert [(i["index"], i["slug"], i["outcome"]) for i in body["items"]] == [
        (0, "one", "created"),
        (1, "two", "created"),
    ]
    assert count_articles(session) == 2
    assert client.get("/api/v1/articles").get_json()["total"] == 0  # drafts only
    again = client.post(IMPORTS, json=batch, headers=editors.headers("admin")).get_json()
    assert again["unchanged"] == 2


def test_ndjson_is_accepted(editors: Editors, client: FlaskClient):
    lines = "\n".join(json.dumps(article_document(slug=s)) for s in ("a", "b")) + "\n\n"
    response = client.post(
        IMPORTS,
        data=lines,
        headers=editors.headers("admin", **{"Content-Type": "application/x-ndjson"}),
    )
    assert response.get_json()["created"] == 2


def test_dry_run_reports_and_writes_nothing(
    editors: Editors, client: FlaskClient, session: Session
):
    before = count_articles(session)
    response = client.post(
        f"{IMPORTS}?dry_run=true", json=[article_document()], headers=editors.headers("admin")
    )
    assert response.get_json()["created"] == 1
    assert response.get_json()["dry_run"] is True
    assert count_articles(session) == before


def test_one_invalid_article_imports_nothing_and_points_at_it(
    editors: Editors, client: FlaskClient, session: Session
):
    batch = [
        article_document(slug="fine"),
        article_document(slug="broken", sections=[section("overview")]),
        article_document(slug="fine"),
    ]
    response = client.post(IMPORTS, json=batch, headers=editors.headers("admin"))
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["invalid_items"] == [1, 2]
    assert [(e["pointer"], e["code"]) for e in problem["errors"]] == [
        ("/1/sections", "risks_required"),
        ("/2/slug", "duplicate"),
    ]
    assert count_articles(session) == 0


def test_malformed_bodies_are_reported(editors: Editors, client: FlaskClient):
    headers = editors.headers("admin", **{"Content-Type": "application/json"})
    assert client.post(IMPORTS, data="[{", headers=headers).status_code == 400
    assert client.post(IMPORTS, data='{"slug": "x"}', headers=headers).status_code == 422
    ndjson = editors.headers("admin", **{"Content-Type": "application/x-ndjson"})
    bad_line = client.post(IMPORTS, data='{"a": 1}\nnot json\n', headers=ndjson)
    assert bad_line.status_code == 400
    assert bad_line.get_json()["errors"][0]["pointer"] == "/1"  # the second item
    text = editors.headers("admin", **{"Content-Type": "text/csv"})
    assert client.post(IMPORTS, data="a,b", headers=text).status_code == 415


def test_imports_have_their_own_size_limit(editors: Editors, client: FlaskClient, app):
    app.config["IMPORT_MAX_BYTES"] = 2000
    response = client.post(
        IMPORTS, json=[article_document(), article_document()], headers=editors.headers("admin")
    )
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_imports_may_exceed_the_ordinary_body_limit(editors: Editors, client: FlaskClient, app):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = client.post(IMPORTS, json=[article_document()], headers=editors.headers("admin"))
    assert response.status_code == 200
