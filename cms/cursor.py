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
from dataclasses import dataclass

import orjson

from cms.errors import InvalidParameters
from cms.validation import FieldError


@dataclass(frozen=True, slots=True)
class Position:
    at: dt.datetime
    id: uuid.UUID


def encode(position: Position) -> str:
    raw = orjson.dumps([position.at.isoformat(), position.id.hex])
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode(cursor: str) -> Position:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, item_id = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        position = Position(dt.datetime.fromisoformat(at), uuid.UUID(hex=item_id))
    except (binascii.Error, ValueError, TypeError, AttributeError) as exc:
        raise InvalidParameters(
            "The cursor is not one this API issued.",
            errors=[FieldError("/query/cursor", "invalid_cursor", "Not a valid cursor.")],
        ) from exc
    if position.at.tzinfo is None:
        raise InvalidParameters(
            "The cursor is not one this API issued.",
            errors=[FieldError("/query/cursor", "invalid_cursor", "Not a valid cursor.")],
        )
    return position
