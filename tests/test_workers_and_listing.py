"""Two helpers the build leans on: listing a folder's files, and mapping over worker processes."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from islandgen.parallel import MIN_ITEMS_PER_WORKER, map_in_workers
from islandgen.walk import files_below


def test_files_below_lists_every_file_sorted_by_its_relative_path(tmp_path: Path) -> None:
    for name in ("b.md", "a-b/x.md", "a/x.md", "a/deep/er/y.txt", ".git/config", "a/.hidden",
                 "_drafts/d.md"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name, encoding="utf-8")
    (tmp_path / "linked").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "link.md").symlink_to(tmp_path / "b.md")
    listed = files_below(tmp_path)
    assert [rel for rel, _ in listed] == [
        "_drafts/d.md", "a-b/x.md", "a/deep/er/y.txt", "a/x.md", "b.md", "link.md"]
    assert all(path == tmp_path / rel for rel, path in listed)
    assert [rel for rel, _ in files_below(tmp_path, hidden=(".", "_"))] == [
        "a-b/x.md", "a/deep/er/y.txt", "a/x.md", "b.md", "link.md"]
    assert [rel for rel, _ in files_below(tmp_path, exclude=(".md",))] == ["a/deep/er/y.txt"]


def test_files_below_a_missing_folder_is_nothing(tmp_path: Path) -> None:
    assert files_below(tmp_path / "nowhere") == []
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert files_below(tmp_path / "file") == []


def slow(n: int) -> int:
    """n, a little later: items that take time, so that every process gets some."""
    time.sleep(0.0005)
    return n


@pytest.mark.parametrize("workers", ["1", "2", "3"])
def test_map_in_workers_keeps_order_and_does_the_meanwhile_work_once(
        monkeypatch: pytest.MonkeyPatch, workers: str) -> None:
    monkeypatch.setenv("ISLANDGEN_WORKERS", workers)
    items = list(range(10 * MIN_ITEMS_PER_WORKER))
    calls: list[int] = []
    done: list[tuple[int, int]] = []
    results = map_in_workers(lambda n: (slow(n) * n, os.getpid()), items,
                             lambda finished, total: done.append((finished, total)),
                             meanwhile=lambda: calls.append(os.getpid()))
    assert [square for square, _ in results] == [n * n for n in items]
    assert calls == [os.getpid()]  # in this process, exactly once
    assert done[-1] == (len(items), len(items))
    assert [finished for finished, _ in done] == sorted(finished for finished, _ in done)
    pids = {pid for _, pid in results}
    if workers == "1" or threading.active_count() > 1:  # with other threads: in-process
        assert pids == {os.getpid()}
    else:  # this process maps beside its helpers, one process per core
        assert os.getpid() in pids
        assert len(pids) == int(workers)


def test_map_in_workers_does_the_meanwhile_work_with_nothing_to_map() -> None:
    calls: list[str] = []
    assert map_in_workers(str, [], meanwhile=lambda: calls.append("done")) == []
    assert calls == ["done"]


def test_map_in_workers_forks_only_for_enough_items_per_process(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISLANDGEN_WORKERS", "4")
    items = list(range(2 * 500 - 1))
    assert {pid for pid in map_in_workers(lambda _: os.getpid(), items, per_process=500)} == {
        os.getpid()}


def test_a_map_inside_a_map_runs_in_its_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISLANDGEN_WORKERS", "2")
    items = list(range(4 * MIN_ITEMS_PER_WORKER))
    inner: list[set[int]] = []

    def meanwhile() -> None:  # runs while the helper maps: must not fork helpers of its own
        inner.append(set(map_in_workers(lambda _: os.getpid(), items)))

    map_in_workers(lambda n: n, items, meanwhile=meanwhile)
    assert inner == [{os.getpid()}]


def test_map_in_workers_raises_the_first_failure_in_item_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure in a helper is raised here, with its own message, as the loop would raise
    it; so is one of this process's own items, whichever process mapped the earlier one."""
    monkeypatch.setenv("ISLANDGEN_WORKERS", "3")
    items = list(range(30 * MIN_ITEMS_PER_WORKER))
    bad = {len(items) - 5, len(items) - 2, len(items) // 2}

    def check(n: int) -> tuple[int, int]:
        if n in bad:
            raise ValueError(f"item {n} is bad")
        return slow(n), os.getpid()

    with pytest.raises(ValueError, match=f"item {len(items) // 2} is bad"):
        map_in_workers(check, items)
    bad.add(3)
    with pytest.raises(ValueError, match="item 3 is bad"):
        map_in_workers(check, items)
    bad.clear()
    results = map_in_workers(check, items)
    assert [n for n, _ in results] == items
    if threading.active_count() == 1:  # else it maps in-process and this proves less
        assert len({pid for _, pid in results}) == 3


def test_what_a_dead_helper_took_is_mapped_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISLANDGEN_WORKERS", "2")
    items = list(range(10 * MIN_ITEMS_PER_WORKER))
    main = os.getpid()

    def die_in_a_helper(n: int) -> tuple[int, int]:
        if os.getpid() != main:
            os._exit(3)  # a helper killed mid-chunk sends nothing back
        return n * n, os.getpid()

    results = map_in_workers(die_in_a_helper, items)
    assert results == [(n * n, main) for n in items]
