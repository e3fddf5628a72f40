"""Run a function over many items in forked worker processes, results in input order.

Workers are forked, so they inherit what this process holds (the site, as far
as it is built) and only item indices and results cross process boundaries.
Small batches, machines with one core, platforms without fork and processes
running other threads (the dev server) run in-process: same results, same
order, byte for byte.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import multiprocessing.pool
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_WORKER = 48
MIN_SHARE = 500  # items per share of `map_sharing_work`: fewer are not worth a fork (~7 ms)
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
    workers = _usable_workers(len(items))
    if workers < 2:
        if meanwhile is not None:
            meanwhile()
        return _collect((function(item) for item in items), len(items), done)
    with _pool(workers, function, items) as pool:
        chunk = max(1, len(items) // (workers * 32))
        results = pool.imap(_run, range(len(items)), chunksize=chunk)
        if meanwhile is not None:
            meanwhile()
        return _collect(results, len(items), done)


def map_sharing_work(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`[function(item) for item in items]` for items too cheap to send one by one.

    This process maps the first share itself while forked workers map one
    share each and send it back whole. An item that raised in a worker is
    mapped again here, so the first failing item raises here, as in the loop.
    """
    workers = _usable_workers(len(items), MIN_SHARE)
    if workers < 2:
        return [function(item) for item in items]
    bounds = [len(items) * n // workers for n in range(workers + 1)]
    with _pool(workers - 1, function, items) as pool:
        shares = [(start, pool.apply_async(_run_share, (start, end)))
                  for start, end in itertools.pairwise(bounds[1:])]
        results = [function(item) for item in items[: bounds[1]]]
        for start, share in shares:
            mapped, failed = share.get()
            results.extend(function(items[start + offset]) if offset in failed else result
                           for offset, result in enumerate(mapped))
    return results


def forks(count: int) -> bool:
    """Whether mapping `count` items would fork workers (else they map in this process)."""
    return _usable_workers(count) >= 2


def _usable_workers(count: int, per_worker: int = MIN_ITEMS_PER_WORKER) -> int:
    """Workers worth forking for `count` items, `per_worker` at least each; fewer than 2
    means map in this process.

    Forking while other threads run (the dev server's) can copy a held lock
    into the child and hang it: such a process maps in-process.
    """
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1
    return min(worker_count(), count // per_worker)


@contextlib.contextmanager
def _pool(workers: int, function: Callable[[Any], Any],
          items: Sequence[Any]) -> Iterator[multiprocessing.pool.Pool]:
    """Forked workers that inherit `function` and `items` (only indices and results travel)."""
    global _task, _items
    _task, _items = function, items
    # the inherited heap is read-only for the workers: frozen, their collector never walks
    # it, so its pages stay shared with this process instead of being copied on access
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield pool
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


def _run_share(start: int, end: int) -> tuple[list[Any], set[int]]:
    """The results of `_items[start:end]`, and the offsets of the items that raised (their
    result is None; the collecting process maps them again to raise their error itself)."""
    assert _task is not None
    results: list[Any] = []
    failed: set[int] = set()
    for offset, item in enumerate(_items[start:end]):
        try:
            results.append(_task(item))
        except Exception:
            results.append(None)
            failed.add(offset)
    return results, failed
