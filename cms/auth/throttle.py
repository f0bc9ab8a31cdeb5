"""Rate limits on failed authentication, per client address and per token prefix.

Fixed windows of ``window`` seconds: once a key has failed ``limit`` times in the
current window, every attempt under that key (right or wrong) is refused with
``RateLimited`` until the window ends. Counting lives in the database, so the
limit holds across workers and nodes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from cms.auth.models import AuthFailure
from cms.errors import RateLimited


@dataclass(frozen=True, slots=True)
class Limit:
    failures: int = 20
    window: float = 60.0  # seconds


def keys_for(address: str | None, presented: str) -> list[str]:
    """The keys an attempt counts against: its client address and the token's prefix."""
    keys = [f"address:{address or 'unknown'}"]
    if presented:
        keys.append(f"prefix:{presented[:10]}")
    return keys


def _window_start(now: dt.datetime, limit: Limit) -> dt.datetime:
    start = math.floor(now.timestamp() / limit.window) * limit.window
    return dt.datetime.fromtimestamp(start, dt.UTC)


def check(session: Session, *, keys: Sequence[str], now: dt.datetime, limit: Limit) -> None:
    """Raise ``RateLimited`` if any key has used up its failures in this window."""
    start = _window_start(now, limit)
    worst = session.execute(
        sa.select(sa.func.max(AuthFailure.count)).where(
            AuthFailure.key.in_(keys), AuthFailure.window_start == start
        )
    ).scalar_one()
    if worst is not None and worst >= limit.failures:
        ends = start + dt.timedelta(seconds=limit.window)
        raise RateLimited(
            "Too many failed authentications from this client or with this token: "
            "wait before trying again.",
            retry_after=max(1, math.ceil((ends - now).total_seconds())),
        )


def record_failure(session: Session, *, keys: Sequence[str], now: dt.datetime, limit: Limit) -> int:
    """Count one failure under each key; returns the highest count now reached."""
    start = _window_start(now, limit)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    highest = 0
    for key in keys:
        statement = insert(AuthFailure).values(key=key, window_start=start, count=1)
        statement = statement.on_conflict_do_update(
            index_elements=[AuthFailure.key, AuthFailure.window_start],
            set_={"count": AuthFailure.count + 1},
        ).returning(AuthFailure.count)
        highest = max(highest, session.execute(statement).scalar_one())
    # Forget windows that are long over.
    session.execute(
        sa.delete(AuthFailure).where(
            AuthFailure.window_start < start - dt.timedelta(seconds=10 * limit.window)
        )
    )
    return highest
