"""Run a function over many items in this process and forked helpers, results in input order.

The helpers are forked, so they inherit what this process holds (the site, as
far as it is built) and only results cross process boundaries. This process
maps too: it and its helpers take the next chunk of items from a shared counter
until none is left, so one process runs per core, each kept busy to the end,
and what this process maps itself never travels. (A pool of one worker per core
beside a collecting main process ran three processes on two cores: a cold
4,000-page build took ~9 % longer, in more CPU time.)

Small batches, machines with one core, platforms without fork, processes
running other threads (the dev server) and maps started from inside a map run
in-process: same results, same order, byte for byte.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import Synchronized
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_WORKER = 48  # fewer items per process are not worth a fork (~7 ms)
CHUNKS_PER_PROCESS = 16  # chunks each process takes: small enough for all to finish together

# (start, results, offsets of the items that raised): what a helper sends back
Chunk = tuple[int, list[Any], list[int]]

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
                   meanwhile: Callable[[], object] | None = None, *,
                   per_process: int = MIN_ITEMS_PER_WORKER) -> list[R]:
    """`[function(item) for item in items]`, spread over forked helpers when worth it.

    `meanwhile()` is this process's own work, done first while the helpers map
    (the helpers do not see its effects); then this process maps beside them.
    `done(finished, total)` reports progress, for a progress bar. Each process
    is given at least `per_process` items, else fewer are forked.

    An item that raised, or that a helper which died never sent back, is mapped
    again here once the others are in, so the first failing item raises here,
    with its own error, as in the loop.
    """
    processes = _processes(len(items), per_process)
    if processes < 2:
        if meanwhile is not None:
            meanwhile()
        return _in_process(function, items, done)
    global _task, _items
    _task, _items = function, items
    context = multiprocessing.get_context("fork")
    claimed, finished = context.Value("q", 0), context.Value("q", 0)
    chunk = max(1, len(items) // (processes * CHUNKS_PER_PROCESS))
    # the inherited heap is read-only for the helpers: frozen, their collector never walks
    # it, so its pages stay shared with this process instead of being copied on access
    gc.freeze()
    helpers: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    results: list[Any] = [None] * len(items)
    mapped = bytearray(len(items))  # 1 where results holds the item's result
    try:
        for _ in range(processes - 1):
            receiver, sender = context.Pipe(duplex=False)
            helper = context.Process(target=_help, args=(sender, claimed, finished, chunk),
                                     daemon=True)
            helper.start()
            sender.close()
            helpers.append((helper, receiver))
        if meanwhile is not None:
            meanwhile()
        for start, values, failed in _take(claimed, finished, chunk, len(items), done):
            _place(results, mapped, start, values, failed)
        for process, receiver in helpers:
            try:
                for start, values, failed in receiver.recv():
                    _place(results, mapped, start, values, failed)
            except EOFError:
                pass  # it died: what it took is mapped below
            process.join()
    finally:
        for process, receiver in helpers:
            receiver.close()
            if process.is_alive():
                process.terminate()
        gc.unfreeze()
        _task, _items = None, ()
    for index in (i for i, flag in enumerate(mapped) if not flag):
        results[index] = function(items[index])
    if done is not None:
        done(len(items), len(items))
    return results


def forks(count: int) -> bool:
    """Whether mapping `count` items would fork helpers (else they map in this process)."""
    return _processes(count, MIN_ITEMS_PER_WORKER) >= 2


def _processes(count: int, per_process: int) -> int:
    """Processes worth mapping `count` items with, `per_process` at least each; 1 means
    this process alone.

    Forking while other threads run (the dev server's) can copy a held lock
    into the child and hang it; a map inside a map (a `meanwhile` that maps)
    would fork helpers of its own while the first ones run: both map in-process.
    """
    if ("fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1
            or _task is not None):
        return 1
    return min(worker_count(), count // per_process)


def _in_process(function: Callable[[T], R], items: Sequence[T],
                done: Callable[[int, int], None] | None) -> list[R]:
    results: list[R] = []
    for item in items:
        results.append(function(item))
        if done is not None:
            done(len(results), len(items))
    return results


def _take(claimed: Synchronized[int], finished: Synchronized[int], chunk: int, total: int,
          done: Callable[[int, int], None] | None = None) -> list[Chunk]:
    """Map the next chunk of `_items` until none is left; the chunks this process mapped.

    An item that raises gets None and its offset is noted, for the collecting
    process to map again: the rest of the chunk still maps.
    """
    assert _task is not None
    taken: list[Chunk] = []
    while True:
        with claimed.get_lock():
            start = claimed.value
            claimed.value = start + chunk
        if start >= total:
            return taken
        values: list[Any] = []
        failed: list[int] = []
        for offset, item in enumerate(_items[start:start + chunk]):
            try:
                values.append(_task(item))
            except Exception:
                values.append(None)
                failed.append(offset)
        taken.append((start, values, failed))
        with finished.get_lock():
            finished.value += len(values)
            progress = finished.value
        if done is not None:
            done(progress, total)


def _help(sender: Connection, claimed: Synchronized[int], finished: Synchronized[int],
          chunk: int) -> None:
    """A helper's life: map chunks, then send them all back in one message. Ctrl-C is
    the collecting process's to handle (it stops the helpers), not one traceback each."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sender.send(_take(claimed, finished, chunk, len(_items)))
    sender.close()


def _place(results: list[Any], mapped: bytearray, start: int, values: list[Any],
           failed: list[int]) -> None:
    end = start + len(values)
    results[start:end] = values
    mapped[start:end] = b"\x01" * len(values)
    for offset in failed:
        mapped[start + offset] = 0
