"""The fast Markdown engine (markdown-it-pyrs) gives byte-identical output to markdown-it-py.

islandgen renders a page with the Rust engine only when `eligible()` vouches
for it; these tests hold it to that on the benchmark corpus (every page of it)
and on every Markdown fixture it accepts, and check that what it refuses
really is what it can't do alike.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from test_markdown import FIXTURES, read_fixtures

from islandgen.config import MarkdownConfig
from islandgen.content.fast_markdown import eligible, render_fast
from islandgen.content.links import LinkContext
from islandgen.content.markdown import render_reference
from islandgen.content.source import load_document

MAKE_CORPUS = Path(__file__).parent.parent.parent / "shared" / "bench" / "make_corpus.py"
CONFIGS = {
    "defaults": MarkdownConfig(),
    "no-highlight": MarkdownConfig(highlight=False),
    "no-anchors": MarkdownConfig(anchors=False),
}


def context(rel: str, page_urls: dict[str, str], base_path: str = "/") -> LinkContext:
    return LinkContext(source=Path(rel), rel=PurePosixPath(rel), body_line=1,
                       base_path=base_path, page_urls=page_urls)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """(file name, body) of a 300-page benchmark corpus."""
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(MAKE_CORPUS), "--pages", "300", "--out", str(out)],
                   check=True, capture_output=True)
    return [(path.name, load_document(path, out).body) for path in sorted(out.glob("*.md"))]


@pytest.mark.parametrize("config_name", list(CONFIGS))
def test_both_engines_agree_on_every_benchmark_page(corpus: list[tuple[str, str]],
                                                     config_name: str) -> None:
    config = CONFIGS[config_name]
    urls = {name: f"/{name.removesuffix('.md')}/" for name, _ in corpus}
    accepted = 0
    for name, body in corpus:
        if not eligible(body, config):
            continue
        accepted += 1
        fast = render_fast(body, context(name, urls, "/sub/"), config)
        reference = render_reference(body, context(name, urls, "/sub/"), config)
        assert fast == reference, name
    assert accepted == len(corpus)  # the corpus is plain CommonMark + GFM tables: all of it


# The fixtures the fast engine accepts; the others use a feature it renders differently
# (footnotes, task lists, raw HTML, components) and always go to markdown-it-py.
FAST_FIXTURES = [case for case in read_fixtures(FIXTURES / "markdown.txt")
                 if eligible(case.values[0], MarkdownConfig())]


def test_the_fast_engine_takes_a_fair_share_of_the_fixtures() -> None:
    assert len(FAST_FIXTURES) >= 10


@pytest.mark.parametrize(("source", "expected"), FAST_FIXTURES)
def test_both_engines_agree_on_the_fixtures_the_fast_one_accepts(source: str,
                                                                 expected: str) -> None:
    config = MarkdownConfig()
    urls = {"other.md": "/other/", "blog/post.md": "/blog/post/"}
    assert render_fast(source, context("page.md", urls), config) == render_reference(
        source, context("page.md", urls), config)


@pytest.mark.parametrize("body", [
    "A note[^1].\n\n[^1]: here\n",
    "- [ ] a task\n- [x] done\n",
    "<div>raw html</div>\n",
    "::Card(title=\"x\")\n",
    "```\nno language\n```\n",
    "See <https://example.com>.\n",
])
def test_what_the_fast_engine_would_render_differently_goes_to_the_reference(body: str) -> None:
    assert not eligible(body, MarkdownConfig())
