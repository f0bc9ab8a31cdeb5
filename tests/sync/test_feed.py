"""The sync feed as an app sees it: an initial sync, then exactly what changed since."""

from __future__ import annotations

import base64

import orjson
import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.delivery.models import DeliveryState
from cms.observability import metrics
from cms.publishing import service as publishing
from cms.sync import tokens
from tests.factories import NOW, TESTER, create_article, revise
from tests.sync import helpers
from tests.sync.helpers import SYNC, App, title


def _publish_many(session: Session, count: int, prefix: str = "article") -> list:
    articles = [create_article(session, slug=f"{prefix}-{n}", title=title(n)) for n in range(count)]
    session.commit()
    return articles


def test_an_initial_sync_pages_through_every_published_article(
    client: FlaskClient, session: Session
):
    articles = _publish_many(session, 5)
    create_article(session, slug="a-draft", publish=False)
    session.commit()
    app = App(client, limit=2)
    pages = app.sync()
    assert len(pages) == 3
    assert [len(page["upserts"]) for page in pages] == [2, 2, 1]
    assert set(app.store) == {str(a.id) for a in articles}
    assert all(page["deletions"] == [] for page in pages)
    assert len(app.upserts()) == 5  # no article twice when nothing changed


def test_upserts_are_the_detail_endpoints_bytes(client: FlaskClient, session: Session):
    create_article(session, conditions=["lupus"])
    session.commit()
    detail = client.get("/api/v1/articles/stem-cells-scleroderma").data
    body = client.get(SYNC).data
    assert body.startswith(b'{"upserts":[' + detail + b"]")


def test_a_locale_sync_holds_only_that_locale(client: FlaskClient, session: Session):
    english = create_article(session, slug="english")
    german = create_article(session, **helpers.german(slug="deutsch"))
    session.commit()
    everything, app = App(client), App(client, locale="de")
    everything.sync()
    app.sync()
    assert set(everything.store) == {str(english.id), str(german.id)}
    assert set(app.store) == {str(german.id)}


def test_a_delta_has_what_changed_and_nothing_else(client: FlaskClient, session: Session):
    kept, renamed, unpublished, trashed, archived = _publish_many(session, 5)
    app = App(client)
    app.sync()
    revise(session, renamed, publish=True, slug="a-new-name", title="Renamed")
    publishing.unpublish(session, article=unpublished, actor=TESTER, now=NOW, comment=None)
    publishing.trash(session, article_id=trashed.id, expected=None, actor=TESTER, now=NOW)
    publishing.archive(session, article=archived, actor=TESTER, now=NOW, comment=None)
    new = create_article(session, slug="brand-new")
    publishing.reindex_search(session, now=NOW)  # about no article: not in the feed
    session.commit()

    app.sync()
    assert {item["id"]: item["slug"] for item in app.upserts()} == {
        str(renamed.id): "a-new-name",
        str(new.id): "brand-new",
    }
    assert {d["id"]: d["kind"] for d in app.deletions()} == {
        str(unpublished.id): "unpublished",
        str(trashed.id): "trashed",
        str(archived.id): "archived",
    }
    gone = next(d for d in app.deletions() if d["id"] == str(trashed.id))
    assert (gone["slug"], gone["locale"]) == ("article-3", "en")
    assert gone["removed_at"].startswith("2026-11-01T12:00:00")
    assert set(app.store) == {str(a.id) for a in (kept, renamed, new)}
    assert app.store[str(renamed.id)]["title"] == "Renamed"


def test_withdrawn_and_expired_articles_are_deletions_of_their_kind(
    client: FlaskClient, session: Session
):
    kept, withdrawn, expired = _publish_many(session, 3)
    app = App(client)
    app.sync()
    publishing.withdraw(
        session, article_id=withdrawn.id, expected=None, reason="Unsafe dose.",
        actor=TESTER, now=NOW,
    )  # fmt: skip
    publishing.expire(session, article=expired, actor=TESTER, now=NOW, details={})
    session.commit()
    app.sync()
    assert {d["id"]: d["kind"] for d in app.deletions()} == {
        str(withdrawn.id): "withdrawn",
        str(expired.id): "expired",
    }
    assert "Unsafe dose." not in str(app.pages)  # the reason is for the audit log only
    assert set(app.store) == {str(kept.id)}


def test_a_delta_collapses_each_article_to_its_state_now(client: FlaskClient, session: Session):
    (article,) = _publish_many(session, 1)
    app = App(client)
    app.sync()
    revise(session, article, publish=True, title="Second")
    publishing.unpublish(session, article=article, actor=TESTER, now=NOW, comment=None)
    revise(session, article, publish=True, title="Third")
    session.commit()
    app.sync()
    assert [item["title"] for item in app.upserts()] == ["Third"]
    assert app.deletions() == []


def test_nothing_changed_is_an_empty_delta_with_the_same_token(
    client: FlaskClient, session: Session
):
    _publish_many(session, 2)
    app = App(client)
    app.sync()
    token = app.token
    app.sync()
    assert app.pages == [
        {"upserts": [], "deletions": [], "next_page_token": None, "next_sync_token": token}
    ]


def test_the_same_token_twice_gets_the_same_answer(client: FlaskClient, session: Session):
    (article, other) = _publish_many(session, 2)
    app = App(client)
    app.sync()
    revise(session, article, publish=True, title="Changed")
    publishing.unpublish(session, article=other, actor=TESTER, now=NOW, comment=None)
    session.commit()
    first = client.get(SYNC, query_string={"sync_token": app.token})
    second = client.get(SYNC, query_string={"sync_token": app.token})
    assert first.status_code == second.status_code == 200
    assert first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"]
    assert [item["title"] for item in first.get_json()["upserts"]] == ["Changed"]
    assert [d["kind"] for d in first.get_json()["deletions"]] == ["unpublished"]


