"""``GET /api/v1/sync``: the delta-sync feed for mobile apps (public, no token needed)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView

from cms.db import utcnow
from cms.http.api import Blueprint
from cms.http.conditional import client_has
from cms.http.sessions import get_session
from cms.observability import metrics
from cms.sync import service
from cms.sync.schemas import SyncPageSchema, SyncQuerySchema

blp = Blueprint(
    "sync",
    __name__,
    url_prefix="/api/v1/sync",
    description="Delta sync for mobile apps: every published article once, then what changed.",
)

# Every answer may change with the next publication (a page of an initial sync too):
# caches may keep it, but must revalidate (ETag, 304) before each reuse.
CACHE_CONTROL = "public, max-age=0"


def _cached(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


@blp.route("")
class Sync(MethodView):
    @blp.doc(operationId="syncArticles")
    @blp.conditional
    @blp.arguments(SyncQuerySchema(), location="query", as_kwargs=True)
    @blp.response(
        200,
        SyncPageSchema,
        headers={
            "Cache-Control": {
                "description": "public, max-age=0: revalidate with If-None-Match.",
                "schema": {"type": "string"},
            }
        },
    )
    def get(self, **query: Any) -> Response:
        """Sync published articles: all of them, then only what changed

        Without a token: an initial sync, every published article (optionally one
        `locale`), `limit` per page, oldest first. Follow `next_page_token` with
        `?page_token=` until a page has `next_sync_token` instead; keep that, and
        later ask `?sync_token=` for what changed since: `upserts` (each article
        exactly as `GET /api/v1/articles/{slug}` serves it) and `deletions` (by id).
        A delta can be paged the same way. Store and drop by `id`: an article that
        changed while you were paging can come twice, the later copy wins; a
        renamed article is an upsert (same id, new slug). A page may hold fewer
        than `limit` items, even none, and still have a next page.

        Tokens are opaque and signed: an altered one, one from another server, or
        one the change log no longer reaches is a 400 `invalid-sync-token`
        problem; then start again without a token and replace what you stored.
        """
        page = service.sync(
            get_session(),
            today=utcnow().date(),
            limit=query["limit"],
            locale=query.get("locale"),
            sync_token=query.get("sync_token"),
            page_token=query.get("page_token"),
        )
        metrics.sync_request(kind=page.kind)
        if client_has(page.etag):
            return _cached(Response(status=304), page.etag)
        return _cached(Response(page.body, mimetype="application/json"), page.etag)
