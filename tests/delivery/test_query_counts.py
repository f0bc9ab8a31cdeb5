"""How many SQL statements a read costs: an N+1 (a query per article) fails here.

The delivery cache is off, so each request is what a cache miss costs. The counts
are written out; when a change really needs another statement, the failure lists
every statement sent, and the number here is raised on purpose.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from cms.app import create_app
from cms.db import Database
from tests.conftest import QueryRecorder
from tests.editors import MANAGE, Editors
from tests.factories import create_article


@pytest.fixture
def uncached(database: Database) -> Flask:
    return create_app({"DATABASE": database, "TESTING": True, "DELIVERY_CACHE_BYTES": 0})


def _several(session: Session, count: int) -> None:
    for n in range(count):
        create_article(session, slug=f"article-{n}", conditions=["lupus", f"condition-{n}"])
    session.commit()


@pytest.mark.parametrize("articles", [1, 6])
def test_the_public_list_costs_the_same_for_one_or_many_articles(
    uncached: Flask, session: Session, query_recorder: QueryRecorder, articles: int
):
    _several(session, articles)
    client = uncached.test_client()
    with query_recorder:
        response = client.get("/api/v1/articles?limit=5")
    assert response.status_code == 200
    assert len(response.get_json()["items"]) == min(articles, 5)
    # The page, the delivery generation, and the total (counted once per generation).
    assert query_recorder.count == 3, str(query_recorder)
    with query_recorder:
        again = client.get("/api/v1/articles?limit=5&locale=en")
    assert again.status_code == 200
    assert query_recorder.count == 3, str(query_recorder)  # new filters: counted once
    with query_recorder:
        client.get("/api/v1/articles?limit=5")
    assert query_recorder.count == 2, str(query_recorder)  # the total is known


def test_the_public_detail_costs_one_statement(
    uncached: Flask, session: Session, query_recorder: QueryRecorder
):
    _several(session, 3)
    client = uncached.test_client()
    with query_recorder:
        response = client.get("/api/v1/articles/article-1")
    assert response.status_code == 200
    assert query_recorder.count == 1, str(query_recorder)


@pytest.mark.parametrize("articles", [1, 6])
def test_the_editors_list_costs_the_same_for_one_or_many_articles(
    uncached: Flask,
    session: Session,
    query_recorder: QueryRecorder,
    editors: Editors,
    articles: int,
):
    _several(session, articles)
    client = uncached.test_client()
    headers = editors.headers("editor")
    with query_recorder:
        response = client.get(f"{MANAGE}?limit=5", headers=headers)
    assert response.status_code == 200
    assert len(response.get_json()["items"]) == min(articles, 5)
    assert query_recorder.count == 4, str(query_recorder)
