"""Fixtures for the browser tests: Chromium (one per module), built sites (one build each), tabs.

Playwright's Python package drives the system Chromium (/usr/bin/chromium,
never a downloaded browser); every test here is skipped, visibly, where
either is missing. Sites are built once per session into tmp folders and
served on 127.0.0.1 by a thread that logs what the browser asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from browsing import SAMPLE_SITE, SITES, Served, Tab, build_site, serving, watch

pytest.importorskip("playwright.sync_api")



@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """built(name, **options) -> the output folder of tests/browser/sites/<name> (or "sample").

    Each (name, options) pair is built once per session.
    """
    outputs: dict[tuple[str, str], Path] = {}

    def get(name: str, *, edit_config: str = "", env: dict[str, str] | None = None) -> Path:
        key = (name, repr((edit_config, sorted((env or {}).items()))))
        if key not in outputs:
            source = SAMPLE_SITE if name == "sample" else SITES / name
            out = tmp_path_factory.mktemp(name) / "dist"
            outputs[key] = build_site(source, out, edit_config=edit_config, env=env)
        return outputs[key]

    return get


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[..., Served]]:
    """serve(out, base_path="/") -> a server for that folder, shared by the session."""
    servers: dict[tuple[Path, str], Served] = {}
    with ExitStack() as stack:

        def start(out: Path, base_path: str = "/") -> Served:
            if (out, base_path) not in servers:
                servers[out, base_path] = stack.enter_context(serving(out, base_path))
            return servers[out, base_path]

        yield start


@pytest.fixture
def tab_for(browser: Any) -> Iterator[Callable[..., Tab]]:
    """tab_for(served, init_script=None, **context options) -> a Tab in a fresh browser context."""
    contexts: list[Any] = []

    def make(served: Served, *, init_script: str | None = None, **options: Any) -> Tab:
        options.setdefault("viewport", {"width": 800, "height": 600})
        context = browser.new_context(**options)
        contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
        served.delays.clear()
        return watch(context.new_page(), served)

    yield make
    for context in contexts:
        context.close()
