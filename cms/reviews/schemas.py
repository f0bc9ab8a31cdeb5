"""The review list's query and items."""

from __future__ import annotations

from marshmallow import Schema, fields

from cms import query
from cms.articles.models import ArticleStatus


class ReviewQuerySchema(Schema):
    due_before = fields.Date(
        metadata={"description": "Only articles whose next_review is before this date."}
    )
    limit = query.page_limit(default=20, maximum=100)
    cursor = query.opaque_cursor()


class ReviewItemSchema(Schema):
    id = fields.UUID(required=True)
    slug = fields.String(required=True)
    locale = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Enum(ArticleStatus, by_value=True, required=True)
    live_revision = fields.Integer(required=True)
    next_review = fields.Date(
        required=True, metadata={"description": "Of the live revision: when review is due."}
    )
    overdue = fields.Boolean(required=True, metadata={"description": "next_review has passed."})


class ReviewListSchema(Schema):
    items = fields.List(fields.Nested(ReviewItemSchema), required=True)
    total = fields.Integer(required=True)
    next_cursor = fields.String(required=True, allow_none=True)
