"""A failed build -> the HTML page the browser shows instead of the site until it is fixed.

The page carries what the console prints (`file:line`, message, hint) plus the
lines around the bad one, so the user can fix the file without switching
windows. Exceptions that are not `IslandgenError`s are islandgen bugs: they
show their traceback. The dev server adds the live-reload client, so the page
goes away by itself once the fix is saved.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ..errors import IslandgenError

CONTEXT_LINES = 3


@dataclass(frozen=True)
class ExcerptLine:
    number: int
    text: str
    is_error: bool


def excerpt(path: Path, line: int, context: int = CONTEXT_LINES) -> list[ExcerptLine]:
    """The lines around `line` (1-based) of `path`; empty if the file cannot be read."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    if not 0 < line <= len(lines):
        return []
    first, last = max(1, line - context), min(len(lines), line + context)
    return [ExcerptLine(n, lines[n - 1], n == line) for n in range(first, last + 1)]


def display_path(path: Path, site_dir: Path) -> str:
    """`path` as the user knows it: relative to the site folder when it is inside."""
    try:
        return path.resolve().relative_to(site_dir.resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def where(exc: IslandgenError, site_dir: Path) -> str:
    """`file:line` (or `file`) of an error, relative to the site; '' if it has no file."""
    if exc.path is None:
        return ""
    shown = display_path(exc.path, site_dir)
    return f"{shown}:{exc.line}" if exc.line else shown


def render_error_page(exc: BaseException, site_dir: Path) -> str:
    """The whole error page for `exc`, as HTML text."""
    if isinstance(exc, IslandgenError):
        title, body = "Build error", _site_error(exc, site_dir)
    else:
        title, body = "islandgen crashed", _crash(exc)
    return _PAGE.format(title=escape(title), body=body)


def _site_error(exc: IslandgenError, site_dir: Path) -> str:
    parts = []
    location = where(exc, site_dir)
    if location:
        parts.append(f'<p class="location">{escape(location)}</p>')
    parts.append(f'<p class="message">{escape(exc.message)}</p>')
    if exc.path is not None and exc.line:
        parts.append(_excerpt_html(excerpt(exc.path, exc.line)))
    if exc.hint:
        parts.append(f'<p class="hint"><strong>hint:</strong> {escape(exc.hint)}</p>')
    return "\n".join(parts)


def _excerpt_html(lines: list[ExcerptLine]) -> str:
    if not lines:
        return ""
    width = len(str(lines[-1].number))
    rows = []
    for item in lines:
        mark = "&gt;" if item.is_error else " "
        css = ' class="error-line"' if item.is_error else ""
        rows.append(f'<span{css}>{mark} {item.number:>{width}} | {escape(item.text)}</span>')
    return '<pre class="excerpt">' + "".join(rows) + "</pre>"  # spans are blocks: no newlines


def _crash(exc: BaseException) -> str:
    text = "".join(traceback.format_exception(exc))
    return (
        f'<p class="message">{escape(type(exc).__name__)}: {escape(str(exc))}</p>\n'
        '<p class="hint">This is a bug in islandgen, not in your site: '
        "please report it with the traceback below.</p>\n"
        f'<pre class="excerpt">{escape(text)}</pre>'
    )


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · islandgen</title>
<style>
  body {{ font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #1e1e24; color: #eee; }}
  main {{ max-width: 60rem; margin: 3rem auto; padding: 0 1.5rem; }}
  h1 {{ color: #ff6b6b; font-size: 1.4rem; }}
  .location {{ font-family: ui-monospace, monospace; color: #9cdcfe; }}
  .message {{ font-size: 1.2rem; white-space: pre-wrap; }}
  .excerpt {{ background: #111; padding: 1rem; overflow-x: auto; border-radius: 6px; }}
  .excerpt span {{ display: block; color: #aaa; }}
  .excerpt .error-line {{ color: #fff; background: #5a1d1d; }}
  .hint {{ color: #b5e890; }}
  footer {{ color: #888; font-size: 0.9rem; margin-top: 2rem; }}
</style>
</head>
<body>
<main id="islandgen-error">
<h1>{title}</h1>
{body}
<footer>Fix the file and save it: this page reloads by itself.</footer>
</main>
</body>
</html>
"""
