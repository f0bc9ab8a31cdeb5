"""Outbox rows with chosen creation times, written into a migrated database."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from cms.db import Database
from cms.outbox import service as outbox
from cms.outbox.events import EventType


def create_outbox(engine: sa.Engine, *created: dt.datetime, delivered: int = 0) -> None:
    """Undelivered events created at ``created``, and ``delivered`` delivered ones."""
    now = dt.datetime.now(dt.UTC)
    database = Database(engine)
    with database.session(write=True) as session:
        for when in created:
            outbox.emit(session, type=EventType.CDN_PURGE, data={"surrogate_keys": []}, now=when)
        for _ in range(delivered):
            event = outbox.emit(
                session, type=EventType.CDN_PURGE, data={"surrogate_keys": []}, now=now
            )
            event.delivered_at = now
        session.commit()
