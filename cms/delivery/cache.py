"""An in-process cache of public responses, in front of Flask.

A published article or list page that was served once is answered from memory,
as the exact bytes and headers Flask produced, without routing, argument parsing
or a session (a PostgreSQL round trip through the ORM costs more than the whole
cached answer).

Freshness: every change of public content bumps a generation counter in the
database, in the same transaction (``cms.publishing``). Before answering from
memory, each request reads that counter on a connection the process keeps open
for it (one indexed read: microseconds on SQLite, one round trip on PostgreSQL),
so once a publish or a withdrawal has committed, every worker and every node
serves the new state on its very next request. When the generation moved, only
the entries whose surrogate keys the changes touched are dropped (see
``Freshness.changes_since``); an unknown gap drops everything. The cache also
starts afresh at midnight UTC, since ``review_overdue`` depends on the date.

When the database cannot be reached, entries already in memory keep being
served for ``stale_seconds`` after the last successful check, marked with
``X-Cache: stale`` (no withdrawal can commit while the database is down). A
database that refuses at once is asked again on the next request, so service
is fresh again as soon as it is back; one that does not answer (each try waits
for the probe's timeout) is asked again at most every ``retry_seconds``.

Entries are keyed by path, the query string in canonical order and, when CORS
answers depend on it, the request's allowed origin. The cache is bounded by
bytes (least recently used entries go first). Errors are never cached.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode

from werkzeug.http import parse_etags

from cms.observability.wsgi import CACHE_STATUS, ROUTE

log = logging.getLogger(__name__)

CACHEABLE = "cms.delivery.cacheable"
"""WSGI environ key a view sets to the response's surrogate keys when its 200 may be cached."""

_NOT_MODIFIED_HEADERS = frozenset({"etag", "cache-control", "vary", "surrogate-key", "cache-tag"})
_CORS_HEADERS = frozenset({"access-control-allow-origin", "access-control-expose-headers"})

StartResponse = Callable[..., Any]
SLOW_FAILURE = 0.05  # seconds: a failed read that took longer backs off


class Freshness(Protocol):
    """Where the cache learns what changed: the database's delivery generation."""

    def generation(self) -> int:
        """The current generation; raises when the database cannot be read."""
        ...

    def changes_since(self, generation: int) -> set[str] | None:
        """Surrogate keys changed after ``generation``; None when unknown (drop all)."""
        ...


@dataclass(frozen=True, slots=True)
class CachedResponse:
    etag: str
    headers: list[tuple[str, str]]
    body: bytes
    keys: frozenset[str] = frozenset()
    route: str | None = None  # the route template, for request logs and metrics

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200

    @property
    def not_modified_headers(self) -> list[tuple[str, str]]:
        return [
            (k, v)
            for k, v in self.headers
            if k.lower() in _NOT_MODIFIED_HEADERS or k.lower() in _CORS_HEADERS
        ]


class State(Enum):
    FRESH = "fresh"  # in step with the database: entries may be served and stored
    STALE = "stale"  # database unreachable: entries may be served, marked stale
    UNAVAILABLE = "unavailable"  # go to the app (which answers for itself)


def _next_midnight(now: float) -> float:
    today = dt.datetime.fromtimestamp(now, dt.UTC).date()
    tomorrow = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), dt.UTC)
    return tomorrow.timestamp()


class ResponseCache:
    """Cached responses, each valid until a change touches one of its surrogate keys."""

    def __init__(
        self,
        *,
        freshness: Freshness,
        max_bytes: int,
        stale_seconds: float = 300.0,
        retry_seconds: float = 1.0,
        clock: Callable[[], float] = time.time,
    ):
        self._freshness = freshness
        self._max_bytes = max_bytes
        self._max_entry = max(max_bytes // 8, 1)
        self._stale_seconds = stale_seconds
        self._retry_seconds = retry_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, CachedResponse] = OrderedDict()
        self._by_key: dict[str, set[str]] = {}
        self._bytes = 0
        self._generation: int | None = None
        self._synced_at = float("-inf")
        self._retry_at = float("-inf")
        self._day_ends = _next_midnight(clock())

    @property
    def enabled(self) -> bool:
        return self._max_bytes > 0

    @property
    def freshness(self) -> Freshness:
        """How this cache learns the delivery generation (shared with the list totals)."""
        return self._freshness

    def sync(self) -> State:
        """Bring the entries in step with the database's generation (one read)."""
        now = self._clock()
        if now >= self._day_ends:
            self.invalidate()
            self._day_ends = _next_midnight(now)
        if now < self._retry_at:
            return self._stale_or_unavailable(now)
        try:
            generation = self._freshness.generation()
            if generation != self._generation:
                changed = (
                    self._freshness.changes_since(self._generation)
                    if self._generation is not None
                    else None
                )
                self._apply(generation, changed)
        except Exception:
            log.warning("delivery cache: cannot read the delivery generation", exc_info=True)
            # A database that refuses at once (stopped) is asked again on the next
            # request; one that made us wait (hung) only after retry_seconds.
            failed_at = self._clock()
            if failed_at - now > SLOW_FAILURE:
                self._retry_at = failed_at + self._retry_seconds
            return self._stale_or_unavailable(now)
        self._synced_at = now
        return State.FRESH

    def _stale_or_unavailable(self, now: float) -> State:
        if self._entries and now - self._synced_at <= self._stale_seconds:
            return State.STALE
        return State.UNAVAILABLE

    def _apply(self, generation: int, changed: set[str] | None) -> None:
        with self._lock:
            if changed is None:
                self._clear()
            else:
                for surrogate_key in changed:
                    for cache_key in self._by_key.pop(surrogate_key, ()):
                        self._drop(cache_key)
            self._generation = generation

    @property
    def generation(self) -> int | None:
        return self._generation

    def get(self, key: str) -> CachedResponse | None:
        entry = self._entries.get(key)
        if entry is not None:
            try:  # noqa: SIM105 - hot path: cheaper than contextlib.suppress
                self._entries.move_to_end(key)
            except KeyError:  # dropped by another thread meanwhile
                pass
        return entry

    def put(self, key: str, generation: int, response: CachedResponse) -> None:
        size = response.size
        if size > self._max_entry:
            return
        with self._lock:
            # A response read before the generation moved must not outlive it.
            if generation != self._generation:
                return
            self._drop(key)
            while self._entries and self._bytes + size > self._max_bytes:
                self._drop(next(iter(self._entries)))
            self._entries[key] = response
            self._bytes += size
            for surrogate_key in response.keys:
                self._by_key.setdefault(surrogate_key, set()).add(key)

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        self._bytes -= entry.size
        for surrogate_key in entry.keys:
            keys = self._by_key.get(surrogate_key)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_key[surrogate_key]

    def _clear(self) -> None:
        self._entries.clear()
        self._by_key.clear()
        self._bytes = 0

    def invalidate(self) -> None:
        """Forget everything; the next request re-reads the generation."""
        with self._lock:
            self._clear()
            self._generation = None

    @property
    def bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def stored_bytes(self) -> int:
        """Body bytes held (for metrics; called from another thread, hence the copy)."""
        return sum(len(entry.body) for entry in list(self._entries.values()))


