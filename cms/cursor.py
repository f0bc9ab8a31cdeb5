"""Opaque keyset cursors for lists sorted newest first.

A cursor is the position of the last item of a page, ``(timestamp, id)``,
base64url-encoded. Pages are stable under inserts: newer items sort before
every existing cursor, so they never shift a client's next page.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson
import sqlalchemy as sa

from cms.errors import InvalidParameters
from cms.validation import FieldError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Position:
    at: dt.datetime
    id: uuid.UUID


def encode(position: Position) -> str:
    raw = orjson.dumps([position.at.isoformat(), position.id.hex])
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _invalid() -> InvalidParameters:
    return InvalidParameters(
        "The cursor is not one this API issued.",
        errors=[FieldError("/query/cursor", "invalid_cursor", "Not a valid cursor.")],
    )


# Positions this API can have issued: timestamps of this era, in UTC.
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)


def decode(cursor: str) -> Position:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, item_id = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        position = Position(dt.datetime.fromisoformat(at), uuid.UUID(hex=item_id))
        in_range = position.at.tzinfo is not None and EARLIEST <= position.at <= LATEST
    except (binascii.Error, ValueError, TypeError, AttributeError, OverflowError) as exc:
        raise _invalid() from exc
    if not in_range:
        raise _invalid()
    return position


def newest_first(
    query: sa.Select[Any], at: sa.ColumnElement[Any], key: sa.ColumnElement[Any], cursor: str | None
) -> sa.Select[Any]:
    """``query`` ordered newest first by ``(at, key)``, after ``cursor``'s position.

    Row-value comparison works on SQLite and PostgreSQL alike; a composite index on
    the same columns serves it. One row more than a page is fetched by the caller
    to know whether there is a next page.
    """
    if cursor is not None:
        position = decode(cursor)
        query = query.where(
            sa.tuple_(at, key)
            < sa.tuple_(sa.literal(position.at, at.type), sa.literal(position.id, key.type))
        )
    return query.order_by(at.desc(), key.desc())


def page(
    rows: list[T], limit: int, position: Callable[[T], Position]
) -> tuple[list[T], str | None]:
    """The first ``limit`` rows, and the cursor of the next page (None on the last)."""
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode(position(rows[-1]))


# --- Cursors of other orders: the sort's name, its key and the id ---------------------


def encode_sorted(sort: str, value: Any, item_id: uuid.UUID) -> str:
    """A cursor after ``(value, item_id)`` in the order named ``sort``."""
    raw = orjson.dumps([sort, value, item_id.hex])
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_sorted(cursor: str, sort: str, load: Callable[[Any], Any]) -> tuple[Any, uuid.UUID]:
    """``(value, id)`` of a cursor of the order ``sort``; ``load`` checks and converts the
    value (raising ValueError or TypeError). A cursor of another order is refused."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, value, item_id = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        if name != sort:
            raise ValueError("another order")
        return load(value), uuid.UUID(hex=item_id)
    except (binascii.Error, ValueError, TypeError, AttributeError, OverflowError) as exc:
        raise _invalid() from exc


def load_timestamp(value: Any) -> dt.datetime:
    at = dt.datetime.fromisoformat(value)
    if at.tzinfo is None or not EARLIEST <= at <= LATEST:
        raise ValueError("out of range")
    return at


def load_date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def load_text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 500:
        raise TypeError("text")
    return value
