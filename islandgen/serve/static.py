"""A built output folder -> HTTP answers, exactly as a static host gives them (`serve --prod`).

Folders answer with their `index.html` (301 to add the slash), a missing file
with `404.html` and status 404. Content-hashed files are cached forever, the
rest revalidated by ETag (304 on a match); text is gzipped when the client
asks. What a host does differently is a bug here, since `--prod` exists to
show what a deploy will do.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .httpd import Request, Response, method_not_allowed, text_response
from .resolve import Found, Redirect, resolve

# Web types that must not depend on the machine's /etc/mime.types.
CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".wasm": "application/wasm",
    ".pdf": "application/pdf",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
}
_TEXT_TYPES = ("application/json", "application/manifest+json", "application/xml",
               "image/svg+xml")

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"
ISLANDS_FOLDER = "_islands"
_HASHED_NAME = re.compile(r"\.[0-9a-f]{8}\.(?:css|js)$")
GZIP_MIN_BYTES = 256  # below this the gzip header costs more than it saves


def content_type(name: str) -> str:
    """The Content-Type for a file name; text types carry `charset=utf-8`."""
    suffix = PurePosixPath(name).suffix.lower()
    kind = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if is_text(kind) else kind


def is_text(kind: str) -> bool:
    kind = kind.split(";")[0].strip()
    return kind.startswith("text/") or kind in _TEXT_TYPES or kind.endswith("+json")


def cache_control(rel: PurePosixPath) -> str:
    """Forever for files whose name changes with their content, revalidate the rest."""
    hashed = _HASHED_NAME.search(rel.name) is not None
    island = rel.parts[:1] == (ISLANDS_FOLDER,) and rel.name != "manifest.json"
    return IMMUTABLE if hashed or island else REVALIDATE


def accepts_gzip(accept_encoding: str) -> bool:
    """True if the Accept-Encoding header allows gzip (honouring `q=0`)."""
    allowed: dict[str, bool] = {}
    for item in accept_encoding.split(","):
        name, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if name:
            allowed[name.lower()] = quality > 0
    if "gzip" in allowed:
        return allowed["gzip"]
    return allowed.get("x-gzip", allowed.get("*", False))


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison, as RFC 9110 asks for If-None-Match."""
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


@dataclass(frozen=True)
class StaticHost:
    """Answers GET and HEAD for the files of `root`, served below `base_path`."""

    root: Path
    base_path: str = "/"

    def __call__(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return method_not_allowed()
        found = resolve(self.root, self.base_path, request.target)
        if isinstance(found, Redirect):
            return Response(301, (("Location", found.location), ("Cache-Control", REVALIDATE)))
        if isinstance(found, Found):
            return self._file(found.file, 200, request)
        page = self.root / "404.html"
        if page.is_file():
            return self._file(page, 404, request)
        return text_response(404, "404 Not Found\n")

    def _file(self, file: Path, status: int, request: Request) -> Response:
        data = file.read_bytes()
        kind = content_type(file.name)
        rel = PurePosixPath(file.relative_to(self.root).as_posix())
        headers = [("Content-Type", kind), ("Cache-Control", cache_control(rel))]
        gzipped = is_text(kind) and len(data) >= GZIP_MIN_BYTES
        if gzipped:
            headers.append(("Vary", "Accept-Encoding"))
            gzipped = accepts_gzip(request.header("accept-encoding"))
        etag = _etag(data) if status == 200 else None
        if gzipped:
            data = _gzip(data)
            headers.append(("Content-Encoding", "gzip"))
            etag = etag and etag[:-1] + '-gzip"'
        if etag is not None:
            headers.append(("ETag", etag))
            condition = request.header("if-none-match")
            if condition and etag_matches(condition, etag):
                kept = ("Cache-Control", "Vary", "ETag")
                return Response(304, tuple(h for h in headers if h[0] in kept))
        return Response(status, tuple(headers), data)


def _etag(data: bytes) -> str:
    return '"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"'


@functools.lru_cache(maxsize=128)
def _gzip(data: bytes) -> bytes:
    """Deterministic (mtime 0), so the gzip ETag names exactly these bytes."""
    return gzip.compress(data, compresslevel=6, mtime=0)
