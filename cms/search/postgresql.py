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
# The most windows a tier walks on when its first window held some hits, too few; the
# last tier does not (its rows' whole-text vectors cost as much to read as its matches).
WALK_MAX = 8
WALKED = (4, 3, 2)

# Each tier's vector (migration 0012): the fields its terms must all be found in. The
# model leaves them out (only PostgreSQL has them): the table here has them.
VECTORS = {4: "title_vector", 3: "lead_vector", 2: "head_vector", 1: "vector"}
_documents = sa.table(
    "search_documents",
    sa.column("id", sa.BigInteger),
    sa.column("article_id", sa.Uuid),
    sa.column("locale", sa.String),
    *(sa.column(name, TSVECTOR) for name in VECTORS.values()),
)


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
        found += _tier_matches(
            session,
            (shape, conditions, tier),
            parameters | {"before": before, "limit": limit - len(found)},
        )
        if len(found) == limit:
            break
    return found


def _tier_matches(
    session: Session, kind: tuple[Shape, bool, int], parameters: dict[str, Any]
) -> list[Match]:
    """The tier's hits, newest first, in at most three queries.

    First among the newest ``WINDOWS[tier]`` rows, walked backwards by id: a common
    word fills the page there. If the window held some hits but too few, the rows
    after it are walked as far as the window's share of hits says the page needs
    (twice that, up to ``WALK_MAX`` windows; not in the last tier, see ``WALKED``):
    a phrase in one title in a hundred filled its page there in 1 ms, where fetching
    its older matches from the GIN index took 6 ms at 50,000 articles. What is left
    is where the word is rare, and the GIN index finds all of its matches, sorted by
    id. The planner is not left to choose alone: it estimates a word its statistics
    do not list at 0.2% of the rows, and walking all 50,000 rows for a word in none
    of them took half a second (a row costs about 0.5 µs to walk, 10 µs when its
    whole-text vector must be read; a match costs about 10 µs to fetch).
    """
    shape, conditions, tier = kind
    limit, size = parameters["limit"], WINDOWS[tier]
    window, older = _tier_statements(shape, conditions, tier, parameters["before"] is not None)
    found, rows, oldest = _window(session, window, tier, parameters)
    if 0 < len(found) < limit and rows == size and tier in WALKED:
        needed = 2 * (limit - len(found)) * size / len(found)
        walk = next((size * n for n in (2, 4, WALK_MAX) if size * n >= needed), None)
        if walk is not None:
            statement, _ = _tier_statements(shape, conditions, tier, True, walk)
            more, rows, oldest = _window(
                session,
                statement,
                tier,
                parameters | {"before": oldest, "limit": limit - len(found)},
            )
            found, size = found + more, walk
    if len(found) == limit or rows < size:
        return found  # a full page, or no rows older than those walked
    parameters = parameters | {"oldest": oldest, "limit": limit - len(found)}
    return found + [
        Match(row, article_id, tier) for row, article_id in session.execute(older, parameters)
    ]


def _window(
    session: Session, statement: sa.Select, tier: int, parameters: dict[str, Any]
) -> tuple[list[Match], int, int | None]:
    """A window's hits, how many rows it walked, and the oldest of them."""
    result = session.execute(statement, parameters).all()
    hits = [Match(r.id, r.article_id, tier) for r in result if r.id is not None]
    return hits, result[0].rows, result[0].oldest


@functools.lru_cache(maxsize=1024)
def _tier_statements(
    shape: Shape, conditions: bool, tier: int, with_before: bool, size: int | None = None
) -> tuple[sa.Select, sa.Select]:
    """The statement of a window of ``size`` rows (by default the tier's: its size, its
    oldest row, its hits) and the older rows' statement."""
    doc = _documents.c
    size = size or WINDOWS[tier]  # a constant: the planner sees how many rows it walks
    before, limit = sa.bindparam("before", type_=sa.BigInteger), sa.bindparam("limit")
    newest = sa.select(doc.id).order_by(doc.id.desc()).limit(size)
    if with_before:
        newest = newest.where(doc.id < before)
    newest = newest.subquery("newest")
    walked = sa.select(
        sa.func.count().label("rows"), sa.func.min(newest.c.id).label("oldest")
    ).subquery("walked")
    # The window's rows walked by id, newest first. The LIMIT keeps the match out of
    # this subquery: given it, the planner estimated a phrase rare, took the GIN index
    # and filtered all of the phrase's matches by id (1,400 of them for "bowel cancer"
    # at 50,000 articles, 2.3 ms), where walking the window stops at the page's end.
    vectors = (doc[VECTORS[t]] for t in (tier, tier + 1) if t in VECTORS)
    window_rows = sa.select(doc.id, doc.article_id, doc.locale, *vectors)
    if with_before:
        window_rows = window_rows.where(doc.id < before)
    window_rows = window_rows.order_by(doc.id.desc()).limit(size).subquery("window")
    matching, better = _tier_match(shape, conditions, tier, window_rows)
    hits = (
        sa.select(window_rows.c.id, window_rows.c.article_id)
        .where(matching, sa.not_(better))
        .order_by(window_rows.c.id.desc())
        .limit(limit)
        .subquery("hits")
    )
    # One row at least: how many rows the window held and its oldest, then the hits.
    window = sa.select(walked.c.rows, walked.c.oldest, hits.c.id, hits.c.article_id).join(
        hits, sa.true(), isouter=True
    )
    # OFFSET 0 fences the subquery: planned alone, it takes the GIN index (or the
    # condition's rows) rather than walking the ids.
    matching, better = _tier_match(shape, conditions, tier, _documents)
    fenced = (
        sa.select(doc.id, doc.article_id, better.label("better"))
        .where(matching, doc.id < sa.bindparam("oldest", type_=sa.BigInteger))
        .offset(0)
        .subquery("older")
    )
    older = (
        sa.select(fenced.c.id, fenced.c.article_id)
        .where(sa.not_(fenced.c.better))
        .order_by(fenced.c.id.desc())
        .limit(limit)
    )
    return window, older


def _tier_match(
    shape: Shape, conditions: bool, tier: int, rows: sa.FromClause
) -> tuple[sa.ColumnElement[bool], sa.ColumnElement[bool]]:
    """Whether a row of ``rows`` (``search_documents`` or a subquery of its columns) is in
    the tier's matches, and whether the better tier's vector matches too (those hits
    belong to that tier)."""
    ts_query = tsquery(shape)  # constant parameters: PostgreSQL computes it once
    vector = rows.c[VECTORS[tier + 1]] if tier + 1 in VECTORS else None
    better = vector.op("@@", is_comparison=True)(ts_query) if vector is not None else sa.false()
    if conditions:
        # The conditions' lexemes are in the vector: one GIN lookup for words and conditions.
        any_of = sa.cast(sa.bindparam("conditions", type_=sa.Text), TSQUERY)
        ts_query = ts_query.op("&&", return_type=TSQUERY)(any_of)
    matching = sa.and_(
        rows.c[VECTORS[tier]].op("@@", is_comparison=True)(ts_query),
        rows.c.locale == sa.bindparam("locale"),
    )
    return matching, better


def snippets(session: Session, query: Query, rows: Sequence[int]) -> dict[int, str]:
    """ts_headline over a window of the title, summary and bodies around the first match
    (a hit by its title alone marks it there, as on SQLite)."""
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
    text = sa.func.concat_ws("\n", doc.title, doc.summary, doc.body)
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
