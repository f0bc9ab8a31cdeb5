"""Representations of the readiness checks (``/readyz`` and its 503 problem)."""

from __future__ import annotations

from marshmallow import Schema, fields


class ReadinessCheckSchema(Schema):
    name = fields.String(
        required=True,
        metadata={
            "description": "database, schema, writable, disk_space (SQLite) or outbox.",
            "examples": ["writable"],
        },
    )
    ok = fields.Boolean(required=True)
    detail = fields.String(required=True)
