"""ETags, conditional requests and public cache headers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import Response, current_app, request

from cms.delivery.cache import CACHEABLE
from cms.errors import PreconditionFailed, PreconditionRequired
from cms.validation import FieldError

_VERSION_TAG = re.compile(r"v([0-9]{1,10})")

SURROGATE_KEYS = "cms.http.surrogate_keys"
"""WSGI environ key: the surrogate keys (``cms.delivery.keys``) of this public response."""


def public_cache_control(config: Mapping[str, Any]) -> str:
    return (
        f"public, max-age={config['PUBLIC_MAX_AGE']}, s-maxage={config['PUBLIC_S_MAXAGE']}, "
        f"stale-while-revalidate={config['PUBLIC_STALE_WHILE_REVALIDATE']}, "
        f"stale-if-error={config['PUBLIC_STALE_IF_ERROR']}"
    )


def client_has(etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/"x" matches "x"."""
    return request.if_none_match.contains_weak(etag)


def not_modified(etag: str) -> Response:
    """304 with the tag (RFC 9110 §15.4.5); cms.http.headers makes private ones private."""
    response = Response(status=304)
    response.set_etag(etag)
    response.headers["Cache-Control"] = current_app.config["PUBLIC_CACHE_CONTROL"]
    return response


def moved_permanently(location: str) -> Response:
    """301 to an article's current address: public and cacheable like the article."""
    response = Response(status=301)
    response.headers["Location"] = location
    response.headers["Cache-Control"] = current_app.config["PUBLIC_CACHE_CONTROL"]
    return response


def tag(surrogate_keys: frozenset[str]) -> None:
    """Name what this public response contains (``Surrogate-Key``/``Cache-Tag``, set by
    cms.http.headers on success and error alike), so a change can purge it."""
    request.environ[SURROGATE_KEYS] = surrogate_keys


def public_json(
    body: bytes,
    etag: str,
    mimetype: str = "application/json",
    surrogate_keys: frozenset[str] = frozenset(),
) -> Response:
    """A pre-serialized public representation, or 304 if the client already has it.

    A 200 is marked cacheable for the in-process delivery cache, under its keys.
    """
    tag(surrogate_keys)
    if client_has(etag):
        return not_modified(etag)
    request.environ[CACHEABLE] = surrogate_keys
    response = Response(body, mimetype=mimetype)
    response.set_etag(etag)
    response.headers["Cache-Control"] = current_app.config["PUBLIC_CACHE_CONTROL"]
    return response


# --- Management resources: the ETag is the article's version --------------------


def version_etag(version: int) -> str:
    return f"v{version}"


def version_headers(version: int) -> dict[str, str]:
    return {"ETag": f'"{version_etag(version)}"'}


IF_MATCH_DESCRIPTION = """\
The ETag of the version this change is based on, as the last read or write of the
article returned it (for example `"v3"`). Without it the answer is 428; if the
article changed since (someone else saved first) it is 412: read it again,
reapply the change and retry with the new ETag. A weak tag (`W/"v3"`) names the
same version: compressing proxies and CDNs weaken ETags on the way to the
client. `*` is refused with 428, because it would overwrite whatever version is
current and so switch off the protection against lost updates."""


def expected_versions() -> frozenset[int]:
    """The versions If-Match names: 428 if it is absent or ``*``, 412 if it names none.

    Weak tags count: ``W/"v9"`` is version 9. RFC 9110 §13.1.1 asks for the strong
    comparison in If-Match, but these tags name a version of the article, not the
    bytes of one representation, and proxies and CDNs that compress responses
    (nginx's gzip, for one) turn ``"v9"`` into ``W/"v9"`` on the way to the client.
    Refusing the weak form would lock such clients out of every write and protect
    nothing: the version number is what decides whether a change would be lost.

    ``*`` matches any current version (RFC 9110 §13.1.1), so a write with it could
    silently overwrite someone else's change: the very thing If-Match is required
    for. It is refused like a missing header, with a detail that says why.
    """
    header = request.headers.get("If-Match")
    if header is None:
        raise PreconditionRequired(
            "This request changes an article: send the ETag you last read in If-Match."
        )
    tags = request.if_match.as_set(include_weak=True)
    if request.if_match.star_tag or "*" in tags:  # also ``"v3", *``: it still matches anything
        raise PreconditionRequired(
            "If-Match: * would overwrite whatever version is current. Send the ETag you "
            'last read, such as "v3", so that nobody\'s change is silently lost.',
            errors=[FieldError("/headers/If-Match", "star_refused", "Name a version, not *.")],
        )
    versions = frozenset(
        int(match.group(1)) for tag in tags if tag and (match := _VERSION_TAG.fullmatch(tag))
    )
    if not versions:
        raise PreconditionFailed(
            'If-Match does not name a version of this article (expected an ETag such as "v3").'
        )
    return versions
