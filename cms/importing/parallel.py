"""Running per-file work (validating, checking) on every core.

Checking an article is CPU-bound Python, so files are spread over worker processes.
On Linux the workers are forked after the parent has loaded the language models
once, so they share them instead of each loading their own; elsewhere each worker
loads them on its first check. Results come back in input order, as they are done.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many files a pool costs more than it saves.
PARALLEL_FROM = 24

# Checking an article allocates hundreds of thousands of short-lived objects (tokens,
# spans, Markdown tokens); with the default threshold (700) the collector runs every
# few sentences and its full collections walk the language models and the checks'
# caches each time: a quarter of a check's time. Young garbage is still collected,
# a few times per article instead of hundreds.
BATCH_GC_THRESHOLD = 10_000


def workers() -> int:
    """Worker processes to use: CMS_WORKERS, or every core."""
    configured = os.environ.get("CMS_WORKERS")
    if configured and configured.isdigit() and int(configured) > 0:
        return int(configured)
    return os.cpu_count() or 1


@contextlib.contextmanager
def batch_collection() -> Iterator[None]:
    """Garbage collection tuned for a long batch (an import, a check of many files)."""
    before = gc.get_threshold()
    gc.set_threshold(BATCH_GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _start_worker() -> None:
    gc.set_threshold(BATCH_GC_THRESHOLD, *gc.get_threshold()[1:])


def run(
    work: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    warm_up: Callable[[], None] | None = None,
) -> Iterator[Result]:
    """``work`` applied to every item, in order; in processes when it pays.

    Lazy: each result is yielded as soon as it and those before it are done, so the
    caller can use it (say, write it) while the workers go on.
    """
    count = workers()
    if count < 2 or len(items) < PARALLEL_FROM:
        yield from (work(item) for item in items)
        return
    method = os.environ.get("CMS_START_METHOD") or (
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    if method == "fork" and warm_up is not None:
        warm_up()  # once, here: the forked workers inherit the loaded models
    context = multiprocessing.get_context(method)
    chunk = max(1, min(32, len(items) // (count * 8)))
    # What is loaded now (the models above all) is never garbage: frozen, no collection
    # walks it again, and the forked workers' copies of it stay shared pages
    # (https://docs.python.org/3/library/gc.html#gc.freeze).
    gc.freeze()
    pool = ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_start_worker)
    try:
        yield from pool.map(work, items, chunksize=chunk)
    finally:
        # A caller that stops early (an error while writing) does not wait for the rest.
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()
