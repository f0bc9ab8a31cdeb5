"""Outbox events: one row per event, written in the same transaction as the change.

``cms worker`` claims pending rows and hands each to the outbox's handlers (today:
fanning it out into webhook deliveries); ``delivered_at`` records when that was done.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cms.db import Base, JSONDocument


class OutboxEvent(Base):
    __tablename__ = "outbox_events"
    __table_args__ = (
        # The worker's queue: pending events in order, kept small by the WHERE.
        sa.Index(
            "ix_outbox_events_pending",
            "id",
            postgresql_where=sa.text("delivered_at IS NULL"),
            sqlite_where=sa.text("delivered_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True
    )
    # The event's public id: receivers' idempotency key (``webhook-id``).
    event_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    type: Mapped[str] = mapped_column(sa.String(40))
    # The whole payload as receivers get it: {"type", "timestamp", "data"}.
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    created_at: Mapped[dt.datetime]
    delivered_at: Mapped[dt.datetime | None]