def test_a_delta_with_many_changes_is_paged(client: FlaskClient, session: Session):
    articles = _publish_many(session, 3)
    app = App(client, limit=2)
    app.sync()
    for n, article in enumerate(articles):
        revise(session, article, publish=True, slug=f"article-{n}", title=f"Revised notes ({n})")
    more = _publish_many(session, 2, prefix="more")
    app.sync()
    assert len(app.pages) == 3
    assert sorted(item["title"] for item in app.upserts()) == [
        "Notes on scleroderma care (0)",
        "Notes on scleroderma care (1)",
        "Revised notes (0)",
        "Revised notes (1)",
        "Revised notes (2)",
    ]
    assert set(app.store) == {str(a.id) for a in [*articles, *more]}


def test_an_article_moved_to_another_locale_leaves_that_locales_sync(
    client: FlaskClient, session: Session
):
    article = create_article(session, slug="moving")
    session.commit()
    english, german = App(client, locale="en"), App(client, locale="de")
    english.sync()
    german.sync()
    revise(session, article, publish=True, **helpers.german(slug="moving"))
    session.commit()
    english.sync()
    german.sync()
    assert [(d["id"], d["kind"]) for d in english.deletions()] == [(str(article.id), "moved")]
    assert english.store == {}
    assert set(german.store) == {str(article.id)}


def test_answers_have_an_etag_and_revalidate_with_304(client: FlaskClient, session: Session):
    _publish_many(session, 1)
    response = client.get(SYNC)
    assert response.headers["Cache-Control"] == "public, max-age=0"
    etag = response.headers["ETag"]
    again = client.get(SYNC, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    create_article(session, slug="another")
    session.commit()
    assert client.get(SYNC, headers={"If-None-Match": etag}).status_code == 200


def test_sync_requests_are_counted_by_kind(client: FlaskClient, session: Session):
    _publish_many(session, 1)

    def count(kind: str) -> float:
        return metrics.sync_requests.labels(kind)._value.get()

    _publish_many(session, 1, prefix="second")
    initial, delta = count("initial"), count("delta")
    app = App(client, limit=1)
    app.sync()  # two pages
    app.sync()
    assert count("initial") - initial == 2
    assert count("delta") - delta == 1


# --- Tokens -------------------------------------------------------------------------------------


def _problem(response) -> dict:
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    return response.get_json()


def _tampered(token: str) -> str:
    encoded, mac = token.split(".")
    payload = orjson.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    payload["g"] = 0  # replay everything from the start, say
    forged = base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=").decode()
    return f"{forged}.{mac}"


@pytest.mark.parametrize("parameter", ["sync_token", "page_token"])
def test_an_altered_or_foreign_token_is_a_400_problem(
    client: FlaskClient, session: Session, parameter: str
):
    _publish_many(session, 3)
    first = client.get(SYNC, query_string={"limit": 1}).get_json()
    app = App(client)
    app.sync()
    valid = app.token if parameter == "sync_token" else first["next_page_token"]
    foreign = tokens.sign("0" * 64, orjson.loads(_payload(valid)))
    for token in (_tampered(valid), foreign, valid[:-3], "not-a-token", valid + "x"):
        problem = _problem(client.get(SYNC, query_string={parameter: token}))
        assert problem["type"] == "/problems/invalid-sync-token"
        assert problem["errors"][0]["pointer"] == f"/query/{parameter}"


def _payload(token: str) -> bytes:
    encoded = token.split(".", maxsplit=1)[0]
    return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))


def test_a_token_in_the_wrong_parameter_is_refused(client: FlaskClient, session: Session):
    _publish_many(session, 2)
    page = client.get(SYNC, query_string={"limit": 1}).get_json()
    app = App(client)
    app.sync()
    wrong_page = client.get(SYNC, query_string={"page_token": app.token})
    assert _problem(wrong_page)["type"] == "/problems/invalid-sync-token"
    wrong_sync = client.get(SYNC, query_string={"sync_token": page["next_page_token"]})
    assert _problem(wrong_sync)["type"] == "/problems/invalid-sync-token"


def test_a_token_ahead_of_the_server_is_refused(client: FlaskClient, session: Session):
    key = session.get(DeliveryState, 1).token_key
    ahead = tokens.sign(key, {"k": "s", "g": 10**9, "l": None})
    problem = _problem(client.get(SYNC, query_string={"sync_token": ahead}))
    assert problem["type"] == "/problems/invalid-sync-token"
    assert problem["errors"][0]["code"] == "token_out_of_reach"


def test_parameters_are_checked(client: FlaskClient, session: Session):
    _publish_many(session, 1)
    app = App(client, locale="en")
    app.sync()
    assert client.get(SYNC, query_string={"limit": 501}).status_code == 400
    assert client.get(SYNC, query_string={"limit": 500}).status_code == 200
    both = client.get(SYNC, query_string={"sync_token": app.token, "page_token": app.token})
    assert _problem(both)["type"] == "/problems/invalid-parameters"
    other = client.get(SYNC, query_string={"sync_token": app.token, "locale": "de"})
    assert _problem(other)["errors"][0]["pointer"] == "/query/locale"
    same = client.get(SYNC, query_string={"sync_token": app.token, "locale": "en"})
    assert same.status_code == 200
    assert client.get(SYNC, query_string={"cursor": "x"}).status_code == 400
