"""Server events -> lines on the console: the URL, each rebuild and its time, each error.

Lines are printed whole (no wrapping) and flushed at once, since tools and
tests read them from a pipe while the server keeps running.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from ..console import console, error_console
from ..errors import IslandgenError
from .errorpage import display_path, where
from .rebuild import Changes, Rebuilt

MAX_NAMED = 3  # changed files named in a rebuild line before '... and N more'


@dataclass(frozen=True)
class Reporter:
    """Prints for one server; `quiet` keeps only errors and the URL."""

    site_dir: Path
    quiet: bool = False
    verbose: bool = False

    def serving(self, url: str, what: str) -> None:
        _say(console(), f"[green]serving[/] at [bold]{escape(url)}[/] {escape(what)} "
                        "(Ctrl+C stops)")

    def built(self, rebuilt: Rebuilt, changes: Changes | None, *, fixed: bool) -> None:
        if self.quiet:
            return
        seconds = rebuilt.result.seconds
        if changes is None:
            line = f"[green]built[/] {len(rebuilt.result.routes)} pages in {seconds:.2f} s"
        else:
            why = escape(self.describe(changes.paths))
            line = f"[green]rebuilt[/] in {seconds:.2f} s: {escape(rebuilt.rendered)} ({why})"
        _say(console(), line + (" - [green]error fixed[/]" if fixed else ""))

    def failed(self, exc: BaseException) -> None:
        out = error_console()
        if not isinstance(exc, IslandgenError):
            _say(out, "[bold red]islandgen crashed while building[/] (a bug; please report it):")
            _say(out, escape("".join(traceback.format_exception(exc))))
            return
        if self.verbose:
            _say(out, escape("".join(traceback.format_exception(exc))))
        location = where(exc, self.site_dir)
        _say(out, f"[bold red]error[/]: {escape(location + ': ' if location else '')}"
                  f"{escape(exc.message)}")
        line = exc.source_line()
        if line is not None:
            _say(out, f"  [dim]{exc.line:>4} |[/] {escape(line)}")
        if exc.hint:
            _say(out, f"  [cyan]hint[/]: {escape(exc.hint)}")
        _say(out, "  [dim]the browser shows this error until the file is fixed[/]")

    def describe(self, paths: Iterable[Path]) -> str:
        """'content/a.md changed', or the first few names and how many more."""
        names = sorted(display_path(path, self.site_dir) for path in paths)
        shown = ", ".join(names[:MAX_NAMED])
        more = f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else ""
        return f"{shown}{more} changed"


def _say(out: Console, text: str) -> None:
    out.print(text, soft_wrap=True)
    out.file.flush()
