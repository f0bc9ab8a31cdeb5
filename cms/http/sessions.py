"""One SQLAlchemy session per request; writes commit in exactly one place."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, current_app, g, request
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from cms.db import Database
from cms.errors import Conflict, PreconditionFailed

log = logging.getLogger(__name__)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask, database: Database) -> None:
    app.extensions["cms.database"] = database
    app.teardown_appcontext(_close_session)


def get_database() -> Database:
    return current_app.extensions["cms.database"]


def get_session() -> Session:
    """The request's session, opened on first use (a write transaction for writes)."""
    return _request_session(
        lambda: get_database().session(write=request.method not in READ_METHODS)
    )


def get_public_session() -> Session:
    """The session of a public read (``Database.public_session``: no transaction around
    its statements), or the request's session if one is already open."""
    return _request_session(get_database().public_session)


def _request_session(open_session: Callable[[], Session]) -> Session:
    session = g.get("db_session")
    if session is None:
        session = g.db_session = open_session()
    return session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()  # rolls back anything not committed
    except SQLAlchemyError:
        # The response is already decided (a problem, if the database failed):
        # the rollback must not turn it into a server error. SQLite rolls a
        # transaction back by itself on SQLITE_FULL, so its savepoints are gone.
        log.warning("closing the request's session failed; discarding it", exc_info=True)
        session.invalidate()


def transactional(view: Callable[..., Any]) -> Callable[..., Any]:
    """Commit the request's session when the view succeeds; services only flush.

    A concurrent writer that slipped past the If-Match check (its version check
    fails at flush) gets 412, like any stale write.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = view(*args, **kwargs)
        session = g.get("db_session")
        if session is None:
            return result
        try:
            session.commit()
        except StaleDataError as exc:
            raise PreconditionFailed(
                "The article changed while your request was being handled: reload and retry."
            ) from exc
        except IntegrityError as exc:
            raise Conflict(
                "The change conflicts with another one saved at the same time: reload and retry."
            ) from exc
        return result

    return wrapper
