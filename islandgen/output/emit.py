"""Rendered files -> the output folder, writing only what changed.

Everything is rendered before this stage starts, so a build that fails never
reaches it and the previous output survives untouched. A first build (or one
into a folder islandgen did not write) goes to a temporary sibling folder that
is swapped in whole; later builds update the folder in place, each changed
file replaced atomically, and remove files no route produces any more.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..cache import WrittenFile
from ..errors import UsageError

SOURCE_FOLDERS = ("content", "pages", "layouts", "components", "static", "data", "server", "themes")


@dataclass(frozen=True)
class Emission:
    """One file of the output: bytes to write, a file to copy, or (data=None) kept as it is."""

    path: str  # relative to the output folder, '/'-separated
    digest: str
    data: bytes | None = None
    source: Path | None = None


def check_output_dir(out_dir: Path, site_dir: Path) -> None:
    """Refuse an output folder that would replace the site's own sources."""
    out, site = out_dir.resolve(), site_dir.resolve()
    if out == site or site.is_relative_to(out):
        raise UsageError(f"the output folder {out_dir} contains the site itself",
                         hint="choose another --out, such as the default dist/")
    for folder in SOURCE_FOLDERS:
        if out.is_relative_to(site / folder):
            raise UsageError(f"the output folder {out_dir} is inside the site's {folder}/",
                             hint="choose another --out, such as the default dist/")


def intact(out_dir: Path, path: str, record: WrittenFile | None) -> bool:
    """True if the file is on disk exactly as the previous build left it."""
    if record is None:
        return False
    try:
        stat = (out_dir / path).stat()
    except OSError:
        return False
    return stat.st_size == record.size and stat.st_mtime_ns == record.mtime_ns


def emit(
    out_dir: Path,
    items: Sequence[Emission],
    previous: Mapping[str, WrittenFile],
    *,
    in_place: bool,
) -> tuple[dict[str, WrittenFile], int]:
    """Bring the output folder in line with `items`; returns the new manifest and files written."""
    out_dir = out_dir.absolute()
    if in_place:
        return _update_in_place(out_dir, items, previous)
    return _write_and_swap(out_dir, items)


def _update_in_place(
    out_dir: Path, items: Sequence[Emission], previous: Mapping[str, WrittenFile]
) -> tuple[dict[str, WrittenFile], int]:
    manifest: dict[str, WrittenFile] = {}
    written = 0
    made: set[Path] = set()
    for item in items:
        record = previous.get(item.path)
        if record is not None and record.digest == item.digest and intact(out_dir, item.path, record):
            manifest[item.path] = record
            continue
        target = out_dir / item.path
        _mkdir(target.parent, made)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        _put(item, temporary)
        os.replace(temporary, target)
        manifest[item.path] = _record(item, target)
        written += 1
    _remove_stale(out_dir, (p for p in previous if p not in manifest))
    return manifest, written


def _write_and_swap(out_dir: Path, items: Sequence[Emission]) -> tuple[dict[str, WrittenFile], int]:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.with_name(f".{out_dir.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    manifest: dict[str, WrittenFile] = {}
    made: set[Path] = set()
    try:
        for item in items:
            target = staging / item.path
            _mkdir(target.parent, made)
            _put(item, target)
            manifest[item.path] = _record(item, out_dir / item.path, target)
        retired = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        if out_dir.exists():
            out_dir.rename(retired)
        staging.rename(out_dir)
        shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest, len(items)


def _put(item: Emission, target: Path) -> None:
    if item.data is not None:
        target.write_bytes(item.data)
    elif item.source is not None:
        shutil.copyfile(item.source, target)
    else:  # pragma: no cover - a kept file is never written
        raise AssertionError(f"nothing to write for {item.path}")


def _record(item: Emission, final: Path, written: Path | None = None) -> WrittenFile:
    stat = (written or final).stat()
    return WrittenFile(digest=item.digest, size=stat.st_size, mtime_ns=stat.st_mtime_ns)


def _mkdir(folder: Path, made: set[Path]) -> None:
    if folder not in made:
        folder.mkdir(parents=True, exist_ok=True)
        made.add(folder)


def _remove_stale(out_dir: Path, paths: Iterable[str]) -> None:
    """Delete files no route produces any more, and folders left empty by that."""
    folders: set[Path] = set()
    for path in paths:
        target = out_dir / path
        target.unlink(missing_ok=True)
        folders.update(p for p in target.parents if p.is_relative_to(out_dir) and p != out_dir)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        try:
            folder.rmdir()
        except OSError:
            continue  # not empty: something else still lives there
