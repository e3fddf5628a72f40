"""Errors a user can act on: each knows its file, line, message, fix and exit code.

Every stage raises a subclass of `IslandgenError`; only the CLI turns them into
output and exit codes, so the rest of the code never prints or exits.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

EXIT_OK = 0
EXIT_BUILD_ERROR = 1
EXIT_USAGE = 2


class IslandgenError(Exception):
    """A problem in the user's site, reported as `path:line: message` plus a hint."""

    exit_code = EXIT_BUILD_ERROR

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __reduce__(self) -> tuple[object, ...]:
        """Errors cross from build workers to the main process with their location intact."""
        return (_rebuild, (type(self), self.message, self.path, self.line, self.hint))

    @property
    def location(self) -> str:
        """`path:line` (or just `path`), relative to the working directory when possible."""
        if self.path is None:
            return ""
        shown = _relative(self.path)
        return f"{shown}:{self.line}" if self.line else shown

    def source_line(self) -> str | None:
        """The offending line of the user's file, for showing under the message."""
        if self.path is None or not self.line:
            return None
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return None
        if 0 < self.line <= len(lines):
            return lines[self.line - 1]
        return None

    def __str__(self) -> str:
        head = f"{self.location}: {self.message}" if self.location else self.message
        return f"{head}\n  hint: {self.hint}" if self.hint else head


class ConfigError(IslandgenError):
    """islandgen.yaml or theme.yaml is malformed or names something unknown."""


class ContentError(IslandgenError):
    """A content file cannot be read, parsed or linked."""


class RouteError(IslandgenError):
    """Two sources claim one URL, or a route pattern cannot be expanded."""


class TemplateError(IslandgenError):
    """A layout, page template or component failed to compile or render."""


class ComponentError(TemplateError):
    """A component was called wrongly (unknown name, bad props, a cycle)."""


class UsageError(IslandgenError):
    """The command line itself is wrong (missing site folder and the like)."""

    exit_code = EXIT_USAGE


def _rebuild(
    cls: type[IslandgenError], message: str, path: Path | None, line: int | None, hint: str | None
) -> IslandgenError:
    return cls(message, path=path, line=line, hint=hint)


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """The closest valid name to a typo, phrased for a hint, or None."""
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"did you mean {matches[0]!r}?" if matches else None


def line_in_traceback(exc: BaseException, path: Path) -> int | None:
    """The line of `path` deepest in the exception's traceback: the user's code that raised."""
    wanted = path.resolve()
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename).resolve() == wanted:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
