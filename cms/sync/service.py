"""The sync feed: every published article once (an initial sync), then only what changed.

Read paths, both indexed and paged, never loading more than one page:

- an initial sync records the current delivery generation G0 on its first page,
  then walks ``published_articles`` oldest first by ``(published_at, article_id)``
  (``ix_published_articles_feed`` or, for one locale, ``..._locale_feed``); its
  last page's sync token says G0;
- a delta from generation G reads ``delivery_changes`` with G < generation ≤ G1
  (G1: the generation when the delta started), in ``(generation, id)`` order on
  ``ix_delivery_changes_generation``, and collapses each page per article to its
  state now: live (in the locale filter) → an upsert with its current snapshot,
  otherwise a deletion. The last page's sync token says G1.

Why nothing is missed: ``cms.publishing`` writes each change's row in the
transaction that changes the snapshot, and bumps the generation under a row
lock, so generations commit in increasing order. A reader that sees generation
N has seen every change up to N; whatever commits later has a generation above
the token's and is replayed by the next delta. An article that changes while a
client pages can come twice (upserts are by id, the later wins); an article
removed during an initial sync may be reported deleted though the client never
got it (deletions of unknown ids are no-ops).

Renames are upserts (the id stays; no deletion for the old address). Changes
that are about no article (a rebuilt search index) are skipped.

``review_overdue`` is set as the detail endpoint sets it, on the day the item is
sent: the date passing is no change, so apps compare ``next_review`` themselves.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms.delivery.models import DeliveryChange, DeliveryState, PublishedArticle
from cms.delivery.service import mark_overdue, overdue
from cms.delivery.snapshots import entity_tag
from cms.errors import InvalidParameters, InvalidSyncToken
from cms.sync import tokens
from cms.validation import FieldError

REMOVALS = frozenset({"unpublished", "trashed", "archived", "withdrawn", "expired"})
INITIAL, DELTA = "initial", "delta"


@dataclass(frozen=True, slots=True)
class SyncPage:
    body: bytes
    etag: str
    kind: str  # INITIAL or DELTA
    next_page_token: str | None
    next_sync_token: str | None


_STATE = sa.select(DeliveryState.generation, DeliveryState.token_key).where(DeliveryState.id == 1)


def sync(
    session: Session,
    *,
    today: dt.date,
    limit: int,
    locale: str | None = None,
    sync_token: str | None = None,
    page_token: str | None = None,
) -> SyncPage:
    """One page of the feed: an initial sync without a token, a delta with ``sync_token``,
    the next page of either with ``page_token``."""
    current, key = session.execute(_STATE).one()
    if page_token is not None:
        payload = tokens.verify(key, page_token, parameter="page_token")
        kind = payload.get("k")
        if kind not in (tokens.INITIAL_PAGE, tokens.DELTA_PAGE):
            raise InvalidSyncToken.not_issued("page_token")
        position = _read(payload, "page_token")
        _same_locale(locale, position.locale)
        if kind == tokens.INITIAL_PAGE:
            return _initial(session, key, today, limit, position)
        return _delta(session, key, today, limit, position)
    if sync_token is not None:
        payload = tokens.verify(key, sync_token, parameter="sync_token")
        if payload.get("k") != tokens.SYNC:
            raise InvalidSyncToken.not_issued("sync_token")
        since = _read(payload, "sync_token")
        _same_locale(locale, since.locale)
        return _delta(session, key, today, limit, _start_delta(session, since, current))
    return _initial(session, key, today, limit, _Position(current, locale))


# --- Positions ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Position:
    generation: int  # initial: G0; delta: the generation the client is in step with
    locale: str | None
    upto: int | None = None  # delta: the generation this delta reads up to
    after: tuple[Any, Any] | None = None  # the last row of the previous page


def _read(payload: dict[str, Any], parameter: str) -> _Position:
    """The position a verified token names (a payload of another shape is refused)."""
    try:
        generation, locale = payload["g"], payload["l"]
        upto, after = payload.get("u"), payload.get("p")
        if not isinstance(generation, int) or not (locale is None or isinstance(locale, str)):
            raise TypeError
        if payload["k"] == tokens.DELTA_PAGE:
            if not isinstance(upto, int):
                raise TypeError
            after = (int(after[0]), int(after[1]))
        elif payload["k"] == tokens.INITIAL_PAGE:
            after = (dt.datetime.fromisoformat(after[0]), uuid.UUID(hex=after[1]))
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise InvalidSyncToken.not_issued(parameter) from exc
    return _Position(generation, locale, upto, after)


def _same_locale(asked: str | None, carried: str | None) -> None:
    if asked is not None and asked != carried:
        raise InvalidParameters(
            "The token continues a sync of another locale: leave locale out, or start a "
            "new initial sync for this one.",
            errors=[FieldError("/query/locale", "token_locale", "Not the token's locale.")],
        )


def _start_delta(session: Session, since: _Position, current: int) -> _Position:
    """A delta from the token's generation up to the current one, if the log reaches back."""
    if since.generation > current:
        raise InvalidSyncToken.out_of_reach(
            "sync_token", "The token is ahead of this server's changes (a restored database?)."
        )
    if since.generation < current:
        # Every generation has its change row: a missing first one means the log was pruned.
        first = session.execute(
            sa.select(sa.func.min(DeliveryChange.generation)).where(
                DeliveryChange.generation > since.generation
            )
        ).scalar_one()
        if first != since.generation + 1:
            raise InvalidSyncToken.out_of_reach(
                "sync_token", "The change log no longer reaches back to this token."
            )
    return _Position(since.generation, since.locale, upto=current)


