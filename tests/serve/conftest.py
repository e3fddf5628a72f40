"""Fixtures for the server tests: a fresh site per test, servers stopped after it, and one
Chromium per module for the browser tests (Debian's, with the flags this closed network needs)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from serving import SITE, Server, ServerProcess
from sitefiles import write_files


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    write_files(root, SITE)
    return root


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start `islandgen serve ARGS --port 0`; every server started is stopped at the end."""
    started: list[ServerProcess] = []

    def start(*args: str) -> Server:
        process = ServerProcess(["serve", *args, "--port", "0"], cwd=tmp_path)
        started.append(process)
        return Server(process, process.wait_for_url())

    yield start
    for process in started:
        process.stop()


@pytest.fixture
def dev_server(site: Path, start_server: Callable[..., Server]) -> Server:
    return start_server(str(site))


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at /usr/bin/chromium (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
