"""Shared test helpers: small sites written into tmp_path, built in-process, read back as HTML.

A test describes a site as a dict of {relative path: text}, builds it with
`islandgen.build` (or the CLI, in-process) and asserts on the parsed output.
Sites use the tiny `plain` theme in tests/themes/plain (exact, small markup)
unless they ask for the bundled `default` theme.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from islandgen import BuildOptions, BuildResult, build
from islandgen.cli import main
from islandgen.console import console, error_console

TESTS = Path(__file__).parent
PLAIN_THEME = TESTS / "themes" / "plain"

from browsers import chromium  # noqa: E402 - shared with test modules
from sitefiles import NOW, Files, write_files  # noqa: E402 - shared with test modules


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium, one per test module."""
    with chromium() as launched:
        yield launched


def parse_html(path: Path) -> BeautifulSoup:
    """An output file parsed as HTML."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def output_file(out: Path, url: str) -> Path:
    """The file a URL is served from: '/blog/hi/' -> out/blog/hi/index.html."""
    path = out / unquote(url).lstrip("/")
    return path / "index.html" if url.endswith("/") else path


@dataclass
class Site:
    """A site folder in tmp_path; builds into its own dist/."""

    root: Path

    @property
    def out(self) -> Path:
        return self.root / "dist"

    def write(self, files: Files) -> None:
        write_files(self.root, files)

    def build(self, **options: Any) -> BuildResult:
        """Build with `now` pinned to NOW unless a test gives another."""
        options.setdefault("now", NOW)
        return build(self.root, BuildOptions(**options))

    def file(self, url: str) -> Path:
        """The output file served at `url`."""
        return output_file(self.out, url)

    def page(self, url: str) -> BeautifulSoup:
        """The built page at `url` (after `build()`), parsed."""
        return parse_html(self.file(url))

    def has(self, url: str) -> bool:
        return self.file(url).is_file()


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Site]:
    """make_site(files, theme="plain", name="site") -> a Site written below tmp_path.

    With theme="plain" the test theme is copied into the site and, when the
    files give no islandgen.yaml, the config selects it. A test that writes its
    own islandgen.yaml says `theme: plain` itself, so line numbers stay its own.
    With any other theme nothing is added: "default" is the bundled theme and
    the default config; a test that brings its own themes names them itself.
    """

    def make(files: Files, *, theme: str = "plain", name: str = "site") -> Site:
        root = tmp_path / name
        root.mkdir()
        if theme == "plain":
            shutil.copytree(PLAIN_THEME, root / "themes" / "plain")
            if "islandgen.yaml" not in files:
                write_files(root, {"islandgen.yaml": "theme: plain\n"})
        write_files(root, files)
        return Site(root)

    return make


@pytest.fixture
def html() -> Callable[[Path], BeautifulSoup]:
    """html(path) -> that output file parsed; for output outside a Site's dist/."""
    return parse_html


class CliResult(NamedTuple):
    code: int
    out: str
    err: str

    @property
    def error(self) -> str:
        """The first line of stderr: 'error: path:line: message'."""
        return self.err.splitlines()[0] if self.err else ""


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[
    Callable[..., CliResult]
]:
    """run_cli(*args, cwd=None) -> (exit code, stdout, stderr) of `islandgen ...`, in-process.

    rich's consoles are created on first use and cached; the caches are cleared
    so each run gets consoles writing to pytest's captured streams, wide enough
    that no message is wrapped. With `cwd`, paths in messages are relative to it,
    exactly as a user running the command in that folder sees them.
    """
    monkeypatch.setenv("COLUMNS", "500")
    for forcing in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):  # plain text, as piped
        monkeypatch.delenv(forcing, raising=False)

    def reset_consoles() -> None:
        console.cache_clear()
        error_console.cache_clear()

    def run(*args: str | Path, cwd: Path | None = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        reset_consoles()
        capsys.readouterr()
        try:
            code = main([str(arg) for arg in args])
        except SystemExit as exit_:  # argparse: usage errors and --version
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    yield run
    reset_consoles()
