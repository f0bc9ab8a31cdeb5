"""The public list: several summaries by slug, other orders, and their cursors."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.app import create_app
from cms.db import Database
from cms.delivery.models import PublishedArticle, PublishedCondition
from tests.factories import NOW, create_article, revise

LIST = "/api/v1/articles"


def slugs_of(client: FlaskClient, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return [item["slug"] for item in response.get_json()["items"]]


# --- slug= ----------------------------------------------------------------------------


def test_summaries_by_slug_come_in_the_order_asked_and_missing_ones_are_absent(
    client: FlaskClient, session: Session
):
    for slug in ("alpha", "bravo", "charlie"):
        create_article(session, slug=slug)
    create_article(session, slug="delta", publish=False)
    create_article(session, slug="bravo", locale="en-GB")
    session.commit()
    body = client.get(f"{LIST}?slug=charlie,nowhere,alpha,delta,bravo").get_json()
    assert [i["slug"] for i in body["items"]] == ["charlie", "alpha", "bravo"]
    assert [i["locale"] for i in body["items"]] == ["en", "en", "en"]
    assert body["total"] == 3
    assert body["next_cursor"] is None
    assert slugs_of(client, f"{LIST}?slug=bravo,alpha&locale=en-GB") == ["bravo"]
    assert slugs_of(client, f"{LIST}?slug=alpha,alpha") == ["alpha"]
    assert client.get(f"{LIST}?slug=alpha&fields=slug").get_json()["items"] == [{"slug": "alpha"}]


def test_slug_lookups_are_bounded_and_validated(client: FlaskClient):
    slugs = ",".join(f"s{i}" for i in range(51))
    response = client.get(f"{LIST}?slug={slugs}")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["pointer"] == "/query/slug"
    response = client.get(f"{LIST}?slug=ok,Not-A-Slug!")
    assert response.get_json()["errors"][0]["pointer"] == "/query/slug/1"
    response = client.get(f"{LIST}?slug=ok&cursor=abc")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["pointer"] == "/query/cursor"


def test_fifty_slugs_are_allowed(client: FlaskClient, session: Session):
    create_article(session, slug="s49")
    session.commit()
    slugs = ",".join(f"s{i}" for i in range(50))
    assert slugs_of(client, f"{LIST}?slug={slugs}") == ["s49"]


# --- sort= ----------------------------------------------------------------------------


@pytest.fixture
def four(session: Session) -> None:
    """Four articles whose orders all differ, under two conditions (mango under both)."""
    create_article(session, slug="kiwi", title="Kiwi allergy", next_review="2027-03-01",
                   last_reviewed="2026-09-01", conditions=["eczema"], now=NOW)  # fmt: skip
    mango = create_article(
        session,
        slug="mango",
        title="Mango and eczema",
        next_review="2027-09-01",
        last_reviewed="2026-06-15",
        conditions=["eczema", "asthma"],
        now=NOW + dt.timedelta(hours=1),
    )
    create_article(
        session,
        slug="apple",
        title="Apple cider vinegar",
        next_review="2027-01-15",
        last_reviewed="2026-10-20",
        conditions=["asthma"],
        now=NOW + dt.timedelta(hours=2),
    )
    create_article(
        session,
        slug="banana",
        title="Banana diets",
        next_review="2027-06-30",
        last_reviewed="2026-08-05",
        conditions=["eczema"],
        now=NOW + dt.timedelta(hours=3),
    )
    revise(  # a new live revision: updated last, first published second, reviewed first
        session,
        mango,
        publish=True,
        slug="mango",
        title="Mango and eczema",
        next_review="2027-09-01",
        last_reviewed="2026-10-25",
        conditions=["eczema", "asthma"],
        now=NOW + dt.timedelta(hours=4),
    )
    session.commit()


ORDERS = [
    ("-published_at", ["banana", "apple", "mango", "kiwi"]),
    ("-updated_at", ["mango", "banana", "apple", "kiwi"]),
    ("title", ["apple", "banana", "kiwi", "mango"]),
    ("next_review", ["apple", "kiwi", "banana", "mango"]),
    ("-last_reviewed", ["mango", "apple", "kiwi", "banana"]),
]


def paged(client: FlaskClient, query: str, size: int) -> list[str]:
    """Every slug of the list ``query``, read ``size`` at a time through the cursors."""
    seen: list[str] = []
    url = f"{LIST}?limit={size}&{query}"
    while url:
        body = client.get(url).get_json()
        seen += [i["slug"] for i in body["items"]]
        cursor = body["next_cursor"]
        url = f"{LIST}?limit={size}&{query}&cursor={cursor}" if cursor else None
    return seen


@pytest.mark.parametrize(("sort", "expected"), [("", ORDERS[0][1]), *ORDERS])
def test_each_order(client: FlaskClient, four: None, sort: str, expected: list[str]):
    assert slugs_of(client, f"{LIST}?sort={sort}" if sort else LIST) == expected
    # Paged one at a time, the same order without loss or repetition.
    assert paged(client, f"sort={sort or '-published_at'}", 1) == expected


@pytest.mark.parametrize(("sort", "expected"), ORDERS)
@pytest.mark.parametrize("conditions", [["eczema"], ["asthma"], ["eczema", "asthma"]])
def test_each_order_within_conditions(
    client: FlaskClient, four: None, sort: str, expected: list[str], conditions: list[str]
):
    """The same orders among the articles of the conditions, each article once, a page
    at a time (mango's republication moved its keys in every condition it is under)."""
    filed = {"kiwi": {"eczema"}, "mango": {"eczema", "asthma"}, "apple": {"asthma"},
             "banana": {"eczema"}}  # fmt: skip
    wanted = [slug for slug in expected if filed[slug] & set(conditions)]
    query = "&".join([f"sort={sort}", *(f"condition={c}" for c in conditions)])
    for size in (1, 2, 20):
        assert paged(client, query, size) == wanted, size


@pytest.mark.parametrize(
    ("sort", "inserted", "first", "rest"),
    [
        # The new article sorts into the page already read: the next page is unchanged.
        ("title", {"title": "Apricot jam"}, ["apple", "banana"], ["kiwi", "mango"]),
        ("-updated_at", {}, ["mango", "banana"], ["apple", "kiwi"]),
        ("next_review", {"next_review": "2027-02-01"}, ["apple", "kiwi"], ["banana", "mango"]),
        # ...or after it: the next page includes it in its place.
        ("title", {"title": "Lemon"}, ["apple", "banana"], ["kiwi", "new-one", "mango"]),
        (
            "next_review",
            {"next_review": "2027-08-01"},
            ["apple", "kiwi"],
            ["banana", "new-one", "mango"],
        ),
    ],
)
def test_cursors_are_stable_when_an_article_is_published_between_pages(  # noqa: PLR0917
    client: FlaskClient,
    session: Session,
    four: None,
    sort: str,
    inserted: dict,
    first: list[str],
    rest: list[str],
):
    page = client.get(f"{LIST}?limit=2&sort={sort}").get_json()
    assert [i["slug"] for i in page["items"]] == first
    create_article(session, slug="new-one", now=NOW + dt.timedelta(hours=5), **inserted)
    session.commit()
    url = f"{LIST}?limit=3&sort={sort}&cursor={page['next_cursor']}"
    assert slugs_of(client, url) == rest


@pytest.mark.parametrize("sort", ["popular", "published_at", "-title", ""])
def test_unknown_sort_is_a_400_pointing_at_the_parameter(client: FlaskClient, sort: str):
    response = client.get(f"{LIST}?sort={sort}")
    assert response.status_code == 400
    error = response.get_json()["errors"][0]
    assert (error["pointer"], error["code"]) == ("/query/sort", "enum")


def test_a_cursor_belongs_to_its_order(client: FlaskClient, four: None):
    by_title = client.get(f"{LIST}?limit=1&sort=title").get_json()["next_cursor"]
    newest = client.get(f"{LIST}?limit=1").get_json()["next_cursor"]
    for url in (f"{LIST}?sort=next_review&cursor={by_title}", f"{LIST}?sort=title&cursor={newest}"):
        response = client.get(url)
        assert response.status_code == 400
        assert response.get_json()["errors"][0]["pointer"] == "/query/cursor"


# --- total ----------------------------------------------------------------------------


def test_total_is_counted_once_per_delivery_generation(database: Database, session: Session):
    create_article(session, slug="first")
    create_article(session, slug="second", conditions=["lupus"])
    session.commit()
    # The delivery cache off: every request reaches the list service.
    client = create_app({"DATABASE": database, "DELIVERY_CACHE_BYTES": 0}).test_client()
    assert client.get(LIST).get_json()["total"] == 2
    assert client.get(f"{LIST}?condition=lupus").get_json()["total"] == 1
    # A row slipped in without a change of public state (no generation bump) is
    # not counted: the total was read once for this generation...
    session.execute(sa.delete(PublishedCondition).where(PublishedCondition.condition == "lupus"))
    session.commit()
    assert client.get(f"{LIST}?condition=lupus").get_json()["total"] == 1
    # ...and a publish, which moves the generation, is counted on the next request.
    create_article(session, slug="third", conditions=["lupus"])
    session.commit()
    assert client.get(LIST).get_json()["total"] == 3
    assert client.get(f"{LIST}?condition=lupus").get_json()["total"] == 1
    assert client.get(f"{LIST}?locale=en-GB").get_json()["total"] == 0


@pytest.mark.parametrize(
    ("sort", "column", "dated"),
    [("next_review", "next_review", ["apple", "mango"]),
     ("-last_reviewed", "last_reviewed", ["mango", "apple"])],
)  # fmt: skip
@pytest.mark.parametrize("condition", ["", "&condition=eczema&condition=asthma"])
def test_articles_without_a_review_date_come_last(  # noqa: PLR0917
    client: FlaskClient,
    session: Session,
    four: None,
    sort: str,
    column: str,
    dated: list[str],
    condition: str,
):
    # Publishing requires both dates now; rows published before that may lack them.
    session.execute(
        sa.update(PublishedArticle)
        .where(PublishedArticle.slug.in_(["kiwi", "banana"]))
        .values({column: None})
    )
    session.commit()
    ids = dict(session.execute(sa.select(PublishedArticle.slug, PublishedArticle.article_id)).all())
    # Then by article id, in the order's direction.
    undated = sorted(["kiwi", "banana"], key=lambda slug: ids[slug], reverse=sort[0] == "-")
    expected = [*dated, *undated]
    assert slugs_of(client, f"{LIST}?sort={sort}{condition}") == expected
    assert paged(client, f"sort={sort}{condition}", 1) == expected
