"""Shared pieces of the webhook tests."""

from __future__ import annotations

import datetime as dt
import ipaddress

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms.outbox import service as outbox
from cms.outbox.models import OutboxEvent
from cms.webhooks import service as webhooks
from cms.webhooks.delivery import Settings
from cms.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery
from tests.factories import NOW, TESTER

# Tests call endpoints on loopback: allowed by a CIDR, as an operator would.
LOOPBACK = Settings(
    allow_cidrs=(ipaddress.ip_network("127.0.0.0/8"),),
    connect_timeout=2.0,
    read_timeout=2.0,
)


def subscribe(
    session: Session, url: str, events: list[str] | None = None, settings: Settings = LOOPBACK
) -> webhooks.Issued:
    issued = webhooks.create_webhook(
        session, url=url, events=events or ["*"], actor=TESTER, now=NOW, settings=settings
    )
    session.commit()
    return issued


def dispatch(session: Session, now: dt.datetime = NOW) -> int:
    done = outbox.dispatch(session, handlers=[webhooks.fan_out], now=now)
    session.commit()
    return done


def deliver(session: Session, now: dt.datetime, settings: Settings = LOOPBACK) -> int:
    return webhooks.deliver_due(session, now, settings=settings)


def events(session: Session) -> list[OutboxEvent]:
    return list(session.scalars(sa.select(OutboxEvent).order_by(OutboxEvent.id)))


def deliveries(session: Session, webhook: Webhook) -> list[WebhookDelivery]:
    session.expire_all()
    return list(
        session.scalars(
            sa.select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook.id)
            .order_by(WebhookDelivery.id)
        )
    )


def attempts(session: Session, found: WebhookDelivery) -> list[WebhookAttempt]:
    return list(
        session.scalars(
            sa.select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id == found.id)
            .order_by(WebhookAttempt.attempt)
        )
    )
