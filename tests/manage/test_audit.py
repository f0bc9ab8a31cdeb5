"""The audit log: complete, filterable, append-only down to the database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from cms.audit.models import AuditEvent
from tests.editors import MANAGE, Editors
from tests.factories import article_document

AUDIT = "/api/v1/manage/audit"


def test_filters_by_article_actor_and_action(editors: Editors, client: FlaskClient):
    first = editors.create("editor", slug="first").get_json()["id"]
    editors.create("reviewer", slug="second")
    headers = editors.headers("admin")
    by_article = client.get(f"{AUDIT}?article={first}", headers=headers).get_json()
    assert [(e["action"], e["article_id"]) for e in by_article["items"]] == [
        ("article.create", first)
    ]
    by_actor = client.get(f"{AUDIT}?actor=reviewer-token", headers=headers).get_json()
    assert [e["action"] for e in by_actor["items"]] == ["article.create"]
    tokens = client.get(f"{AUDIT}?action=token.create", headers=headers).get_json()
    assert tokens["total"] == 4


def test_pages_newest_first(editors: Editors, client: FlaskClient):
    for i in range(3):
        editors.create(slug=f"a-{i}")
    headers = editors.headers("admin")
    page = client.get(f"{AUDIT}?action=article.create&limit=2", headers=headers)
    body = page.get_json()
    assert len(body["items"]) == 2
    assert body["items"][0]["id"] > body["items"][1]["id"]
    link = page.headers["Link"]
    rest = client.get(link[1 : link.index(">")], headers=headers).get_json()
    assert len(rest["items"]) == 1
    assert rest["next_cursor"] is None


def test_failed_writes_leave_no_event(editors: Editors, client: FlaskClient, session: Session):
    before = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    client.post(MANAGE, json=article_document(sections=[]), headers=editors.headers("editor"))
    created = editors.create()
    client.put(
        f"{MANAGE}/{created.get_json()['id']}",
        json=article_document(title="stale"),
        headers=editors.headers("editor", **{"If-Match": '"v9"'}),
    )
    after = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    assert after == before + 1  # only the successful create


def test_there_is_no_way_to_change_the_log_through_the_api(editors: Editors, client: FlaskClient):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(AUDIT, headers=editors.headers("admin"))
        assert response.status_code == 405


@pytest.mark.parametrize(
    "statement",
    [
        sa.update(AuditEvent).values(actor="someone-else"),
        sa.delete(AuditEvent),
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_rewrite_history(
    editors: Editors, session: Session, statement: sa.Executable
):
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(statement)
