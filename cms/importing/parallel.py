"""Running per-file work (validating, checking) on every core.

Checking an article is CPU-bound Python, so files are spread over worker processes.
On Linux the workers are forked after the parent has loaded the language models
once, so they share them instead of each loading their own; elsewhere each worker
loads them on its first check. Results come back in input order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many files a pool costs more than it saves.
PARALLEL_FROM = 24


def workers() -> int:
    """Worker processes to use: CMS_WORKERS, or every core."""
    configured = os.environ.get("CMS_WORKERS")
    if configured and configured.isdigit() and int(configured) > 0:
        return int(configured)
    return os.cpu_count() or 1


def run(
    work: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    warm_up: Callable[[], None] | None = None,
) -> Iterator[Result]:
    """``work`` applied to every item, in order; in processes when it pays."""
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
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        yield from pool.map(work, items, chunksize=chunk)
