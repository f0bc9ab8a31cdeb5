"""Reviews coming due: live articles by next_review, soonest first. Bearer token required."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask.views import MethodView

from cms.auth.roles import Permission
from cms.db import utcnow
from cms.http.api import Blueprint, private_page
from cms.http.sessions import get_session
from cms.reviews import service
from cms.reviews.schemas import ReviewListSchema, ReviewQuerySchema

blp = Blueprint(
    "manage-reviews",
    __name__,
    url_prefix="/api/v1/manage/reviews",
    description="Medical reviews coming due: live articles by next_review.",
    collection="Reviews",
)


@blp.route("")
class Reviews(MethodView):
    @blp.requires(Permission.READ)
    @blp.arguments(ReviewQuerySchema(), location="query", as_kwargs=True)
    @blp.response(200, ReviewListSchema)
    def get(self, limit: int, due_before: dt.date | None = None, cursor: str | None = None) -> Any:
        """List live articles due for review, soonest next_review first"""
        page = service.due_page(get_session(), due_before=due_before, limit=limit, cursor=cursor)
        today = utcnow().date()
        items = [service.item_view(a, next_review, today=today) for a, next_review in page.items]
        return private_page(items, page.total, page.next_cursor)
