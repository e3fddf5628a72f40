"""Watching: bursts become one batch, noise is ignored, replaced folders are watched again."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import SITE
from sitefiles import write_files

from islandgen.serve.watch import ChangeQueue, Watcher, is_noise, watch_roots


def test_a_burst_is_one_batch() -> None:
    changes = ChangeQueue(quiet=0.2, longest=5.0)
    paths = [Path(f"/site/content/{n}.md") for n in range(20)]

    def save_all() -> None:
        for path in paths:
            changes.add([path])

    writer = threading.Thread(target=save_all)
    writer.start()
    batch = changes.next_batch()
    writer.join()
    assert batch == frozenset(paths)


def test_files_that_came_and_went_are_left_out(tmp_path: Path) -> None:
    changes = ChangeQueue(quiet=0.01)
    kept = tmp_path / "page.md"
    kept.write_text("x", encoding="utf-8")
    changes.add([tmp_path / "sedXb12"], created=[tmp_path / "sedXb12"])
    changes.add([kept])
    assert changes.next_batch() == frozenset({kept})


def test_close_ends_the_wait() -> None:
    changes = ChangeQueue()
    threading.Timer(0.05, changes.close).start()
    assert changes.next_batch() is None


@pytest.mark.parametrize(
    ("path", "noise"),
    [
        ("content/post.md", False),
        ("content/.post.md.swp", True),
        ("content/post.md~", True),
        ("components/__pycache__/Badge.cpython-311.pyc", True),
        ("content/4913", True),
        (".git/index", True),
        ("static/css/site.css", False),
    ],
)
def test_noise(path: str, noise: bool) -> None:
    assert is_noise(Path(path)) is noise


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, ChangeQueue, Watcher]]:
    site = tmp_path / "site"
    write_files(site, SITE)
    changes = ChangeQueue(quiet=0.05)
    watcher = Watcher(site, changes)
    watcher.start()
    yield site, changes, watcher
    changes.close()
    watcher.stop()


def next_batch(changes: ChangeQueue, watcher: Watcher) -> frozenset[Path]:
    """The next batch, as the rebuild loop takes it; fails after 20 s without one."""
    timeout = threading.Timer(20, changes.close)
    timeout.start()
    batch = changes.next_batch()
    timeout.cancel()
    assert batch is not None, "no change seen"
    watcher.update(watch_roots(watcher.site_dir), batch)
    return batch


def test_sees_sources_and_config_not_output(
        watched: tuple[Path, ChangeQueue, Watcher]) -> None:
    site, changes, watcher = watched
    (site / "dist").mkdir()
    (site / "dist" / "index.html").write_text("out", encoding="utf-8")
    (site / "README.txt").write_text("not a source", encoding="utf-8")
    (site / "islandgen.yaml").write_text("title: New\ntheme: tiny\n", encoding="utf-8")
    assert next_batch(changes, watcher) == {site / "islandgen.yaml"}
    (site / "themes/tiny/layouts/page.html").write_text("x", encoding="utf-8")
    assert next_batch(changes, watcher) == {site / "themes/tiny/layouts/page.html"}


def test_folder_deleted_and_made_again(watched: tuple[Path, ChangeQueue, Watcher]) -> None:
    site, changes, watcher = watched
    shutil.rmtree(site / "components")
    assert site / "components" in next_batch(changes, watcher)
    (site / "components").mkdir()
    assert site / "components" in next_batch(changes, watcher)
    new = site / "components" / "Card.html"
    new.write_text("card", encoding="utf-8")
    assert new in next_batch(changes, watcher)


def test_theme_outside_the_site_is_watched(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_files(site, {"islandgen.yaml": "theme: default\n"})
    roots = watch_roots(site)
    assert any(root.name == "default" for root in roots)  # the bundled theme
    write_files(site, {"islandgen.yaml": "theme: [broken\n"})
    assert watch_roots(site) == ()  # no folders yet; the config is seen from the site itself
