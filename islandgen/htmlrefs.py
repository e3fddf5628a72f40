"""HTML text -> the URLs its tags point at (with their lines) and the ids it defines.

One table says which attribute of which tag holds a URL and what kind of
reference it is; the link checker reads pages through it and the
`absolutize_urls` filter rewrites through it, so both agree on what a link is.
Parsing is the standard library's `html.parser`: tolerant, position-aware, and
blind to text inside `<pre>`/`<code>` (escaped markup there is not a tag).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from itertools import accumulate
from typing import Literal

RefKind = Literal["link", "asset", "island"]

# (tag, attribute) -> what a URL there is. `link` and `meta` are decided by their rel/property.
URL_ATTRIBUTES: dict[tuple[str, str], RefKind] = {
    ("a", "href"): "link",
    ("area", "href"): "link",
    ("img", "src"): "asset",
    ("img", "srcset"): "asset",
    ("source", "src"): "asset",
    ("source", "srcset"): "asset",
    ("script", "src"): "asset",
    ("iframe", "src"): "asset",
    ("embed", "src"): "asset",
    ("video", "src"): "asset",
    ("video", "poster"): "asset",
    ("audio", "src"): "asset",
    ("track", "src"): "asset",
    ("object", "data"): "asset",
    ("input", "src"): "asset",
    ("ig-island", "component"): "island",
}
# <link rel=...> values whose href the page needs to render; other rels (canonical, alternate,
# prev, next) point at documents.
ASSET_RELS = frozenset({"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload",
                        "modulepreload", "manifest", "mask-icon"})
# <meta property=... content=URL>: what the URL is.
META_URLS: dict[str, RefKind] = {
    "og:url": "link",
    "og:image": "asset",
    "og:audio": "asset",
    "og:video": "asset",
    "twitter:image": "asset",
}


@dataclass(frozen=True)
class Ref:
    """One URL in a page, as written, with the 1-based line of its tag."""

    url: str
    kind: RefKind
    tag: str
    line: int


@dataclass
class PageScan:
    """What the link checker needs from one HTML page."""

    refs: list[Ref] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    redirect: bool = False  # a <meta http-equiv="refresh"> stub (an alias page)


def scan_html(text: str) -> PageScan:
    """Every URL reference and every fragment target (`id`, `<a name>`) of a page."""
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.scan


def rewrite_urls(text: str, rewrite: Callable[[str], str]) -> str:
    """`text` with `rewrite` applied to every URL attribute; everything else byte for byte.

    Only start tags of elements that can hold a URL are parsed (each on its
    own); comments, scripts and styles are stepped over whole. A page of text
    costs a regex scan, not a full parse: feeds rewrite hundreds of entries.
    """
    pieces: list[str] = []
    position = 0
    for match in _CANDIDATE.finditer(text):
        if match.group("tag") is None:
            continue  # a comment, script or style: left exactly as it is
        rewriter = _Rewriter(match.group(0), rewrite)
        rewriter.feed(match.group(0))
        rewriter.close()
        pieces += [text[position:match.start()], rewriter.result()]
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces)


_URL_TAGS = sorted({tag for tag, _ in URL_ATTRIBUTES} | {"link", "meta"}, key=len, reverse=True)
_CANDIDATE = re.compile(
    r"<!--.*?-->"
    r"|<(?:script|style)\b.*?</(?:script|style)\s*>"
    r"|<(?P<tag>" + "|".join(re.escape(t) for t in _URL_TAGS) + r")(?=[\s/>])[^>]*>",
    re.DOTALL | re.IGNORECASE,
)


def tag_urls(tag: str, attrs: list[tuple[str, str | None]]) -> Iterator[tuple[str, str, RefKind]]:
    """(attribute, url, kind) for each URL a start tag holds; srcset gives one per candidate."""
    values = {name: value for name, value in attrs if value is not None}
    if tag == "link" and "href" in values:
        rels = set(values.get("rel", "").lower().split())
        yield "href", values["href"], "asset" if rels & ASSET_RELS else "link"
        return
    if tag == "meta":
        kind = META_URLS.get(values.get("property", values.get("name", "")).lower())
        if kind is not None and "content" in values:
            yield "content", values["content"], kind
        return
    for name, value in values.items():
        kind = URL_ATTRIBUTES.get((tag, name))
        if kind is None:
            continue
        if name == "srcset":
            for url in srcset_urls(value):
                yield name, url, kind
        elif value.strip():
            yield name, value.strip(), kind


def srcset_urls(value: str) -> list[str]:
    """'a.png 1x, b.png 2x' -> ['a.png', 'b.png']."""
    return [c.split()[0] for c in value.split(",") if c.strip()]


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for _, url, kind in tag_urls(tag, attrs):
            self.scan.refs.append(Ref(url, kind, tag, line))
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.scan.ids.add(value)
            elif (tag, name, value.lower()) == ("meta", "http-equiv", "refresh"):
                self.scan.redirect = True

    handle_startendtag = handle_starttag


class _Rewriter(HTMLParser):
    """Replaces the start tags that hold URLs, located by the parser's own positions."""

    def __init__(self, text: str, rewrite: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.rewrite = rewrite
        self.line_starts = [0, *accumulate(len(line) + 1 for line in text.split("\n"))]
        self.edits: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _, _ in tag_urls(tag, attrs)}
        raw = self.get_starttag_text()
        if not names or raw is None:
            return
        line, column = self.getpos()
        start = self.line_starts[line - 1] + column
        changed = [(name, self._rewrite(name, value) if name in names and value else value)
                   for name, value in attrs]
        self.edits.append((start, start + len(raw), _start_tag(tag, changed, raw)))

    handle_startendtag = handle_starttag

    def _rewrite(self, name: str, value: str) -> str:
        if name == "srcset":
            return ", ".join(
                " ".join([self.rewrite(parts[0]), *parts[1:]])
                for parts in (c.split() for c in value.split(",") if c.strip())
            )
        return self.rewrite(value.strip())

    def result(self) -> str:
        pieces, position = [], 0
        for start, end, replacement in self.edits:
            pieces += [self.text[position:start], replacement]
            position = end
        pieces.append(self.text[position:])
        return "".join(pieces)


def _start_tag(tag: str, attrs: list[tuple[str, str | None]], raw: str) -> str:
    shown = "".join(f" {name}" if value is None else f' {name}="{escape(value, quote=True)}"'
                    for name, value in attrs)
    close = "/>" if raw.rstrip().endswith("/>") else ">"
    return f"<{tag}{shown}{close}"
