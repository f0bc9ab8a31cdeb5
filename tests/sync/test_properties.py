"""Whatever editors do, an app that follows the feed ends up holding exactly the published set.

Seeded random runs of publishes, revisions, renames, unpublishes, trashes, restores
and archives, some made while the app is paging; after each round the app syncs
with its token and its store is compared with the set this test computed from
what it did (not with anything the feed or the database says).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cms.articles.models import Article
from cms.publishing import service as publishing
from tests.factories import NOW, TESTER, create_article, revise
from tests.sync.helpers import App


@dataclass
class Tracked:
    article: Article
    slug: str
    title: str
    live: bool = True
    trashed: bool = False
    archived: bool = False


class Editors:
    """Random editorial actions, and the published set they should leave."""

    def __init__(self, session: Session, rng: random.Random):
        self.session, self.rng = session, rng
        self.articles: list[Tracked] = []
        self.counter = 0

    def _name(self) -> tuple[str, str]:
        self.counter += 1
        return f"topic-{self.counter}", f"Scleroderma care notes ({self.counter})"

    def expected(self) -> dict[str, tuple[str, str]]:
        return {str(t.article.id): (t.slug, t.title) for t in self.articles if t.live}

    def act(self) -> None:
        editable = [t for t in self.articles if not (t.trashed or t.archived)]
        live = [t for t in editable if t.live]
        choices = ["create"] * 2
        if editable:
            choices += ["revise", "rename"]
        if live:
            choices += ["unpublish", "trash", "archive"]
        if any(t.trashed for t in self.articles):
            choices.append("restore")
        action = self.rng.choice(choices)
        session = self.session
        if action == "create":
            slug, title = self._name()
            article = create_article(session, slug=slug, title=title)
            self.articles.append(Tracked(article, slug, title))
        elif action in ("revise", "rename"):
            tracked = self.rng.choice(editable)
            slug, title = self._name()
            slug = slug if action == "rename" else tracked.slug
            revise(session, tracked.article, publish=True, slug=slug, title=title)
            tracked.slug, tracked.title, tracked.live = slug, title, True
        elif action == "unpublish":
            tracked = self.rng.choice(live)
            publishing.unpublish(
                session, article=tracked.article, actor=TESTER, now=NOW, comment=None
            )
            tracked.live = False
        elif action == "archive":
            tracked = self.rng.choice(live)
            publishing.archive(
                session, article=tracked.article, actor=TESTER, now=NOW, comment=None
            )
            tracked.live, tracked.archived = False, True
        elif action == "trash":
            tracked = self.rng.choice(live)
            publishing.trash(
                session, article_id=tracked.article.id, expected=None, actor=TESTER, now=NOW
            )
            tracked.live, tracked.trashed = False, True
        else:
            tracked = self.rng.choice([t for t in self.articles if t.trashed])
            publishing.restore(
                session, article_id=tracked.article.id, expected=None, actor=TESTER, now=NOW
            )
            tracked.trashed = False  # back in the editorial flow, still offline
        session.commit()


def held(app: App) -> dict[str, tuple[str, str]]:
    return {article_id: (item["slug"], item["title"]) for article_id, item in app.store.items()}


@pytest.mark.parametrize("seed", [1, 2])
def test_an_app_following_the_feed_holds_exactly_the_published_set(
    client: FlaskClient, session: Session, seed: int
):
    rng = random.Random(seed)
    editors = Editors(session, rng)
    for _ in range(4):
        editors.act()
    app = App(client, limit=2)
    # Changes while the app pages through its initial sync: they reach it, now or next time.
    app.sync(between_pages=editors.act)
    for _round in range(3):
        for _ in range(rng.randint(1, 4)):
            editors.act()
        app.sync(between_pages=editors.act if rng.random() < 0.5 else None)
        app.sync()  # nothing happened while this one paged: the app is in step
        assert held(app) == editors.expected()
        fresh = App(client, limit=3)
        fresh.sync()
        assert held(fresh) == editors.expected()
