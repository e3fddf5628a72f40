"""Fixtures for the server tests: a fresh site per test, servers stopped after it, and one
Chromium per module for the browser tests (Debian's, with the flags this closed network needs)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

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



