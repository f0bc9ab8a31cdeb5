"""What a mobile app does with the sync feed: page through it and keep a store by id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask.testing import FlaskClient

from tests.factories import section

SYNC = "/api/v1/sync"


@dataclass
class App:
    """A client's local store, kept in step by following the feed as documented."""

    client: FlaskClient
    locale: str | None = None
    limit: int = 100
    token: str | None = None
    store: dict[str, dict[str, Any]] = field(default_factory=dict)
    pages: list[dict[str, Any]] = field(default_factory=list)  # of the last sync

    def sync(self, between_pages: Callable[[], None] | None = None) -> list[dict[str, Any]]:
        """One whole sync (every page); returns its pages. ``between_pages`` runs
        after each page that has a next one (changes made while the app pages)."""
        params: dict[str, Any] = {"limit": self.limit}
        if self.token is None:
            if self.locale is not None:
                params["locale"] = self.locale
            self.store = {}
        else:
            params["sync_token"] = self.token
        self.pages = []
        while True:
            response = self.client.get(SYNC, query_string=params)
            assert response.status_code == 200, response.get_data(as_text=True)
            page = response.get_json()
            self.pages.append(page)
            for item in page["upserts"]:
                self.store[item["id"]] = item
            for gone in page["deletions"]:
                self.store.pop(gone["id"], None)
            if page["next_page_token"] is None:
                assert page["next_sync_token"]
                self.token = page["next_sync_token"]
                return self.pages
            assert page["next_sync_token"] is None
            if between_pages is not None:
                between_pages()
            params = {"limit": self.limit, "page_token": page["next_page_token"]}

    def upserts(self) -> list[dict[str, Any]]:
        return [item for page in self.pages for item in page["upserts"]]

    def deletions(self) -> list[dict[str, Any]]:
        return [item for page in self.pages for item in page["deletions"]]

    def slugs(self) -> set[tuple[str, str]]:
        return {(item["slug"], item["locale"]) for item in self.store.values()}


# A German article that passes the publishing checks (the language check reads the text).
GERMAN_RISKS = (
    "Die Behandlung kann selbst zum Tod führen; in gepoolten Daten zu Morbus Crohn starben "
    "etwa 6 von 100 behandelten Menschen [@qiu2017]. Schwere Infektionen in den Wochen ohne "
    "funktionierendes Immunsystem sind häufig, und manche Menschen bekommen danach eine "
    "zweite Autoimmunerkrankung oder verlieren ihre Fruchtbarkeit."
)


def german(**overrides: Any) -> dict[str, Any]:
    """``create_article``/``revise`` overrides for a German version of the test article."""
    return {
        "locale": "de",
        "title": "Stammzelltransplantation bei Sklerodermie",
        "summary": "Was die Studien zeigen und welche Risiken die Behandlung hat.",
        "sections": [
            section(
                "overview",
                "Eine schwere Sklerodermie kann die Lunge und die Haut schädigen [@scot2018].",
                heading="Überblick",
            ),
            section("risks", GERMAN_RISKS, heading="Risiken"),
        ],
        **overrides,
    }


def title(n: int) -> str:
    return f"Notes on scleroderma care ({n})"
