"""Sockets <-> `Request` and `Response` records, so the dev and --prod servers are plain functions.

The stdlib `ThreadingHTTPServer` parses HTTP; this module only adapts it: every
request becomes a `Request`, an `App` answers it with a `Response`, and the
handler writes that out (without a body for HEAD). A request body is read only
when the app asks (`Request.body.read(limit)`); whatever it leaves unread is
drained before the answer, so the connection can be kept and the client reads
the answer rather than a reset. Binding errors become `UsageError`s with a fix,
and the server stops cleanly on Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import errno
import http.server
import io
import signal
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, Protocol

from ..errors import UsageError
from ..functions.adapters import joined_headers


class Sink(Protocol):
    """Where a streamed response body goes (the connection's write side)."""

    def write(self, data: bytes, /) -> object: ...

    def flush(self) -> object: ...


class Source(Protocol):
    """Where a request body comes from (the connection's read side)."""

    def read(self, size: int, /) -> bytes: ...


DRAIN_LIMIT = 16 * 1024 * 1024  # unread body bytes skipped to keep a connection; past this it closes
_CHUNK = 64 * 1024


class Body:
    """A request body, left on the connection until an app reads it (or the handler drains it)."""

    def __init__(self, stream: Source | None = None, length: int | None = 0) -> None:
        self._stream = stream
        self.length = length  # the declared Content-Length; None when unknown (chunked)
        self._left = (length or 0) if stream is not None else 0
        self._data: bytes | None = None

    @classmethod
    def of(cls, data: bytes) -> Body:
        """A body already in memory (for tests and in-process callers)."""
        return cls(io.BytesIO(data), len(data))

    def read(self, limit: int) -> bytes | None:
        """The whole body when it is at most `limit` bytes, else None (left unread).

        Raises `ConnectionError` when the client goes away before sending all of it.
        """
        if self.length is None or self.length > limit:
            return None
        if self._data is None:
            data = self._take(self._left)
            if len(data) < self.length:
                raise ConnectionResetError("the client sent less than its Content-Length")
            self._data = data
        return self._data

    def drain(self, limit: int = DRAIN_LIMIT) -> bool:
        """Skip what is unread, up to `limit` bytes; True when the connection is at the next request."""
        if self.length is None or self._left > limit:
            return False
        try:
            while self._left > 0:
                if not self._take(min(self._left, _CHUNK)):
                    return False
        except (OSError, ValueError):
            return False
        return True

    def _take(self, size: int) -> bytes:
        if self._stream is None or size <= 0:
            return b""
        parts: list[bytes] = []
        while size > 0:
            part = self._stream.read(size)
            if not part:
                break
            parts.append(part)
            size -= len(part)
            self._left -= len(part)
        return b"".join(parts)


@dataclass(frozen=True)
class Request:
    """One parsed request: method, request target as sent, headers with lower-case names,
    the client's address and the body (unread until asked for)."""

    method: str
    target: str
    headers: Mapping[str, str] = field(default_factory=dict)
    client: str | None = None
    body: Body = field(default_factory=Body)

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass(frozen=True)
class Response:
    """Status, headers and body; `stream` instead writes the body until the client leaves."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    stream: Callable[[Sink], None] | None = None

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


App = Callable[[Request], Response]

ALLOWED = "GET, HEAD"


def text_response(status: int, text: str, *extra: tuple[str, str]) -> Response:
    """A small plain-text answer (405, a missing 404 page, an internal error)."""
    return Response(status, (("Content-Type", "text/plain; charset=utf-8"), *extra),
                    text.encode("utf-8"))


def method_not_allowed() -> Response:
    return text_response(405, "405 Method Not Allowed\n", ("Allow", ALLOWED))


class _Handler(http.server.BaseHTTPRequestHandler):
    """Adapts one connection to the `App`; subclassed per server with `app` set."""

    app: App
    protocol_version = "HTTP/1.1"
    server_version = "islandgen"
    timeout = 60  # seconds an idle keep-alive connection is kept

    def do_GET(self) -> None:
        self._dispatch()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the console is for build messages, not access logs."""

    def _dispatch(self) -> None:
        headers = joined_headers(self.headers.items())
        body = Body(self.rfile, _body_length(headers))
        request = Request(self.command, self.path, headers, str(self.client_address[0]), body)
        try:
            response = self.app(request)
        except (ConnectionError, TimeoutError):  # the client left while sending its body
            self.close_connection = True
            return
        except Exception:  # an answer, not a dead connection; the traceback is a bug report
            import traceback

            traceback.print_exc()
            response = text_response(500, "500 Internal Server Error: islandgen failed "
                                          "to answer; see the console\n")
        if not body.drain():  # the unread request body must not become the next request
            self.close_connection = True
        try:
            self._write(response, with_body=self.command != "HEAD")
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True

    def _write(self, response: Response, *, with_body: bool) -> None:
        self.send_response(response.status)
        for key, value in response.headers:
            self.send_header(key, value)
        if response.stream is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
            self.end_headers()
            if with_body:
                response.stream(self.wfile)
            return
        if response.status not in (204, 304):
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if with_body and response.body:
            self.wfile.write(response.body)


def _body_length(headers: Mapping[str, str]) -> int | None:
    """The declared body length: 0 without Content-Length, None when unknown (chunked, invalid)."""
    if "transfer-encoding" in headers:
        return None
    declared = headers.get("content-length", "0").strip()
    return int(declared) if declared.isdigit() else None


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep the process alive

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away is routine; anything else is printed as a bug."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class _Server6(_Server):
    address_family = socket.AF_INET6


def bind(host: str, port: int, app: App) -> http.server.ThreadingHTTPServer:
    """A listening server for `app`; a busy or forbidden address is a `UsageError`."""
    handler = type("Handler", (_Handler,), {"app": staticmethod(app)})
    server_class = _Server6 if ":" in host else _Server
    try:
        return server_class((host, port), handler)
    except socket.gaierror as exc:
        raise UsageError(f"cannot listen on {host!r}: {exc.strerror}",
                         hint="use 127.0.0.1, or an address of this machine") from None
    except OSError as exc:
        raise _bind_error(exc, host, port) from None


def _bind_error(exc: OSError, host: str, port: int) -> UsageError:
    if exc.errno == errno.EADDRINUSE:
        return UsageError(f"port {port} on {host} is already in use",
                          hint="stop the other server, pass another --port, "
                               "or --port 0 to pick a free one")
    if exc.errno == errno.EACCES:
        return UsageError(f"no permission to listen on port {port}",
                          hint="ports below 1024 need privileges; use one such as 4321")
    return UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                      hint="use 127.0.0.1, or an address of this machine")


def server_url(server: http.server.ThreadingHTTPServer, base_path: str) -> str:
    """The URL to print: wildcard hosts are shown as the loopback address."""
    host = str(server.server_address[0])
    port = server.server_address[1]
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}{base_path}"


def serve_until_stopped(server: http.server.ThreadingHTTPServer) -> None:
    """Answer requests until Ctrl+C or SIGTERM, then close the listening socket."""
    try:
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt, so both run the same cleanup."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
