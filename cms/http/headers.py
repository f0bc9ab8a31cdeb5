"""Headers every response gets: who may cache it, and the baseline security headers.

One ``after_request`` hook decides for every response, so no route can forget:

- Anything under ``/api/v1/manage/``, and any response to a request that carried
  ``Authorization``, is ``private, no-store`` with ``Vary: Authorization``: drafts,
  revisions and tokens never land in a shared cache, however it is configured
  (an nginx ``proxy_cache_valid 200 1m`` stores responses that say nothing).
  ``no-store`` rather than ``no-cache``: an editor's client keeps ETags itself
  and still gets 304s, but no intermediary or browser disk keeps a draft.
- Public errors get a short, deliberate policy: a 400, 404, 405 or 410 is the
  same answer for everyone and may be cached for ``PUBLIC_ERROR_MAX_AGE``
  seconds (a CDN then absorbs floods of requests for missing pages); anything
  else (401, 403, 429, 5xx) is ``no-store``.
- A response without a policy of its own (probes, the OpenAPI document) is
  ``no-store``: a heuristic cache would otherwise keep it.
- Public answers name what they contain in ``Surrogate-Key`` (Fastly, Varnish xkey)
  and ``Cache-Tag`` (Cloudflare), success or error (a cached 404 is purged when an
  article is published at its address): see ``cms.delivery.keys``.
- ``nosniff``, a ``Content-Security-Policy`` that lets a JSON response load
  nothing (pages that need more, such as the docs, set their own), and
  ``Referrer-Policy: no-referrer``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, current_app, request

from cms.http.conditional import SURROGATE_KEYS

MANAGE_PREFIX = "/api/v1/manage/"
PRIVATE = "private, no-store"
NO_STORE = "no-store"
JSON_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
SHARED_ERRORS = frozenset({400, 404, 405, 410})


def public_error_cache_control(config: Mapping[str, Any]) -> str:
    age = config["PUBLIC_ERROR_MAX_AGE"]
    return f"public, max-age={age}, s-maxage={age}" if age > 0 else NO_STORE


def is_private_request() -> bool:
    return request.path.startswith(MANAGE_PREFIX) or "Authorization" in request.headers


def apply(response: Response) -> Response:
    headers = response.headers
    if is_private_request():
        headers["Cache-Control"] = PRIVATE
        response.vary.add("Authorization")
    elif response.status_code >= 400:
        headers["Cache-Control"] = (
            current_app.config["PUBLIC_ERROR_CACHE_CONTROL"]
            if response.status_code in SHARED_ERRORS
            else NO_STORE
        )
    else:
        # A response that says nothing may be stored by any cache (RFC 9111 §4.2.2):
        # probes, the OpenAPI document and the like say no-store unless they chose.
        headers.setdefault("Cache-Control", NO_STORE)
    surrogate_keys = request.environ.get(SURROGATE_KEYS)
    if surrogate_keys and not is_private_request():
        ordered = sorted(surrogate_keys)  # Fastly/Varnish: spaces; Cloudflare: commas
        headers["Surrogate-Key"], headers["Cache-Tag"] = " ".join(ordered), ",".join(ordered)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers.setdefault("Content-Security-Policy", JSON_CSP)
    return response


def init_app(app: Flask) -> None:
    app.config["PUBLIC_ERROR_CACHE_CONTROL"] = public_error_cache_control(app.config)
    app.after_request(apply)
