"""Server events -> lines on the console: the URL, each rebuild and its time, each error.

Lines are printed whole (no wrapping) and flushed at once, since tools and
tests read them from a pipe while the server keeps running.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.markup import escape

from ..console import console, error_console
from ..errors import IslandgenError
from .errorpage import display_path, where
from .rebuild import Changes, Rebuilt

FUNCTIONS_LOGGER = "islandgen.functions"  # where the dispatcher logs a server function's traceback
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
            if rebuilt.dispatcher is not None and self._touches_server(changes.paths):
                count = len(rebuilt.dispatcher.functions)
                line += f", {count} server function{'s' if count != 1 else ''} reloaded"
        _say(console(), line + (" - [green]error fixed[/]" if fixed else ""))

    def function_failed(self, message: str, error: BaseException | None) -> None:
        """A server function raised (the caller got a generic 500): the traceback is for the author."""
        out = error_console()
        _say(out, f"[bold red]server function error[/]: {escape(message)}")
        if error is not None:
            _say(out, escape("".join(traceback.format_exception(error)).rstrip()))

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


    def _touches_server(self, paths: Iterable[Path]) -> bool:
        server = (self.site_dir / "server").absolute()
        return any(path.absolute().is_relative_to(server) for path in paths)


class FunctionLog(logging.Handler):
    """While entered, server function failures logged by the dispatcher go to the reporter."""

    def __init__(self, reporter: Reporter) -> None:
        super().__init__(logging.WARNING)
        self.reporter = reporter

    def emit(self, record: logging.LogRecord) -> None:
        try:
            error = record.exc_info[1] if record.exc_info else None
            self.reporter.function_failed(record.getMessage(), error)
        except Exception:
            self.handleError(record)

    def __enter__(self) -> FunctionLog:
        logging.getLogger(FUNCTIONS_LOGGER).addHandler(self)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        logging.getLogger(FUNCTIONS_LOGGER).removeHandler(self)


def _say(out: Console, text: str) -> None:
    out.print(text, soft_wrap=True)
    out.file.flush()
