"""The search service: the one interface the rest of the product calls.

``index_article`` and ``remove_article`` run in the publish transaction (from the
snapshot writer), so the index changes exactly when the public API does and
never holds a draft. ``search`` answers a query with ready-to-send bytes: each
hit is the article's stored summary (the same bytes as the public list's items)
with its ``score`` and a sanitized ``snippet``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import html
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms.delivery import fieldsets
from cms.delivery.models import PublishedArticle
from cms.delivery.service import mark_overdue, overdue
from cms.delivery.snapshots import entity_tag
from cms.errors import InvalidParameters
from cms.search import postgresql, sqlite
from cms.search.backend import START_MARKER, STOP_MARKER, TIERS, Match, Position, Query
from cms.search.index import index_article, index_rows, reindex, remove_article
from cms.search.terms import MIN_PREFIX_LENGTH, Term, parse
from cms.search.text import text_search_config
from cms.validation import FieldError

__all__ = ["SearchPage", "index_article", "index_rows", "reindex", "remove_article", "search"]

FULL = fieldsets.View()
BACKENDS: dict[str, ModuleType] = {"sqlite": sqlite, "postgresql": postgresql}


def _backend(session: Session) -> ModuleType:
    return BACKENDS[session.get_bind().dialect.name]


# --- Searching --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchPage:
    body: bytes
    etag: str
    next_cursor: str | None


def _invalid(pointer: str, code: str, message: str, detail: str) -> InvalidParameters:
    return InvalidParameters(detail, errors=[FieldError(pointer, code, message)])


def query_terms(q: str) -> list[Term]:
    """The query's terms, or a 400 problem at ``/query/q`` if there is nothing to search for."""
    terms = parse(q)
    if not terms:
        raise _invalid(
            "/query/q",
            "no_words",
            "Contains no letters or digits to search for.",
            "The search text has no words in it.",
        )
    short = [t.words[0] for t in terms if t.prefix and len(t.words[0]) < MIN_PREFIX_LENGTH]
    if short:
        raise _invalid(
            "/query/q",
            "short_prefix",
            f"A prefix needs at least {MIN_PREFIX_LENGTH} letters before the *: "
            + ", ".join(f"{word}*" for word in short),
            "A prefix of one letter would match almost every word.",
        )
    return terms


def search(
    session: Session,
    *,
    q: str,
    locale: str,
    conditions: Sequence[str] = (),
    limit: int = 20,
    cursor: str | None = None,
    today: dt.date,
    view: fieldsets.View = FULL,
) -> SearchPage:
    """Published articles in ``locale`` matching every term of ``q``, most relevant first."""
    terms = query_terms(q)
    conditions = sorted(set(conditions))
    query = Query(
        terms=terms, locale=locale, config=text_search_config(locale), conditions=conditions
    )
    fingerprint = _fingerprint(query)
    after = decode_cursor(cursor, fingerprint) if cursor is not None else None
    backend = _backend(session)
    found = backend.matches(session, query, limit=limit + 1, after=after)
    page, more = found[:limit], len(found) > limit
    snippets = backend.snippets(session, query, [m.row for m in page])
    summaries = _summaries(session, [m.article_id for m in page])
    items = []
    for match in page:
        summary_json, next_review = summaries[match.article_id]
        if overdue(next_review, today):
            summary_json = mark_overdue(summary_json)
        hit = _hit(summary_json, match, snippets.get(match.row, ""))
        items.append(
            hit if view.full else orjson.dumps(fieldsets.summary_view(orjson.loads(hit), view))
        )
    next_cursor = (
        encode_cursor(Position(page[-1].tier, page[-1].row), fingerprint) if more else None
    )
    body = b"".join(
        (b'{"items":[', b",".join(items), b'],"next_cursor":', orjson.dumps(next_cursor), b"}")
    )
    return SearchPage(body=body, etag=entity_tag(body), next_cursor=next_cursor)


def _summaries(
    session: Session, article_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, dt.date | None]]:
    if not article_ids:
        return {}
    rows = session.execute(
        sa.select(
            PublishedArticle.article_id,
            PublishedArticle.summary_json,
            PublishedArticle.next_review,
        ).where(PublishedArticle.article_id.in_(list(article_ids)))
    )
    return {row.article_id: (row.summary_json, row.next_review) for row in rows}


def _hit(summary_json: str, match: Match, raw_snippet: str) -> bytes:
    """The stored summary bytes with ``score`` and ``snippet`` appended."""
    extra = orjson.dumps({"score": float(match.tier), "snippet": sanitize_snippet(raw_snippet)})
    return summary_json.encode()[:-1] + b"," + extra[1:]


def sanitize_snippet(raw: str) -> str:
    """Escape everything, then mark: the only markup in a snippet is ``<mark>``."""
    text = html.escape(" ".join(raw.split()), quote=False)
    return text.replace(START_MARKER, "<mark>").replace(STOP_MARKER, "</mark>")


# --- Cursors ----------------------------------------------------------------------


def _fingerprint(query: Query) -> bytes:
    """What a cursor is bound to: the parsed query and its filters."""
    key = orjson.dumps(
        [
            [[list(t.words), t.prefix] for t in query.terms],
            query.locale,
            list(query.conditions),
        ]
    )
    return hashlib.blake2b(key, digest_size=8).digest()


def _seal(payload: bytes, fingerprint: bytes) -> bytes:
    return hashlib.blake2b(payload, key=fingerprint, digest_size=8).digest()


def encode_cursor(position: Position, fingerprint: bytes) -> str:
    payload = orjson.dumps([position.tier, position.row])
    raw = _seal(payload, fingerprint) + payload
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str, fingerprint: bytes) -> Position:
    """The position a cursor holds; a 400 at ``/query/cursor`` if it was altered or belongs
    to another query."""
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode())
        seal, payload = raw[:8], raw[8:]
        if seal != _seal(payload, fingerprint):
            raise ValueError("seal")
        tier, row = orjson.loads(payload)
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in (tier, row)):
            raise TypeError("position")
        if tier not in TIERS:
            raise ValueError("tier")
        return Position(tier, row)
    except (binascii.Error, ValueError, TypeError, AttributeError) as exc:
        raise _invalid(
            "/query/cursor",
            "invalid_cursor",
            "Not a cursor of this search.",
            "The cursor is not one this search issued (it was changed, or it belongs to "
            "other search terms or filters).",
        ) from exc
