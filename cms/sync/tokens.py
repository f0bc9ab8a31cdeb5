"""Opaque, tamper-proof sync and page tokens.

A token is ``<payload>.<mac>``, both base64url without padding: the payload is a
small JSON object, the MAC its HMAC-SHA256 under ``DeliveryState.token_key`` (random
per installation, made by migration 0007, the same on every node). A token that
was altered, cut short, or issued by another installation fails the MAC and is
refused; its payload is never trusted before that. Signing is deterministic, so
the same position always gives the same token (and the same answer bytes).

Payload members (short names keep URLs short):

- ``k``: what the token continues: ``s`` a sync (the next delta), ``i`` a page of
  an initial sync, ``d`` a page of a delta;
- ``g``: the delivery generation the client is (or will be) in step with;
- ``l``: the locale filter, or null for every locale;
- ``u`` (``d`` only): the generation this delta pages up to;
- ``p``: the paging position: ``[published_at, article_id]`` (``i``) or
  ``[generation, change id]`` (``d``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import Any

import orjson

from cms.errors import InvalidSyncToken

SYNC = "s"
INITIAL_PAGE = "i"
DELTA_PAGE = "d"
_DOMAIN = b"cms-sync-token-v1\n"  # a MAC made for anything else never verifies here
MAX_LENGTH = 600


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: str, payload: bytes) -> bytes:
    return hmac.new(key.encode("ascii"), _DOMAIN + payload, hashlib.sha256).digest()


def sign(key: str, payload: dict[str, Any]) -> str:
    raw = orjson.dumps(payload)
    return f"{_b64(raw)}.{_b64(_mac(key, raw))}"


def verify(key: str, token: str, *, parameter: str) -> dict[str, Any]:
    """The payload of a token this installation issued; ``InvalidSyncToken`` otherwise."""
    try:
        if len(token) > MAX_LENGTH or not token.isascii():
            raise ValueError("not a token")
        encoded, _, mac = token.partition(".")
        raw = _unb64(encoded)
        if not hmac.compare_digest(_unb64(mac), _mac(key, raw)):
            raise ValueError("bad signature")
        payload = orjson.loads(raw)
        if not isinstance(payload, dict):
            raise ValueError("not an object")
    except (ValueError, binascii.Error, orjson.JSONDecodeError) as exc:
        raise InvalidSyncToken.not_issued(parameter) from exc
    return payload
