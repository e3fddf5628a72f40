"""The `islandgen` command: parse arguments, run a command, map errors to exit codes.

Exit codes: 0 success, 1 the site has an error (build failed), 2 usage error.
This is the only module that prints errors or decides exit codes.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from .console import console, error_console, escape
from .errors import EXIT_BUILD_ERROR, EXIT_OK, IslandgenError
from .fastpath import up_to_date
from .model import BuildOptions, BuildResult
from .version import __version__

if TYPE_CHECKING:
    from .check import CheckReport

PROGRESS_THRESHOLD = 200  # routes; smaller builds finish before a bar is worth drawing


def run() -> NoReturn:
    """The `islandgen` command: `main()` without the cyclic garbage collector.

    A build runs without the collector anyway (see pipeline.py); turning it back
    on when the build returns would start with one pass over every object the
    build made (0.08 s after 4,000 pages), and the interpreter's last collection
    at exit with another (0.15 s), for memory the process hands back as it ends.
    Frozen objects are left out of that last collection. `islandgen serve`,
    which lives on, turns the collector back on.
    """
    gc.disable()
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
        return code
    except IslandgenError as exc:
        _print_error(exc, verbose=getattr(args, "verbose", False))
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="islandgen", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"islandgen {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="build the site into static files")
    _site_argument(build_cmd)
    build_cmd.add_argument("--out", type=Path, help="output folder (default: SITE/dist)")
    build_cmd.add_argument("--drafts", action="store_true", help="include drafts and future pages")
    build_cmd.add_argument("--future", action="store_true", help="include future-dated pages")
    build_cmd.add_argument("--check", action="store_true",
                           help="then check the output's links, anchors, assets and island chunks")
    build_cmd.add_argument("--zip", action="store_true",
                           help="also write the server functions bundle as a zip (for AWS Lambda)")
    _verbosity(build_cmd)
    build_cmd.set_defaults(run=_run_build)

    check_cmd = commands.add_parser(
        "check", help="build the site, then report broken links, anchors, assets and orphan pages")
    _site_argument(check_cmd)
    check_cmd.add_argument("--out", type=Path, help="output folder (default: SITE/dist)")
    check_cmd.add_argument("--no-build", action="store_true",
                           help="check the output folder as it is (problems point at output lines)")
    check_cmd.add_argument("-v", "--verbose", action="store_true", help="tracebacks on errors")
    check_cmd.set_defaults(run=_run_check)

    serve_cmd = commands.add_parser(
        "serve", help="serve the site with live reload, or a built folder with --prod")
    serve_cmd.add_argument("site", nargs="?", type=Path, default=Path("."),
                           help="the site folder (default: the current folder); with --prod, "
                                "a built folder such as dist/, or a site to serve the build of")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve_cmd.add_argument("--port", type=int, default=4321, help="0 picks a free port")
    serve_cmd.add_argument("--open", action="store_true", help="open the URL in a browser")
    serve_cmd.add_argument("--drafts", action="store_true", help="include drafts and future pages")
    serve_cmd.add_argument("--prod", action="store_true",
                           help="serve a built folder exactly as a static host would")
    serve_cmd.add_argument("--base-path", help="with --prod: the path the site is served under "
                                               "(default: the site's base_path)")
    _verbosity(serve_cmd)
    serve_cmd.set_defaults(run=_run_serve)

    new_cmd = commands.add_parser("new", help="write a small working site to start from")
    new_cmd.add_argument("dir", type=Path, help="the folder to create (absent or empty)")
    new_cmd.add_argument("--theme", default="default",
                         help="a bundled or installed theme (default: default)")
    new_cmd.set_defaults(run=_run_new)

    components_cmd = commands.add_parser(
        "components", help="list every component the site can use: kind, props, file")
    _site_argument(components_cmd)
    components_cmd.add_argument("--json", action="store_true", help="print the list as JSON")
    components_cmd.add_argument("-v", "--verbose", action="store_true", help="tracebacks on errors")
    components_cmd.set_defaults(run=_run_components)
    return parser


def _site_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", nargs="?", type=Path, default=Path("."),
                        help="the site folder (default: the current folder)")


def _verbosity(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    group.add_argument("-v", "--verbose", action="store_true",
                       help="print every route, and tracebacks on errors")


def _run_build(args: argparse.Namespace) -> int:
    options = BuildOptions(out_dir=args.out, drafts=args.drafts or None,
                           future=(args.future or args.drafts) or None, functions_zip=args.zip)
    result = _build_with_progress(args.site, options, quiet=args.quiet)
    if not args.quiet:
        _print_summary(result, verbose=args.verbose)
    if args.check:
        from .check import check_site

        return _print_check(check_site(args.site, options, result))
    return EXIT_OK


def _build_with_progress(site: Path, options: BuildOptions, *, quiet: bool) -> BuildResult:
    unchanged = up_to_date(site, options)  # before importing the rendering stack at all
    if unchanged is not None:
        return unchanged
    from .pipeline import BuildSession

    session = BuildSession(site, options, once=True)
    if quiet or not console().is_terminal:
        return session.build()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("rendering"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    # no refresh thread: build workers are forked, and forking copies other threads' locks
    with Progress(*columns, console=console(), transient=True, auto_refresh=False) as bar:
        task = bar.add_task("render", total=None, visible=False)
        last = [0.0]

        def advance(done: int, total: int) -> None:
            now = time.monotonic()
            if total >= PROGRESS_THRESHOLD and (now - last[0] >= 0.1 or done == total):
                last[0] = now  # ten frames a second at most: drawing costs the render loop
                bar.update(task, completed=done, total=total, visible=True)
                bar.refresh()

        return session.build(progress=advance)


def _print_summary(result: BuildResult, *, verbose: bool) -> None:
    out = console()
    if verbose:
        from rich.table import Table

        table = Table(title="Routes", show_edge=False)
        table.add_column("URL")
        table.add_column("source")
        table.add_column("HTML", justify="right")
        table.add_column("islands", justify="right")
        table.add_column("first-load JS (gzip)", justify="right")
        for route in result.routes:
            table.add_row(escape(route.url), escape(route.source), _size(route.html_bytes),
                          str(route.islands or ""),
                          _size(route.first_load_js) if route.first_load_js else "0 B")
        out.print(table)
    held = []
    if result.skipped_drafts:
        held.append(f"{result.skipped_drafts} drafts")
    if result.skipped_future:
        held.append(f"{result.skipped_future} future-dated")
    held_text = f" ({', '.join(held)} left out; --drafts includes them)" if held else ""
    for note in result.notes if verbose else ():  # `islandgen check` prints them too
        out.print(f"[yellow]note[/]: {escape(note)}")
    out.print(
        f"[green]built[/] {len(result.routes)} pages, {result.files_written} files "
        f"in {result.seconds:.2f} s -> {escape(str(result.out_dir))}{held_text}"
    )


def _size(count: int) -> str:
    return f"{count / 1024:.1f} KiB" if count >= 1024 else f"{count} B"


def _run_check(args: argparse.Namespace) -> int:
    """`islandgen check`: one line per problem, `where → target: what`; exit 1 on any."""
    options = BuildOptions(out_dir=args.out)
    from .check import check_site

    return _print_check(check_site(args.site, options, build_first=not args.no_build))


def _print_check(report: CheckReport) -> int:
    out = console()
    for note in report.notes:
        out.print(f"[yellow]note[/]: {escape(note)}")
    for problem in report.problems:
        out.print(escape(str(problem)), soft_wrap=True)
    checked = f"checked {report.pages} pages, {report.references} links"
    if not report.problems:
        out.print(f"[green]{checked}[/]: no problems")
        return EXIT_OK
    count = len(report.problems)
    out.print(f"[red]{checked}[/]: {count} problem{'' if count == 1 else 's'}")
    return EXIT_BUILD_ERROR


def _run_serve(args: argparse.Namespace) -> int:
    from .errors import UsageError

    gc.enable()  # a server lives on: its garbage must be collected (see `run`)

    if args.prod:
        if args.drafts:
            raise UsageError("--drafts has no effect with --prod",
                             hint="build with `islandgen build --drafts`, then serve --prod")
        from .serve.prod import serve_prod

        return serve_prod(args.site, host=args.host, port=args.port, base_path=args.base_path,
                          open_browser=args.open, quiet=args.quiet)
    if args.base_path is not None:
        raise UsageError("--base-path only applies with --prod",
                         hint="the dev server uses base_path from islandgen.yaml")
    from .serve.dev import serve_dev

    return serve_dev(args.site, host=args.host, port=args.port, drafts=args.drafts,
                     open_browser=args.open, quiet=args.quiet, verbose=args.verbose)


def _run_new(args: argparse.Namespace) -> int:
    """`islandgen new DIR`: the starter site, then what to run next."""
    from .scaffold import new_site

    written = new_site(args.dir, theme=args.theme)
    out = console()
    out.print(f"[green]created[/] {escape(str(args.dir))} ({len(written)} files, theme {escape(args.theme)})")
    for path in written:
        out.print(f"  {escape(path.relative_to(args.dir).as_posix())}", highlight=False)
    folder = escape(str(args.dir))
    out.print(f"next: [bold]islandgen serve {folder}[/] (or [bold]islandgen build {folder}[/])")
    return EXIT_OK


def _run_components(args: argparse.Namespace) -> int:
    """`islandgen components`: every component of the site and its themes, as a table or JSON."""
    from rich.table import Table

    from .catalog import describe_props, list_components

    catalog = list_components(args.site)
    out = console()
    if args.json:
        out.out(catalog.to_json(), highlight=False)  # plain text, whatever the terminal
        return EXIT_OK
    table = Table(title=f"Components of {escape(str(args.site))}", show_edge=False)
    table.add_column("name", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("props", overflow="fold", ratio=3)
    table.add_column("from", no_wrap=True)
    table.add_column("file (in components/)", overflow="fold", ratio=2)
    for info in catalog.components:
        file = catalog.relative(info.path).removeprefix("components/")
        if info.shell is not None:
            file += f" + {info.shell.name}"
        table.add_row(escape(info.name), info.kind, escape(describe_props(info.props)),
                      escape(info.layer), escape(file))
    out.print(table)
    chain = " -> ".join(layer.name for layer in catalog.layers)
    out.print(f"{len(catalog.components)} components; looked up in {escape(chain)} (nearest first)")
    return EXIT_OK


def _print_error(exc: IslandgenError, *, verbose: bool) -> None:
    err = error_console()
    if verbose:
        err.print(escape("".join(traceback.format_exception(exc))))
    location = f"{exc.location}: " if exc.location else ""
    err.print(f"[bold red]error[/]: {escape(location)}{escape(exc.message)}")
    line = exc.source_line()
    if line is not None:
        err.print(f"  [dim]{exc.line:>4} |[/] {escape(line)}")
    if exc.hint:
        err.print(f"  [cyan]hint[/]: {escape(exc.hint)}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
