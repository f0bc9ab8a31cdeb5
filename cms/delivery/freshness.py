"""What the delivery cache reads, per request, to know whether public content changed."""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
import time
from typing import Any

import orjson
import psycopg
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms.db import Database

log = logging.getLogger(__name__)

GENERATION_SQL = "SELECT generation FROM delivery_state WHERE id = 1"
CHANGES_SQL = (
    "SELECT generation, keys FROM delivery_changes WHERE generation > ? ORDER BY generation"
)


class DatabaseFreshness:
    """The delivery generation, and the keys changes touched, read on the probe connection."""

    def __init__(self, database: Database):
        self._probe = database.probe()

    def generation(self) -> int:
        return int(self._probe.rows(GENERATION_SQL)[0][0])

    def changes_since(self, generation: int) -> set[str] | None:
        """The surrogate keys touched after ``generation``; None if the log has a gap
        there (it was pruned), and the cache must start afresh."""
        rows = self._probe.rows(CHANGES_SQL, (generation,))
        if not rows or int(rows[0][0]) != generation + 1:
            return None
        changed: set[str] = set()
        for _generation, row_keys in rows:
            changed.update(
                orjson.loads(row_keys) if isinstance(row_keys, str | bytes) else row_keys
            )
        return changed


CHANNEL = "cms_delivery"
"""The prefix of the PostgreSQL NOTIFY channel a change announces its generation on."""

# One channel per schema: NOTIFY reaches every listener of the database, and two
# deployments in one database (staging beside production, each in its own schema) must
# not take each other's generations for their own. The schema's hash keeps the name
# within PostgreSQL's 63 bytes whatever the schema is called.
_CHANNEL_SQL = f"'{CHANNEL}_' || left(md5(current_schema()), 16)"
_ANNOUNCE = sa.text(f"SELECT pg_notify({_CHANNEL_SQL}, CAST(:generation AS text))")


def announce(session: Session, generation: int) -> None:
    """Tell every listening process of this generation once the transaction commits.

    PostgreSQL only (used by ``CMS_DELIVERY_FRESHNESS=notify``); a no-op
    elsewhere. The notification goes out only if the transaction commits.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_ANNOUNCE, {"generation": generation})


class NotifiedFreshness:
    """PostgreSQL: the generation as ``LISTEN`` last heard it, checked without a query.

    Each process keeps one connection listening on its schema's ``cms_delivery_…``
    channel. Before a
    cached answer, a non-blocking poll of that connection's socket takes in any
    notification PostgreSQL has sent (a system call, no round trip). A change
    therefore shows on a process's first request after PostgreSQL delivered its
    notification to the listeners, which it does right after the commit: the
    window is that delivery, not a polling interval. When the listener cannot be
    opened or breaks, every request reads the generation (``DatabaseFreshness``)
    until it is back. A listener that dies silently (a network cut sends no
    close) is caught by a real read at least every ``VERIFY_SECONDS``, which
    bounds how long a change can go unseen then. The surrogate keys of a change
    are still read from the change log, once per change.
    """

    RETRY_SECONDS = 1.0
    VERIFY_SECONDS = 1.0

    def __init__(self, database: Database):
        self._engine = database.engine
        self._fallback = DatabaseFreshness(database)
        self._lock = threading.Lock()
        self._raw: Any = None  # the listening psycopg connection
        self._fairy: Any = None  # SQLAlchemy's handle of it (checked out of the pool)
        self._pid = 0
        self._known = 0
        self._retry_at = float("-inf")
        self._verify_at = float("-inf")
        # Disposing the engine (shutdown, tests) closes the listener with the pool.
        sa.event.listen(self._engine, "engine_disposed", lambda _engine: self.close())

    def generation(self) -> int:
        with self._lock:
            listening = self._raw is not None and self._pid == os.getpid()
            if not listening and (time.monotonic() < self._retry_at or not self._listen()):
                return self._fallback.generation()
            try:
                known = self._drain()
                if time.monotonic() >= self._verify_at:
                    self._known = known = max(known, self._fallback.generation())
                    self._verify_at = time.monotonic() + self.VERIFY_SECONDS
                return known
            except Exception:
                log.warning("delivery freshness: the listener broke", exc_info=True)
                self._discard()
                return self._fallback.generation()

    def changes_since(self, generation: int) -> set[str] | None:
        return self._fallback.changes_since(generation)

    def _listen(self) -> bool:
        """Open the listening connection; the generation read after LISTEN starts it."""
        try:
            # Held out of the pool for good, as the probe connection is; closing it
            # invalidates it, so it never goes back to the pool still listening.
            raw = self._engine.raw_connection()
            driver = raw.driver_connection
            driver.autocommit = True
            (channel,) = driver.execute(f"SELECT {_CHANNEL_SQL}").fetchone()
            driver.execute(f'LISTEN "{channel}"')
            known = driver.execute(GENERATION_SQL).fetchone()[0]
        except Exception:
            log.warning("delivery freshness: cannot listen, reading per request", exc_info=True)
            self._retry_at = time.monotonic() + self.RETRY_SECONDS
            return False
        self._raw, self._fairy, self._pid, self._known = driver, raw, os.getpid(), int(known)
        self._verify_at = time.monotonic() + self.VERIFY_SECONDS
        return True

    def _drain(self) -> int:
        pgconn = self._raw.pgconn
        if select.select([pgconn.socket], [], [], 0)[0]:
            pgconn.consume_input()  # raises when the connection is gone
            heard = False
            while (notification := pgconn.notifies()) is not None:
                self._known = max(self._known, int(notification.extra))
                heard = True
            if not heard or pgconn.status != psycopg.pq.ConnStatus.OK:
                # Something else came (the server ending the session, an error):
                # trust nothing it says; read, and listen afresh.
                raise psycopg.OperationalError("the listening connection is in trouble")
        return self._known

    def _discard(self) -> None:
        self.close()
        self._retry_at = time.monotonic() + self.RETRY_SECONDS

    def close(self) -> None:
        """Close this process's listening connection (it reopens on the next request)."""
        fairy, self._raw, self._fairy = self._fairy, None, None
        if fairy is not None and self._pid == os.getpid():
            with contextlib.suppress(Exception):
                fairy.invalidate()  # closes the connection itself


def for_database(database: Database, mode: str) -> DatabaseFreshness | NotifiedFreshness:
    """``read`` (a read per request, everywhere) or ``notify`` (PostgreSQL's LISTEN).

    A database whose sessions share one test transaction reads: a listener would
    only hear what commits for real.
    """
    if mode == "notify" and database.engine.dialect.name == "postgresql" and not database.injected:
        return NotifiedFreshness(database)
    return DatabaseFreshness(database)