# --- Initial sync -------------------------------------------------------------------------------

_LIVE_COLUMNS = (
    PublishedArticle.article_id,
    PublishedArticle.published_at,
    PublishedArticle.locale,
    PublishedArticle.next_review,
    PublishedArticle.detail_json,
)


def _initial(session: Session, key: str, today: dt.date, limit: int, at: _Position) -> SyncPage:
    query = sa.select(*_LIVE_COLUMNS)
    if at.locale is not None:
        query = query.where(PublishedArticle.locale == at.locale)
    if at.after is not None:
        published_at, article_id = at.after
        query = query.where(
            sa.tuple_(PublishedArticle.published_at, PublishedArticle.article_id)
            > sa.tuple_(
                sa.literal(published_at, PublishedArticle.published_at.type),
                sa.literal(article_id, PublishedArticle.article_id.type),
            )
        )
    query = query.order_by(PublishedArticle.published_at, PublishedArticle.article_id)
    rows = session.execute(query.limit(limit + 1)).all()
    next_page = next_sync = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_page = tokens.sign(
            key,
            {
                "k": tokens.INITIAL_PAGE,
                "g": at.generation,
                "l": at.locale,
                "p": [last.published_at.isoformat(), last.article_id.hex],
            },
        )
    else:
        next_sync = tokens.sign(key, {"k": tokens.SYNC, "g": at.generation, "l": at.locale})
    upserts = [_detail(row, today) for row in rows]
    return _page(INITIAL, upserts, [], next_page, next_sync)


# --- Delta --------------------------------------------------------------------------------------

_CHANGE_COLUMNS = (
    DeliveryChange.generation,
    DeliveryChange.id,
    DeliveryChange.article_id,
    DeliveryChange.slug,
    DeliveryChange.locale,
    DeliveryChange.kind,
    DeliveryChange.changed_at,
    DeliveryChange.keys,
)


def _delta(session: Session, key: str, today: dt.date, limit: int, at: _Position) -> SyncPage:
    assert at.upto is not None
    query = sa.select(*_CHANGE_COLUMNS).where(DeliveryChange.generation <= at.upto)
    if at.after is None:
        query = query.where(DeliveryChange.generation > at.generation)
    else:
        query = query.where(
            sa.tuple_(DeliveryChange.generation, DeliveryChange.id)
            > sa.tuple_(sa.literal(at.after[0]), sa.literal(at.after[1]))
        )
    query = query.order_by(DeliveryChange.generation, DeliveryChange.id).limit(limit + 1)
    rows = session.execute(query).all()
    next_page = next_sync = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_page = tokens.sign(
            key,
            {
                "k": tokens.DELTA_PAGE,
                "g": at.generation,
                "l": at.locale,
                "u": at.upto,
                "p": [rows[-1].generation, rows[-1].id],
            },
        )
    else:
        next_sync = tokens.sign(key, {"k": tokens.SYNC, "g": at.upto, "l": at.locale})

    # The latest change of each article this page is about, in the order of those changes.
    latest: dict[uuid.UUID, Any] = {}
    for row in rows:
        if row.article_id is None or not _concerns(row, at.locale):
            continue
        latest.pop(row.article_id, None)
        latest[row.article_id] = row
    live = {}
    if latest:
        live_query = sa.select(*_LIVE_COLUMNS).where(PublishedArticle.article_id.in_(list(latest)))
        live = {row.article_id: row for row in session.execute(live_query)}
    upserts, deletions = [], []
    for article_id, change in latest.items():
        snapshot = live.get(article_id)
        if snapshot is not None and at.locale in (None, snapshot.locale):
            upserts.append(_detail(snapshot, today))
            continue
        if snapshot is not None:
            kind = "moved"  # live, in another locale than this sync's filter
        else:
            # Removed after this delta's range, if the change in it was no removal:
            # the next delta reports that change again, with its kind.
            kind = change.kind if change.kind in REMOVALS else "unpublished"
        deletions.append(
            {
                "id": article_id,
                "slug": change.slug,
                "locale": change.locale,
                "kind": kind,
                "removed_at": change.changed_at,
            }
        )
    return _page(DELTA, upserts, deletions, next_page, next_sync)


def _concerns(change: Any, locale: str | None) -> bool:
    """Whether a change touched what a sync of ``locale`` holds: the article was or is there.

    The row names the article's address after the change; the keys name the list of
    each locale it was in before and after (an article moved to another locale).
    """
    if locale is None or change.locale == locale:
        return True
    change_keys = change.keys if isinstance(change.keys, list) else orjson.loads(change.keys)
    return f"list:{locale}" in change_keys


# --- The answer ---------------------------------------------------------------------------------


def _detail(row: Any, today: dt.date) -> bytes:
    """The stored detail bytes, flagged overdue exactly as the detail endpoint does."""
    if overdue(row.next_review, today):
        return mark_overdue(row.detail_json).encode()
    return row.detail_json.encode()


def _page(
    kind: str,
    upserts: list[bytes],
    deletions: list[dict[str, Any]],
    next_page: str | None,
    next_sync: str | None,
) -> SyncPage:
    body = b"".join(
        (
            b'{"upserts":[',
            b",".join(upserts),
            b'],"deletions":',
            orjson.dumps(deletions),
            b',"next_page_token":',
            orjson.dumps(next_page),
            b',"next_sync_token":',
            orjson.dumps(next_sync),
            b"}",
        )
    )
    return SyncPage(body, entity_tag(body), kind, next_page, next_sync)
