"""Requests -> files of a built output folder, the way a static host answers them.

Folders answer with their index.html, a missing file with 404.html and status
404, and no request can reach outside the folder (`..`, encoded dots, symlinks).
"""

from __future__ import annotations

import http.server
import mimetypes
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


class StaticHandler(http.server.BaseHTTPRequestHandler):
    """Serves `root` below `base_path`; only GET and HEAD."""

    server_version = "islandgen"

    def __init__(self, *args: Any, root: Path, base_path: str = "/", **kwargs: Any) -> None:
        self.root = root.resolve()
        self.base_path = base_path
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet: the preview server's console is for build messages."""

    def _answer(self, *, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.base_path) and path + "/" != self.base_path:
            self._send_file(self._not_found(), 404, send_body)
            return
        relative = path[len(self.base_path):] if path.startswith(self.base_path) else ""
        target = resolve_inside(self.root, relative)
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            target = target / "index.html"
        if target is None or not target.is_file():
            self._send_file(self._not_found(), 404, send_body)
            return
        self._send_file(target, 200, send_body)

    def _not_found(self) -> Path | None:
        page = self.root / "404.html"
        return page if page.is_file() else None

    def _send_file(self, file: Path | None, status: int, send_body: bool) -> None:
        data = file.read_bytes() if file is not None else b"Not found\n"
        kind = mimetypes.guess_type(file.name)[0] if file is not None else "text/plain"
        kind = kind or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if send_body:
            self.wfile.write(data)


def resolve_inside(root: Path, relative: str) -> Path | None:
    """The file `relative` names under `root`, or None if it would leave `root`."""
    clean = posixpath.normpath("/" + relative.replace("\\", "/")).lstrip("/")
    if "\x00" in clean:
        return None
    candidate = (root / clean).resolve() if clean not in ("", ".") else root
    return candidate if candidate == root or candidate.is_relative_to(root) else None
