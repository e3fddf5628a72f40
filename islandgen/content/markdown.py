"""Markdown body -> `RenderedMarkdown` (HTML, table of contents, component calls).

markdown-it-py is the reference engine: this module chooses its plugins and
adds three small rules (component blocks, link rewriting, Pygments
highlighting). Pages it can vouch for go to the faster Rust engine instead
(fast_markdown.py). Bodies are never Jinja templates, so `{{` in prose or code
comes out as written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..config import MarkdownConfig
from ..errors import ContentError
from ..model import ComponentCall, Heading, RenderedMarkdown
from .fast_markdown import ANCHOR_LABEL, NeedsReferenceEngine, eligible, render_fast
from .highlight import highlight_code
from .links import LinkContext, MissingPage, resolve_link
from .slugs import slugify
from .summary import summary_of

if TYPE_CHECKING:  # markdown-it-py itself is imported when a body first needs it
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

MARKER = "\x00ig-component-{}\x00"
_LEAF_RE = re.compile(r"^::([A-Z][\w.]*)\((.*)\)\s*$")
_OPEN_RE = re.compile(r"^:::([A-Z][\w.]*)\((.*)\)\s*$")
_CLOSE_RE = re.compile(r"^:::\s*$")


def render_markdown(body: str, ctx: LinkContext, config: MarkdownConfig) -> RenderedMarkdown:
    """Render one Markdown body; relative links are resolved against the site."""
    if eligible(body, config):
        try:
            return render_fast(body, ctx, config)
        except NeedsReferenceEngine:
            ctx.linked.clear()  # the reference engine reports the broken link with its line
    return render_reference(body, ctx, config)


def render_reference(body: str, ctx: LinkContext, config: MarkdownConfig) -> RenderedMarkdown:
    """Render with markdown-it-py, which supports every feature."""
    md = _parser(config)
    env: dict[str, Any] = {"ig": ctx}
    tokens = md.parse(body, env)
    html_out = md.renderer.render(tokens, md.options, env)
    html_out = _collect_children(html_out, ctx.calls)
    toc = _table_of_contents(tokens, config.toc_depth)
    summary = summary_of(html_out)
    return RenderedMarkdown(
        html=html_out,
        toc=toc,
        first_heading=_first_heading(tokens),
        components=tuple(ctx.calls),
        summary=summary,
    )


@functools.cache
def _parser(config: MarkdownConfig) -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    md = MarkdownIt(
        "commonmark",
        {"html": config.html, "typographer": config.typographer, "linkify": False},
    )
    md.enable(["table", "strikethrough"])
    if config.typographer:
        md.enable(["replacements", "smartquotes"])
    md.use(footnote_plugin).use(tasklists_plugin)
    if config.anchors:
        md.use(
            anchors_plugin,
            min_level=1,
            max_level=6,
            slug_func=slugify,
            permalink=True,
            permalinkSymbol="#",
            permalinkSpace=True,
        )
        md.core.ruler.after("anchor", "ig_anchor_label", _label_anchors)
    if config.highlight:
        md.options["highlight"] = lambda code, lang, _attrs: highlight_code(code, lang)
    md.block.ruler.before(
        "fence", "ig_component", _component_block, {"alt": ["paragraph", "blockquote", "list"]}
    )
    md.add_render_rule("ig_component", _render_component)
    md.core.ruler.push("ig_links", _rewrite_links)
    return md


# -- components in Markdown --------------------------------------------------------------


def _component_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """`::Name(props)` on its own line, or `:::Name(props)` ... `:::` around Markdown children.

    The leading colons and a capitalised name keep ordinary prose from ever
    matching; fenced and indented code is claimed by earlier rules.
    """
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    leaf = _LEAF_RE.match(line)
    opened = None if leaf else _OPEN_RE.match(line)
    if not leaf and not opened:
        return False
    if silent:
        return True
    ctx: LinkContext = state.env["ig"]
    match = leaf or opened
    assert match is not None
    index = len(ctx.calls)
    call = ComponentCall(
        marker=MARKER.format(index),
        name=match.group(1),
        arguments=match.group(2),
        has_children=bool(opened),
        line=ctx.body_line + start,
    )
    ctx.calls.append(call)
    if leaf:
        token = state.push("ig_component", "", 0)
        token.meta = {"index": index, "part": "leaf"}
        token.map = [start, start + 1]
        state.line = start + 1
        return True
    close = _find_close(state, start, end)
    if close is None:
        raise ContentError(
            f"':::{call.name}(...)' is never closed",
            path=ctx.source,
            line=call.line,
            hint="end the component's children with a line that holds only ':::'",
        )
    token = state.push("ig_component", "", 1)
    token.meta = {"index": index, "part": "open"}
    token.map = [start, close + 1]
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "ig_component"
    state.lineMax = close
    state.md.block.tokenize(state, start + 1, close)
    state.parentType, state.lineMax = old_parent, old_max
    token = state.push("ig_component", "", -1)
    token.meta = {"index": index, "part": "close"}
    state.line = close + 1
    return True


def _find_close(state: StateBlock, start: int, end: int) -> int | None:
    depth = 1
    for line_no in range(start + 1, end):
        text = state.src[state.bMarks[line_no] + state.tShift[line_no] : state.eMarks[line_no]]
        if _OPEN_RE.match(text):
            depth += 1
        elif _CLOSE_RE.match(text):
            depth -= 1
            if depth == 0:
                return line_no
    return None


def _render_component(
    _self: Any, tokens: Sequence[Token], idx: int, _options: Any, _env: Any
) -> str:
    meta = tokens[idx].meta
    if meta["part"] == "leaf":
        return MARKER.format(meta["index"]) + "\n"
    return MARKER.format(f"{meta['index']}:{meta['part']}")


def _collect_children(html_out: str, calls: list[ComponentCall]) -> str:
    """Cut each container's rendered children out of the page and onto its call."""
    for index in reversed(range(len(calls))):
        call = calls[index]
        if not call.has_children:
            continue
        opener = MARKER.format(f"{index}:open")
        closer = MARKER.format(f"{index}:close")
        head, _, rest = html_out.partition(opener)
        children, _, tail = rest.partition(closer)
        calls[index] = call.with_children(children)
        html_out = f"{head}{call.marker}\n{tail}"
    return html_out


