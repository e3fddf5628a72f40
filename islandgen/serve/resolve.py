"""A request target -> the file inside the served folder that answers it, or why none does.

Shared by the dev server and `--prod`. Anything that could name a file outside
the folder (`..`, encoded dots or slashes, backslashes, NUL, empty segments, a
symlink pointing out) resolves to `NotFound`: the caller never has to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class Found:
    file: Path


@dataclass(frozen=True)
class Redirect:
    """A folder asked for without its trailing slash (or the base path without it)."""

    location: str


@dataclass(frozen=True)
class NotFound:
    pass


Resolution = Found | Redirect | NotFound

# Encoded forms that would smuggle a separator past the segment checks.
_FORBIDDEN_ENCODED = ("%2f", "%5c", "%00")


def resolve(root: Path, base_path: str, target: str) -> Resolution:
    """Where `target` (the request target as sent) points below `root`, served at `base_path`."""
    split = _split_target(target)
    if split is None:
        return NotFound()
    raw_path, query = split
    path = _decode(raw_path)
    if path is None:
        return NotFound()
    suffix = f"?{query}" if query else ""
    if path + "/" == base_path:
        return Redirect(raw_path + "/" + suffix)
    if not path.startswith(base_path):
        return NotFound()
    segments = path[len(base_path):].split("/")
    if any(part in (".", "..") for part in segments) or "" in segments[:-1]:
        return NotFound()
    return _lookup(root.resolve(), segments, raw_path, suffix)


def _split_target(target: str) -> tuple[str, str] | None:
    """(path, query) of an origin-form or absolute-form target; None for anything else."""
    if target.startswith("/"):
        path, _, query = target.partition("?")
        return path.partition("#")[0], query.partition("#")[0]
    if target.startswith(("http://", "https://")):
        parts = urlsplit(target)
        return (parts.path or "/"), parts.query
    return None


def _decode(raw_path: str) -> str | None:
    lowered = raw_path.lower()
    if "\\" in raw_path or any(code in lowered for code in _FORBIDDEN_ENCODED):
        return None
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return None
    return None if "\x00" in path or "\\" in path else path


def _lookup(root: Path, segments: list[str], raw_path: str, suffix: str) -> Resolution:
    candidate = root.joinpath(*segments)
    if not _inside(candidate, root):
        return NotFound()
    page = candidate.with_name(candidate.name + ".html") if segments[-1] else None
    if page is not None and not candidate.is_file() and page.is_file() and _inside(page, root):
        return Found(page)  # /blog/hi -> blog/hi.html, as hosts serve clean URLs
    if candidate.is_dir():
        if segments[-1] != "":
            return Redirect(raw_path + "/" + suffix)
        index = candidate / "index.html"
        return Found(index) if index.is_file() and _inside(index, root) else NotFound()
    if segments[-1] == "" or not candidate.is_file():
        return NotFound()
    return Found(candidate)


def _inside(path: Path, root: Path) -> bool:
    """True if `path`, with every symlink followed, is `root` or below it."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return real == root or real.is_relative_to(root)
