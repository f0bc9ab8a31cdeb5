"""The search endpoint as an HTTP resource: validation, hostile input, paging, caching."""

from __future__ import annotations

import base64
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.app import create_app
from cms.db import Database
from cms.search import postgresql
from cms.search.backend import TIERS
from cms.search.models import SearchDocument
from tests.factories import create_article
from tests.search.conftest import search, searchable

HOSTILE_QUERIES = [
    'AND OR " ( transplants:*',  # operators of both engines, an unbalanced quote
    '"unbalanced',
    'unbalanced"',
    '""',
    '"" ""',
    "*",
    "**",
    "scleroderma*",
    "*scleroderma",
    "NEAR(scleroderma lungs)",
    "NEAR/2",
    "scleroderma AND",
    "OR OR OR",
    "NOT scleroderma",
    "-scleroderma",
    "scleroderma -lungs",
    "title:scleroderma",
    "{title summary}: scleroderma",
    "^scleroderma",
    "scleroderma:*",
    "scleroderma & lungs | skin",
    "!scleroderma",
    "scleroderma <-> lungs",
    "'scleroderma'",
    "''''",
    "\\'; DROP TABLE search_documents; --",
    "%' OR 1=1 --",
    "scler\x00oderma",
    "\x00\x00",
    "\ud800\udfff scleroderma",
    "\ud800",
    "(((((((((((scleroderma",
    ")))",
    "the of and",  # only stop words (PostgreSQL drops them)
    "a",  # too short
    " a ",
    "x" * 200,
    "x" * 201,
    "scleroderma " * 16,
    "ω" * 100,
    "𝕊𝕔𝕝𝕖𝕣𝕠𝕕𝕖𝕣𝕞𝕒",
    "ＳＣＬＥＲＯＤＥＲＭＡ",
    "<script>alert(1)</script>",
    "١٢٣ ٤٥٦",
    "🙂🙂",
    "\t\n\r",
    "%",
    "%%",
    "scleroderma\u202e",
]


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
def test_hostile_queries_get_a_result_or_a_problem_never_a_server_error(
    client: FlaskClient, session: Session, q: str
):
    searchable(session, "target", title="Scleroderma and the lungs")
    # Percent-encoded by hand: lone surrogates go out as the bytes a client would send.
    encoded = quote(q.encode("utf-8", "surrogatepass"), safe="")
    response = client.get(f"/api/v1/search?q={encoded}")
    assert response.status_code in (200, 400), response.data
    if response.status_code == 400:
        assert response.mimetype == "application/problem+json"
        assert [e["pointer"] for e in response.get_json()["errors"]] == ["/query/q"]
    else:
        assert isinstance(response.get_json()["items"], list)


def test_a_10000_character_query_is_a_problem_not_a_crash(client: FlaskClient):
    response = client.get("/api/v1/search", query_string={"q": "transplant " * 910})
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["pointer"] == "/query/q"


def test_raw_percent_encoded_garbage_is_handled(client: FlaskClient, session: Session):
    searchable(session, "target", title="Scleroderma and the lungs")
    for raw in ("q=%ED%A0%80scleroderma", "q=%FF%FEscleroderma", "q=%00%00", "q=scleroderma%2A"):
        response = client.get(f"/api/v1/search?{raw}")
        assert response.status_code in (200, 400), raw


def test_operators_are_searched_as_words(find, session: Session):
    searchable(session, "target", title="Scleroderma and the lungs")
    assert find("scleroderma AND lungs") == ["target"]
    assert find("scleroderma -lungs") == ["target"]  # not a negation
    # Not a disjunction: every word must match (PostgreSQL drops "or" as a stop word).
    assert find("scleroderma OR plasmapheresis") == []


@pytest.mark.parametrize(("q", "code"), [("a", "too_short"), ("  b  ", "too_short")])
def test_a_query_under_two_characters_is_a_problem_at_q(client: FlaskClient, q: str, code: str):
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 400
    assert response.get_json()["errors"] == [
        {"pointer": "/query/q", "code": code, "message": "Type at least 2 characters to search."}
    ]


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("s*", "A prefix needs at least 2 letters before the *: s*"),
        ('lupus "stem cells" t*', "A prefix needs at least 2 letters before the *: t*"),
        ("a* be* c*", "A prefix needs at least 2 letters before the *: a*, c*"),
    ],
)
def test_a_prefix_of_one_letter_is_a_problem_at_q(client: FlaskClient, q: str, message: str):
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 400
    assert response.get_json()["errors"] == [
        {"pointer": "/query/q", "code": "short_prefix", "message": message}
    ]


def test_a_prefix_of_two_letters_is_searched(client: FlaskClient, session: Session):
    searchable(session, "target", title="Plasmapheresis for scleroderma")
    searchable(session, "other", title="Exercise for scleroderma")
    response = client.get("/api/v1/search", query_string={"q": "pl*"})
    assert response.status_code == 200
    assert [item["slug"] for item in response.get_json()["items"]] == ["target"]


