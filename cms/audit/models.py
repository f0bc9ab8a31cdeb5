"""Audit events. Rows are only ever inserted (database triggers refuse UPDATE and DELETE)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cms.articles.models import Article
from cms.db import Base, JSONDocument


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_article", "article_id", "id"),
        sa.Index("ix_audit_events_actor", "actor", "id"),
    )

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True
    )
    occurred_at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(sa.String(100))
    actor_role: Mapped[str] = mapped_column(sa.String(20))
    action: Mapped[str] = mapped_column(sa.String(64))
    article_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey(Article.id))
    revision: Mapped[int | None]
    client_address: Mapped[str | None] = mapped_column(sa.String(64))
    request_id: Mapped[str | None] = mapped_column(sa.String(128))
    details: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
