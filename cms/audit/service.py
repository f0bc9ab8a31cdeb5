"""Recording and reading audit events.

Services record events themselves, in the transaction of the change they
describe, so an event exists exactly when its change was committed, whatever the
entry point (API, CLI import).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms.audit.models import AuditEvent


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a token's name and role, or an operator at the command line."""

    name: str
    role: str
    address: str | None = None
    # For reviewers: recorded on a medical sign-off.
    display_name: str | None = None
    credentials: str | None = field(default=None)
    # The X-Request-ID of the API request acting (None at the command line).
    request_id: str | None = None


OPERATOR = Actor(name="cms import", role="operator")


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    now: dt.datetime,
    article_id: uuid.UUID | None = None,
    revision: int | None = None,
    details: dict[str, Any] | None = None,
    request_id: str | None = None,
) -> AuditEvent:
    """Add an event; ``request_id`` defaults to the actor's (the request that acts)."""
    event = AuditEvent(
        occurred_at=now,
        actor=actor.name,
        actor_role=actor.role,
        action=action,
        article_id=article_id,
        revision=revision,
        client_address=actor.address,
        request_id=request_id or actor.request_id,
        details=details or {},
    )
    session.add(event)
    return event


@dataclass(frozen=True, slots=True)
class EventPage:
    events: list[AuditEvent]
    total: int
    next_cursor: str | None


def events(
    session: Session,
    *,
    article_id: uuid.UUID | None = None,
    actor: str | None = None,
    action: str | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> EventPage:
    """Newest first: one page, the total for the filters, the cursor of the next page."""
    filters = []
    if article_id is not None:
        filters.append(AuditEvent.article_id == article_id)
    if actor is not None:
        filters.append(AuditEvent.actor == actor)
    if action is not None:
        filters.append(AuditEvent.action == action)
    query = sa.select(AuditEvent).where(*filters)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    page = list(session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit + 1)))
    total = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(*filters))
    next_cursor = str(page[limit - 1].id) if len(page) > limit else None
    return EventPage(page[:limit], total or 0, next_cursor)
