"""PostgreSQL backend: ``tsvector`` columns per article and their GIN indexes.

Migration 0004 adds ``search_documents.vector`` (title A, summary B, headings C,
bodies D) and a trigger that computes it with the row's text-search
configuration (``english``, ``german``..., chosen from the locale); migration
0012 adds one vector per ranking tier (the title; title and summary; title,
summary and headings). Queries are built from the sanitised words with
``plainto_tsquery``, ``phraseto_tsquery`` and, for prefixes,
``to_tsquery('word:*')`` where the word holds only letters and digits: nothing a
user types is read as tsquery syntax. Migration 0014 adds the article's conditions
to every tier's vector as ``#slug`` lexemes: a condition filter is one more operand
of the tsquery, which the GIN index intersects with the words'.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import REGCONFIG, TSQUERY, TSVECTOR
from sqlalchemy.orm import Session

from cms.search.backend import Match, Position, Query, tiers_after
from cms.search.models import SearchDocument

HEADLINE_OPTIONS = "MaxWords=30, MinWords=12, MaxFragments=1"
# ts_headline parses all the text it is given (about 1 ms per 5 kB here): it gets this
# much around the first place a query word's stem occurs.
SNIPPET_WINDOW, SNIPPET_LEAD = 600, 200
# Newest rows a tier's query walks before it asks the GIN index: where walking them
# costs about what fetching the matches of a word that rare would.
WINDOWS = {4: 1000, 3: 1000, 2: 1000, 1: 500}

_vector = sa.literal_column("search_documents.vector", TSVECTOR)
# Each tier's vector (migration 0012): the fields its terms must all be found in.
_TIER_VECTORS = {
    4: sa.literal_column("search_documents.title_vector", TSVECTOR),
    3: sa.literal_column("search_documents.lead_vector", TSVECTOR),
    2: sa.literal_column("search_documents.head_vector", TSVECTOR),
    1: _vector,
}


# A query's shape: per term, "prefix", "phrase" or "word". Statements are built once
# per shape (SQLAlchemy builds a statement with subqueries in about a millisecond)
# and run with the words as parameters.
Shape = tuple[str, ...]


def _shape(query: Query) -> Shape:
    return tuple(
        "prefix" if t.prefix else "phrase" if len(t.words) > 1 else "word" for t in query.terms
    )


def _parameters(query: Query) -> dict[str, Any]:
    """The values a statement of ``query``'s shape runs with."""
    parameters: dict[str, Any] = {"config": query.config, "locale": query.locale}
    for n, term in enumerate(query.terms):
        # A prefix holds only letters and digits (cms.search.terms): no tsquery syntax.
        parameters[f"term_{n}"] = f"'{term.words[0]}':*" if term.prefix else " ".join(term.words)
    if query.conditions:
        parameters["conditions"] = condition_query(query.conditions)
    return parameters


def condition_query(conditions: Sequence[str]) -> str:
    """The tsquery text of "any of these conditions": ``'#lupus' | '#asthma'``.

    Condition slugs are checked by the query schema (lower-case letters, digits and
    hyphens); backslashes and quotes are escaped all the same, as tsquery quoting wants.
    """
    quoted = (slug.replace("\\", "\\\\").replace("'", "''") for slug in conditions)
    return " | ".join(f"'#{slug}'" for slug in quoted)


_FUNCTIONS = {
    "prefix": sa.func.to_tsquery,
    "phrase": sa.func.phraseto_tsquery,
    "word": sa.func.plainto_tsquery,
}
_CONFIG = sa.bindparam("config", type_=REGCONFIG)


def tsquery(shape: Shape) -> sa.ColumnElement[str]:
    """The tsquery of a query of this shape: every term required."""
    parts = [
        _FUNCTIONS[kind](_CONFIG, sa.bindparam(f"term_{n}", type_=sa.Text), type_=TSQUERY)
        for n, kind in enumerate(shape)
    ]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined.op("&&", return_type=TSQUERY)(part)
    return combined


def matches(session: Session, query: Query, *, limit: int, after: Position | None) -> list[Match]:
    """Up to ``limit`` hits after ``after``: each tier's in turn, best first."""
    shape, conditions = _shape(query), bool(query.conditions)
    parameters = _parameters(query)
    found: list[Match] = []
    for tier, before in tiers_after(after):
        window, older = _tier_statements(shape, conditions, tier, before is not None)
        found += _tier_matches(
            session,
            window,
            older,
            tier,
            parameters | {"before": before, "limit": limit - len(found)},
        )
        if len(found) == limit:
            break
    return found


def _tier_matches(
    session: Session, window: sa.Select, older: sa.Select, tier: int, parameters: dict[str, Any]
) -> list[Match]:
    """The tier's hits, newest first, in at most two queries.

    First among the newest ``WINDOWS[tier]`` rows, walked backwards by id: a common
    word fills the page there. What is left is older than the window, where the
    word is rare, and the GIN index finds all of its matches, sorted by id. The
    planner is not left to choose between the two alone: it estimates a word its
    statistics do not list at 0.2% of the rows, and walking all 50,000 rows for a
    word in none of them took half a second (a row costs about 2 µs to walk, 10 µs
    when its whole-text vector must be read; a match costs about 10 µs to fetch).
    """
    result = session.execute(window, parameters).all()
    found = [Match(r.id, r.article_id, tier) for r in result if r.id is not None]
    window_rows, oldest = result[0].rows, result[0].oldest
    if len(found) == parameters["limit"] or window_rows < WINDOWS[tier]:
        return found  # a full page, or no rows older than the window
    parameters = parameters | {"oldest": oldest, "limit": parameters["limit"] - len(found)}
    return found + [
        Match(row, article_id, tier) for row, article_id in session.execute(older, parameters)
    ]


