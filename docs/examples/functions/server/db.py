"""SQLite for the example's server functions: one file, outside dist/, a connection per call.

Not a server module (no "use server" at the top): nothing here can be called from
the browser; it ships in the functions bundle as a helper. The database is
$EXAMPLE_DB, or .islandgen-cache/example.sqlite3 beside server/.
"""

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS likes (post_id TEXT PRIMARY KEY, count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS votes (option TEXT PRIMARY KEY, count INTEGER NOT NULL);
"""


@contextmanager
def connect() -> Iterator[sqlite3.Connection]:
    default = Path(__file__).resolve().parent.parent / ".islandgen-cache" / "example.sqlite3"
    path = Path(os.environ.get("EXAMPLE_DB") or default)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        db.executescript(SCHEMA)
        yield db
    finally:
        db.close()
