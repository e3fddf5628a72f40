"""Text files of the site -> `Document` records (front matter split from the body)."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import ContentError, IslandgenError
from ..model import Document
from ..walk import files_below
from ..yamlfile import load_yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def read_text(path: Path, error: type[IslandgenError] = ContentError) -> str:
    """Read a UTF-8 file with newlines normalized; a BOM is dropped, bad bytes are an error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error("the file disappeared while the site was being read", path=path,
                    hint="it was deleted or renamed during the build; build again") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path=path,
            line=line,
            hint="re-save the file as UTF-8",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], dict[str, int], str, int]:
    """Return (front matter, key lines, body, 1-based line where the body starts)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, {}, text, 1
    meta, lines = load_yaml(match.group(1) or "", path, line_offset=1)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError(
            "front matter must be a mapping of keys to values",
            path=path,
            line=2,
            hint="write it as 'key: value' lines between the two '---' lines",
        )
    body_line = text.count("\n", 0, match.end()) + 1
    return meta, lines, text[match.end() :], body_line


def load_document(path: Path, content_dir: Path) -> Document:
    """Read one content file into a `Document`."""
    text = read_text(path)
    meta, lines, body, body_line = split_front_matter(text, path)
    rel = PurePosixPath(path.relative_to(content_dir).as_posix())
    return Document(
        source=path, rel=rel, meta=meta, body=body, body_line=body_line, meta_lines=lines
    )


def find_files(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Every file below `root` with one of `suffixes`, sorted, skipping hidden names."""
    return [path for rel, path in files_below(root, hidden=(".", "_")) if rel.endswith(suffixes)]
