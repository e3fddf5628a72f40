"""Source paths, slugs and permalink patterns -> percent-encoded URL paths.

URLs here are site-relative ('/blog/hi/'); the base path is added when a URL is
written into a page, so routing never depends on where the site is hosted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from urllib.parse import quote

from ..content.slugs import slugify

_SAFE = "/-._~!$&'()*+,;=:@"  # RFC 3986 pchar minus '%': a literal % is always encoded
_TOKEN = re.compile(r":([a-z_]+)")
_WHITESPACE = re.compile(r"\s+")


def encode_path(path: str) -> str:
    """Percent-encode a URL path; '/' separators are kept."""
    return quote(path, safe=_SAFE)


def file_slug(stem: str) -> str:
    """A URL segment from a file name: spaces become dashes, everything else is kept."""
    return _WHITESPACE.sub("-", stem.strip())


def content_url(rel: PurePosixPath, slug: str | None) -> str:
    """content/blog/hi.md -> /blog/hi/; an index.md stands for its folder."""
    folder = rel.parent.parts
    if rel.stem == "index" and slug is None:
        segments = list(folder)
    else:
        segments = [*folder, slug if slug is not None else file_slug(rel.stem)]
    return join_url(*segments)


def join_url(*segments: str) -> str:
    """Encoded '/a/b/' from raw segments; no segments gives '/'."""
    cleaned = [s.strip("/") for s in segments if s.strip("/")]
    if not cleaned:
        return "/"
    return "/" + encode_path("/".join(cleaned)) + "/"


def expand_pattern(pattern: str, values: Mapping[str, str]) -> str:
    """'/:year/:slug/' with {'year': '2024', 'slug': 'hi'} -> '/2024/hi/'.

    Raises KeyError naming the first token that has no value.
    """
    def replace(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return join_url(*_TOKEN.sub(replace, pattern).split("/"))


def pattern_values(
    rel: PurePosixPath, slug: str, title: str, date: dt.datetime | None
) -> dict[str, str]:
    """The tokens a permalink pattern may use for one page."""
    values = {
        "section": rel.parts[0] if len(rel.parts) > 1 else "",
        "path": str(rel.parent) if str(rel.parent) != "." else "",
        "slug": slug,
        "filename": rel.stem,
        "title": slugify(title),
    }
    if date is not None:
        values |= {"year": f"{date.year:04d}", "month": f"{date.month:02d}", "day": f"{date.day:02d}"}
    return values


def public_url(url: str, trailing_slash: bool) -> str:
    """A site URL as links spell it: '/blog/hi/#x' becomes '/blog/hi#x' on a site without
    trailing slashes (whose pages are written as blog/hi.html). The home page stays '/'."""
    if trailing_slash:
        return url
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    path, rest = url[:cut], url[cut:]
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    return path + rest


def page_number_url(first_url: str, number: int) -> str:
    """URL of page `number` of a paginated list that starts at `first_url`."""
    return first_url if number == 1 else f"{first_url.rstrip('/')}/page/{number}/"


def file_url(rel: PurePosixPath) -> str:
    """A non-HTML output such as feed.xml keeps its name: /feed.xml."""
    return "/" + encode_path(str(rel))
