"""Relative links in Markdown -> site URLs; a link to a missing page is an error.

Shared by both Markdown engines, so `[x](other.md#part)` means the same thing
whichever engine rendered the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from ..errors import ContentError
from ..model import ComponentCall
from ..routing.urls import public_url


@dataclass
class LinkContext:
    """What link rewriting needs to know about the site while rendering one page."""

    source: Path
    rel: PurePosixPath  # the page's path below content/
    body_line: int
    base_path: str
    page_urls: Mapping[str, str]  # content-relative .md path -> site URL
    asset_paths: frozenset[str] = frozenset()  # content-relative non-Markdown files
    trailing_slash: bool = True
    calls: list[ComponentCall] = field(default_factory=list)
    linked: dict[str, str] = field(default_factory=dict)  # .md targets used -> their URL


class MissingPage(Exception):
    """A relative link names a content file that does not exist (or is not published)."""

    def __init__(self, target: str, joined: str | None) -> None:
        super().__init__(target)
        self.target = target
        self.joined = joined

    def error(self, ctx: LinkContext, line: int | None) -> ContentError:
        return ContentError(
            f"link to a missing page: {self.target}",
            path=ctx.source,
            line=line,
            hint=f"no published content file {self.joined!r}; fix the path, or remove the link",
        )


def resolve_link(target: str, ctx: LinkContext) -> str:
    """The href to write for a link target; raises MissingPage for a broken .md link."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith(("#", "?")) or not parts.path:
        return target
    if target.startswith("/"):  # a site path: below the base path when the site has one
        base = ctx.base_path.rstrip("/")
        if base and target.startswith(base + "/"):
            return target
        return base + public_url(target, ctx.trailing_slash)
    joined = _normalize(ctx.rel.parent, unquote(parts.path))
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    if joined is not None and joined.endswith(".md"):
        url = ctx.page_urls.get(joined)
        if url is None:
            raise MissingPage(target, joined)
        ctx.linked[joined] = url
        return ctx.base_path.rstrip("/") + public_url(url, ctx.trailing_slash) + fragment
    if joined is not None and joined in ctx.asset_paths:
        return ctx.base_path + quote(joined) + fragment
    return target


def _normalize(folder: PurePosixPath, relative: str) -> str | None:
    """Join and fold `..` segments; None when the path climbs out of content/."""
    parts: list[str] = [p for p in folder.parts if p not in ("", ".")]
    for piece in relative.split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)
