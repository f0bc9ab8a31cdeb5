"""SQLite backend: FTS5 external-content tables over ``search_documents``.

The FTS5 tables (tokenizer ``porter unicode61``: English stemming, diacritics
folded) and the triggers that keep them in step with ``search_documents`` are
created by migrations 0004, 0016, 0018 and 0019: ``search_fts`` holds the whole text,
and each better tier has its own table of its fields (``TABLES``), so a tier's query
reads only doclists of what is in those fields; each keeps prefix indexes of two and
three letters, so that a short prefix is one doclist, not the merge of every word it
starts. Every term reaches FTS5 inside
double quotes, built here from letters and digits only, so no user input is ever
read as FTS5 syntax. A tier is a column filter (``{title summary} : …``) minus the
next tier's, in the tier's table; FTS5 walks the doclists in descending rowid order.
A search with conditions also asks the ``conditions`` column for any of their tokens
(``condition_token``), so FTS5 intersects the words with the conditions itself.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms.search.backend import TIERS, Match, Position, Query, tiers_after
from cms.search.models import SearchDocument
from cms.search.terms import Term

SNIPPET_TOKENS = 24

# Each tier's FTS5 table (migration 0018): the columns of that tier and the better ones,
# and the conditions; the last tier's, ``search_fts``, holds everything.
TABLES = {4: "search_fts_title", 3: "search_fts_lead", 2: "search_fts_head", 1: "search_fts"}
# The columns a tier's terms are looked for in; "anywhere" is the text, not the conditions.
_TEXT = ("title", "summary", "headings", "body")


def condition_token(slug: str) -> str:
    """The one index token of a condition slug (migration 0016 writes the same in SQL):
    ``z`` as ``zz``, a hyphen as ``zh``, and a final ``0``, which no stemmer changes."""
    return slug.replace("z", "zz").replace("-", "zh") + "0"


def _fts_table(name: str) -> tuple[sa.TableClause, sa.ColumnElement[Any], sa.ColumnClause[int]]:
    """An FTS5 table, the table as a value (for MATCH and its functions), and its rowid."""
    table = sa.table(name, sa.column("rowid", sa.Integer))
    return table, sa.literal_column(name), table.c.rowid


def match_expression(terms: Sequence[Term]) -> str:
    """An FTS5 query: each term quoted (``"word"``, ``"two words"``, ``"pre"*``), all required."""
    parts = []
    for term in terms:
        quoted = '"' + " ".join(term.words).replace('"', '""') + '"'
        parts.append(quoted + "*" if term.prefix else quoted)
    return " ".join(parts)


def _within(columns: tuple[str, ...] | None, expression: str) -> str:
    return f"{{{' '.join(columns or _TEXT)}}} : ({expression})"


def tier_expression(terms: Sequence[Term], tier: int, conditions: Sequence[str] = ()) -> str:
    """The FTS5 query for one tier: its fields hold every term, the next tier's do not;
    with ``conditions``, the article also has one of them."""
    expression = match_expression(terms)
    query = _within(TIERS[tier], expression)
    if tier + 1 in TIERS:
        query += " NOT " + _within(TIERS[tier + 1], expression)
    if conditions:
        wanted = " OR ".join(f'"{condition_token(c)}"' for c in conditions)
        query = f"({query}) AND {{conditions}} : ({wanted})"
    return query


def matches(session: Session, query: Query, *, limit: int, after: Position | None) -> list[Match]:
    """Up to ``limit`` hits after ``after``, in one statement: each tier's in turn, newest
    first. SQLite runs the arms of a UNION ALL one after the other and FTS5 walks its
    index by rowid, so both stop once ``limit`` rows are out."""
    tiers = tuple(tiers_after(after))
    parameters: dict[str, Any] = {"locale": query.locale, "limit": limit}
    for tier, before in tiers:
        parameters[f"match_{tier}"] = tier_expression(query.terms, tier, query.conditions)
        if before is not None:
            parameters["before"] = before
    statement = _statement(tuple(t for t, _ in tiers), tiers[0][1] is not None)
    return [Match(*row) for row in session.execute(statement, parameters)]


@functools.lru_cache(maxsize=64)
def _statement(tiers: tuple[int, ...], with_before: bool) -> sa.CompoundSelect:
    """Built once per kind of page (SQLAlchemy takes about a millisecond to build one)."""
    doc = SearchDocument
    limit = sa.bindparam("limit")
    arms = []
    for n, tier in enumerate(tiers):
        table, fts, rowid = _fts_table(TABLES[tier])
        arm = (
            sa.select(doc.id, doc.article_id, sa.literal(tier).label("tier"))
            .select_from(table)
            .join(doc, doc.id == rowid)
            .where(fts.op("MATCH")(sa.bindparam(f"match_{tier}", type_=sa.Text)))
            .where(doc.locale == sa.bindparam("locale"))
        )
        if with_before and n == 0:  # the cursor's tier: the hits after its row
            arm = arm.where(rowid < sa.bindparam("before"))
        arms.append(sa.select(arm.order_by(rowid.desc()).limit(limit).subquery()))
    return sa.union_all(*arms).limit(limit)


def snippets(session: Session, query: Query, rows: Sequence[int]) -> dict[int, str]:
    """Raw snippets of the best-matching column, terms between ``query``'s markers."""
    if not rows:
        return {}
    table, fts, rowid = _fts_table(TABLES[1])
    snippet = sa.func.snippet(fts, -1, query.start_marker, query.stop_marker, "…", SNIPPET_TOKENS)
    statement = (
        sa.select(rowid, snippet)
        .select_from(table)
        .where(fts.op("MATCH")(_within(_TEXT, match_expression(query.terms))))
    )
    if any(term.prefix for term in query.terms):
        # SQLite asks FTS5 once per row of an IN list, and FTS5 merges the doclists of
        # every word a prefix starts, whole, for each ask: at 50,000 articles that was
        # 7 ms for a page. One ask for the rows' range merges them once; the rows are
        # picked out of it before any snippet is made (``+`` keeps the IN away from FTS5).
        statement = statement.where(
            rowid.between(min(rows), max(rows)),
            sa.literal_column(f"+{TABLES[1]}.rowid").in_(list(rows)),
        )
    else:
        statement = statement.where(rowid.in_(list(rows)))
    return dict(session.execute(statement).all())


def rebuild(session: Session) -> None:
    """Rebuild every FTS5 table from ``search_documents`` and merge its segments."""
    for name in TABLES.values():
        session.execute(sa.text(f"INSERT INTO {name}({name}) VALUES ('rebuild')"))
        session.execute(sa.text(f"INSERT INTO {name}({name}) VALUES ('optimize')"))
