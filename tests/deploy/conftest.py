"""Fixtures for the hosting tests: the sample site built at the root and below /myrepo/,
each served by its own nginx for the whole module, stopped by PID afterwards."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hosting import NGINX, BuiltSite, Nginx, add_front_matter, copy_sample


@pytest.fixture(scope="module")
def start_nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Nginx]]:
    """start_nginx(dist, base_path="/") -> a running nginx; all are stopped after the module."""
    if not Path(NGINX).exists():
        pytest.skip("no nginx (apt-get install nginx)")
    started: list[Nginx] = []

    def start(dist: Path, base_path: str = "/") -> Nginx:
        server = Nginx(dist, tmp_path_factory.mktemp("nginx"), base_path)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module", params=["/", "/myrepo/"], ids=["root", "subpath"])
def sample(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """The sample site built at the root and below /myrepo/, with an alias on the About page."""
    base_path = str(request.param)
    root = copy_sample(tmp_path_factory.mktemp("sample") / "site",
                       base_path=None if base_path == "/" else base_path)
    add_front_matter(root / "content" / "about.md", "aliases: [/old-about/, /team.html]")
    yield BuiltSite(root, base_path)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def served(sample: BuiltSite, start_nginx: Callable[..., Nginx]) -> Nginx:
    return start_nginx(sample.dist, sample.base_path)
