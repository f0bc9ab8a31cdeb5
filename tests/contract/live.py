"""A real server for end-to-end tests: gunicorn on a free loopback port, as `make run` starts it.

The database is a temporary SQLite file migrated with ``cms db upgrade``; tokens
come from ``cms token create``, exactly as the README tells a newcomer.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cms.config import PROJECT_ROOT

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class LiveServer:
    url: str
    env: dict[str, str]
    log: Path

    def cms(self, *args: str) -> str:
        """Run the ``cms`` command against this server's database; its standard output."""
        done = subprocess.run(
            [str(BIN / "cms"), *args],
            env=self.env,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, f"cms {' '.join(args)}: {done.stderr}"
        return done.stdout

    def token(self, name: str, role: str, *options: str) -> str:
        return self.cms("token", "create", "--name", name, "--role", role, *options).strip()


def _wait_until_ready(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not become ready:\n{log.read_text()}")


@contextmanager
def live_server(workdir: Path, *, publish_fixtures: bool = False) -> Iterator[LiveServer]:
    """gunicorn serving the app on a fresh SQLite database in ``workdir``."""
    env = {
        **os.environ,
        "CMS_DATABASE_URL": f"sqlite:///{workdir / 'live.sqlite3'}",
        "WEB_CONCURRENCY": "2",
        "CMS_ACCESS_LOG": str(workdir / "access.log"),
    }
    port = free_port()
    server = LiveServer(f"http://127.0.0.1:{port}", env, workdir / "server.log")
    server.cms("db", "upgrade")
    if publish_fixtures:
        # As `make run` does: on a date past the fixtures' next_review they are served
        # marked review_overdue.
        server.cms(
            "import",
            "--publish",
            "--allow-overdue-review",
            str(PROJECT_ROOT / "fixtures" / "articles"),
        )
    with server.log.open("w") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "cms.app:create_app()"],
            cwd=PROJECT_ROOT,  # gunicorn.conf.py is read from here, as by `make serve`
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_ready(server.url, process, server.log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
