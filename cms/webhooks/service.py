"""Webhook endpoints and their deliveries.

Delivery is at least once: the outbox handler ``fan_out`` turns each event into
one delivery per subscribed active endpoint, in the event's own dispatch
transaction; ``deliver_due`` then claims due deliveries (``FOR UPDATE SKIP
LOCKED``), marks them as sending with a lease and commits, sends without holding
a transaction, and records each outcome in a new transaction. A worker killed
mid-attempt leaves its deliveries "sending" until the lease ends; they are then
due again (the unfinished attempt is logged as abandoned). Every attempt carries
the event's ``event_id`` as ``webhook-id``: receivers de-duplicate on it.

Outcomes: a 2xx answer delivers. A timeout, a connection error, a 429 or a 5xx
is retried with exponential backoff and full jitter (``Retry-After`` is
honoured) until the retry window (``CMS_WEBHOOK_RETRY_HOURS``, from the first
attempt) is spent, then the delivery fails. Any other answer (3xx: redirects are
not followed; 4xx but 429) fails it at once. An endpoint that has accepted
nothing for the whole retry window is disabled when one more delivery fails.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
import uuid
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms.audit import service as audit
from cms.audit.service import Actor
from cms.errors import Conflict, InvalidDocument, NotFound, PreconditionFailed
from cms.observability import events as observe
from cms.outbox.events import EventType
from cms.outbox.models import OutboxEvent
from cms.validation import FieldError
from cms.webhooks import delivery, signing
from cms.webhooks.delivery import Settings, UnsafeEndpoint
from cms.webhooks.models import (
    AttemptOutcome,
    DeliveryStatus,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)

log = logging.getLogger("cms.worker")

ALL_EVENTS = "*"
ROTATION_GRACE = dt.timedelta(hours=24)
WORKER = Actor(name="cms worker", role="operator")


# --- Endpoints ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Issued:
    webhook: Webhook
    secret: str


def _check_url(url: str, settings: Settings) -> None:
    try:
        delivery.check(url, settings)
    except UnsafeEndpoint as exc:
        raise InvalidDocument(
            "The webhook URL may not be called.",
            errors=[FieldError("/url", "unsafe_url", exc.reason)],
        ) from exc


def _check_events(events: Iterable[str]) -> list[str]:
    events = list(dict.fromkeys(events))
    if ALL_EVENTS in events and len(events) > 1:
        raise InvalidDocument(
            "'*' already means every event type.",
            errors=[FieldError("/events", "all_and_some", "Send either ['*'] or event types.")],
        )
    return events


def _record(session: Session, actor: Actor, action: str, now: dt.datetime, webhook: Webhook,
            **details: Any) -> None:  # fmt: skip
    audit.record(
        session,
        actor=actor,
        action=action,
        now=now,
        details={"webhook_id": str(webhook.id), **details},
    )


def create_webhook(
    session: Session,
    *,
    url: str,
    events: list[str],
    description: str = "",
    active: bool = True,
    actor: Actor,
    now: dt.datetime,
    settings: Settings,
) -> Issued:
    _check_url(url, settings)
    secret = signing.new_secret()
    webhook = Webhook(
        id=uuid.uuid4(),
        url=url,
        events=_check_events(events),
        description=description,
        active=active,
        secret=secret,
        created_at=now,
        updated_at=now,
    )
    session.add(webhook)
    session.flush()
    _record(session, actor, "webhook.create", now, webhook, events=webhook.events)
    return Issued(webhook, secret)


def list_webhooks(session: Session) -> list[Webhook]:
    return list(session.scalars(sa.select(Webhook).order_by(Webhook.created_at, Webhook.id)))


def get_webhook(session: Session, webhook_id: uuid.UUID, *, lock: bool = False) -> Webhook:
    webhook = session.get(Webhook, webhook_id, with_for_update=lock or None)
    if webhook is None:
        raise NotFound(f"There is no webhook {webhook_id}.")
    return webhook


def _check_version(webhook: Webhook, expected: Collection[int] | None) -> None:
    if expected is not None and webhook.version not in expected:
        raise PreconditionFailed(
            f"The webhook has changed since you read it (it is now version {webhook.version}): "
            "reload it and retry."
        )


def update_webhook(
    session: Session,
    *,
    webhook_id: uuid.UUID,
    expected: Collection[int] | None,
    changes: dict[str, Any],
    actor: Actor,
    now: dt.datetime,
    settings: Settings,
) -> Webhook:
    webhook = get_webhook(session, webhook_id, lock=True)
    _check_version(webhook, expected)
    if "url" in changes:
        _check_url(changes["url"], settings)
        webhook.url = changes["url"]
    if "events" in changes:
        webhook.events = _check_events(changes["events"])
    if "description" in changes:
        webhook.description = changes["description"]
    if "active" in changes:
        if changes["active"] and not webhook.active:  # switched back on: a fresh start
            webhook.disabled_reason = webhook.disabled_at = webhook.failing_since = None
        webhook.active = changes["active"]
    webhook.updated_at = now
    session.flush()
    _record(session, actor, "webhook.update", now, webhook, fields=sorted(changes))
    return webhook


def delete_webhook(
    session: Session, *, webhook_id: uuid.UUID, actor: Actor, now: dt.datetime
) -> None:
    """Delete the endpoint with its deliveries and their log (nothing more is sent)."""
    webhook = get_webhook(session, webhook_id, lock=True)
    _record(session, actor, "webhook.delete", now, webhook)
    session.delete(webhook)
    session.flush()


def rotate_secret(
    session: Session,
    *,
    webhook_id: uuid.UUID,
    actor: Actor,
    now: dt.datetime,
    grace: dt.timedelta = ROTATION_GRACE,
) -> Issued:
    """A new secret; for ``grace``, deliveries are signed with the old one too."""
    webhook = get_webhook(session, webhook_id, lock=True)
    secret = signing.new_secret()
    webhook.previous_secret = webhook.secret
    webhook.previous_secret_expires_at = now + grace
    webhook.secret = secret
    webhook.updated_at = now
    session.flush()
    _record(session, actor, "webhook.rotate_secret", now, webhook)
    return Issued(webhook, secret)


def signing_secrets(webhook: Webhook, now: dt.datetime) -> list[str]:
    secrets = [webhook.secret]
    expires = webhook.previous_secret_expires_at
    if webhook.previous_secret and expires is not None and now < expires:
        secrets.append(webhook.previous_secret)
    return secrets


# --- The delivery log -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeliveryPage:
    deliveries: list[WebhookDelivery]
    total: int
    next_cursor: str | None


def deliveries(
    session: Session,
    *,
    webhook_id: uuid.UUID,
    status: DeliveryStatus | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> DeliveryPage:
    """Newest first, each with its attempts."""
    get_webhook(session, webhook_id)
    filters = [WebhookDelivery.webhook_id == webhook_id]
    if status is not None:
        filters.append(WebhookDelivery.status == status)
    query = sa.select(WebhookDelivery).where(*filters)
    if before_id is not None:
        query = query.where(WebhookDelivery.id < before_id)
    page = list(session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(limit + 1)))
    total = session.scalar(sa.select(sa.func.count()).select_from(WebhookDelivery).where(*filters))
    next_cursor = str(page[limit - 1].id) if len(page) > limit else None
    return DeliveryPage(page[:limit], total or 0, next_cursor)


def redeliver(
    session: Session, *, webhook_id: uuid.UUID, delivery_id: int, actor: Actor, now: dt.datetime
) -> WebhookDelivery:
    """Send a delivery again (delivered or failed): due now, with a new retry window."""
    found = session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if found is None or found.webhook_id != webhook_id:
        raise NotFound(f"Webhook {webhook_id} has no delivery {delivery_id}.")
    if found.status == DeliveryStatus.SENDING:
        raise Conflict("An attempt at this delivery is under way: wait for its outcome.")
    if not get_webhook(session, webhook_id).active:
        raise Conflict("The endpoint is not active: switch it on (PATCH active) first.")
    found.status = DeliveryStatus.PENDING
    found.next_attempt_at = now
    found.retry_until = None
    found.completed_at = None
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="webhook.redeliver",
        now=now,
        details={
            "webhook_id": str(webhook_id),
            "delivery_id": found.id,
            "event_id": str(found.event_id),
        },
    )
    return found


# --- From the outbox to the endpoints -------------------------------------------


def subscribed(webhook: Webhook, event_type: str) -> bool:
    return ALL_EVENTS in webhook.events or event_type in webhook.events


def fan_out(session: Session, event: OutboxEvent) -> None:
    """Outbox handler: one pending delivery per active endpoint subscribed to the event."""
    webhooks = session.scalars(sa.select(Webhook).where(Webhook.active.is_(True)))
    for webhook in webhooks:
        if subscribed(webhook, event.type):
            session.add(
                WebhookDelivery(
                    webhook_id=webhook.id,
                    outbox_event_id=event.id,
                    event_id=event.event_id,
                    event_type=event.type,
                    status=DeliveryStatus.PENDING,
                    attempts=0,
                    next_attempt_at=event.created_at,
                    created_at=event.created_at,
                )
            )


@dataclass(frozen=True, slots=True)
class _Job:
    delivery_id: int
    attempt: int
    webhook_id: str
    url: str
    secrets: list[str]
    event_id: str
    event_type: str
    body: bytes


_DUE = (
    sa.select(WebhookDelivery)
    .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
    .where(
        WebhookDelivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]),
        Webhook.active.is_(True),
    )
    .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
)


def _claim(session: Session, now: dt.datetime, settings: Settings) -> list[_Job]:
    due = session.scalars(
        _DUE.where(WebhookDelivery.next_attempt_at <= now)
        .limit(settings.batch)
        .with_for_update(skip_locked=True, of=WebhookDelivery)
    ).all()
    jobs = []
    for position, found in enumerate(due, start=1):
        webhook = session.get(Webhook, found.webhook_id)
        event = session.get(OutboxEvent, found.outbox_event_id)
        assert webhook is not None  # foreign keys
        assert event is not None
        for unfinished in found.attempt_log:
            if unfinished.outcome == AttemptOutcome.SENDING:
                unfinished.outcome = AttemptOutcome.ABANDONED
                unfinished.error = "abandoned: the worker stopped before the attempt ended"
                _observe(webhook, found, attempt=unfinished.attempt, outcome=observe.RETRYING,
                         seconds=0.0, status_code=None, error=unfinished.error)  # fmt: skip
        found.attempts += 1
        found.status = DeliveryStatus.SENDING
        # The batch is sent in order: the n-th delivery's lease covers n whole attempts.
        found.next_attempt_at = now + dt.timedelta(seconds=settings.lease_seconds * position)
        if found.retry_until is None:
            found.retry_until = now + settings.retry_window
        session.add(
            WebhookAttempt(
                delivery_id=found.id,
                attempt=found.attempts,
                attempted_at=now,
                outcome=AttemptOutcome.SENDING,
            )
        )
        jobs.append(
            _Job(
                delivery_id=found.id,
                attempt=found.attempts,
                webhook_id=str(webhook.id),
                url=webhook.url,
                secrets=signing_secrets(webhook, now),
                event_id=str(event.event_id),
                event_type=event.type,
                body=orjson.dumps(event.payload),
            )
        )
    return jobs


def _observe(webhook: Webhook, found: WebhookDelivery, *, attempt: int, outcome: str,
             seconds: float, status_code: int | None, error: str | None,
             body: bytes = b"{}") -> None:  # fmt: skip
    observe.webhook_delivery(
        event_id=str(found.event_id),
        event_type=found.event_type,
        webhook_id=str(webhook.id),
        url=webhook.url,
        attempt=attempt,
        outcome=outcome,
        seconds=seconds,
        status_code=status_code,
        error=error,
    )
    if found.event_type == EventType.CDN_PURGE:
        # A purge is done when its receiver (the CDN's purge relay) took it: counted
        # apart, so that failing purges (a withdrawn article still cached) alert.
        observe.cdn_purge(
            event_id=str(found.event_id),
            keys=orjson.loads(body).get("data", {}).get("surrogate_keys", ()),
            outcome=observe.PURGED if outcome == observe.DELIVERED else outcome,
            seconds=seconds,
            error=error,
        )


def _retryable(result: delivery.Result) -> bool:
    if result.status_code is None:
        return not result.refused
    return result.status_code == 429 or result.status_code >= 500


def _decide(
    result: delivery.Result,
    *,
    attempt: int,
    retry_until: dt.datetime | None,
    now: dt.datetime,
    settings: Settings,
    rng: random.Random | None,
) -> tuple[AttemptOutcome, dt.datetime | None, str | None]:
    """What an attempt's result means: outcome, next attempt, error."""
    status = result.status_code
    error = result.error or (None if status is None else f"HTTP {status}")
    if status is not None and 200 <= status < 300:
        return AttemptOutcome.DELIVERED, None, None
    if not _retryable(result):
        return AttemptOutcome.FAILED, None, error
    delay = delivery.backoff(attempt, settings, rng)
    if result.retry_after is not None:
        delay = max(delay, result.retry_after)
    next_at = now + dt.timedelta(seconds=delay)
    if retry_until is not None and next_at > retry_until:
        return AttemptOutcome.FAILED, None, error
    return AttemptOutcome.RETRYING, next_at, error