def test_a_query_without_words_is_a_problem_at_q(client: FlaskClient):
    response = client.get("/api/v1/search", query_string={"q": "?!*()"})
    assert response.status_code == 400
    assert response.get_json()["errors"][0] == {
        "pointer": "/query/q",
        "code": "no_words",
        "message": "Contains no letters or digits to search for.",
    }


@pytest.mark.parametrize(
    ("query", "pointer"),
    [
        ("", "/query/q"),
        ("q=lupus&limit=0", "/query/limit"),
        ("q=lupus&limit=51", "/query/limit"),
        ("q=lupus&page=2", "/query/page"),
        ("q=lupus&locale=english", "/query/locale"),
        ("q=lupus&condition=Not%20A%20Slug", "/query/condition/0"),
    ],
)
def test_bad_parameters_are_400_problems(client: FlaskClient, query: str, pointer: str):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    assert pointer in [e["pointer"] for e in response.get_json()["errors"]]


def test_snippets_mark_the_terms_and_escape_everything_else(client: FlaskClient, session: Session):
    searchable(
        session,
        "markup",
        overview="If 2 < 3 & a `<b>` tag meet plasmapheresis `<script>` [@scot2018].",
    )
    snippet = search(client, "plasmapheresis")["items"][0]["snippet"]
    assert "<mark>plasmapheresis</mark>" in snippet
    assert "2 &lt; 3 &amp; a" in snippet
    without_marks = snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks
    assert ">" not in without_marks


