"""Sockets <-> `Request` and `Response` records, so the dev and --prod servers are plain functions.

The stdlib `ThreadingHTTPServer` parses HTTP; this module only adapts it: every
request becomes a `Request`, an `App` answers it with a `Response`, and the
handler writes that out (without a body for HEAD). Binding errors become
`UsageError`s with a fix, and the server stops cleanly on Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import errno
import http.server
import signal
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, Protocol

from ..errors import UsageError


class Sink(Protocol):
    """Where a streamed response body goes (the connection's write side)."""

    def write(self, data: bytes, /) -> object: ...

    def flush(self) -> object: ...


@dataclass(frozen=True)
class Request:
    """One parsed request: method, request target as sent, headers with lower-case names."""

    method: str
    target: str
    headers: Mapping[str, str] = field(default_factory=dict)

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
        if self.command not in ("GET", "HEAD"):
            self.close_connection = True  # the unread request body must not become a request
        headers = {key.lower(): value for key, value in self.headers.items()}
        request = Request(self.command, self.path, headers)
        try:
            response = self.app(request)
        except Exception:  # an answer, not a dead connection; the traceback is a bug report
            import traceback

            traceback.print_exc()
            response = text_response(500, "500 Internal Server Error: islandgen failed "
                                          "to answer; see the console\n")
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
