"""``GET /api/v1/search``: ranked full-text search over published articles."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView

from cms.db import utcnow
from cms.delivery import fieldsets, keys
from cms.delivery.schemas import full_or_sparse
from cms.delivery.views import CACHE_HEADERS
from cms.http.api import Blueprint, next_link
from cms.http.conditional import public_json
from cms.http.sessions import get_public_session
from cms.search import service
from cms.search.schemas import SearchPageSchema, SearchQuerySchema

blp = Blueprint(
    "search",
    __name__,
    url_prefix="/api/v1/search",
    description="Full-text search of published articles: ranked, stemmed, cacheable.",
)


@blp.route("")
class Search(MethodView):
    @blp.conditional
    @blp.arguments(SearchQuerySchema(), location="query", as_kwargs=True)
    @blp.response(
        200,
        full_or_sparse(SearchPageSchema, "SearchPage"),
        headers={
            **CACHE_HEADERS,
            "Link": {
                "description": 'Next page, as <url>; rel="next", when there is one.',
                "schema": {"type": "string"},
            },
        },
    )
    def get(self, **query: Any) -> Response:
        """Search published articles, most relevant first

        Ranks matches in the title above the summary, section headings and section
        text. Only published articles are searched, in one locale.
        """
        page = service.search(
            get_public_session(),
            q=query["q"],
            locale=query["locale"],
            conditions=query.get("condition", ()),
            limit=query["limit"],
            cursor=query.get("cursor"),
            today=utcnow().date(),
            view=fieldsets.View(selection=query.get("fieldset")),
        )
        response = public_json(page.body, page.etag, surrogate_keys=keys.search(query["locale"]))
        if page.next_cursor is not None:
            response.headers["Link"] = next_link(page.next_cursor)
        return response
