"""The undelivered-events backlog of the transactional outbox, read from the database.

The outbox table (``outbox_events``, with ``created_at`` and a nullable
``delivered_at``) is written by the publishing code and drained by ``cms
worker``. Until its migration exists, there is no backlog to report: every
function here first checks that the table is there.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from sqlalchemy import Connection, Engine

from cms.db import UTCDateTime, utcnow

log = logging.getLogger(__name__)

TABLE = "outbox_events"

_outbox = sa.table(
    TABLE,
    sa.column("created_at", UTCDateTime()),
    sa.column("delivered_at", UTCDateTime()),
)


@dataclass(frozen=True, slots=True)
class Backlog:
    depth: int
    oldest: dt.datetime | None

    def age(self, now: dt.datetime) -> float:
        """Seconds the oldest undelivered event has waited (0 when there is none)."""
        return max(0.0, (now - self.oldest).total_seconds()) if self.oldest else 0.0


def backlog(connection: Connection) -> Backlog | None:
    """Undelivered events and the oldest one's creation time; None without an outbox table."""
    if not sa.inspect(connection).has_table(TABLE):
        return None
    depth, oldest = connection.execute(
        sa.select(sa.func.count(), sa.func.min(_outbox.c.created_at)).where(
            _outbox.c.delivered_at.is_(None)
        )
    ).one()
    return Backlog(depth=depth, oldest=oldest)


class BacklogCollector(Collector):
    """``cms_outbox_depth`` and ``cms_outbox_oldest_age_seconds``, read at each scrape.

    Read from the database, so every app node reports the same backlog wherever
    the workers run. Nothing is reported without an outbox table, or when the
    database cannot be read (the scrape still returns every other metric).
    """

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = utcnow):
        self._engine = engine
        self._clock = clock

    def collect(self) -> Iterable[Metric]:
        try:
            with self._engine.connect() as connection:
                if connection.dialect.name == "postgresql":
                    # Local to this transaction, which ends (rolled back) with the block.
                    connection.exec_driver_sql("SET LOCAL statement_timeout = '2s'")
                found = backlog(connection)
        except sa.exc.SQLAlchemyError:
            log.warning("metrics: cannot read the outbox backlog", exc_info=True)
            return
        if found is None:
            return
        yield GaugeMetricFamily(
            "cms_outbox_depth", "Outbox events not delivered yet.", value=found.depth
        )
        yield GaugeMetricFamily(
            "cms_outbox_oldest_age_seconds",
            "Age of the oldest undelivered outbox event (0 when none waits).",
            value=found.age(self._clock()),
        )
