"""PostgreSQL backend: ``tsvector`` columns per article and their GIN indexes.

Migration 0004 adds ``search_documents.vector`` (title A, summary B, headings C,
bodies D) and a trigger that computes it with the row's text-search
configuration (``english``, ``german``..., chosen from the locale); migration
0012 adds one vector per ranking tier (the title; title and summary; title,
summary and headings). Queries are built from the sanitised words with
``plainto_tsquery``, ``phraseto_tsquery`` and, for prefixes,
``to_tsquery('word:*')`` where the word holds only letters and digits: nothing a
user types is read as tsquery syntax.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import REGCONFIG, TSQUERY, TSVECTOR
from sqlalchemy.orm import Session

from cms.search.backend import Match, Query
from cms.search.models import SearchDocument

HEADLINE_OPTIONS = "MaxWords=30, MinWords=12, MaxFragments=1"
# ts_headline parses all the text it is given (about 1 ms per 5 kB here): it gets this
# much around the first place a query word's stem occurs.
SNIPPET_WINDOW, SNIPPET_LEAD = 600, 200
BATCH = 50  # rows fetched at a time while skipping a better tier's hits

_vector = sa.literal_column("search_documents.vector", TSVECTOR)
# Each tier's vector (migration 0012): the fields its terms must all be found in.
_TIER_VECTORS = {
    4: sa.literal_column("search_documents.title_vector", TSVECTOR),
    3: sa.literal_column("search_documents.lead_vector", TSVECTOR),
    2: sa.literal_column("search_documents.head_vector", TSVECTOR),
    1: _vector,
}


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


def matches(
    session: Session, query: Query, *, tier: int, before: int | None, limit: int
) -> list[Match]:
    """The tier's hits, newest first.

    The query holds only the tier's own vector, so the planner estimates it from that
    vector's statistics: a common word walks the id index backwards and stops at
    ``limit``, a rare one takes the few rows the GIN index finds. Hits of the better
    tier (its vector holds the terms too) are dropped here rather than by a ``NOT``
    in the query, which the planner would take for independent of the rest.
    """
    q = sa.select(tsquery(query).label("q")).subquery("q")
    doc = SearchDocument
    better = _TIER_VECTORS.get(tier + 1)
    statement = (
        sa.select(
            doc.id,
            doc.article_id,
            better.op("@@")(q.c.q) if better is not None else sa.false(),
        )
        .select_from(doc)
        .join(q, sa.true())
        .where(_TIER_VECTORS[tier].op("@@")(q.c.q), doc.locale == query.locale)
        .where(*query.filters(doc.article_id))
        .order_by(doc.id.desc())
    )
    found: list[Match] = []
    batch = max(limit, BATCH) if better is not None else limit
    while len(found) < limit:
        page = statement if before is None else statement.where(doc.id < before)
        rows = session.execute(page.limit(batch)).all()
        found += [
            Match(row, article_id, tier) for row, article_id, in_better in rows if not in_better
        ]
        if len(rows) < batch:
            break
        before = rows[-1][0]
    return found[:limit]


def snippets(session: Session, query: Query, rows: Sequence[int]) -> dict[int, str]:
    """ts_headline over a window of the summary and bodies around the first match."""
    if not rows:
        return {}
    doc = SearchDocument
    options = (
        f"StartSel={query.start_marker}, StopSel={query.stop_marker}, "
        f'{HEADLINE_OPTIONS}, FragmentDelimiter=" … "'
    )
    text = sa.func.concat_ws("\n", doc.summary, doc.body)
    words = " ".join(word for term in query.terms for word in term.words)
    stems = (
        sa.func.unnest(
            sa.func.tsvector_to_array(
                sa.func.to_tsvector(sa.literal(query.config, REGCONFIG), words)
            )
        )
        .table_valued("stem")
        .render_derived()
    )
    # Stems are mostly the start of the words they stand for ("relaps" in "relapsed").
    first = (
        sa.select(sa.func.min(sa.func.nullif(sa.func.strpos(sa.func.lower(text), stems.c.stem), 0)))
        .select_from(stems)
        .scalar_subquery()
    )
    found = (
        sa.select(
            doc.id,
            sa.cast(doc.config, REGCONFIG).label("config"),
            text.label("text"),
            sa.func.greatest(sa.func.coalesce(first, 1) - SNIPPET_LEAD, 1).label("start"),
        )
        .where(doc.id.in_(list(rows)))
        .offset(0)  # a fence: PostgreSQL would otherwise repeat the search for each use
        .subquery()
    )
    window = sa.func.substr(found.c.text, found.c.start, SNIPPET_WINDOW)
    # A window that starts inside a word loses that part-word.
    window = sa.case(
        (found.c.start > 1, sa.func.regexp_replace(window, r"^\S*\s+", "")), else_=window
    )
    headline = sa.func.ts_headline(found.c.config, window, tsquery(query), options)
    return dict(session.execute(sa.select(found.c.id, headline)).all())


def rebuild(session: Session) -> None:
    """Nothing to merge: the trigger computed every vector as the rows were written."""
    session.execute(sa.text("ANALYZE search_documents"))
