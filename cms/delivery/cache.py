"""An in-process cache of public responses, in front of Flask.

A published article or list page that was served once is answered from memory,
as the exact bytes and headers Flask produced, without routing, argument parsing
or a database round trip (a round trip to PostgreSQL alone costs more than the
whole cached answer).

Freshness: every snapshot change bumps a generation counter in the database, in
the same transaction (``cms.delivery.snapshots``). Each process re-reads that
counter at most every ``ttl`` seconds (``CMS_DELIVERY_CACHE_SECONDS``; 0 means on
every request) and drops its whole cache when it moved, and at midnight UTC
(``review_overdue`` depends on the date). A process that publishes or unpublishes
drops its own cache at once. Errors are never cached.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.http import parse_etags

from cms.observability.wsgi import CACHE_STATUS, ROUTE

log = logging.getLogger(__name__)

CACHEABLE = "cms.delivery.cacheable"
"""WSGI environ key a view sets to True when its 200 response may be cached."""

_NOT_MODIFIED_HEADERS = frozenset({"etag", "cache-control", "vary"})

StartResponse = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class CachedResponse:
    etag: str
    headers: list[tuple[str, str]]
    body: bytes
    route: str | None = None  # the route template, for request logs and metrics

    @property
    def not_modified_headers(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in self.headers if k.lower() in _NOT_MODIFIED_HEADERS]


class ResponseCache:
    """Cached responses keyed by path and query string, valid for one generation."""

    def __init__(
        self,
        *,
        read_generation: Callable[[], int],
        ttl: float,
        max_entries: int,
        clock: Callable[[], float] = time.monotonic,
        today: Callable[[], dt.date] = lambda: dt.datetime.now(dt.UTC).date(),
    ):
        self._read_generation = read_generation
        self._ttl = ttl
        self._max_entries = max_entries
        self._clock = clock
        self._today = today
        self._day = today()
        self._lock = threading.Lock()
        self._entries: dict[str, CachedResponse] = {}
        self._generation: int | None = None
        self._checked_at = float("-inf")

    @property
    def enabled(self) -> bool:
        return self._max_entries > 0

    def generation(self) -> int | None:
        """The generation entries are valid for, re-read from the database when due.

        None when it cannot be read: the caller then goes to the database itself.
        """
        now = self._clock()
        if now - self._checked_at < self._ttl:
            return self._generation
        if self._today() != self._day:
            # Responses carry review_overdue, which depends on the date.
            self.invalidate()
            self._day = self._today()
        try:
            generation = self._read_generation()
        except Exception:
            log.warning("delivery cache: cannot read the generation", exc_info=True)
            return None
        with self._lock:
            if generation != self._generation:
                self._entries.clear()
                self._generation = generation
            self._checked_at = now
        return generation

    def get(self, key: str) -> CachedResponse | None:
        return self._entries.get(key)

    def put(self, key: str, generation: int, response: CachedResponse) -> None:
        with self._lock:
            # A response read before the generation moved must not outlive it.
            if generation != self._generation:
                return
            if len(self._entries) >= self._max_entries:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = response

    def invalidate(self) -> None:
        """Forget everything and re-read the generation on the next request."""
        with self._lock:
            self._entries.clear()
            self._generation = None
            self._checked_at = float("-inf")

    def __len__(self) -> int:
        return len(self._entries)

    def stored_bytes(self) -> int:
        """Body bytes held (for metrics; called from another thread, hence the copy)."""
        return sum(len(entry.body) for entry in list(self._entries.values()))


class CacheMiddleware:
    """WSGI middleware answering GET/HEAD under ``prefix`` from a ``ResponseCache``."""

    def __init__(self, app: Callable[..., Iterable[bytes]], cache: ResponseCache, prefix: str):
        self.app = app
        self.cache = cache
        self.prefix = prefix

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        if (
            method not in ("GET", "HEAD")
            or not self.cache.enabled
            or not environ.get("PATH_INFO", "").startswith(self.prefix)
        ):
            return self.app(environ, start_response)
        generation = self.cache.generation()
        if generation is None:
            return self.app(environ, start_response)
        key = environ.get("PATH_INFO", "") + "?" + environ.get("QUERY_STRING", "")
        entry = self.cache.get(key)
        if entry is not None:
            environ[CACHE_STATUS], environ[ROUTE] = "hit", entry.route
            return self._answer(entry, environ, start_response)
        environ[CACHE_STATUS] = "miss"
        if method == "HEAD":
            return self.app(environ, start_response)
        return self._fill(key, generation, environ, start_response)

    @staticmethod
    def _answer(
        entry: CachedResponse, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match and parse_etags(if_none_match).contains_weak(entry.etag):
            start_response("304 NOT MODIFIED", entry.not_modified_headers)
            return []
        start_response("200 OK", entry.headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]

    def _fill(
        self, key: str, generation: int, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"] = status
            captured["headers"] = headers
            return start_response(status, headers, exc_info)

        environ[CACHEABLE] = False
        app_iter = self.app(environ, capture)
        if not environ[CACHEABLE] or not captured.get("status", "").startswith("200"):
            return app_iter
        try:
            body = b"".join(app_iter)
        finally:
            close = getattr(app_iter, "close", None)
            if close is not None:
                close()
        headers = list(captured["headers"])
        etag = next(v for k, v in headers if k.lower() == "etag").strip('"')
        response = CachedResponse(etag=etag, headers=headers, body=body, route=environ.get(ROUTE))
        self.cache.put(key, generation, response)
        return [body]
