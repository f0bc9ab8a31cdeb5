"""SQLite backend: an FTS5 external-content table over ``search_documents``.

The FTS5 table (``search_fts``, tokenizer ``porter unicode61``: English stemming,
diacritics folded) and the triggers that keep it in step with
``search_documents`` are created by migration 0004. Every term reaches FTS5
inside double quotes, built here from letters and digits only, so no user input
is ever read as FTS5 syntax.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms.search.backend import Match, Position, Query
from cms.search.models import SearchDocument
from cms.search.terms import Term

# bm25 column weights: title, summary, section headings, section bodies.
WEIGHTS = (10.0, 4.0, 2.0, 1.0)
SNIPPET_TOKENS = 24

_table = sa.table("search_fts", sa.column("rowid", sa.Integer))
_fts = sa.literal_column("search_fts")  # the table as a value, for MATCH and its functions
_rowid = _table.c.rowid


def match_expression(terms: Sequence[Term]) -> str:
    """An FTS5 query: each term quoted (``"word"``, ``"two words"``, ``"pre"*``), all required."""
    parts = []
    for term in terms:
        quoted = '"' + " ".join(term.words).replace('"', '""') + '"'
        parts.append(quoted + "*" if term.prefix else quoted)
    return " ".join(parts)


def _score() -> sa.ColumnElement[float]:
    # bm25() is lower-is-better (negative); the API's score is higher-is-better.
    return -sa.func.bm25(_fts, *WEIGHTS)


def matches(session: Session, query: Query, *, limit: int, after: Position | None) -> list[Match]:
    score = _score().label("score")
    doc = SearchDocument
    inner = (
        sa.select(doc.id.label("row"), doc.article_id.label("article_id"), score)
        .select_from(_table)
        .join(doc, doc.id == _rowid)
        .where(_fts.op("MATCH")(match_expression(query.terms)), *query.filters(doc.article_id))
        .where(doc.locale == query.locale)
    )
    if after is not None:
        inner = inner.where(
            sa.or_(
                _score() < after.score,
                sa.and_(_score() == after.score, doc.article_id < after.article_id),
            )
        )
    inner = inner.order_by(sa.desc("score"), doc.article_id.desc()).limit(limit)
    return [Match(*row) for row in session.execute(inner).all()]


def snippets(session: Session, query: Query, rows: Sequence[int]) -> dict[int, str]:
    """Raw snippets of the best-matching column, terms between ``query``'s markers."""
    if not rows:
        return {}
    snippet = sa.func.snippet(_fts, -1, query.start_marker, query.stop_marker, "…", SNIPPET_TOKENS)
    statement = (
        sa.select(_rowid, snippet)
        .select_from(_table)
        .where(_fts.op("MATCH")(match_expression(query.terms)), _rowid.in_(list(rows)))
    )
    return dict(session.execute(statement).all())


def rebuild(session: Session) -> None:
    """Rebuild the FTS5 index from ``search_documents`` and merge its segments."""
    session.execute(sa.text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
    session.execute(sa.text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))
