"""Site files for tests: write a dict of {relative path: text} into a folder, and a fixed 'today'.

A plain module (not conftest) so test modules can import it: several conftest
files live in subfolders, so `import conftest` would be ambiguous.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping
from pathlib import Path

# 'Today' for every build in the tests, so future-dated pages are predictable.
NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)

Files = Mapping[str, str | bytes]


def write_files(root: Path, files: Files) -> None:
    """Write `files` below `root`.

    Text is dedented and loses one leading newline, so a triple-quoted block
    starting on the line after the key begins at line 1 of the file. Bytes are
    written exactly as given (CRLF endings, invalid UTF-8, no final newline).
    """
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).removeprefix("\n"), encoding="utf-8")
