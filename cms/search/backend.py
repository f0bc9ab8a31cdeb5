"""What the service hands a backend, and what a backend returns.

Ranking is by tiers, from the most important fields down: a hit whose title holds
every term of the query comes first (tier 4), then one whose title and summary
together hold them (3), then title, summary and section headings (2), then the
whole text (1). Within a tier the most recently published article comes first
(the index row's id: a row is added when an article is first published and kept
while it stays live). Both engines walk their index in that order and stop once a
page is full, so a page costs about the same at 200 articles as at 50,000, however
many articles contain the words.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from cms.search.terms import Term

# Snippet markers: control characters, which no stored text can contain (the
# document schema refuses them), so they cannot be forged by an author. The
# service escapes the snippet, then turns them into <mark> and </mark>.
START_MARKER = "\x02"
STOP_MARKER = "\x03"


@dataclass(frozen=True, slots=True)
class Query:
    terms: Sequence[Term]
    locale: str
    config: str
    conditions: Sequence[str]
    start_marker: str = START_MARKER
    stop_marker: str = STOP_MARKER


# The fields each tier's terms must all be found in, best tier first; None: anywhere.
TIERS: dict[int, tuple[str, ...] | None] = {
    4: ("title",),
    3: ("title", "summary"),
    2: ("title", "summary", "headings"),
    1: None,
}


def tiers_after(after: Position | None) -> Iterator[tuple[int, int | None]]:
    """The tiers a page goes through, best first, each with the row its hits are before."""
    for tier in TIERS:
        if after is None or tier < after.tier:
            yield tier, None
        elif tier == after.tier:
            yield tier, after.row


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended: the last hit's tier and index row."""

    tier: int
    row: int


@dataclass(frozen=True, slots=True)
class Match:
    row: int
    article_id: uuid.UUID
    tier: int
