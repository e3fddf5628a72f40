"""Two helpers the build leans on: listing a folder's files, and mapping over worker processes."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from islandgen.parallel import MIN_ITEMS_PER_WORKER, MIN_SHARE, map_in_workers, map_sharing_work
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


@pytest.mark.parametrize("workers", ["1", "2"])
def test_map_in_workers_keeps_order_and_does_the_meanwhile_work_once(
        monkeypatch: pytest.MonkeyPatch, workers: str) -> None:
    monkeypatch.setenv("ISLANDGEN_WORKERS", workers)
    items = list(range(3 * MIN_ITEMS_PER_WORKER))
    calls: list[int] = []
    done: list[tuple[int, int]] = []
    results = map_in_workers(lambda n: (n * n, os.getpid()), items,
                             lambda finished, total: done.append((finished, total)),
                             meanwhile=lambda: calls.append(os.getpid()))
    assert [square for square, _ in results] == [n * n for n in items]
    assert calls == [os.getpid()]  # in this process, exactly once
    assert done[-1] == (len(items), len(items))
    pids = {pid for _, pid in results}
    if workers == "1":
        assert pids == {os.getpid()}
    elif threading.active_count() == 1:  # with other threads running it maps in-process
        assert os.getpid() not in pids


def test_map_in_workers_does_the_meanwhile_work_with_nothing_to_map() -> None:
    calls: list[str] = []
    assert map_in_workers(str, [], meanwhile=lambda: calls.append("done")) == []
    assert calls == ["done"]


@pytest.mark.parametrize("workers", ["1", "2", "3"])
def test_map_sharing_work_keeps_order_and_shares_the_items(
        monkeypatch: pytest.MonkeyPatch, workers: str) -> None:
    monkeypatch.setenv("ISLANDGEN_WORKERS", workers)
    items = list(range(3 * MIN_SHARE + 1))
    results = map_sharing_work(lambda n: (n * n, os.getpid()), items)
    assert [square for square, _ in results] == [n * n for n in items]
    pids = [pid for _, pid in results]
    assert pids[0] == os.getpid()  # this process maps the first share itself
    if threading.active_count() == 1 and workers != "1":  # (a quick worker may take two shares)
        assert len(set(pids)) >= 2


def test_map_sharing_work_raises_the_first_failure_in_item_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure in a worker's share is raised here, with its own message, as the loop would;
    a failure in this process's own share comes first."""
    monkeypatch.setenv("ISLANDGEN_WORKERS", "3")
    items = list(range(3 * MIN_SHARE))
    bad = {len(items) - 5, len(items) - 2, 2 * MIN_SHARE - 1}  # in the second and third shares

    def check(n: int) -> tuple[int, int]:
        if n in bad:
            raise ValueError(f"item {n} is bad")
        return n, os.getpid()

    with pytest.raises(ValueError, match=f"item {2 * MIN_SHARE - 1} is bad"):
        map_sharing_work(check, items)
    bad.add(3)
    with pytest.raises(ValueError, match="item 3 is bad"):
        map_sharing_work(check, items)
    bad.clear()
    results = map_sharing_work(check, items)
    assert [n for n, _ in results] == items
    if threading.active_count() == 1:  # else it maps in-process and this proves less
        assert len({pid for _, pid in results}) >= 2