def test_pages_follow_each_other_without_repeats(client: FlaskClient, session: Session):
    for n in range(5):
        searchable(session, f"article-{n}", title=f"Plasmapheresis {'and more ' * n}")
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = client.get("/api/v1/search", query_string={"q": "plasmapheresis", **params})
        body = response.get_json()
        seen += [item["slug"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
        assert 'rel="next"' in response.headers["Link"]
    assert pages == 3
    assert sorted(seen) == [f"article-{n}" for n in range(5)]
    assert seen == [item["slug"] for item in search(client, "plasmapheresis", limit=5)["items"]]


def test_pages_cross_from_one_tier_to_the_next_without_repeats(
    client: FlaskClient, session: Session
):
    for n in range(3):
        searchable(session, f"title-{n}", title=f"Plasmapheresis, part {n}")
        searchable(session, f"text-{n}", overview=f"Plasmapheresis, part {n} [@scot2018].")
    everything = [item["slug"] for item in search(client, "plasmapheresis", limit=6)["items"]]
    assert everything == ["title-2", "title-1", "title-0", "text-2", "text-1", "text-0"]
    seen, cursor = [], None
    while True:
        body = search(client, "plasmapheresis", limit=2, **({"cursor": cursor} if cursor else {}))
        seen += [item["slug"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == everything


def test_hits_older_than_the_newest_rows_are_found_in_order(
    client: FlaskClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    # PostgreSQL looks for hits among the newest rows first, then asks its index for
    # the older ones; with a window of two rows, most hits here are older.
    monkeypatch.setattr(postgresql, "WINDOWS", dict.fromkeys(TIERS, 2))
    searchable(session, "text-old", overview="Plasmapheresis is also used [@scot2018].")
    for n in range(3):
        searchable(session, f"title-{n}", title=f"Plasmapheresis, part {n}")
    for n in range(4):
        searchable(session, f"unrelated-{n}", title=f"Scleroderma, part {n}")
    searchable(session, "text-new", overview="Plasmapheresis, once more [@scot2018].")
    expected = ["title-2", "title-1", "title-0", "text-new", "text-old"]
    assert [item["slug"] for item in search(client, "plasmapheresis")["items"]] == expected
    seen, cursor = [], None
    while True:
        body = search(client, "plasmapheresis", limit=2, **({"cursor": cursor} if cursor else {}))
        seen += [item["slug"] for item in body["items"]]
        if (cursor := body["next_cursor"]) is None:
            break
    assert seen == expected


@pytest.mark.parametrize("limit", [1, 2, 3, 20])
def test_hits_after_a_window_with_too_few_are_found_in_order_once(
    client: FlaskClient, session: Session, monkeypatch: pytest.MonkeyPatch, limit: int
):
    # With a window of two rows holding one hit, PostgreSQL walks on through the next
    # rows as far as that share of hits says, then asks its index for what is older:
    # titles hit in all three stretches, and the pages join them without a gap.
    monkeypatch.setattr(postgresql, "WINDOWS", dict.fromkeys(TIERS, 2))
    order = ["title-a", *(f"other-{n}" for n in range(4)), "title-b", "title-c"]
    order += [*(f"other-{n}" for n in range(4, 8)), "title-d", "other-8", "title-e", "other-9"]
    for slug in order:  # oldest first
        title = "Plasmapheresis" if slug.startswith("title") else "Scleroderma"
        searchable(session, slug, title=f"{title}, {slug}")
    expected = ["title-e", "title-d", "title-c", "title-b", "title-a"]
    seen, cursor = [], None
    while True:
        query = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        body = search(client, "plasmapheresis", **query)
        seen += [item["slug"] for item in body["items"]]
        if (cursor := body["next_cursor"]) is None:
            break
    assert seen == expected


@pytest.mark.parametrize("limit", [1, 2, 20])
def test_a_prefix_search_marks_each_hit_s_own_words(
    client: FlaskClient, session: Session, limit: int
):
    # Title hits newest and oldest, text hits between: a page's rows span others' rows.
    for name, where in (
        ("alpha", "text"),
        ("beta", "title"),
        ("gamma", "text"),
        ("delta", "title"),
    ):
        if where == "title":
            searchable(session, name, title=f"Plasmapheresis for {name}")
        else:
            searchable(session, name, overview=f"Plasmapheresis helps {name} [@scot2018].")
    items = search(client, "plasma*", limit=limit)["items"]
    assert [item["slug"] for item in items] == ["delta", "beta", "gamma", "alpha"][:limit]
    for item in items:
        assert item["slug"] in item["snippet"]
        assert "<mark>Plasmapheresis</mark>" in item["snippet"]


def test_a_snippet_marks_a_word_deep_in_a_long_text(client: FlaskClient, session: Session):
    filler = "Severe scleroderma can damage the lungs and skin over many years. " * 120
    searchable(session, "long", overview=f"{filler}Plasmapheresis is also used [@scot2018].")
    snippet = search(client, "plasmapheresis")["items"][0]["snippet"]
    assert "<mark>Plasmapheresis</mark> is also used" in snippet


def _first_cursor(client: FlaskClient, q: str) -> str:
    return search(client, q, limit=1)["next_cursor"]


@pytest.fixture
def two_hits(session: Session) -> None:
    searchable(session, "one", title="Plasmapheresis for scleroderma")
    searchable(session, "two", overview="Plasmapheresis is used [@scot2018].")


@pytest.mark.usefixtures("two_hits")
def test_a_cursor_of_another_search_is_refused(client: FlaskClient):
    cursor = _first_cursor(client, "plasmapheresis")
    for other in ({"q": "scleroderma"}, {"q": "plasmapheresis", "condition": "lupus"}):
        response = client.get("/api/v1/search", query_string={**other, "cursor": cursor})
        assert response.status_code == 400
        assert response.get_json()["errors"][0]["pointer"] == "/query/cursor"


@pytest.mark.usefixtures("two_hits")
def test_an_altered_cursor_is_refused(client: FlaskClient):
    cursor = _first_cursor(client, "plasmapheresis")
    raw = bytearray(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    raw[-5] ^= 1
    altered = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    for bad in (altered, "garbage", cursor[:-3], "A" * 200):
        response = client.get("/api/v1/search", query_string={"q": "plasmapheresis", "cursor": bad})
        assert response.status_code == 400, bad
        assert response.get_json()["errors"][0]["pointer"] == "/query/cursor"


def test_answers_carry_an_etag_and_public_caching(client: FlaskClient, session: Session):
    searchable(session, "one", title="Plasmapheresis for scleroderma")
    response = client.get("/api/v1/search?q=plasmapheresis")
    etag = response.get_etag()[0]
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    for header in (f'"{etag}"', f'W/"{etag}"', f'"other", W/"{etag}"'):
        again = client.get("/api/v1/search?q=plasmapheresis", headers={"If-None-Match": header})
        assert (again.status_code, again.data) == (304, b""), header
        assert again.get_etag()[0] == etag
    searchable(session, "two", overview="Plasmapheresis is used [@scot2018].")
    changed = client.get("/api/v1/search?q=plasmapheresis", headers={"If-None-Match": etag})
    assert changed.status_code == 200


def test_errors_are_cached_briefly_by_others_and_never_in_process(app: Flask):
    client = app.test_client()
    response = client.get("/api/v1/search?q=a")
    assert response.status_code == 400
    assert response.headers["Cache-Control"] == "public, max-age=30, s-maxage=30"
    assert len(app.extensions["cms.delivery_cache"]) == 0


@pytest.fixture
def cached_app(database: Database) -> Flask:
    return create_app({"DATABASE": database, "TESTING": True})


def test_a_repeated_search_is_answered_by_the_delivery_cache(cached_app: Flask, session: Session):
    create_article(session)
    client = cached_app.test_client()
    first = client.get("/api/v1/search?q=scleroderma")
    # Empty the index behind the cache's back: a cached answer cannot see it.
    session.execute(sa.delete(SearchDocument))
    second = client.get("/api/v1/search?q=scleroderma")
    assert (second.status_code, second.data) == (200, first.data)
    assert [h for h in second.headers if h[0] != "X-Request-ID"] == [
        h for h in first.headers if h[0] != "X-Request-ID"
    ]
    assert client.get("/api/v1/search?q=scleroderma&limit=3").get_json()["items"] == []


def test_pages_step_through_equal_scores(client: FlaskClient, session: Session):
    # Same text, so equal scores: only the tie-breaker orders them. A heading match
    # scores 0.2 on PostgreSQL, a float4 that no float8 equals exactly.
    for n in range(4):
        searchable(session, f"tie-{n}", overview_heading="What plasmapheresis is")
    seen, cursor = [], None
    for _ in range(5):
        params = {"q": "plasmapheresis", "limit": 1, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/search", query_string=params).get_json()
        seen += [item["slug"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == [f"tie-{n}" for n in range(4)]
