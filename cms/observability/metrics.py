"""Every Prometheus metric the product exports, and one small function to record each event.

Metrics use the official ``prometheus_client``. Under gunicorn they are kept in
multiprocess mode: ``PROMETHEUS_MULTIPROC_DIR`` (set up by gunicorn.conf.py)
holds one memory-mapped file per worker and metric type, and ``GET /metrics``
sums them, so any worker answers for all of them.

Requests are counted cheaply: a multiprocess observation writes to a mapped
file under a lock, which on the cached read path would cost as much as a whole
cached answer. Each thread adds its requests to plain in-memory tallies, and a
background thread (once a second), the ``/metrics`` view and the worker's exit
write them into the prometheus_client metrics in bulk. Everything else is
recorded directly, when it happens.

Recording functions, and who calls them:

- ``request_answered`` — the request middleware (``cms.observability.wsgi``);
- ``watch_cache`` — app setup; the cache's entries and bytes are sampled at each flush;
- ``database_error``, ``pool_checkout``, ``pool_timeout`` — engine instrumentation;
- ``published``, ``unpublished``, ``withdrawn`` — the publishing code, counted at commit;
- ``observed_check_run`` — decorates the content-check engine;
- ``webhook_delivery``, ``cdn_purge``, ``schedule_run`` — the worker (through
  ``cms.observability.events``, which also logs them);
- ``sync_request`` — the delta-sync feed;
- outbox depth and age come from the database at scrape time (``cms.observability.outbox``).
"""

from __future__ import annotations

import atexit
import bisect
import functools
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    multiprocess,
    start_http_server,
)
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

# The *_created series exist only outside multiprocess mode: leave them out everywhere.
disable_created_metrics()

MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"

