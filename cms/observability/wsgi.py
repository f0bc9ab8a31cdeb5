"""The outermost WSGI middleware: a request id on every response, one log line, request metrics.

It wraps everything (the proxy fix, the delivery cache, Flask), so responses the
cache answers before Flask, 304s, errors and Flask's own 404/405 all carry
``X-Request-ID``. Inner layers leave notes in the WSGI environ:

- ``ROUTE``: the matched route template (set by Flask for routed requests, and
  by the delivery cache for the hits it answers);
- ``CACHE_STATUS``: ``"hit"`` or ``"miss"``, set by the delivery cache (any other
  result it notes, such as a stale answer during a database outage, is logged
  and counted as given).

Duration is the time to produce the response (status, headers and a body
that is ready), not the time the client takes to read it.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

from cms.http.problems import problem_response
from cms.observability import logs, metrics, request_ids

ROUTE = "cms.route"
CACHE_STATUS = "cms.delivery.cache_status"

log = logging.getLogger(__name__)
_clock = time.perf_counter

StartResponse = Callable[..., Any]


class ObservedApp:
    def __init__(
        self,
        app: Callable[..., Iterable[bytes]],
        *,
        metrics: bool = True,
        request_log: bool = True,
        propagate_errors: bool = False,
    ):
        self.app = app
        self.metrics = metrics
        self.request_log = request_log
        self.propagate_errors = propagate_errors

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        # Kept lean: this runs on every cached read, which costs a few microseconds itself.
        started = _clock()
        incoming = environ.get("HTTP_X_REQUEST_ID")
        request_id = (incoming and request_ids.accept(incoming)) or request_ids.new()
        environ[request_ids.ENVIRON_KEY] = request_id
        token = request_ids.bind(request_id)
        header = (request_ids.HEADER, request_id)
        status: list[str] = []

        def start(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status.append(line)
            # A new list: the delivery cache hands out the same header list to every hit.
            return start_response(line, [*headers, header], exc_info)

        try:
            try:
                body = self.app(environ, start)
            except Exception:
                if self.propagate_errors:
                    raise
                body = self._internal_error(environ, start, started_response=bool(status))
            if self.metrics or self.request_log:
                self._answered(environ, status[-1] if status else "", _clock() - started)
            return body
        finally:
            request_ids.unbind(token)

    def _answered(self, environ: dict[str, Any], status: str, seconds: float) -> None:
        code = int(status[:3]) if status[:3].isdigit() else 0
        route = environ.get(ROUTE) or metrics.UNMATCHED_ROUTE
        method = environ.get("REQUEST_METHOD", "")
        cache = environ.get(CACHE_STATUS)
        if self.metrics:
            metrics.request_answered(route, method, code, seconds, cache)
        if self.request_log:
            logs.request(
                method=method,
                route=route,
                status=code,
                seconds=seconds,
                cache=cache,
                client=environ.get("REMOTE_ADDR"),
            )

    @staticmethod
    def _internal_error(
        environ: dict[str, Any], start: StartResponse, *, started_response: bool
    ) -> Iterable[bytes]:
        """An error raised outside Flask's handlers (in a middleware): a logged 500 problem."""
        log.exception("unhandled error before the app could answer")
        response = problem_response(500, detail="The server could not complete the request.")
        exc_info = sys.exc_info() if started_response else None
        return response(environ, lambda line, headers: start(line, headers, exc_info))
