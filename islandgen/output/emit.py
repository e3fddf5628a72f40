"""Output files -> a fresh folder swapped in for the old one, so a failed build loses nothing.

Everything is written into a temporary sibling of the output folder; only when
all of it is written does the new folder replace the old one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from ..errors import UsageError
from ..model import OutputFile
from .static import StaticFile


def check_output_dir(out_dir: Path, site_dir: Path) -> None:
    """Refuse an output folder that would replace the site's own sources."""
    out, site = out_dir.resolve(), site_dir.resolve()
    if out == site or site.is_relative_to(out):
        raise UsageError(f"the output folder {out_dir} contains the site itself",
                         hint="choose another --out, such as the default dist/")
    for folder in ("content", "pages", "layouts", "components", "static", "data", "server", "themes"):
        if out.is_relative_to(site / folder):
            raise UsageError(f"the output folder {out_dir} is inside the site's {folder}/",
                             hint="choose another --out, such as the default dist/")


def write_output(out_dir: Path, files: Iterable[OutputFile], static: Iterable[StaticFile]) -> int:
    """Write everything to a temporary folder, then swap it in; returns the file count."""
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.with_name(f".{out_dir.name}.building-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)
    count = 0
    try:
        made: set[Path] = set()
        for item in static:
            target = staging / item.target
            _mkdir(target.parent, made)
            if item.source is not None:
                shutil.copyfile(item.source, target)
            else:
                target.write_bytes(item.read())
            count += 1
        for output in files:
            target = staging / output.path
            _mkdir(target.parent, made)
            target.write_bytes(output.data)
            count += 1
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _mkdir(folder: Path, made: set[Path]) -> None:
    if folder not in made:
        folder.mkdir(parents=True, exist_ok=True)
        made.add(folder)


def _swap(staging: Path, out_dir: Path) -> None:
    retired = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    if out_dir.exists():
        out_dir.rename(retired)
    staging.rename(out_dir)
    shutil.rmtree(retired, ignore_errors=True)