def _record_outcome(
    session: Session,
    job: _Job,
    result: delivery.Result,
    *,
    attempted_at: dt.datetime,
    now: dt.datetime,
    settings: Settings,
    rng: random.Random | None,
) -> None:
    found = session.get(WebhookDelivery, job.delivery_id, with_for_update=True,
                        populate_existing=True)  # fmt: skip
    if found is None:  # the endpoint was deleted meanwhile
        return
    webhook = session.get(Webhook, found.webhook_id, with_for_update=True, populate_existing=True)
    assert webhook is not None
    outcome, next_at, error = _decide(result, attempt=job.attempt, retry_until=found.retry_until,
                                      now=now, settings=settings, rng=rng)  # fmt: skip
    attempt = session.scalar(
        sa.select(WebhookAttempt).where(
            WebhookAttempt.delivery_id == found.id, WebhookAttempt.attempt == job.attempt
        )
    )
    if attempt is not None:
        attempt.attempted_at = attempted_at  # when it was sent (the claim may be earlier)
        attempt.outcome = outcome
        attempt.status_code = result.status_code
        attempt.duration_ms = round(result.seconds * 1000, 3)
        attempt.error = error
        attempt.next_attempt_at = next_at
    _observe(webhook, found, attempt=job.attempt, outcome=str(outcome), seconds=result.seconds,
             status_code=result.status_code, error=error, body=job.body)  # fmt: skip
    if found.status != DeliveryStatus.SENDING or found.attempts != job.attempt:
        return  # another worker took it over after the lease: its outcome decides
    found.last_status_code = result.status_code
    found.last_error = error
    if outcome == AttemptOutcome.DELIVERED:
        found.status = DeliveryStatus.DELIVERED
        found.next_attempt_at = None
        found.completed_at = now
        webhook.failing_since = None
        return
    if webhook.failing_since is None:
        webhook.failing_since = attempted_at
    if outcome == AttemptOutcome.RETRYING:
        found.status = DeliveryStatus.PENDING
        found.next_attempt_at = next_at
        return
    found.status = DeliveryStatus.FAILED
    found.next_attempt_at = None
    found.completed_at = now
    if webhook.active and webhook.failing_since <= now - settings.retry_window:
        _disable(session, webhook, now=now, settings=settings, error=error)