# Seconds. Cached reads answer in well under a millisecond, database reads in a
# few, writes and imports in tens to hundreds.
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
WORK_BUCKETS = (0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
FLUSH_SECONDS = 1.0
UNMATCHED_ROUTE = "(unmatched)"
"""Route label of requests that matched no route (404, 405): paths are never labels."""

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# --- HTTP ----------------------------------------------------------------------------------------

http_requests = Counter(
    "cms_http_requests_total",
    "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
)
http_request_duration = Histogram(
    "cms_http_request_duration_seconds",
    "Time to produce the response (not to send its body), by route template, method and status.",
    ["route", "method", "status"],
    buckets=LATENCY_BUCKETS,
)

# --- Delivery cache (in process, per worker) -----------------------------------------------------

delivery_cache_requests = Counter(
    "cms_delivery_cache_requests_total",
    "Public reads looked up in the in-process delivery cache, by result: 'hit', 'miss' "
    "(whatever the cache notes in the request's CACHE_STATUS).",
    ["result"],
)
delivery_cache_entries = Gauge(
    "cms_delivery_cache_entries",
    "Responses held in the in-process delivery caches (summed over live workers).",
    multiprocess_mode="livesum",
)
delivery_cache_bytes = Gauge(
    "cms_delivery_cache_bytes",
    "Body bytes held in the in-process delivery caches (summed over live workers).",
    multiprocess_mode="livesum",
)

# --- Database ------------------------------------------------------------------------------------

database_errors = Counter(
    "cms_db_errors_total",
    "Database errors raised to the code, by kind: 'disconnect' or the SQLAlchemy error class.",
    ["kind"],
)
pool_checkout_duration = Histogram(
    "cms_db_pool_checkout_seconds",
    "Time to get a connection from the pool: waiting for a free one, or opening a new one.",
    buckets=LATENCY_BUCKETS,
)
pool_timeouts = Counter(
    "cms_db_pool_timeouts_total",
    "Requests that gave up waiting for a pooled connection.",
)

# --- Publishing ----------------------------------------------------------------------------------

publishes = Counter(
    "cms_publishes_total",
    "Articles made live: 'first' publication or an 'update' to a new live revision.",
    ["kind"],
)
unpublishes = Counter("cms_unpublishes_total", "Articles taken off the public API.")
withdrawals = Counter("cms_withdrawals_total", "Emergency withdrawals of published articles.")

# --- Content checks ------------------------------------------------------------------------------

check_runs = Counter(
    "cms_check_runs_total",
    "Content-check runs, by purpose ('publish' or 'edit') and result ('errors' or 'clean').",
    ["purpose", "result"],
)
check_run_duration = Histogram(
    "cms_check_run_duration_seconds",
    "Time one content-check run took, by purpose.",
    ["purpose"],
    buckets=WORK_BUCKETS,
)

# --- Worker: webhooks, CDN purges, schedule; sync feed -------------------------------------------

webhook_deliveries = Counter(
    "cms_webhook_deliveries_total",
    "Webhook delivery attempts by endpoint (the webhook's id, never its URL) and outcome: "
    "'delivered', 'retrying' (failed, will retry) or 'failed' (given up).",
    ["endpoint", "outcome"],
)
webhook_delivery_duration = Histogram(
    "cms_webhook_delivery_duration_seconds",
    "Time of one webhook delivery attempt, by endpoint.",
    ["endpoint"],
    buckets=WORK_BUCKETS,
)
cdn_purges = Counter(
    "cms_cdn_purges_total",
    "CDN purge requests by outcome ('purged', 'retrying', 'failed').",
    ["outcome"],
)
schedule_runs = Counter("cms_schedule_runs_total", "Passes of the worker over scheduled changes.")
scheduled_changes = Counter(
    "cms_scheduled_changes_total",
    "Scheduled changes carried out, by action ('publish' or 'unpublish').",
    ["action"],
)
sync_requests = Counter(
    "cms_sync_requests_total",
    "Delta-sync feed requests, by kind ('initial' or 'delta').",
    ["kind"],
)


# --- Recording functions -------------------------------------------------------------------------


def request_answered(
    route: str, method: str, status: int, seconds: float, cache: str | None
) -> None:
    """Count one answered request (in this thread's tally; written out at the next flush).

    Positional arguments only by convention: the middleware calls this on every request.
    """
    tally = _state.mine()
    key = (route, method if method in METHODS else "other", status)
    entry = tally.requests.get(key)
    if entry is None:
        entry = tally.requests[key] = [0.0] * (len(LATENCY_BUCKETS) + 2)
    # [sum of seconds, count per bucket..., count above the last bucket]
    entry[0] += seconds
    entry[1 + bisect.bisect_left(LATENCY_BUCKETS, seconds)] += 1
    if cache is not None:
        tally.cache[cache] = tally.cache.get(cache, 0) + 1


class MeasuredCache(Protocol):
    def __len__(self) -> int: ...
    def stored_bytes(self) -> int: ...


_caches: weakref.WeakSet[Any] = weakref.WeakSet()


def watch_cache(cache: MeasuredCache) -> None:
    """Report this delivery cache's size (entries and bytes) at every flush."""
    _caches.add(cache)


def database_error(kind: str) -> None:
    database_errors.labels(kind).inc()


def pool_checkout(seconds: float) -> None:
    pool_checkout_duration.observe(seconds)


def pool_timeout() -> None:
    pool_timeouts.inc()


# Counted when the transaction commits: a publish that is rolled back never happened.
_PENDING = "cms.metrics.pending"


def _count_at_commit(session: Session, counter: Any) -> None:
    session.info.setdefault(_PENDING, []).append(counter)


@event.listens_for(Session, "after_commit")
def _commit_pending(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a SAVEPOINT was released: the transaction around it may still fail
    for counter in session.info.pop(_PENDING, ()):
        counter.inc()


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction ended without a commit
        session.info.pop(_PENDING, None)


def published(session: Session, *, first: bool) -> None:
    """An article went live (``first`` publication or a new live revision), once committed."""
    _count_at_commit(session, publishes.labels("first" if first else "update"))


def unpublished(session: Session) -> None:
    """An article left the public API (unpublish, trash), once committed."""
    _count_at_commit(session, unpublishes)


def withdrawn(session: Session) -> None:
    """An emergency withdrawal, once committed."""
    _count_at_commit(session, withdrawals)


def observed_check_run(run: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
    """Decorate the content-check engine's run function: count runs and time them.

    The run's ``publishing`` keyword tells the purpose; a finding with severity
    ``error`` makes the result ``errors``.
    """

    @functools.wraps(run)
    def measured(*args: Any, **kwargs: Any) -> list[Any]:
        started = time.perf_counter()
        findings = run(*args, **kwargs)
        purpose = "publish" if kwargs.get("publishing") else "edit"
        errors = any(getattr(f, "severity", None) == "error" for f in findings)
        check_run_duration.labels(purpose).observe(time.perf_counter() - started)
        check_runs.labels(purpose, "errors" if errors else "clean").inc()
        return findings

    return measured


def webhook_delivery(*, endpoint: str, outcome: str, seconds: float) -> None:
    """One delivery attempt to a webhook (``endpoint``: its id). Outcomes as in the help text."""
    webhook_deliveries.labels(endpoint, outcome).inc()
    webhook_delivery_duration.labels(endpoint).observe(seconds)


def cdn_purge(*, outcome: str) -> None:
    cdn_purges.labels(outcome).inc()


def schedule_run(*, published: int, unpublished: int) -> None:
    """One pass over the schedule, with how many changes it carried out."""
    schedule_runs.inc()
    if published:
        scheduled_changes.labels("publish").inc(published)
    if unpublished:
        scheduled_changes.labels("unpublish").inc(unpublished)


def sync_request(*, kind: str) -> None:
    """One request to the sync feed: ``initial`` (no token) or ``delta``."""
    sync_requests.labels(kind).inc()


# --- Per-thread tallies and the flush ------------------------------------------------------------


class _Tally:
    """One thread's requests since it started; only that thread writes to it."""

    __slots__ = ("cache", "requests")

    def __init__(self) -> None:
        self.requests: dict[tuple[str, str, int], list[float]] = {}
        self.cache: dict[str, int] = {}  # cache lookups by result ("hit", "miss")


class _Tallies:
    """This process's tallies, what of them was written out, and the thread that writes."""

    def __init__(self) -> None:
        self.local = threading.local()
        self.reset()

    def reset(self) -> None:
        """Start afresh; in a forked child, the parent's tallies and flusher are not ours."""
        self.all: list[_Tally] = []
        self.registry_lock = threading.Lock()
        self.flush_lock = threading.Lock()
        # Cumulative values written to prometheus_client so far, per key.
        self.flushed_requests: dict[tuple[str, str, int], list[float]] = {}
        self.flushed_cache: dict[str, int] = {}
        self.flusher: threading.Thread | None = None
        self.local = threading.local()

    def mine(self) -> _Tally:
        try:
            return self.local.tally
        except AttributeError:
            tally = self.local.tally = _Tally()
            with self.registry_lock:
                self.all.append(tally)
                if self.flusher is None or not self.flusher.is_alive():
                    self.flusher = threading.Thread(
                        target=_flush_forever, name="metrics-flush", daemon=True
                    )
                    self.flusher.start()
            return tally


_state = _Tallies()
os.register_at_fork(after_in_child=_state.reset)


def _tally() -> _Tally:
    return _state.mine()


def _flush_forever() -> None:
    while True:
        time.sleep(FLUSH_SECONDS)
        try:
            flush()
        except Exception:  # never let the flusher die: the next pass retries
            log.exception("metrics: flush failed")


def _add_observations(child: Any, delta: list[float]) -> None:
    """Add many observations to a histogram child at once.

    prometheus_client has no bulk observe (its maintainers point to custom
    collectors: https://github.com/prometheus/client_python/issues/733), and a
    custom collector cannot see other workers' memory. This writes the child's
    own values (its ``_sum`` and per-bucket ``_buckets``, which are
    non-cumulative); a test compares the result with ``observe``.
    """
    child._sum.inc(delta[0])
    for index, count in enumerate(delta[1:]):
        if count:
            child._buckets[index].inc(count)


def _totals(tallies: list[_Tally]) -> dict[tuple[str, str, int], list[float]]:
    totals: dict[tuple[str, str, int], list[float]] = {}
    for tally in tallies:
        for key, entry in list(tally.requests.items()):
            total = totals.setdefault(key, [0.0] * len(entry))
            for index, number in enumerate(list(entry)):
                total[index] += number
    return totals


def flush() -> None:
    """Write this process's request tallies into the metrics, and sample the caches.

    Tallies only grow; each flush writes what grew since the last one, so a
    value read while its thread was updating it is completed by the next flush.
    """
    with _state.flush_lock:
        with _state.registry_lock:
            tallies = list(_state.all)
        for key, total in _totals(tallies).items():
            done = _state.flushed_requests.get(key) or [0.0] * len(total)
            delta = [now - before for now, before in zip(total, done, strict=True)]
            count = round(sum(delta[1:]))
            if count <= 0:
                continue
            route, method, status = key
            http_requests.labels(route, method, str(status)).inc(count)
            _add_observations(http_request_duration.labels(route, method, str(status)), delta)
            _state.flushed_requests[key] = total
        seen: dict[str, int] = {}
        for tally in tallies:
            for result, count in list(tally.cache.items()):
                seen[result] = seen.get(result, 0) + count
        for result, count in seen.items():
            done = _state.flushed_cache.get(result, 0)
            if count > done:
                delivery_cache_requests.labels(result).inc(count - done)
                _state.flushed_cache[result] = count
        if tallies:  # only processes that serve requests report a cache size
            caches = list(_caches)
            delivery_cache_entries.set(sum(len(cache) for cache in caches))
            delivery_cache_bytes.set(sum(cache.stored_bytes() for cache in caches))


@atexit.register
def _at_exit() -> None:
    flush()
    directory = multiprocess_dir()
    if directory:
        # This process's live gauges (cache size) no longer count.
        multiprocess.mark_process_dead(os.getpid(), directory)


# --- Exposition ----------------------------------------------------------------------------------


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROCESS_DIR_VARIABLE) or None


class _Everything(Collector):
    """This process's default registry, in single-process mode (development, tests)."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


def exposition(accept: str | None, extra: Iterable[Collector] = ()) -> tuple[bytes, str]:
    """The metrics text and its content type, negotiated from ``Accept``.

    ``extra`` collectors add metrics read at scrape time (the outbox backlog).
    """
    flush()
    registry = CollectorRegistry()
    directory = multiprocess_dir()
    if directory:
        multiprocess.MultiProcessCollector(registry, path=directory)
    else:
        registry.register(_Everything())
    for collector in extra:
        registry.register(collector)
    encoder, content_type = choose_encoder(accept or "")
    return encoder(registry), content_type


def serve(address: str) -> Any:
    """Serve this process's metrics on ``host:port`` in a thread (for ``cms worker``).

    The worker has no web server of its own: ``CMS_WORKER_METRICS_ADDRESS``
    names where Prometheus scrapes it. There is no authentication: bind it to a
    private address (loopback, or the pod's own). In multiprocess mode it
    reports every process writing to the same directory.
    """
    host, _, port = address.rpartition(":")
    if not port.isdigit():
        raise RuntimeError(f"CMS_WORKER_METRICS_ADDRESS must be host:port, got {address!r}")
    registry: Collector = REGISTRY
    directory = multiprocess_dir()
    if directory:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=directory)
    server, _thread = start_http_server(
        int(port), addr=host.strip("[]") or "127.0.0.1", registry=registry
    )
    return server  # shutdown() and server_close() stop it
