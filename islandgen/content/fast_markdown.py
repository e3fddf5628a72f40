"""Markdown body -> `RenderedMarkdown` through markdown-it-pyrs, the Rust port, when it matches.

The Rust engine is ~15x faster than markdown-it-py but has no plugin hooks, so
the few things islandgen adds (heading ids and anchors, highlighting, link
rewriting) are applied to its HTML here. Bodies that use a feature whose
output would differ (footnotes, task lists, raw HTML, components, typographer,
code fences without a language) are left to markdown-it-py: `eligible()`
decides, and tests/test_markdown_parity.py checks that both engines agree on
every page they both accept.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Any

import markdown_it_pyrs

from ..config import MarkdownConfig
from ..model import Heading, RenderedMarkdown
from .highlight import highlight_code
from .links import LinkContext, resolve_link
from .slugs import slugify
from .summary import summary_of

# Anything here sends the page to markdown-it-py (see the module docstring). Three
# searches rather than one alternation: each starts with a literal that the regex
# engine can skip ahead to, which makes the check ~8x cheaper on a typical page.
_FOOTNOTE = "[^"
_RAW_HTML = re.compile(r"<[A-Za-z!/?]")  # raw HTML and autolinks
_LINE_START = re.compile(  # searched in "\n" + body, so the first line counts
    r"\n[ \t]*(?:"
    r"::"  # components
    r"|(?:[-*+]|\d+[.)])[ \t]+\[[ xX]\]"  # task list items
    r")"
)
_FENCE_LINE = re.compile(r"\n {0,3}(`{3,}|~{3,})[ \t]*(\S*)")  # in "\n" + body
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_FENCE = re.compile(r'<pre><code class="language-([^"]*)">(.*?)</code></pre>', re.DOTALL)
_LINK = re.compile(r'(<a href="|<img src=")([^"]*)"')
_TAG = re.compile(r"<[^>]*>")
ANCHOR_LABEL = "Link to this section"


class NeedsReferenceEngine(Exception):
    """The fast path met something only the reference engine reports well (a broken link)."""


def eligible(body: str, config: MarkdownConfig) -> bool:
    return (
        config.html
        and not config.typographer
        and _FOOTNOTE not in body
        and _RAW_HTML.search(body) is None
        and _LINE_START.search("\n" + body) is None
        and not _has_bare_fence(body)
    )


def _has_bare_fence(body: str) -> bool:
    """True if a code fence opens without a language (its output differs between engines)."""
    closing: str | None = None
    for match in _FENCE_LINE.finditer("\n" + body):
        marker, info = match.group(1), match.group(2)
        if closing is None:
            if not info:
                return True
            closing = marker
        elif marker.startswith(closing) and not info:
            closing = None
    return False


def render_fast(body: str, ctx: LinkContext, config: MarkdownConfig) -> RenderedMarkdown:
    """Render with markdown-it-pyrs; raises NeedsReferenceEngine to fall back."""
    out = _parser().render(body)
    if config.highlight:
        out = _FENCE.sub(_highlight, out)
    out = _LINK.sub(lambda m: _rewrite(m, ctx), out)
    toc: list[Heading] = []
    first: list[str] = []
    slugs: set[str] = set()

    def anchor(match: re.Match[str]) -> str:
        level, inner = int(match.group(1)), match.group(2)
        text = html.unescape(_TAG.sub("", inner))
        if level == 1 and not first:
            first.append(text.strip())
        if not config.anchors:
            return match.group(0)
        slug = _unique(slugify(text), slugs)
        if level <= config.toc_depth:
            toc.append(Heading(level=level, id=slug, text=text.strip()))
        link = f'<a class="header-anchor" href="#{slug}" aria-label="{ANCHOR_LABEL}">#</a>'
        return f'<h{level} id="{slug}">{inner} {link}</h{level}>'

    out = _HEADING.sub(anchor, out)
    return RenderedMarkdown(
        html=out,
        toc=tuple(toc),
        first_heading=first[0] if first else None,
        summary=summary_of(out),
    )


@functools.cache
def _parser() -> Any:
    return markdown_it_pyrs.MarkdownIt("commonmark").enable_many(["table", "strikethrough"])


def _highlight(match: re.Match[str]) -> str:
    lang = html.unescape(match.group(1))
    return highlight_code(html.unescape(match.group(2)), lang)


def _rewrite(match: re.Match[str], ctx: LinkContext) -> str:
    target = html.unescape(match.group(2))
    try:
        resolved = resolve_link(target, ctx)
    except Exception as exc:
        raise NeedsReferenceEngine from exc
    return f'{match.group(1)}{_escape_attribute(resolved)}"'


def _escape_attribute(text: str) -> str:
    """markdown-it's escaping (& < > and double quotes, not single ones), without importing
    markdown-it-py on the fast path."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def _unique(slug: str, taken: set[str]) -> str:
    """The same de-duplication as mdit-py-plugins' anchors: slug, slug-1, slug-2..."""
    candidate, number = slug, 1
    while candidate in taken:
        candidate = f"{slug}-{number}"
        number += 1
    taken.add(candidate)
    return candidate
