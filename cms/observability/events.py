"""The worker's events: one call per event logs its line and counts it.

``cms worker`` calls these as it works; each writes one structured log line
(logger ``cms.worker``, field ``event``) and records the matching metrics. They
take plain values and never raise for a bad value: observing must not stop the
worker. Nothing secret goes in: an endpoint is logged as its origin
(``scheme://host:port``) and counted by its webhook id, never by URL or secret;
payloads are never logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from cms.observability import logs, metrics

DELIVERED = "delivered"
RETRYING = "retrying"
FAILED = "failed"
OUTCOMES = (DELIVERED, RETRYING, FAILED)
PURGED = "purged"
KEYS_LOGGED = 50


def webhook_delivery(
    *,
    event_id: str,
    event_type: str,
    webhook_id: str,
    url: str,
    attempt: int,
    outcome: str,
    seconds: float,
    status_code: int | None = None,
    error: str | None = None,
) -> None:
    """One attempt to deliver an outbox event to a webhook endpoint.

    ``outcome``: ``delivered``, ``retrying`` (failed, another attempt is
    scheduled) or ``failed`` (given up). ``error``: a short reason such as
    ``timeout`` or ``connection refused`` — never the URL or the payload.
    """
    metrics.webhook_delivery(endpoint=webhook_id, outcome=outcome, seconds=seconds)
    logs.worker_event(
        "webhook.delivery",
        level=logging.INFO if outcome == DELIVERED else logging.WARNING,
        event_id=event_id,
        event_type=event_type,
        webhook_id=webhook_id,
        endpoint=logs.origin(url),
        attempt=attempt,
        outcome=outcome,
        status_code=status_code,
        duration_ms=round(seconds * 1000, 3),
        error=error,
    )


def cdn_purge(
    *,
    event_id: str,
    keys: Iterable[str],
    outcome: str,
    seconds: float,
    error: str | None = None,
) -> None:
    """One purge of surrogate keys (``outcome``: ``purged``, ``retrying`` or ``failed``)."""
    keys = sorted(keys)
    metrics.cdn_purge(outcome=outcome)
    logs.worker_event(
        "cdn.purge",
        level=logging.INFO if outcome == PURGED else logging.WARNING,
        event_id=event_id,
        keys=keys[:KEYS_LOGGED],
        key_count=len(keys),
        outcome=outcome,
        duration_ms=round(seconds * 1000, 3),
        error=error,
    )


def schedule_run(*, published: int, unpublished: int, seconds: float) -> None:
    """One pass over scheduled publications and expiries, and what it carried out."""
    metrics.schedule_run(published=published, unpublished=unpublished)
    logs.worker_event(
        "schedule.run",
        published=published,
        unpublished=unpublished,
        duration_ms=round(seconds * 1000, 3),
    )