@functools.lru_cache(maxsize=512)
def _tier_statements(
    shape: Shape, conditions: bool, tier: int, with_before: bool
) -> tuple[sa.Select, sa.Select]:
    """The window's statement (its size, its oldest row, its hits) and the older rows'."""
    doc = SearchDocument
    before, limit = sa.bindparam("before", type_=sa.BigInteger), sa.bindparam("limit")
    newest = sa.select(doc.id).order_by(doc.id.desc()).limit(WINDOWS[tier])
    if with_before:
        newest = newest.where(doc.id < before)
    newest = newest.subquery("newest")
    walked = sa.select(
        sa.func.count().label("rows"), sa.func.min(newest.c.id).label("oldest")
    ).subquery("walked")
    rows, better = _tier_rows(shape, conditions, tier)
    in_window = rows.where(doc.id >= walked.c.oldest, sa.not_(better))
    if with_before:
        in_window = in_window.where(doc.id < before)
    hits = in_window.order_by(doc.id.desc()).limit(limit).lateral("hits")
    # One row at least: how many rows the window held and its oldest, then the hits.
    window = sa.select(walked.c.rows, walked.c.oldest, hits.c.id, hits.c.article_id).join(
        hits, sa.true(), isouter=True
    )
    # OFFSET 0 fences the subquery: planned alone, it takes the GIN index (or the
    # condition's rows) rather than walking the ids.
    fenced = (
        rows.where(doc.id < sa.bindparam("oldest", type_=sa.BigInteger)).offset(0).subquery("older")
    )
    older = (
        sa.select(fenced.c.id, fenced.c.article_id)
        .where(sa.not_(fenced.c.better))
        .order_by(fenced.c.id.desc())
        .limit(limit)
    )
    return window, older


def _tier_rows(
    shape: Shape, conditions: bool, tier: int
) -> tuple[sa.Select, sa.ColumnElement[bool]]:
    """The tier's matching rows (id, article id, ``better``), and whether the better
    tier's vector matches too (those hits belong to that tier)."""
    doc = SearchDocument
    ts_query = tsquery(shape)  # constant parameters: PostgreSQL computes it once
    vector = _TIER_VECTORS.get(tier + 1)
    better = vector.op("@@", is_comparison=True)(ts_query) if vector is not None else sa.false()
    if conditions:
        # The conditions' lexemes are in the vector: one GIN lookup for words and conditions.
        any_of = sa.cast(sa.bindparam("conditions", type_=sa.Text), TSQUERY)
        ts_query = ts_query.op("&&", return_type=TSQUERY)(any_of)
    rows = sa.select(doc.id, doc.article_id, better.label("better")).where(
        _TIER_VECTORS[tier].op("@@", is_comparison=True)(ts_query),
        doc.locale == sa.bindparam("locale"),
    )
    return rows, better


def snippets(session: Session, query: Query, rows: Sequence[int]) -> dict[int, str]:
    """ts_headline over a window of the summary and bodies around the first match."""
    if not rows:
        return {}
    words = " ".join(word for term in query.terms for word in term.words)
    parameters = _parameters(query) | {
        "rows": list(rows),
        "words": words,
        "options": f"StartSel={query.start_marker}, StopSel={query.stop_marker}, "
        f'{HEADLINE_OPTIONS}, FragmentDelimiter=" … "',
    }
    return dict(session.execute(_snippet_statement(_shape(query)), parameters).all())


@functools.lru_cache(maxsize=256)
def _snippet_statement(shape: Shape) -> sa.Select:
    doc = SearchDocument
    text = sa.func.concat_ws("\n", doc.summary, doc.body)
    lexemes = sa.func.to_tsvector(_CONFIG, sa.bindparam("words", type_=sa.Text))
    stems = sa.func.unnest(sa.func.tsvector_to_array(lexemes)).table_valued("stem").render_derived()
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
        .where(doc.id.in_(sa.bindparam("rows", expanding=True)))
        .offset(0)  # a fence: PostgreSQL would otherwise repeat the search for each use
        .subquery()
    )
    window = sa.func.substr(found.c.text, found.c.start, SNIPPET_WINDOW)
    # A window that starts inside a word loses that part-word.
    window = sa.case(
        (found.c.start > 1, sa.func.regexp_replace(window, r"^\S*\s+", "")), else_=window
    )
    options = sa.bindparam("options", type_=sa.Text)
    return sa.select(
        found.c.id, sa.func.ts_headline(found.c.config, window, tsquery(shape), options)
    )


def rebuild(session: Session) -> None:
    """Nothing to merge: the trigger computed every vector as the rows were written."""
    session.execute(sa.text("ANALYZE search_documents"))
