"""``cms worker``: delivers the outbox and runs the periodic jobs.

The worker is a loop over *tasks*: functions ``(session, now) -> int`` that do
one bounded batch of work in one transaction and return how much they did. A
pass runs every task; when a pass finds nothing to do, the worker sleeps for
the poll interval. Several workers may run against PostgreSQL at once: each
task claims its rows with ``FOR UPDATE SKIP LOCKED``, so no row is handled by
two workers at the same time. On SQLite, run one.

It stops cleanly on SIGTERM or SIGINT (the batch in hand commits or rolls back,
nothing is half done) and rides out database outages: a pass that fails for
database trouble is rolled back and retried with growing pauses, and the worker
carries on by itself when the database is back.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from sqlalchemy.orm import Session

from cms import config as settings
from cms.db import Database, failure_of, utcnow
from cms.outbox import service as outbox
from cms.publishing.schedules import run_schedules
from cms.reviews.service import remind_due
from cms.webhooks import service as webhooks
from cms.webhooks.delivery import Settings

log = logging.getLogger("cms.worker")

Task = Callable[[Session, dt.datetime], int]
MAX_BACKOFF = 30.0


def dispatch_outbox(handlers: Sequence[outbox.Handler]) -> Task:
    """The task that hands pending outbox events to ``handlers``."""

    def dispatch(session: Session, now: dt.datetime) -> int:
        return outbox.dispatch(session, handlers=handlers, now=now)

    dispatch.__name__ = "dispatch_outbox"
    return dispatch


def default_tasks(config: Mapping[str, Any] | None = None) -> list[Task]:
    """What ``cms worker`` runs, in order, on every pass (``config``: the app's settings).

    Scheduled changes and review reminders first: the events they write are
    handed on and delivered in the same pass.
    """
    if config is None:
        config = settings.from_environment("instance")
    return [
        run_schedules,
        remind_due,
        dispatch_outbox(handlers=[webhooks.fan_out]),
        webhooks.delivery_task(Settings.from_config(config)),
    ]


@dataclass
class Worker:
    database: Database
    tasks: Sequence[Task]
    poll_seconds: float = 1.0
    clock: Callable[[], dt.datetime] = utcnow
    stopping: threading.Event = field(default_factory=threading.Event)

    def run_pass(self) -> int:
        """Run every task once, each in its own transaction; returns the work done."""
        done = 0
        for task in self.tasks:
            if self.stopping.is_set():
                break
            with self.database.session(write=True) as session:
                done += task(session, self.clock())
                session.commit()
        return done

    def run(self) -> None:
        """Loop until ``stop()``: busy passes back to back, idle ones a poll apart."""
        backoff = 0.0
        log.info("worker started", extra={"tasks": [t.__name__ for t in self.tasks]})
        while not self.stopping.is_set():
            try:
                done = self.run_pass()
            except Exception as exc:  # the loop must outlive any one pass
                backoff = min(MAX_BACKOFF, max(self.poll_seconds, backoff * 2))
                if failure_of(exc) is not None:
                    log.warning("database unavailable, retrying in %.1fs: %s", backoff, exc)
                else:
                    log.exception("worker pass failed, retrying in %.1fs", backoff)
                self.stopping.wait(backoff)
                continue
            backoff = 0.0
            if not done:
                self.stopping.wait(self.poll_seconds)
        log.info("worker stopped")

    def stop(self, *_: object) -> None:
        self.stopping.set()

    def stop_on_signals(self) -> None:
        def handle(signum: int, _frame: FrameType | None) -> None:
            log.info("worker stopping on %s", signal.Signals(signum).name)
            self.stop()

        signal.signal(signal.SIGTERM, handle)
        signal.signal(signal.SIGINT, handle)


def run_until_idle(worker: Worker, *, timeout: float = 10.0) -> int:
    """Run passes until one finds nothing to do (tests and ``cms worker --once``)."""
    deadline = time.monotonic() + timeout
    total = 0
    while time.monotonic() < deadline:
        done = worker.run_pass()
        total += done
        if not done:
            return total
    raise TimeoutError("the worker still had work after the timeout")
