"""Fixtures for the theme-kit tests: the docs site built once, Chromium, a venv with a theme.

The docs site and the example sites are copied to tmp folders before they are
built, so the repository stays clean. Browser tests drive the system Chromium
through Playwright and are skipped, visibly, where either is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from themekit import DOCS, EXAMPLES, build_and_check, copy_site, make_venv, pip_install

from islandgen import BuildResult
from islandgen.check import CheckReport


@dataclass(frozen=True)
class Built:
    """A site copied to a tmp folder, built from scratch and checked."""

    site: Path
    result: BuildResult
    report: CheckReport

    @property
    def out(self) -> Path:
        return self.result.out_dir


@pytest.fixture(scope="session")
def docs_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The docs site (docs/), built once per session."""
    site = copy_site(DOCS, tmp_path_factory.mktemp("docs") / "docs")
    return Built(site, *build_and_check(site))


@pytest.fixture(scope="session")
def paper_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a venv with the example theme package (docs/examples/theme-package)
    installed by pip."""
    root = tmp_path_factory.mktemp("venv")
    python = make_venv(root / "venv")
    installed = pip_install(python, EXAMPLES / "theme-package", root / "wheels")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return python



@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh tab; console errors and uncaught exceptions fail the test that made them."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: problems.append(str(error)))
    yield tab
    context.close()
    assert not problems, problems
