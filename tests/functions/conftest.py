"""Fixtures for the server function tests: built sites and bundles, and the bundle under real servers.

Sites are copied into a temporary folder before they are built, so neither
the sample site nor the fixture sites in tests/functions/sites/ ever get a
dist/ or dist-functions/ in the repository.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fntools import SAMPLE_SITE, Built, BundleServer, copy_site

from islandgen import BuildOptions, build

SITES = Path(__file__).parent / "sites"


def build_copy(source: Path, target: Path, **options: object) -> Built:
    site = copy_site(source, target)
    result = build(site, BuildOptions(**options))  # type: ignore[arg-type]
    return Built(site, result.out_dir, site / "dist-functions")


@pytest.fixture(scope="session")
def kitchen(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """tests/functions/sites/kitchen built: a function for every parameter kind and failure."""
    return build_copy(SITES / "kitchen", tmp_path_factory.mktemp("kitchen") / "site", functions_zip=True)


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sample site built, with its functions bundle."""
    return build_copy(SAMPLE_SITE, tmp_path_factory.mktemp("sample") / "site")


@pytest.fixture
def start_bundle(tmp_path: Path) -> Iterator[Callable[..., BundleServer]]:
    """start_bundle(bundle, "asgi" | "wsgi", HARBOUR_DB=...) -> a running server; stopped after."""
    started: list[BundleServer] = []

    def start(bundle: Path, kind: str, **env: str) -> BundleServer:
        server = BundleServer(bundle, kind, {"HARBOUR_DB": str(tmp_path / "harbour.sqlite3"), **env})
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def quiet_functions_log() -> Iterator[None]:
    """Tests that provoke 500s on purpose keep the expected tracebacks out of the output."""
    logger = logging.getLogger("islandgen.functions")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)
