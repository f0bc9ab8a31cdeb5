"""A pooled PostgreSQL connection the server has ended is never handed to a request.

Checkouts send no ping (a round trip of the three a public read costs); a connection
whose server end has gone is recognised by its socket instead and replaced.
"""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from cms.db import create_engine
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(POSTGRES_URL is None, reason="needs CMS_TEST_DATABASE_URL")

BACKEND_PID = sa.text("SELECT pg_backend_pid()")


def _end_backend(pid: int) -> None:
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            assert connection.execute(
                sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}
            ).scalar()
            deadline = time.monotonic() + 10
            alive = sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
            while connection.execute(alive, {"pid": pid}).scalar():
                assert time.monotonic() < deadline, "the backend did not end"
                time.sleep(0.05)
    finally:
        admin.dispose()


@pytest.mark.parametrize("how", ["terminated", "every connection terminated"])
def test_a_connection_the_server_ended_is_replaced_before_use(how: str):
    engine = create_engine(POSTGRES_URL, pool_size=2)
    try:
        with engine.connect() as first, engine.connect() as second:
            pids = [c.execute(BACKEND_PID).scalar() for c in (first, second)]
        for pid in pids if how == "every connection terminated" else pids[:1]:
            _end_backend(pid)
        for _ in range(3):
            with engine.connect() as connection:
                assert connection.execute(sa.text("SELECT 1")).scalar() == 1
                assert connection.execute(BACKEND_PID).scalar() not in pids[:1]
    finally:
        engine.dispose()


def test_a_healthy_pooled_connection_is_reused():
    engine = create_engine(POSTGRES_URL, pool_size=1)
    try:
        pids = set()
        for _ in range(5):
            with engine.connect() as connection:
                pids.add(connection.execute(BACKEND_PID).scalar())
        assert len(pids) == 1
    finally:
        engine.dispose()
