"""Audit log representations."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from cms import query
from cms.validation import FullMatch, Message


class AuditEventSchema(Schema):
    id = fields.Integer(required=True)
    occurred_at = fields.DateTime(required=True)
    actor = fields.String(required=True, metadata={"description": "Token name, or the CLI."})
    actor_role = fields.String(required=True)
    action = fields.String(required=True, metadata={"examples": ["article.approve"]})
    article_id = fields.UUID(allow_none=True)
    revision = fields.Integer(allow_none=True)
    client_address = fields.String(allow_none=True)
    request_id = fields.String(
        allow_none=True,
        metadata={"description": "X-Request-ID of the API request that made the change."},
    )
    details = fields.Dict(required=True)


class AuditListSchema(Schema):
    items = fields.List(fields.Nested(AuditEventSchema), required=True)
    total = fields.Integer(required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class AuditQuerySchema(Schema):
    article = fields.UUID(metadata={"description": "Only events about this article."})
    actor = fields.String(
        validate=FullMatch(
            r"^[a-z0-9][a-z0-9._ -]{0,99}$",
            error=Message("pattern", "A token name (or a command such as 'cms import')."),
        ),
        metadata={"description": "Only events by this token name."},
    )
    action = fields.String(
        validate=FullMatch(
            r"^[a-z_]{1,30}(?:\.[a-z_]{1,30}){0,3}$",
            error=Message("pattern", "An action such as article.publish."),
        ),
        metadata={"description": "Only this action, e.g. article.publish."},
    )
    limit = query.page_limit(default=50, maximum=200)
    cursor = fields.Integer(
        validate=validate.Range(min=1, max=2**62, error=Message("range", "Not a cursor.")),
        metadata={"description": "From next_cursor."},
    )
