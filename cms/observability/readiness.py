"""The checks behind ``/readyz``: can this node serve and change content right now?

- ``database``: a connection can be opened;
- ``schema``: the database is at the code's migration head;
- ``writable``: a real write commits (the probe row is rewritten), so a read-only
  file, directory or replica, or a full disk, is seen; on SQLite a write lock
  held by another writer counts as writable;
- ``disk_space`` (SQLite): the database's file system keeps a minimum free;
- ``outbox`` (once the outbox exists): the oldest undelivered event, failing
  only above a configured age.

The checks run in a thread with a deadline, so a database that does not answer
gives "not ready" within the timeout instead of hanging the probe. No Flask here.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from cms import migrate
from cms.db import WRITE_OPTION
from cms.observability import outbox
from cms.observability.models import ReadinessProbe


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Settings:
    schema_head: str | None
    timeout: float
    min_free_bytes: int
    max_outbox_age: float  # seconds; 0: report the age, never fail on it


def _reason(error: BaseException) -> str:
    """The driver's own message, first line only (statements and parameters left out)."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()
    return (text[0] if text else type(original).__name__)[:200].rstrip(".")


def _upsert_probe(connection: Connection, now: dt.datetime) -> None:
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = insert(ReadinessProbe).values(id=1, checked_at=now)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["id"], set_={"checked_at": statement.excluded.checked_at}
        )
    )


def _writable(engine: Engine, now: dt.datetime, timeout: float) -> Check:
    with engine.connect() as opened:
        sqlite_db = opened.dialect.name == "sqlite"
        connection = opened.execution_options(**{WRITE_OPTION: True})
        # On the driver's connection: through SQLAlchemy, the PRAGMA would begin
        # the (write-locking) transaction before the shorter timeout applies.
        driver = connection.connection.driver_connection
        if sqlite_db:
            previous = driver.execute("PRAGMA busy_timeout").fetchone()[0]
            driver.execute(f"PRAGMA busy_timeout = {int(timeout * 250)}")
        try:
            if not sqlite_db:
                milliseconds = int(timeout * 1000)
                connection.exec_driver_sql(f"SET LOCAL statement_timeout = {milliseconds}")
                connection.exec_driver_sql(f"SET LOCAL lock_timeout = {milliseconds}")
            _upsert_probe(connection, now)
            connection.commit()
        except DBAPIError as exc:
            connection.rollback()
            if sqlite_db and getattr(exc.orig, "sqlite_errorname", "") == "SQLITE_BUSY":
                return Check("writable", True, "Another transaction holds the write lock.")
            return Check("writable", False, f"The database cannot be written: {_reason(exc)}.")
        finally:
            if sqlite_db and not connection.invalidated:
                driver.execute(f"PRAGMA busy_timeout = {previous}")
    return Check("writable", True, "A write committed.")


def _disk_space(engine: Engine, min_free_bytes: int) -> Check | None:
    """Free space beside a SQLite file (a full disk fails writes, later, with a 500 elsewhere)."""
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:":
        return None
    stats = os.statvfs(os.path.dirname(os.path.abspath(path)))
    free = stats.f_bavail * stats.f_frsize
    megabytes = free / 2**20
    if free < min_free_bytes:
        return Check(
            "disk_space",
            False,
            f"Only {megabytes:.1f} MiB free on the database's disk "
            f"(the minimum is {min_free_bytes / 2**20:.0f} MiB).",
        )
    return Check("disk_space", True, f"{megabytes:.0f} MiB free.")


def _outbox(connection: Connection, now: dt.datetime, max_age: float) -> Check | None:
    found = outbox.backlog(connection)
    if found is None:
        return None
    age = found.age(now)
    detail = f"{found.depth} undelivered event(s), the oldest {age:.0f} s old."
    if max_age > 0 and age > max_age:
        return Check("outbox", False, f"{detail} The limit is {max_age:g} s: is a worker running?")
    return Check("outbox", True, detail)


def run_checks(engine: Engine, settings: Settings, now: dt.datetime) -> list[Check]:
    """Every check, in order; later ones are skipped when an earlier one makes them moot."""
    try:
        connection = engine.connect()
    except SQLAlchemyError as exc:
        return [Check("database", False, f"The database is not reachable: {_reason(exc)}.")]
    checks = [Check("database", True, "Reachable.")]
    with connection:
        current = migrate.current_revision(connection)
        if current != settings.schema_head:
            checks.append(
                Check(
                    "schema",
                    False,
                    f"The database schema is at {current}, the code expects "
                    f"{settings.schema_head}: run 'cms db upgrade'.",
                )
            )
            return checks
        checks.append(Check("schema", True, f"At {current}."))
        outbox_check = _outbox(connection, now, settings.max_outbox_age)
    checks.append(_writable(engine, now, settings.timeout))
    disk = _disk_space(engine, settings.min_free_bytes)
    checks.extend(check for check in (disk, outbox_check) if check is not None)
    return checks


class Prober:
    """Runs ``run_checks`` with a deadline; one probe at a time per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: threading.Thread | None = None

    def probe(self, checks: Callable[[], list[Check]], timeout: float) -> list[Check]:
        results: list[Check] = []

        def target() -> None:
            try:
                results.extend(checks())
            except Exception as exc:  # report, never raise into the probe
                results.append(Check("database", False, f"The probe failed: {_reason(exc)}."))

        with self._lock:
            if self._running is not None and self._running.is_alive():
                return [
                    Check(
                        "database", False, "The previous probe is still waiting for the database."
                    )
                ]
            thread = threading.Thread(target=target, name="readiness-probe", daemon=True)
            self._running = thread
            thread.start()
        thread.join(timeout)
        if thread.is_alive():
            return [Check("database", False, f"The database did not answer within {timeout:g} s.")]
        return results
