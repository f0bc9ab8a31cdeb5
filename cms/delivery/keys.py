"""Surrogate keys: names for what a public response contains, so a change can drop
exactly the cached responses it made stale — in CDNs (``Surrogate-Key`` for Fastly
and Varnish xkey, ``Cache-Tag`` for Cloudflare) and in every process's delivery cache.

- ``article:<id>``: the article's detail and JSON-LD;
- ``slug:<locale>:<slug>``: whatever answers at that address, including a 404 or
  410 a CDN keeps for a while, so a publication there purges it;
- ``list`` (unfiltered lists), ``list:<locale>``, ``condition:<slug>``: list pages;
  a filtered page carries the key of each filter, and a change purges the keys of
  the article's locale and conditions, before and after;
- ``search:<locale>``: search results in a locale.

A change of one article touches its own keys and those of the lists and searches
it appears (or appeared) in — never every article.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from cms.delivery.snapshots import Listing

LIST = "list"
ALL_SEARCHES = "search"  # every search answer, whatever its locale


def article(article_id: uuid.UUID) -> str:
    return f"article:{article_id}"


def address(locale: str, slug: str) -> str:
    return f"slug:{locale}:{slug}"


def detail(article_id: uuid.UUID | None, locale: str, slug: str) -> frozenset[str]:
    """What the detail (or JSON-LD) at an address contains."""
    keys = {address(locale, slug)}
    if article_id is not None:
        keys.add(article(article_id))
    return frozenset(keys)


def listing(locale: str | None, conditions: Sequence[str]) -> frozenset[str]:
    """What a list page with these filters may contain."""
    keys = {f"condition:{c}" for c in conditions}
    if locale is not None:
        keys.add(f"list:{locale}")
    if not keys:
        keys.add(LIST)
    return frozenset(keys)


def search(locale: str) -> frozenset[str]:
    return frozenset({f"search:{locale}", ALL_SEARCHES})


def change(listings: Iterable[Listing | None]) -> list[str]:
    """Every key whose responses a change of these (before and after) listings touched."""
    keys: set[str] = set()
    for item in listings:
        if item is None:
            continue
        keys |= detail(item.article_id, item.locale, item.slug)
        keys |= {LIST, f"list:{item.locale}", *(f"condition:{c}" for c in item.conditions)}
        keys |= search(item.locale)
    return sorted(keys)
