"""Webhook endpoints, one delivery per (event, endpoint), and every attempt at it."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.db import Base, JSONDocument

_BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"  # due at next_attempt_at
    SENDING = "sending"  # claimed by a worker; due again when its lease (next_attempt_at) ends
    DELIVERED = "delivered"
    FAILED = "failed"  # given up: redeliver to try again


class AttemptOutcome(enum.StrEnum):
    SENDING = "sending"  # under way (or its worker died: see ABANDONED)
    DELIVERED = "delivered"
    RETRYING = "retrying"
    FAILED = "failed"
    ABANDONED = "abandoned"  # the worker stopped mid-attempt; the lease ran out


class Webhook(Base):
    __tablename__ = "webhooks"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    url: Mapped[str] = mapped_column(sa.String(2000))
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    # Event types, or ["*"] for every type.
    events: Mapped[list[str]] = mapped_column(JSONDocument)
    active: Mapped[bool] = mapped_column(default=True)
    # The signing secret ("whsec_..."): kept, since every delivery is signed with it.
    secret: Mapped[str] = mapped_column(sa.String(100))
    # After a rotation, the old secret also signs until previous_secret_expires_at.
    previous_secret: Mapped[str | None] = mapped_column(sa.String(100))
    previous_secret_expires_at: Mapped[dt.datetime | None]
    disabled_reason: Mapped[str | None] = mapped_column(sa.String(500))
    disabled_at: Mapped[dt.datetime | None]
    # Set at the first failed attempt after a success (or ever), cleared by a success.
    failing_since: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        sa.UniqueConstraint("webhook_id", "outbox_event_id"),
        # The worker's queue: what is due, in order, kept small by the WHERE.
        sa.Index(
            "ix_webhook_deliveries_due",
            "next_attempt_at",
            postgresql_where=sa.text("status IN ('pending', 'sending')"),
            sqlite_where=sa.text("status IN ('pending', 'sending')"),
        ),
        sa.Index("ix_webhook_deliveries_webhook_id", "webhook_id", "id"),
    )

    id: Mapped[int] = mapped_column(_BIGINT, primary_key=True)
    webhook_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("webhooks.id", ondelete="CASCADE"))
    outbox_event_id: Mapped[int] = mapped_column(
        _BIGINT, sa.ForeignKey("outbox_events.id", ondelete="CASCADE")
    )
    # The event's public id (webhook-id: the same on every attempt) and type.
    event_id: Mapped[uuid.UUID]
    event_type: Mapped[str] = mapped_column(sa.String(40))
    status: Mapped[DeliveryStatus] = mapped_column(
        sa.Enum(
            DeliveryStatus,
            name="webhook_delivery_status",
            native_enum=False,
            create_constraint=True,
            length=20,
            values_callable=lambda members: [m.value for m in members],
        )
    )
    attempts: Mapped[int] = mapped_column(default=0)
    # Pending: when it is due. Sending: when the worker's lease ends.
    next_attempt_at: Mapped[dt.datetime | None]
    # Retries stop here: set at the first attempt (and again by a redelivery).
    retry_until: Mapped[dt.datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[dt.datetime]
    completed_at: Mapped[dt.datetime | None]

    attempt_log: Mapped[list[WebhookAttempt]] = relationship(
        order_by="WebhookAttempt.attempt", lazy="selectin", passive_deletes=True
    )


class WebhookAttempt(Base):
    __tablename__ = "webhook_attempts"
    __table_args__ = (sa.UniqueConstraint("delivery_id", "attempt"),)

    id: Mapped[int] = mapped_column(_BIGINT, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        _BIGINT, sa.ForeignKey("webhook_deliveries.id", ondelete="CASCADE")
    )
    attempt: Mapped[int]
    attempted_at: Mapped[dt.datetime]
    outcome: Mapped[AttemptOutcome] = mapped_column(
        sa.Enum(
            AttemptOutcome,
            name="webhook_attempt_outcome",
            native_enum=False,
            create_constraint=True,
            length=20,
            values_callable=lambda members: [m.value for m in members],
        )
    )
    status_code: Mapped[int | None]
    duration_ms: Mapped[float | None]
    error: Mapped[str | None] = mapped_column(sa.String(200))
    next_attempt_at: Mapped[dt.datetime | None]
