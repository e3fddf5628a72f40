"""SQLite for the sample's server functions: one database file, outside dist/, one connection per call.

Not a server module (no "use server"): nothing here is callable from the browser.
The file is $HARBOUR_DB, or `.islandgen-cache/harbour.sqlite3` beside server/
(in the site folder under `islandgen serve`, in dist-functions/ in the bundle;
set HARBOUR_DB where the bundle is read-only, e.g. /tmp/harbour.sqlite3 on Lambda).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS likes (post_id TEXT PRIMARY KEY, count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS guestbook (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    message TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
"""
_ready: set[Path] = set()
_lock = threading.Lock()


def database_path() -> Path:
    default = Path(__file__).resolve().parent.parent / ".islandgen-cache" / "harbour.sqlite3"
    return Path(os.environ.get("HARBOUR_DB") or default)


@contextmanager
def connect() -> Iterator[sqlite3.Connection]:
    """A connection in autocommit mode; concurrent writers wait for each other (up to 30 s)."""
    path = database_path()
    with _lock:
        if path not in _ready:
            path.parent.mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(path, timeout=30) as setup:
                setup.execute("PRAGMA journal_mode=WAL")
                setup.executescript(SCHEMA)
            setup.close()
            _ready.add(path)
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        yield connection
    finally:
        connection.close()
