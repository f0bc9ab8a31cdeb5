"""``cms purge-relay``'s HTTP side: a small WSGI app served by gunicorn.

- ``POST /``: one webhook delivery. 200 with what was purged (or that it was a
  repeat, or not a purge event); 401 for a bad signature or timestamp; 400 for a
  signed body that is not a purge event; 413 past ``MAX_BODY_BYTES``; 502 when
  a Varnish did not confirm (the sender retries).
- ``GET /healthz``: 200 while the process runs (it checks no Varnish: a purge
  that fails is the sender's to retry, not a reason to restart the relay).

No Flask: two routes and no schema do not need it, and the relay shares nothing
with the app but the logging. gunicorn, not wsgiref: it is already the
product's server, parses HTTP defensively, limits request sizes, times out slow
clients and stops cleanly on SIGTERM. One process (the duplicate memory is
per process) with a few threads, so one slow Varnish does not hold up the next
delivery.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.app.base import BaseApplication

from cms.cdn.relay import BadDelivery, BadSignature, NotAcknowledged, Relay

MAX_BODY_BYTES = 1024 * 1024  # a cdn.purge payload is a few hundred bytes
StartResponse = Callable[..., Any]

_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Content Too Large",
    502: "Bad Gateway",
}


def create_app(relay: Relay) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        status, body, extra = handle(relay, environ)
        content_type = "application/json" if status == 200 else "application/problem+json"
        data = json.dumps(body).encode()
        headers = [
            ("Content-Type", content_type),
            ("Content-Length", str(len(data))),
            ("Cache-Control", "no-store"),
            *extra,
        ]
        start_response(f"{status} {_REASONS[status]}", headers)
        return [data]

    return app


def handle(relay: Relay, environ: dict[str, Any]) -> tuple[int, dict[str, Any], list]:  # noqa: PLR0911
    path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
    if path == "/healthz":
        if method not in {"GET", "HEAD"}:
            return 405, _problem(405, "Only GET."), [("Allow", "GET, HEAD")]
        return 200, {"status": "ok"}, []
    if path != "/":
        return 404, _problem(404, "Deliver cdn.purge webhooks to /."), []
    if method != "POST":
        return 405, _problem(405, "Deliver cdn.purge webhooks with POST."), [("Allow", "POST")]
    length = environ.get("CONTENT_LENGTH") or ""
    if not length.isdigit():
        return 411, _problem(411, "A webhook delivery has a Content-Length."), []
    if int(length) > MAX_BODY_BYTES:
        return 413, _problem(413, f"A delivery is at most {MAX_BODY_BYTES} bytes."), []
    body = environ["wsgi.input"].read(int(length))
    headers = {
        name[5:].replace("_", "-").lower(): value
        for name, value in environ.items()
        if name.startswith("HTTP_")
    }
    try:
        outcome = relay.receive(body, headers)
    except BadSignature as exc:
        return 401, _problem(401, f"The webhook signature does not verify: {exc}."), []
    except BadDelivery as exc:
        return 400, _problem(400, str(exc)), []
    except NotAcknowledged as exc:
        problem = _problem(502, "Not every Varnish confirmed the purge; deliver it again.")
        return 502, {**problem, "failures": exc.failures, "purged": exc.purged}, []
    return 200, outcome.as_json(), []


def _problem(status: int, detail: str) -> dict[str, Any]:
    return {"type": "about:blank", "title": _REASONS[status], "status": status, "detail": detail}


class RelayServer(BaseApplication):
    """gunicorn running the relay app on ``listen`` (``host:port``), one process."""

    def __init__(self, relay: Relay, *, listen: str, threads: int = 4):
        self.relay = relay
        self.options = {
            "bind": listen,
            "workers": 1,
            "worker_class": "gthread",
            "threads": threads,
            "timeout": 60,
            "graceful_timeout": 20,
            "accesslog": None,
            "errorlog": "-",
            "control_socket_disable": True,
        }
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            if name in self.cfg.settings:
                self.cfg.set(name, value)

    def load(self) -> Callable[..., Iterable[bytes]]:
        return create_app(self.relay)
