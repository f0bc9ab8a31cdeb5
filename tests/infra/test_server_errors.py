"""What gunicorn refuses before the app sees it is a problem+json too, never an HTML page."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from tests.live import Server, gunicorn, live_database_url
from tests.live import request as http


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp_path = tmp_path_factory.mktemp("server-errors")
    url = live_database_url("sqlite", tmp_path, "cms_live_errors")
    with gunicorn(url, tmp_path) as running:
        yield running


def raw(server: Server, data: bytes) -> tuple[int, dict[str, str], bytes]:
    host, port = server.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in header_lines)}
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"GET /api/v1/articles?cursor=" + b"x" * 9000 + b" HTTP/1.1\r\nHost: t\r\n\r\n", 414),
        (b"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + b"y" * 9000 + b"\r\n\r\n", 431),
        (b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(120)) + b"\r\n", 431),
        (b"THIS IS NOT HTTP\r\n\r\n", 400),
        (b"GET / HTTP/9.9\r\nHost: t\r\n\r\n", 400),
    ],
)
def test_requests_gunicorn_refuses_get_a_problem(server: Server, data: bytes, status: int):
    got, headers, body = raw(server, data)
    assert got == status
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == status
    assert problem["title"]
    assert problem["detail"]


def test_a_long_query_string_within_the_server_limit_reaches_the_app(server: Server):
    reply = http(f"{server.base}/api/v1/articles?limit={'9' * 5000}")
    assert reply.status == 400
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert reply.json()["errors"][0]["pointer"] == "/query/limit"
