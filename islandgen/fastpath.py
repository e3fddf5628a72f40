"""A site folder -> the previous build's result, when nothing the build reads has changed.

`islandgen build` on an untouched site should cost little more than starting
Python: this answers from file stats, the small cache index and the remembered
settings (settings.py) alone, and imports none of the rendering stack (Jinja,
Markdown, Pygments, the client graph), nor YAML or package metadata. Anything
it cannot vouch for goes to the full build.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from .cache import BuildIndex, load_index
from .changes import input_stamp
from .config import Config
from .model import BuildOptions, BuildResult
from .output.emit import intact
from .settings import site_settings
from .version import __version__


def up_to_date(site_dir: Path, options: BuildOptions) -> BuildResult | None:
    """The last build's result if its output is still right, else None (build it)."""
    started = time.perf_counter()
    if not options.use_cache or not site_dir.is_dir() or (site_dir / "server").is_dir():
        return None  # server functions: the bundle is checked by the full build
    settings = site_settings(site_dir, overrides(options))
    config = settings.config
    out_dir = output_dir(site_dir, config, options)
    index = load_index(site_dir, out_dir)
    if index is None:
        return None
    now = options.now or dt.datetime.now(dt.UTC)
    inputs = input_stamp(settings.layers, stamp_extra(config, out_dir), index.watched)
    if not unchanged(index, inputs, out_dir, now):
        return None
    return cached_result(index, out_dir, started, config.base_path, settings.notes)


def output_dir(site_dir: Path, config: Config, options: BuildOptions) -> Path:
    return (options.out_dir or site_dir / config.build.output).absolute()


def overrides(options: BuildOptions) -> dict[str, object]:
    """The config values the command line replaces."""
    values: dict[str, object] = {}
    if options.drafts is not None:
        values["drafts"] = options.drafts
    if options.future is not None:
        values["future"] = options.future
    return values


def stamp_extra(config: Config, out_dir: Path) -> object:
    """What besides the input files decides the output (public env values go into chunks)."""
    public = sorted((k, v) for k, v in os.environ.items() if k.startswith("ISLANDGEN_PUBLIC_"))
    return (__version__, config, str(out_dir), public)


def unchanged(index: BuildIndex, inputs: str, out_dir: Path, now: dt.datetime) -> bool:
    """True if the inputs are the last build's and its files are still in place, untouched."""
    if index.inputs != inputs or index.out_dir != str(out_dir) or not index.outputs:
        return False
    release = index.result_summary.get("next_release", 0)
    if release and now.timestamp() >= release:
        return False  # a future-dated page is due now
    return all(intact(out_dir, path, record) for path, record in index.outputs.items())


def cached_result(index: BuildIndex, out_dir: Path, started: float, base_path: str,
                  notes: tuple[str, ...]) -> BuildResult:
    return BuildResult(
        out_dir=out_dir,
        routes=tuple(sorted(index.reports, key=lambda report: report.url)),
        files_written=0,
        seconds=time.perf_counter() - started,
        skipped_drafts=index.result_summary.get("drafts", 0),
        skipped_future=index.result_summary.get("future", 0),
        notes=notes,
        base_path=base_path,
    )


def has_loaders(site_dir: Path) -> bool:
    """Python data loaders may read anything; a site with them always rebuilds its data."""
    return any((site_dir / "data").glob("**/*.py"))