class CacheMiddleware:
    """WSGI middleware answering public GET/HEAD requests under ``prefixes`` from a cache.

    ``prefixes`` are the public read routes (the articles and the search);
    ``allowed_origins`` is the public CORS setting: None when every origin gets
    the same answer (``*``), else the origins whose answers differ from others'.
    """

    def __init__(
        self,
        app: Callable[..., Iterable[bytes]],
        cache: ResponseCache,
        prefixes: Collection[str],
        allowed_origins: Collection[str] | None = None,
    ):
        self.app = app
        self.cache = cache
        self.prefixes = tuple(prefixes)
        self.allowed_origins = (
            None if allowed_origins is None else frozenset(o.lower() for o in allowed_origins)
        )

    def key(self, environ: dict[str, Any]) -> str:
        query = environ.get("QUERY_STRING", "")
        if query:
            query = urlencode(sorted(parse_qsl(query, keep_blank_values=True)))
        key = environ.get("PATH_INFO", "") + "?" + query
        if self.allowed_origins is not None:
            origin = environ.get("HTTP_ORIGIN", "").lower()
            if origin in self.allowed_origins:
                key += "#" + origin
        return key

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        if (
            (method != "GET" and method != "HEAD")  # noqa: PLR1714 - hot path, no tuple built
            or not self.cache.enabled
            or not environ.get("PATH_INFO", "").startswith(self.prefixes)
            # Authenticated requests get private answers (cms.http.headers).
            or "HTTP_AUTHORIZATION" in environ
        ):
            return self.app(environ, start_response)
        state = self.cache.sync()
        if state is State.UNAVAILABLE:
            return self.app(environ, start_response)
        key = self.key(environ)
        entry = self.cache.get(key)
        if entry is not None:
            environ[CACHE_STATUS] = "stale" if state is State.STALE else "hit"
            environ[ROUTE] = entry.route
            return self._answer(entry, environ, start_response, stale=state is State.STALE)
        environ[CACHE_STATUS] = "miss"
        if method == "HEAD" or state is State.STALE:
            return self.app(environ, start_response)
        generation = self.cache.generation
        assert generation is not None
        return self._fill(key, generation, environ, start_response)

    @staticmethod
    def _answer(
        entry: CachedResponse,
        environ: dict[str, Any],
        start_response: StartResponse,
        *,
        stale: bool,
    ) -> Iterable[bytes]:
        marker = [("X-Cache", "stale")] if stale else []
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match and parse_etags(if_none_match).contains_weak(entry.etag):
            start_response("304 NOT MODIFIED", entry.not_modified_headers + marker)
            return []
        start_response("200 OK", entry.headers + marker if stale else entry.headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]

    def _fill(
        self, key: str, generation: int, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"] = status
            captured["headers"] = headers
            return start_response(status, headers, exc_info)

        environ[CACHEABLE] = None
        app_iter = self.app(environ, capture)
        keys = environ[CACHEABLE]
        if keys is None or not captured.get("status", "").startswith("200"):
            return app_iter
        try:
            body = b"".join(app_iter)
        finally:
            close = getattr(app_iter, "close", None)
            if close is not None:
                close()
        headers = list(captured["headers"])
        etag = next(v for k, v in headers if k.lower() == "etag").strip('"')
        response = CachedResponse(
            etag=etag, headers=headers, body=body, keys=keys, route=environ.get(ROUTE)
        )
        self.cache.put(key, generation, response)
        return [body]
