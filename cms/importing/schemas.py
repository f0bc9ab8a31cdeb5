"""Bodies of the import API."""

from __future__ import annotations

from marshmallow import Schema, fields


class ImportQuerySchema(Schema):
    dry_run = fields.Boolean(
        load_default=False,
        metadata={"description": "Validate and report what would happen; write nothing."},
    )


class ImportedItemSchema(Schema):
    index = fields.Integer(required=True, metadata={"description": "Position in the batch."})
    id = fields.UUID(required=True, attribute="article_id")
    slug = fields.String(required=True)
    locale = fields.String(required=True)
    outcome = fields.String(required=True, metadata={"enum": ["created", "updated", "unchanged"]})
    revision = fields.Integer(required=True)


class ImportReportSchema(Schema):
    dry_run = fields.Boolean(required=True)
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    items = fields.List(fields.Nested(ImportedItemSchema), required=True)