# -- links -------------------------------------------------------------------------------


def _rewrite_links(state: StateCore) -> None:
    """Relative links to .md files become page URLs; a missing target is an error."""
    ctx: LinkContext | None = state.env.get("ig")
    if ctx is None:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        line = ctx.body_line + (block.map[0] if block.map else 0)
        for child in block.children:
            if child.type == "softbreak" or child.type == "hardbreak":
                line += 1
            attr = "href" if child.type == "link_open" else "src" if child.type == "image" else None
            if attr is None:
                continue
            target = child.attrGet(attr)
            if isinstance(target, str):
                try:
                    child.attrSet(attr, resolve_link(target, ctx))
                except MissingPage as missing:
                    raise missing.error(ctx, line) from None


def _label_anchors(state: StateCore) -> None:
    """Give each heading's '#' link a name screen readers can announce."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "link_open" and child.attrGet("class") == "header-anchor":
                    child.attrSet("aria-label", ANCHOR_LABEL)


# -- facts for templates -----------------------------------------------------------------


def _table_of_contents(tokens: Sequence[Token], depth: int) -> tuple[Heading, ...]:
    toc: list[Heading] = []
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        heading_id = token.attrGet("id")
        if level > depth or not isinstance(heading_id, str):
            continue
        toc.append(Heading(level=level, id=heading_id, text=_plain_text(tokens[i + 1])))
    return tuple(toc)


def _first_heading(tokens: Sequence[Token]) -> str | None:
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            return _plain_text(tokens[i + 1])
    return None


def plain_text(markdown: str) -> str:
    """The text of one line of inline Markdown: '*Hello* `x`' -> 'Hello x'."""
    tokens = _inline_parser().parseInline(markdown)
    return _plain_text(tokens[0]) if tokens else markdown.strip()


@functools.cache
def _inline_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def _plain_text(inline: Token) -> str:
    return "".join(
        child.content for child in inline.children or () if child.type in ("text", "code_inline")
    ).strip()
