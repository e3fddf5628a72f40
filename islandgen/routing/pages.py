"""Documents -> `Page` records: front matter interpreted, URL assigned.

Known front matter keys are checked here, with the line they were written on;
any other key is kept for templates (`page.my_key`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from ..config import Config
from ..content.dates import parse_date
from ..content.markdown import plain_text
from ..errors import ContentError, RouteError
from ..model import Document, Page
from .urls import content_url, expand_pattern, file_slug, join_url, pattern_values

_ATX_H1 = re.compile(r"^ {0,3}# +(.+?)(?: +#+)? *$")


def make_page(doc: Document, config: Config, tz: ZoneInfo) -> Page:
    """Interpret one document's front matter and give it its URL."""
    title = _optional_str(doc, "title") or first_heading(doc.body) or _title_from_name(doc.rel)
    date = _optional_date(doc, "date", tz)
    slug = _optional_str(doc, "slug")
    is_index = doc.rel.stem == "index"
    folder = str(doc.rel.parent) if str(doc.rel.parent) != "." else ""
    page_slug = slug if slug is not None else (doc.rel.parent.name if is_index else file_slug(doc.rel.stem))
    return Page(
        doc=doc,
        url=_url(doc, config, slug, page_slug, title, date, folder),
        title=title,
        section=folder,
        date=date,
        updated=_optional_date(doc, "updated", tz) or date,
        draft=_typed(doc, "draft", bool, False),
        tags=_tags(doc),
        weight=_typed(doc, "weight", int, 0),
        layout=_optional_str(doc, "layout"),
        summary=_optional_str(doc, "summary"),
        slug=page_slug,
        is_index=is_index,
    )


def _url(
    doc: Document,
    config: Config,
    slug: str | None,
    page_slug: str,
    title: str,
    date: dt.datetime | None,
    folder: str,
) -> str:
    explicit = _optional_str(doc, "permalink")
    top = doc.rel.parts[0] if len(doc.rel.parts) > 1 else ""
    pattern = explicit or (None if doc.rel.stem == "index" else config.permalinks.get(top))
    if pattern is None:
        return content_url(doc.rel, slug)
    if ":" not in pattern:
        return join_url(*pattern.split("/"))
    try:
        return expand_pattern(pattern, pattern_values(doc.rel, page_slug, title, date))
    except KeyError as exc:
        where = "permalink" if explicit else None
        raise RouteError(
            f"permalink pattern {pattern!r} uses :{exc.args[0]}, which this page does not have",
            path=doc.source,
            line=doc.meta_lines.get(where) if where else None,
            hint="give the page a date, or use :section, :path, :slug, :filename, :title, "
            ":year, :month, :day",
        ) from None


def first_heading(body: str) -> str | None:
    """The text of the first '# Heading' outside fenced code, for pages without a title."""
    fence: str | None = None
    for line in body.split("\n"):
        stripped = line.lstrip()
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif (match := _ATX_H1.match(line)) is not None:
            return plain_text(match.group(1))
    return None


def _title_from_name(rel: PurePosixPath) -> str:
    stem = rel.parent.name if rel.stem == "index" and rel.parent.name else rel.stem
    return stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Home"


def _typed(doc: Document, key: str, kind: type, default: Any) -> Any:
    value = doc.meta.get(key, default)
    if value is None:
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ContentError(
            f"front matter {key!r} must be {_describe(kind)}, not {value!r}",
            path=doc.source,
            line=doc.meta_lines.get(key),
        )
    return value


def _optional_str(doc: Document, key: str) -> str | None:
    value = doc.meta.get(key)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return _typed(doc, key, str, None)  # type: ignore[no-any-return]


def _optional_date(doc: Document, key: str, tz: ZoneInfo) -> dt.datetime | None:
    value = doc.meta.get(key)
    if value is None:
        return None
    try:
        return parse_date(value, tz)
    except ValueError as exc:
        raise ContentError(
            f"front matter {key!r}: {exc}", path=doc.source, line=doc.meta_lines.get(key)
        ) from None


def _tags(doc: Document) -> tuple[str, ...]:
    value = doc.meta.get("tags")
    if value is None:
        return ()
    if isinstance(value, str):
        value = [t for t in (part.strip() for part in value.split(",")) if t]
    if not isinstance(value, list) or not all(isinstance(t, str | int) for t in value):
        raise ContentError(
            f"front matter 'tags' must be a list of names, not {value!r}",
            path=doc.source,
            line=doc.meta_lines.get("tags"),
            hint="write tags: [python, web]",
        )
    return tuple(dict.fromkeys(str(t) for t in value))


def _describe(kind: type) -> str:
    return {bool: "true or false", int: "a whole number", str: "a string"}.get(kind, kind.__name__)
