"""A stand-in for the publishing code's outbox table, to read its backlog before it exists."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa


def create_outbox(engine: sa.Engine, *created: dt.datetime, delivered: int = 0) -> None:
    """An outbox table shaped as the publishing code writes it, with undelivered events."""
    outbox = sa.Table(
        "outbox_events",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
    )
    outbox.create(engine)
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as connection:
        for when in created:
            connection.execute(outbox.insert().values(created_at=when))
        for _ in range(delivered):
            connection.execute(outbox.insert().values(created_at=now, delivered_at=now))
