"""Admin routes for webhook endpoints and their delivery log."""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app
from flask.views import MethodView

from cms.auth.roles import Permission
from cms.db import utcnow
from cms.http.api import Blueprint, private_page
from cms.http.auth import current_actor
from cms.http.conditional import client_has, not_modified, version_etag, version_headers
from cms.http.sessions import get_session, transactional
from cms.webhooks import service
from cms.webhooks.delivery import Settings
from cms.webhooks.schemas import (
    DeliveryListSchema,
    DeliveryQuerySchema,
    DeliverySchema,
    IssuedWebhookSchema,
    WebhookCreateSchema,
    WebhookListSchema,
    WebhookPatchSchema,
    WebhookSchema,
)

blp = Blueprint(
    "manage-webhooks",
    __name__,
    url_prefix="/api/v1/manage/webhooks",
    description="Webhook endpoints, signed per Standard Webhooks, and their delivery log (admin).",
)

WEBHOOK = "/<uuid:webhook_id>"
CREATE_EXAMPLE = {
    "url": "https://hooks.example.org/cms",
    "events": ["article.published", "cdn.purge"],
    "description": "Purges the CDN",
}


def _settings() -> Settings:
    return Settings.from_config(current_app.config)


def _issued(issued: service.Issued) -> dict[str, Any]:
    shown = {name: getattr(issued.webhook, name) for name in WebhookSchema().fields}
    return {**shown, "secret": issued.secret}


@blp.route("")
class Webhooks(MethodView):
    @blp.requires(Permission.MANAGE_WEBHOOKS)
    @blp.response(200, WebhookListSchema)
    def get(self) -> Any:
        """List webhook endpoints (never their secrets)"""
        return {"items": service.list_webhooks(get_session())}

    @blp.requires(Permission.MANAGE_WEBHOOKS)
    @blp.arguments(WebhookCreateSchema(), example=CREATE_EXAMPLE)
    @blp.response(201, IssuedWebhookSchema)
    @transactional
    def post(self, body: dict[str, Any]) -> Any:
        """Add an endpoint; the response is the only time its signing secret is shown"""
        issued = service.create_webhook(
            get_session(), actor=current_actor(), now=utcnow(), settings=_settings(), **body
        )
        return _issued(issued), version_headers(issued.webhook.version)


@blp.route(WEBHOOK)
class WebhookItem(MethodView):
    @blp.requires(Permission.MANAGE_WEBHOOKS)
    @blp.response(200, WebhookSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.conditional
    def get(self, webhook_id: uuid.UUID) -> Any:
        """Get an endpoint (never its secret)"""
        webhook = service.get_webhook(get_session(), webhook_id)
        if client_has(version_etag(webhook.version)):
            return not_modified(version_etag(webhook.version))
        return webhook, version_headers(webhook.version)

    @blp.requires(Permission.MANAGE_WEBHOOKS)
    @blp.arguments(WebhookPatchSchema(), example={"active": False})
    @blp.response(200, WebhookSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.if_match
    @transactional
    def patch(self, body: dict[str, Any], webhook_id: uuid.UUID, expected: frozenset[int]) -> Any:
        """Change an endpoint's URL, events, description or active flag"""
        webhook = service.update_webhook(
            get_session(),
            webhook_id=webhook_id,
            expected=expected,
            changes=body,
            actor=current_actor(),
            now=utcnow(),
            settings=_settings(),
        )
        return webhook, version_headers(webhook.version)

    @blp.requires(Permission.MANAGE_WEBHOOKS)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @transactional
    def delete(self, webhook_id: uuid.UUID) -> Any:
        """Delete an endpoint, its pending deliveries and its delivery log"""
        service.delete_webhook(
            get_session(), webhook_id=webhook_id, actor=current_actor(), now=utcnow()
        )


@blp.route(WEBHOOK + "/rotate-secret")
class WebhookSecret(MethodView):
    @blp.requires(Permission.MANAGE_WEBHOOKS)
    @blp.response(200, IssuedWebhookSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.doc(operationId="rotateWebhookSecret")
    @transactional
    def post(self, webhook_id: uuid.UUID) -> Any:
        """A new signing secret, shown once; the old one also signs for 24 hours"""
        issued = service.rotate_secret(
            get_session(), webhook_id=webhook_id, actor=current_actor(), now=utcnow()
        )
        return _issued(issued), version_headers(issued.webhook.version)


@blp.route(WEBHOOK + "/deliveries")
class Deliveries(MethodView):
    @blp.requires(Permission.MANAGE_WEBHOOKS)
    @blp.arguments(DeliveryQuerySchema(), location="query", as_kwargs=True)
    @blp.response(200, DeliveryListSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(
        self, webhook_id: uuid.UUID, limit: int, cursor: int | None = None, **filters: Any
    ) -> Any:
        """The delivery log, newest first: each event sent, with every attempt"""
        page = service.deliveries(
            get_session(),
            webhook_id=webhook_id,
            status=filters.get("status"),
            before_id=cursor,
            limit=limit,
        )
        return private_page(page.deliveries, page.total, page.next_cursor)


@blp.route(WEBHOOK + "/deliveries/<int:delivery_id>/redeliver")
class Redeliver(MethodView):
    @blp.requires(Permission.MANAGE_WEBHOOKS)
    @blp.response(202, DeliverySchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.doc(operationId="redeliverWebhookDelivery")
    @transactional
    def post(self, webhook_id: uuid.UUID, delivery_id: int) -> Any:
        """Send a delivery again (same webhook-id), as soon as the worker gets to it"""
        return service.redeliver(
            get_session(),
            webhook_id=webhook_id,
            delivery_id=delivery_id,
            actor=current_actor(),
            now=utcnow(),
        )