def _disable(
    session: Session, webhook: Webhook, *, now: dt.datetime, settings: Settings, error: str | None
) -> None:
    assert webhook.failing_since is not None
    webhook.active = False
    webhook.disabled_at = now
    webhook.disabled_reason = (
        f"Nothing was accepted since {webhook.failing_since.isoformat()} "
        f"(the whole {settings.retry_hours:g}-hour retry window); last error: {error}."
    )
    _record(session, WORKER, "webhook.disabled", now, webhook, reason=webhook.disabled_reason)
    log.warning("webhook disabled", extra={"webhook_id": str(webhook.id)})


def deliver_due(
    session: Session,
    now: dt.datetime,
    *,
    settings: Settings,
    wall_clock: Callable[[], float] = time.time,
    rng: random.Random | None = None,
) -> int:
    """Claim, send and record up to ``settings.batch`` due deliveries; returns how many.

    Commits the claim before sending, so no transaction is open during the HTTP
    calls. ``now`` schedules (leases, retries); ``webhook-timestamp`` is always
    the wall clock at sending, as receivers check it against theirs.
    """
    jobs = _claim(session, now, settings)
    session.commit()
    if not jobs:
        return 0
    started = time.monotonic()
    for job in jobs:  # each outcome in a short transaction of its own, as soon as it is known
        sent_at = now + dt.timedelta(seconds=time.monotonic() - started)
        headers = signing.headers(
            job.secrets, msg_id=job.event_id, timestamp=int(wall_clock()), body=job.body
        )
        result = delivery.post(job.url, job.body, headers, settings)
        finished = now + dt.timedelta(seconds=time.monotonic() - started)
        _record_outcome(session, job, result, attempted_at=sent_at, now=finished,
                        settings=settings, rng=rng)  # fmt: skip
        session.commit()
    return len(jobs)


def delivery_task(settings: Settings) -> Callable[[Session, dt.datetime], int]:
    """The worker task that sends due webhook deliveries."""

    def deliver(session: Session, now: dt.datetime) -> int:
        return deliver_due(session, now, settings=settings)

    deliver.__name__ = "deliver_webhooks"
    return deliver
