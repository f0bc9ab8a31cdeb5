"""The gunicorn worker the product runs on: gunicorn's own error answers as problem+json.

gunicorn answers a request it cannot parse (request line or headers too long,
malformed lines, bad chunked encoding) itself, before the app sees it, with a
text/html page (``gunicorn.util.write_error``, called only from
``gunicorn/workers/base.py: Worker.handle_error``). This worker answers those
with an RFC 9457 problem instead, like every other error of the API.
"""

from __future__ import annotations

from typing import Any

import orjson
from gunicorn import util
from gunicorn.workers.sync import SyncWorker as GunicornSyncWorker

DETAIL_LIMIT = 300


def write_problem(sock: Any, status: int, reason: str, message: str) -> None:
    detail = message[:DETAIL_LIMIT] if status < 500 and message else reason
    if status >= 500:
        detail = "The server could not complete the request."
    body = orjson.dumps(
        {"type": "about:blank", "title": reason, "status": status, "detail": detail}
    )
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/problem+json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Cache-Control: no-store\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


class SyncWorker(GunicornSyncWorker):
    """gunicorn's sync worker, answering its own errors as problem+json."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        # A sync worker handles one connection at a time: swapping is safe here.
        original, util.write_error = util.write_error, write_problem
        try:
            super().handle_error(req, client, addr, exc)
        finally:
            util.write_error = original
