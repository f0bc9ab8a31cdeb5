"""Check reports as the management API returns them."""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields, validate


class FindingWaiverSchema(Schema):
    id = fields.UUID(required=True)
    reason = fields.String(required=True)
    waived_by = fields.String(required=True)
    waived_at = fields.DateTime(required=True)
    revision = fields.Integer(required=True)


class FindingSchema(Schema):
    code = fields.String(required=True, metadata={"description": "Stable; see docs/checks.md."})
    severity = fields.String(required=True, metadata={"enum": ["error", "warning"]})
    pointer = fields.String(required=True, metadata={"description": "JSON pointer."})
    message = fields.String(required=True)
    quote = fields.String(
        allow_none=True,
        metadata={"description": "The exact text the finding is about; a waiver names it."},
    )
    waiver = fields.Nested(
        FindingWaiverSchema,
        allow_none=True,
        metadata={"description": "The reviewer's waiver covering this error, if any."},
    )


class CheckReportSchema(Schema):
    publishable = fields.Boolean(
        required=True, metadata={"description": "Whether publishing would pass the checks today."}
    )
    errors = fields.Integer(
        required=True, metadata={"description": "Errors not covered by a waiver."}
    )
    warnings = fields.Integer(required=True)
    waived = fields.Integer(required=True, metadata={"description": "Errors a reviewer waived."})
    findings = fields.List(fields.Nested(FindingSchema), required=True)


class AnyDocumentSchema(Schema):
    """Any JSON object: structural problems are findings too."""

    class Meta:
        unknown = INCLUDE


class WaiverCreateSchema(Schema):
    code = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "The finding's code, e.g. claims.absolute."},
    )
    pointer = fields.String(
        required=True,
        validate=validate.Length(max=500),
        metadata={"description": "The finding's JSON pointer."},
    )
    quote = fields.String(
        required=True,
        validate=validate.Length(max=20_000),
        metadata={"description": "The finding's quoted text (its `quote`; empty if none)."},
    )
    reason = fields.String(
        required=True,
        validate=validate.Length(min=3, max=2000),
        metadata={"description": "Why the finding is wrong for this article."},
    )


class WaiverSchema(Schema):
    id = fields.UUID(required=True)
    article_id = fields.UUID(required=True)
    revision = fields.Integer(
        required=True, metadata={"description": "The revision the finding was waived on."}
    )
    code = fields.String(required=True)
    pointer = fields.String(required=True)
    quote = fields.String(required=True)
    reason = fields.String(required=True)
    waived_by = fields.String(required=True, attribute="created_by")
    waived_by_role = fields.String(required=True, attribute="created_role")
    waived_at = fields.DateTime(required=True, attribute="created_at")
    active = fields.Boolean(required=True)
    revoked_at = fields.DateTime(allow_none=True)
    revoked_by = fields.String(allow_none=True)


class WaiverListSchema(Schema):
    items = fields.List(fields.Nested(WaiverSchema), required=True)
