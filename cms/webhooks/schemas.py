"""Webhook representations for the admin API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from cms import query
from cms.articles.schemas import Text
from cms.outbox.events import EVENT_TYPES
from cms.validation import Message
from cms.webhooks.models import AttemptOutcome, DeliveryStatus
from cms.webhooks.service import ALL_EVENTS

EVENT_CHOICES = [ALL_EVENTS, *(str(t) for t in EVENT_TYPES)]


def _url(**kwargs: object) -> fields.Url:
    return fields.Url(
        schemes={"http", "https"},
        require_tld=False,
        validate=validate.Length(max=2000, error=Message("length", "Longer than {max}.")),
        error_messages={"invalid": Message("format", "Not an http or https URL.")},
        metadata={
            "description": "Where events are POSTed: http or https, a public address "
            "(see CMS_WEBHOOK_ALLOW_PRIVATE). Redirects are not followed.",
            "examples": ["https://hooks.example.org/cms"],
        },
        **kwargs,
    )


def _events(**kwargs: object) -> fields.List:
    return fields.List(
        fields.String(
            validate=validate.OneOf(
                EVENT_CHOICES, error=Message("enum", "Not an event type: one of {choices}.")
            )
        ),
        validate=validate.Length(min=1, max=len(EVENT_CHOICES),
                                 error=Message("length", "Name at least one event type.")),
        metadata={"description": "Event types to receive, or ['*'] for all of them."},
        **kwargs,
    )  # fmt: skip


class WebhookCreateSchema(Schema):
    url = _url(required=True)
    events = _events(required=True)
    description = Text(max_length=500)
    active = fields.Boolean(load_default=True)


class WebhookPatchSchema(Schema):
    """Only the fields sent change."""

    url = _url()
    events = _events()
    description = Text(max_length=500)
    active = fields.Boolean(metadata={"description": "true again after a disable starts afresh."})


class WebhookSchema(Schema):
    id = fields.UUID(required=True)
    url = fields.String(required=True)
    description = fields.String(required=True)
    events = fields.List(fields.String(), required=True)
    active = fields.Boolean(required=True)
    disabled_reason = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Why the worker disabled the endpoint, if it did."},
    )
    disabled_at = fields.DateTime(allow_none=True, required=True)
    previous_secret_expires_at = fields.DateTime(
        allow_none=True,
        required=True,
        metadata={"description": "After a rotation: until then the old secret also signs."},
    )
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class IssuedWebhookSchema(WebhookSchema):
    secret = fields.String(
        required=True,
        metadata={
            "description": "The signing secret (whsec_ + base64): shown this once. "
            "Verify deliveries with it (Standard Webhooks)."
        },
    )


class WebhookListSchema(Schema):
    items = fields.List(fields.Nested(WebhookSchema), required=True)


class AttemptSchema(Schema):
    attempt = fields.Integer(required=True)
    attempted_at = fields.DateTime(required=True)
    outcome = fields.Enum(AttemptOutcome, by_value=True, required=True)
    status_code = fields.Integer(allow_none=True, required=True)
    duration_ms = fields.Float(allow_none=True, required=True)
    error = fields.String(allow_none=True, required=True)
    next_attempt_at = fields.DateTime(allow_none=True, required=True)


class DeliverySchema(Schema):
    id = fields.Integer(required=True)
    event_id = fields.UUID(
        required=True, metadata={"description": "Sent as webhook-id on every attempt."}
    )
    event_type = fields.String(required=True)
    status = fields.Enum(DeliveryStatus, by_value=True, required=True)
    attempt_count = fields.Integer(attribute="attempts", required=True)
    next_attempt_at = fields.DateTime(
        allow_none=True,
        required=True,
        metadata={"description": "Pending: when it is due; sending: when its lease ends."},
    )
    retry_until = fields.DateTime(allow_none=True, required=True)
    last_status_code = fields.Integer(allow_none=True, required=True)
    last_error = fields.String(allow_none=True, required=True)
    created_at = fields.DateTime(required=True)
    completed_at = fields.DateTime(allow_none=True, required=True)
    attempts = fields.List(fields.Nested(AttemptSchema), attribute="attempt_log", required=True)


class DeliveryListSchema(Schema):
    items = fields.List(fields.Nested(DeliverySchema), required=True)
    total = fields.Integer(required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class DeliveryQuerySchema(Schema):
    status = fields.Enum(DeliveryStatus, by_value=True)
    limit = query.page_limit(default=50, maximum=200)
    cursor = fields.Integer(
        validate=validate.Range(min=1, max=2**62, error=Message("range", "Not a cursor.")),
        metadata={"description": "From next_cursor."},
    )
