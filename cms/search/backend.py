"""What the service hands a backend, and what a backend returns."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from cms.delivery.models import PublishedCondition
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

    def filters(self, article_id: sa.ColumnElement[uuid.UUID]) -> list[sa.ColumnElement[bool]]:
        if not self.conditions:
            return []
        return [
            sa.exists().where(
                PublishedCondition.article_id == article_id,
                PublishedCondition.condition.in_(list(self.conditions)),
            )
        ]


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended: the last hit's score and article id."""

    score: float
    article_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class Match:
    row: int
    article_id: uuid.UUID
    score: float
