"""A pooled PostgreSQL connection the server has ended is never handed to a request.

Checkouts send no ping (a round trip of the three a public read costs); a connection
whose server end has gone is recognised by its socket instead and replaced; one lost
without a word is pinged once it has been idle long enough.
"""

from __future__ import annotations

import select
import socket
import struct
import threading
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from cms import db
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


class Middlebox:
    """A TCP relay to PostgreSQL on loopback that can forget its connections the way a
    firewall or NAT does: silently, answering the next packet from the app with a reset.
    The app's socket stays quiet until it sends, so nothing shows the loss on checkout."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.forgotten: list[threading.Event] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def forget_all(self) -> None:
        for event in self.forgotten:
            event.set()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            forgotten = threading.Event()
            self.forgotten.append(forgotten)
            server = socket.create_connection(self.upstream)
            threading.Thread(
                target=self._relay, args=(client, server, forgotten), daemon=True
            ).start()

    @staticmethod
    def _relay(client: socket.socket, server: socket.socket, forgotten: threading.Event) -> None:
        try:
            while True:
                ends = [client] if forgotten.is_set() else [client, server]
                if forgotten.is_set() and server.fileno() != -1:
                    server.close()
                readable, _, _ = select.select(ends, [], [], 0.05)
                for end in readable:
                    data = end.recv(65536)
                    if not data:
                        return
                    if forgotten.is_set():  # the next packet from the app: a reset
                        client.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                        )
                        return
                    (server if end is client else client).sendall(data)
        finally:
            client.close()
            server.close()

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def middlebox() -> Iterator[Middlebox]:
    url = sa.make_url(POSTGRES_URL)
    box = Middlebox((url.host or "127.0.0.1", url.port or 5432))
    yield box
    box.close()


def _through(box: Middlebox) -> sa.Engine:
    url = sa.make_url(POSTGRES_URL).set(host="127.0.0.1", port=box.port)
    return create_engine(url, pool_size=1)


@pytest.mark.parametrize("idle_for", ["longer than the ping interval", "shorter"])
def test_a_connection_lost_silently_is_replaced_once_idle_long_enough(
    middlebox: Middlebox, monkeypatch: pytest.MonkeyPatch, idle_for: str
):
    # Idle longer than PING_AFTER_IDLE, a connection is pinged on checkout: the reset
    # fails the ping and the pool connects anew. Idle less, nothing can tell: the
    # request's own statement meets the reset (it answers 503), as the docstring says.
    monkeypatch.setattr(db, "PING_AFTER_IDLE", 0.0 if idle_for != "shorter" else 3600.0)
    engine = _through(middlebox)
    try:
        with engine.connect() as connection:
            before = connection.execute(BACKEND_PID).scalar()
        middlebox.forget_all()
        if idle_for == "shorter":
            with pytest.raises(sa.exc.OperationalError), engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        else:
            with engine.connect() as connection:
                assert connection.execute(BACKEND_PID).scalar() != before
    finally:
        engine.dispose()
