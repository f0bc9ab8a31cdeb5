"""Write events into the outbox (inside a change's transaction) and hand them on.

Only ``cms.publishing`` (and the worker's own periodic jobs, such as review
reminders) emit events. Claiming uses ``FOR UPDATE SKIP LOCKED`` on PostgreSQL,
so several workers never hand the same event on twice at once; SQLite has one
writer at a time, which gives the same guarantee for its single worker.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms.outbox.events import EventType
from cms.outbox.models import OutboxEvent

Handler = Callable[[Session, OutboxEvent], None]


def emit(
    session: Session, *, type: EventType, data: dict[str, Any], now: dt.datetime
) -> OutboxEvent:
    """Add one event to the outbox; it is delivered only if the transaction commits."""
    event = OutboxEvent(
        event_id=uuid.uuid4(),
        type=type,
        payload={"type": str(type), "timestamp": _timestamp(now), "data": data},
        created_at=now,
    )
    session.add(event)
    return event


def _timestamp(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_PENDING = (
    sa.select(OutboxEvent)
    .where(OutboxEvent.delivered_at.is_(None))
    .order_by(OutboxEvent.id)
    .with_for_update(skip_locked=True)
)


def dispatch(
    session: Session, *, handlers: Sequence[Handler], now: dt.datetime, limit: int = 100
) -> int:
    """Hand up to ``limit`` pending events, oldest first, to every handler; returns how many.

    The handlers run in the caller's transaction and mark nothing themselves: the
    events count as delivered only when that transaction commits, so a crash
    leaves them pending for the next pass.
    """
    events = session.scalars(_PENDING.limit(limit)).all()
    for event in events:
        for handler in handlers:
            handler(session, event)
        event.delivered_at = now
    return len(events)


def pending(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).where(OutboxEvent.delivered_at.is_(None))) or 0
