"""Python frames and tracebacks -> the template file and line a user wrote.

Jinja compiles templates to Python; these helpers map back, the way Jinja's
own `debug.py` does, so errors point at `layouts/post.html:12`, not at islandgen.
"""

from __future__ import annotations

import contextvars
import sys
from dataclasses import dataclass
from pathlib import Path
from types import FrameType


@dataclass(frozen=True)
class CallSite:
    """A file and line in the user's site."""

    path: Path | None
    line: int | None


# Set while a `::Component(...)` line of Markdown is evaluated: calls made from
# there have no template frame, so this is where they came from.
markdown_call_site: contextvars.ContextVar[CallSite | None] = contextvars.ContextVar(
    "islandgen_markdown_call_site", default=None
)


def call_site(skip: int = 2) -> CallSite:
    """The template file and line executing right now (the caller of a helper)."""
    frame: FrameType | None = sys._getframe(skip)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename:
            return CallSite(Path(template.filename), template.get_corresponding_lineno(frame.f_lineno))
        frame = frame.f_back
    return markdown_call_site.get() or CallSite(None, None)


def traceback_site(exc: BaseException, files: set[str] | None = None) -> CallSite:
    """The innermost template (or listed file) frame of an exception's traceback.

    Jinja rewrites tracebacks of render errors so template frames carry the
    template's filename and line; we take the deepest such frame.
    """
    site = CallSite(None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename:
            site = CallSite(Path(template.filename), template.get_corresponding_lineno(tb.tb_lineno))
        elif filename.endswith((".html", ".jinja", ".xml", ".txt", ".json")) or (
            files is not None and filename in files
        ):
            site = CallSite(Path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return site

