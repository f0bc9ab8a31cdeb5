"""Engine instrumentation: database errors and connection-pool waits, as metrics."""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, ExceptionContext
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import QueuePool

from cms.observability import metrics


class ObservedQueuePool(QueuePool):
    """SQLAlchemy's default pool, timing each checkout (waiting for, or opening, a connection)."""

    def _do_get(self) -> Any:
        # _do_get is the hook Pool subclasses implement; QueuePool's waits here.
        started = time.perf_counter()
        try:
            return super()._do_get()
        except PoolTimeout:
            metrics.pool_timeout()
            raise
        finally:
            metrics.pool_checkout(time.perf_counter() - started)


# SQLAlchemy names a pool's logger after its class, which puts this one under
# "cms" and its INFO chatter (pool disposed, recreated) into the app's log.
logging.getLogger(f"{__name__}.ObservedQueuePool").setLevel(logging.WARNING)


def _error_kind(context: ExceptionContext) -> str:
    if context.is_disconnect:
        return "disconnect"
    error = context.sqlalchemy_exception or context.original_exception
    return type(error).__name__


def instrument(engine: Engine) -> None:
    """Count every error the engine raises (statements and connection attempts)."""

    @event.listens_for(engine, "handle_error")
    def _count(context: ExceptionContext) -> None:
        metrics.database_error(_error_kind(context))
