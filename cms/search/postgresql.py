"""PostgreSQL backend: a weighted ``tsvector`` per article and a GIN index.

Migration 0004 adds ``search_documents.vector`` (title A, summary B, headings C,
bodies D) and a trigger that computes it with the row's text-search
configuration (``english``, ``german``..., chosen from the locale). Queries are
built from the sanitised words with ``plainto_tsquery``, ``phraseto_tsquery``
and, for prefixes, ``to_tsquery('word:*')`` where the word holds only letters
and digits: nothing a user types is read as tsquery syntax.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import REGCONFIG, TSQUERY, TSVECTOR
from sqlalchemy.orm import Session

from cms.search.backend import Match, Position, Query
from cms.search.models import SearchDocument

# ts_rank_cd weights in PostgreSQL's order: D (bodies), C (headings), B (summary), A (title).
WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"
HEADLINE_OPTIONS = "MaxWords=30, MinWords=12, MaxFragments=1"

_vector = sa.literal_column("search_documents.vector", TSVECTOR)


def tsquery(query: Query) -> sa.ColumnElement[str]:
    config = sa.literal(query.config, REGCONFIG)
    parts: list[sa.ColumnElement[str]] = []
    for term in query.terms:
        if term.prefix:
            part = sa.func.to_tsquery(config, f"'{term.words[0]}':*", type_=TSQUERY)
        elif len(term.words) > 1:
            part = sa.func.phraseto_tsquery(config, " ".join(term.words), type_=TSQUERY)
        else:
            part = sa.func.plainto_tsquery(config, term.words[0], type_=TSQUERY)
        parts.append(part)
    combined = parts[0]
    for part in parts[1:]:
        combined = combined.op("&&", return_type=TSQUERY)(part)
    return combined


def _score(ts_query: sa.ColumnElement[str]) -> sa.ColumnElement[float]:
    return sa.func.ts_rank_cd(sa.literal(WEIGHTS).cast(sa.ARRAY(sa.REAL)), _vector, ts_query)


def matches(session: Session, query: Query, *, limit: int, after: Position | None) -> list[Match]:
    ts_query = tsquery(query).label("q")
    q = sa.select(ts_query).subquery("q")
    doc = SearchDocument
    score = _score(q.c.q)
    statement = (
        sa.select(doc.id.label("row"), doc.article_id.label("article_id"), score.label("score"))
        .select_from(doc)
        .join(q, sa.true())
        .where(_vector.op("@@")(q.c.q), doc.locale == query.locale)
        .where(*query.filters(doc.article_id))
    )
    if after is not None:
        # ts_rank_cd is a float4, which the driver reads as its shortest decimal (0.2):
        # compare in float4, or 0.2 (float8) never equals float4 0.2 and pages end early.
        bound = sa.cast(sa.literal(after.score, sa.Float), sa.REAL)
        statement = statement.where(
            sa.or_(score < bound, sa.and_(score == bound, doc.article_id < after.article_id))
        )
    statement = statement.order_by(sa.desc("score"), doc.article_id.desc()).limit(limit)
    return [Match(*row) for row in session.execute(statement).all()]


def snippets(session: Session, query: Query, rows: Sequence[int]) -> dict[int, str]:
    """ts_headline over the summary and bodies of the page's articles only."""
    if not rows:
        return {}
    doc = SearchDocument
    options = (
        f"StartSel={query.start_marker}, StopSel={query.stop_marker}, "
        f'{HEADLINE_OPTIONS}, FragmentDelimiter=" … "'
    )
    headline = sa.func.ts_headline(
        sa.cast(doc.config, REGCONFIG),
        sa.func.concat_ws("\n", doc.summary, doc.body),
        tsquery(query),
        options,
    )
    statement = sa.select(doc.id, headline).where(doc.id.in_(list(rows)))
    return dict(session.execute(statement).all())


def rebuild(session: Session) -> None:
    """Nothing to merge: the trigger computed every vector as the rows were written."""
    session.execute(sa.text("ANALYZE search_documents"))
