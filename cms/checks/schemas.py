"""Check reports as the management API returns them."""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields


class FindingSchema(Schema):
    code = fields.String(required=True, metadata={"description": "Stable; see docs/checks.md."})
    severity = fields.String(required=True, metadata={"enum": ["error", "warning"]})
    pointer = fields.String(required=True, metadata={"description": "JSON pointer."})
    message = fields.String(required=True)


class CheckReportSchema(Schema):
    publishable = fields.Boolean(
        required=True, metadata={"description": "Whether publishing would pass the checks today."}
    )
    errors = fields.Integer(required=True)
    warnings = fields.Integer(required=True)
    findings = fields.List(fields.Nested(FindingSchema), required=True)


class AnyDocumentSchema(Schema):
    """Any JSON object: structural problems are findings too."""

    class Meta:
        unknown = INCLUDE
