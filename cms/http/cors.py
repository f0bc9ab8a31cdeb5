"""Cross-origin access for browser front ends (flask-cors).

The public API answers every origin by default (``CMS_CORS_ORIGINS=*``), or
only the listed ones; browsers may read ``ETag``, ``Link`` and the cache
headers, so a front end can revalidate and page. The management API answers
cross-origin requests only from ``CMS_ADMIN_ORIGINS`` (none by default): an
admin UI on another origin must be listed. Cached public answers are keyed by
the request's allowed origin when the setting is a list (``cms.delivery.cache``),
so a cached response never carries another origin's header.
"""

from __future__ import annotations

from flask import Flask, Response
from flask_cors import CORS

EXPOSED = ["ETag", "Link", "Cache-Control", "Content-Language", "Surrogate-Key", "X-Cache"]
MANAGE_HEADERS = ["Authorization", "Content-Type", "If-Match", "If-None-Match", "X-Change-Note"]


def public_origins(app: Flask) -> list[str] | None:
    """The listed public origins, or None when every origin is allowed."""
    origins = app.config["CORS_ORIGINS"]
    return None if origins == ["*"] else origins


def _vary_on_origin(response: Response) -> Response:
    # flask-cors adds ``Vary: Origin`` only when several origins could match; with
    # one listed origin the answer still differs with and without it.
    response.vary.add("Origin")
    return response


def init_app(app: Flask) -> None:
    if public_origins(app) is not None or app.config["ADMIN_ORIGINS"]:
        app.after_request(_vary_on_origin)
    CORS(
        app,
        resources={
            r"/api/v1/manage/*": {
                "origins": app.config["ADMIN_ORIGINS"],
                "methods": ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
                "allow_headers": MANAGE_HEADERS,
                "expose_headers": [*EXPOSED, "Location"],
                "always_send": False,
                "max_age": 600,
            },
            r"/api/v1/*": {
                "origins": app.config["CORS_ORIGINS"],
                "methods": ["GET", "HEAD", "OPTIONS"],
                "allow_headers": ["If-None-Match", "Accept", "Accept-Language"],
                "expose_headers": EXPOSED,
                # All origins allowed: one answer, "*", with or without an Origin
                # header, so every cached copy is right for everyone.
                "send_wildcard": public_origins(app) is None,
                "always_send": public_origins(app) is None,
                "max_age": 86400,
            },
        },
    )
