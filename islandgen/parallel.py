"""Run a function over many items in forked worker processes, results in input order.

Workers are forked after the site is loaded, so they inherit it and only the
item indices and results cross process boundaries. Small batches, machines
with one core, platforms without fork and processes running other threads
(the dev server) run in-process: same results, same order, byte for byte.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_WORKER = 48
_task: Callable[[Any], Any] | None = None
_items: Sequence[Any] = ()


def worker_count() -> int:
    """Cores this process may use (respects CPU affinity and ISLANDGEN_WORKERS)."""
    configured = os.environ.get("ISLANDGEN_WORKERS")
    if configured and configured.isdigit():
        return max(1, int(configured))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def map_in_workers(function: Callable[[T], R], items: Sequence[T],
                   done: Callable[[int, int], None] | None = None,
                   meanwhile: Callable[[], object] | None = None) -> list[R]:
    """`[function(item) for item in items]`, spread over forked workers when worth it.

    `done(finished, total)` is called as results arrive, for a progress bar.
    `meanwhile()` is this process's own work, done while the workers run (before
    the items, when there are no workers); the workers do not see its effects.
    """
    workers = min(worker_count(), len(items) // MIN_ITEMS_PER_WORKER)
    if (workers < 2 or "fork" not in multiprocessing.get_all_start_methods()
            or threading.active_count() > 1):
        # forking while other threads run (the dev server's) can copy a held lock into the
        # child and hang it; such a process builds in-process
        if meanwhile is not None:
            meanwhile()
        return _collect((function(item) for item in items), len(items), done)
    global _task, _items
    _task, _items = function, items
    # the inherited heap is read-only for the workers: frozen, their collector never walks
    # it, so its pages stay shared with this process instead of being copied on access
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        chunk = max(1, len(items) // (workers * 32))
        with context.Pool(workers) as pool:
            results = pool.imap(_run, range(len(items)), chunksize=chunk)
            if meanwhile is not None:
                meanwhile()
            return _collect(results, len(items), done)
    finally:
        gc.unfreeze()
        _task, _items = None, ()


def _collect(results: Iterator[R], total: int, done: Callable[[int, int], None] | None) -> list[R]:
    collected: list[R] = []
    for result in results:
        collected.append(result)
        if done is not None:
            done(len(collected), total)
    return collected


def _run(index: int) -> Any:
    assert _task is not None
    return _task(_items[index])
