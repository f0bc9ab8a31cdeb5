"""ETags, conditional requests and public cache headers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import Response, current_app, request

from cms.delivery.cache import CACHEABLE
from cms.errors import PreconditionFailed, PreconditionRequired

_VERSION_TAG = re.compile(r"v([0-9]{1,10})")


def public_cache_control(config: Mapping[str, Any]) -> str:
    return (
        f"public, max-age={config['PUBLIC_MAX_AGE']}, s-maxage={config['PUBLIC_S_MAXAGE']}, "
        f"stale-while-revalidate={config['PUBLIC_STALE_WHILE_REVALIDATE']}, "
        f"stale-if-error={config['PUBLIC_STALE_IF_ERROR']}"
    )


def client_has(etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/"x" matches "x"."""
    return request.if_none_match.contains_weak(etag)


def not_modified(etag: str, cache_control: str | None = None) -> Response:
    response = Response(status=304)
    response.set_etag(etag)
    response.headers["Cache-Control"] = cache_control or current_app.config["PUBLIC_CACHE_CONTROL"]
    return response


def public_json(body: bytes, etag: str, mimetype: str = "application/json") -> Response:
    """A pre-serialized public representation, or 304 if the client already has it.

    A 200 is marked cacheable for the in-process delivery cache.
    """
    if client_has(etag):
        return not_modified(etag)
    request.environ[CACHEABLE] = True
    response = Response(body, mimetype=mimetype)
    response.set_etag(etag)
    response.headers["Cache-Control"] = current_app.config["PUBLIC_CACHE_CONTROL"]
    return response


# --- Management resources: the ETag is the article's version --------------------


PRIVATE = "private, no-cache"


def version_etag(version: int) -> str:
    return f"v{version}"


def version_headers(version: int) -> dict[str, str]:
    return {"ETag": f'"{version_etag(version)}"', "Cache-Control": PRIVATE}


def expected_versions() -> frozenset[int] | None:
    """The versions If-Match accepts (None for ``*``): 428 if absent, 412 if unusable.

    If-Match uses the strong comparison (RFC 9110 §13.1.1): weak tags never match.
    """
    header = request.headers.get("If-Match")
    if header is None:
        raise PreconditionRequired(
            "This request changes an article: send the ETag you last read in If-Match."
        )
    if request.if_match.star_tag:
        return None
    versions = frozenset(
        int(match.group(1))
        for tag in request.if_match.as_set()
        if tag and (match := _VERSION_TAG.fullmatch(tag))
    )
    if not versions:
        raise PreconditionFailed(
            'If-Match does not name a version of this article (expected an ETag such as "v3").'
        )
    return versions
