"""Rendered files -> the output folder, so that a failed build loses nothing.

Two ways, chosen per build:

- fresh: a first build (or one into a folder islandgen did not write) writes
  into a temporary sibling folder, even from render workers while others are
  still rendering, and swaps it in whole at `commit()`;
- in place: a rebuild holds changed files in memory until `commit()`, then
  replaces each atomically and removes files no route produces any more.

Either way nothing visible changes until every route has rendered.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from ..cache import WrittenFile
from ..deps import file_digest
from ..errors import UsageError

SOURCE_FOLDERS = ("content", "pages", "layouts", "components", "static", "data", "server", "themes")


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
    """True if the file is on disk exactly as the previous build left it. (`os.path`, not
    `/`: the no-change exit checks every output file, and pathlib's joining costs more.)"""
    if record is None:
        return False
    try:
        stat = os.stat(os.path.join(out_dir, path))
    except OSError:
        return False
    return stat.st_size == record.size and stat.st_mtime_ns == record.mtime_ns


class OutputWriter:
    """Collects a build's output files and makes them visible all at once."""

    def __init__(self, out_dir: Path, previous: Mapping[str, WrittenFile], *, in_place: bool):
        self.out_dir = out_dir.absolute()
        self.previous = previous
        self.in_place = in_place
        self.staging = self.out_dir.with_name(f".{self.out_dir.name}.building-{os.getpid()}")
        self._staging = str(self.staging)
        self._pending: dict[str, tuple[bytes | None, Path | None, str]] = {}
        self._manifest: dict[str, WrittenFile] = {}
        self._folders = {""}  # staging folders made by this process
        if not in_place:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging.mkdir(parents=True)

    @property
    def writes_now(self) -> bool:
        """Fresh builds write at once (into staging), even from worker processes."""
        return not self.in_place

    def write_now(self, path: str, data: bytes) -> WrittenFile:
        """Write into the staging folder and return its record; fresh builds only.

        Plain `os` calls on strings: a fresh build writes thousands of files, and
        pathlib objects and buffered file objects cost more than the writing does.
        """
        assert not self.in_place
        target = os.path.join(self._staging, path)
        folder = os.path.dirname(path)
        if folder not in self._folders:  # most pages are the first file of their own folder
            self._make_folder(folder)
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view):]
            stat = os.fstat(descriptor)
        finally:
            os.close(descriptor)
        return WrittenFile(file_digest(data), stat.st_size, stat.st_mtime_ns)

    def _make_folder(self, folder: str) -> None:
        """Make a staging folder with one `mkdir` when its parent exists, as it mostly does.
        Another process (a render worker) may have made it already, and a nested folder's
        parent may be new too; the folders this process made are remembered."""
        target = os.path.join(self._staging, folder)
        try:
            os.mkdir(target)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(target, exist_ok=True)
        self._folders.add(folder)

    def add(self, path: str, data: bytes) -> None:
        """A file whose bytes are known; written at commit (or now, into staging)."""
        if self.in_place:
            self._pending[path] = (data, None, file_digest(data))
        else:
            self._manifest[path] = self.write_now(path, data)

    def add_written(self, path: str, record: WrittenFile) -> None:
        """A file a worker already wrote into the staging folder."""
        self._manifest[path] = record

    def copy(self, path: str, source: Path, digest: str) -> None:
        self._pending[path] = (None, source, digest)

    def keep(self, path: str) -> None:
        """A file the previous build wrote that is still right (in place only)."""
        self._manifest[path] = self.previous[path]

    def commit(self) -> tuple[dict[str, WrittenFile], int]:
        """Make everything visible; returns the manifest and how many files were written."""
        written = 0
        base = self.out_dir if self.in_place else self.staging
        made: set[Path] = set()
        for path, (data, source, digest) in sorted(self._pending.items()):
            record = self.previous.get(path)
            if self.in_place and record is not None and record.digest == digest and intact(
                self.out_dir, path, record
            ):
                self._manifest[path] = record
                continue
            target = base / path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            if data is not None:
                temporary.write_bytes(data)
            else:
                assert source is not None
                shutil.copyfile(source, temporary)
            os.replace(temporary, target)
            stat = target.stat()
            self._manifest[path] = WrittenFile(digest, stat.st_size, stat.st_mtime_ns)
            written += 1
        if self.in_place:
            _remove_stale(self.out_dir, [p for p in self.previous if p not in self._manifest])
            return self._manifest, written
        self._swap()
        return self._manifest, len(self._manifest)

    def abort(self) -> None:
        """Forget everything; the output folder stays as it was."""
        if not self.in_place:
            shutil.rmtree(self.staging, ignore_errors=True)

    def _swap(self) -> None:
        retired = self.out_dir.with_name(f".{self.out_dir.name}.old-{os.getpid()}")
        if self.out_dir.exists():
            self.out_dir.rename(retired)
        self.staging.rename(self.out_dir)
        shutil.rmtree(retired, ignore_errors=True)


def _remove_stale(out_dir: Path, paths: list[str]) -> None:
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
